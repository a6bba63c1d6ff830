//! One JSON array file (claims, agents, completions) inside a transaction:
//! loaded lazily, changed in memory, and written back either as a whole
//! or, when records were only added or replaced, as a change from the first
//! byte that differs: the step's [`Op`] for this file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::fsio::{read_optional, read_tail};
use super::index::{FileMeta, Index};
use super::journal::Op;
use super::raw;
use crate::error::{NexusError, Result};

/// A JSON array file as seen by one transaction.
#[derive(Debug)]
pub struct ArrayFile {
    pub name: &'static str,
    pub path: PathBuf,
    records: Option<Vec<Value>>,
    dirty: bool,
    appended: Vec<Value>,
    /// The file's bytes, when single records are read from a file the index
    /// vouches for.
    raw: Option<Vec<u8>>,
    /// Records replaced in raw mode: start offset → (end offset, new record).
    replaced: BTreeMap<usize, (usize, Value)>,
}

/// Where a record found by [`ArrayFile::find`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pos {
    /// Position in the parsed records.
    Index(usize),
    /// Byte range in the file.
    Bytes(usize, usize),
}

impl ArrayFile {
    pub fn new(dir: &Path, name: &'static str) -> ArrayFile {
        ArrayFile {
            name,
            path: dir.join(name),
            records: None,
            dirty: false,
            appended: Vec::new(),
            raw: None,
            replaced: BTreeMap::new(),
        }
    }

    /// Whether the file exists on disk.
    pub fn exists(&self) -> bool {
        std::fs::symlink_metadata(&self.path).is_ok()
    }

    /// All records, parsed from disk on first use (a missing file is empty).
    pub fn records(&mut self) -> Result<&Vec<Value>> {
        if self.records.is_none() {
            let records = match self.raw.take() {
                Some(bytes) => {
                    let mut records = parse_array(&self.path, &bytes)?;
                    let spans = raw::element_spans(&bytes).unwrap_or_default();
                    for (start, (_, v)) in std::mem::take(&mut self.replaced) {
                        if let Some(i) = spans.iter().position(|(s, _)| *s == start) {
                            records[i] = v;
                            self.dirty = true;
                        }
                    }
                    records
                }
                None => load_array(&self.path)?.unwrap_or_default(),
            };
            self.records = Some(records);
        }
        Ok(self.records.get_or_insert_with(Vec::new))
    }

    /// The last record whose `key` is `id`, with its position. When the index
    /// vouches for the file, only that record is parsed; otherwise all are.
    pub fn find(&mut self, key: &str, id: &str, index: &Index) -> Result<Option<(Pos, Value)>> {
        let matches = |v: &Value| v.get(key).and_then(Value::as_str) == Some(id);
        let trusted = index.trusted(self.name, &self.path).map(|m| m.canonical);
        if let (None, None, Some(_)) = (&self.records, &self.raw, trusted) {
            self.raw = Some(read_optional(&self.path)?.unwrap_or_default());
        }
        if let (None, Some(bytes)) = (&self.records, &self.raw) {
            let canonical = trusted == Some(true);
            let needle = serde_json::to_string(id).unwrap_or_default();
            let mut spans = None;
            // The forward search is vectorised (the reverse one is not, and
            // is several times slower on large files); the last match wins.
            let hits: Vec<usize> = memchr::memmem::find_iter(bytes, needle.as_bytes()).collect();
            for at in hits.into_iter().rev() {
                let range = if canonical {
                    raw::canonical_element_at(bytes, at)
                } else {
                    let spans =
                        spans.get_or_insert_with(|| raw::element_spans(bytes).unwrap_or_default());
                    spans.iter().copied().find(|(s, e)| *s <= at && at < *e)
                };
                let Some((start, end)) = range else { continue };
                let record = match self.replaced.get(&start) {
                    Some((_, v)) => v.clone(),
                    None => serde_json::from_slice(&bytes[start..end]).unwrap_or(Value::Null),
                };
                if matches(&record) {
                    return Ok(Some((Pos::Bytes(start, end), record)));
                }
            }
            return Ok(None);
        }
        let records = self.records()?;
        Ok(records
            .iter()
            .rposition(matches)
            .map(|i| (Pos::Index(i), records[i].clone())))
    }

    /// Replace the record at a position returned by [`find`](Self::find).
    pub fn replace(&mut self, pos: Pos, record: Value) -> Result<()> {
        match pos {
            Pos::Bytes(start, end) if self.records.is_none() => {
                self.replaced.insert(start, (end, record));
            }
            Pos::Index(i) => self.records_mut()?[i] = record,
            Pos::Bytes(start, _) => {
                // Records were loaded since: find the element by its offset.
                let bytes = read_optional(&self.path)?.unwrap_or_default();
                let spans = raw::element_spans(&bytes).unwrap_or_default();
                if let Some(i) = spans.iter().position(|(s, _)| *s == start) {
                    self.records_mut()?[i] = record;
                }
            }
        }
        Ok(())
    }

    /// The records for changing in place; the file is rewritten on commit.
    pub fn records_mut(&mut self) -> Result<&mut Vec<Value>> {
        self.records()?;
        self.dirty = true;
        Ok(self.records.get_or_insert_with(Vec::new))
    }

    /// Fail now if the file exists and does not parse (skipped when the index
    /// shows it is exactly as nexus wrote it).
    pub fn validate(&mut self, index: &Index) -> Result<()> {
        if self.records.is_none() && index.trusted(self.name, &self.path).is_none() {
            self.records()?;
        }
        Ok(())
    }

    /// Add a record at the end of the array.
    pub fn push(&mut self, record: Value) {
        self.appended.push(record);
    }

    /// The highest numeric `work_<n>` id, from the index when it is current.
    pub fn max_work_id(&mut self, index: &Index) -> Result<Option<u128>> {
        let on_disk = match (&self.records, index.trusted(self.name, &self.path)) {
            (None, Some(meta)) => meta.max_work_id,
            _ => max_work_id(self.records()?),
        };
        Ok(on_disk.max(max_work_id(&self.appended)))
    }

    /// The change that writes this file back, with the file's new index
    /// entry; `None` when nothing changed.
    pub fn commit(mut self, index: &Index) -> Result<Option<(Op, FileMeta)>> {
        if !self.dirty && self.appended.is_empty() && self.replaced.is_empty() {
            return Ok(None);
        }
        if !self.replaced.is_empty() && self.appended.is_empty() && self.records.is_none() {
            return Ok(Some(self.splice(index)));
        }
        if !self.replaced.is_empty() {
            self.records()?;
        }
        if !self.dirty
            && let Some(end) = self.append_offset(index)?
        {
            let max = self.max_work_id(index)?;
            return self.append_in_place(index, end, max).map(Some);
        }
        let mut all = self.records.take().unwrap_or_default();
        all.append(&mut self.appended);
        let bytes = to_pretty(&all);
        let meta = FileMeta::new(
            bytes.len() as u64,
            &bytes,
            end_of_records(&bytes),
            max_work_id(&all),
            true,
        );
        Ok(Some((self.op(0, bytes), meta)))
    }

    fn op(&self, offset: u64, bytes: Vec<u8>) -> Op {
        Op {
            name: self.name.to_string(),
            offset,
            bytes,
        }
    }

    /// Where appended records go, or `None` when the file must be written
    /// whole: missing, an empty array, or an end its last bytes do not confirm.
    fn append_offset(&mut self, index: &Index) -> Result<Option<u64>> {
        let trusted = index.trusted(self.name, &self.path);
        let end = match trusted {
            Some(meta) if self.records.is_none() => meta.end_of_records,
            _ if self.records()?.is_empty() => None,
            _ => {
                let (start, tail) = read_tail(&self.path, 4096)?;
                end_of_records(&tail).map(|e| start + e)
            }
        };
        let Some(end) = end.filter(|e| *e > 0) else {
            return Ok(None);
        };
        // Only a closing bracket may follow the last record.
        let (start, tail) = read_tail(&self.path, 4096)?;
        let closes = end >= start
            && tail
                .get((end - start) as usize..)
                .is_some_and(|t| String::from_utf8_lossy(t).trim() == "]");
        Ok(closes.then_some(end))
    }

    fn append_in_place(self, index: &Index, end: u64, max: Option<u128>) -> Result<(Op, FileMeta)> {
        // Appending keeps nexus's layout only if the file already had it.
        let canonical = index
            .trusted(self.name, &self.path)
            .is_some_and(|m| m.canonical);
        let (start, tail) = read_tail(&self.path, 4096)?;
        let kept = &tail[..(end - start) as usize];
        let closing = String::from_utf8_lossy(&tail[kept.len()..])
            .trim_start()
            .to_string();
        let mut bytes = Vec::new();
        for record in &self.appended {
            bytes.extend_from_slice(b",\n  ");
            bytes.extend_from_slice(&indented(record));
        }
        let new_end = end + bytes.len() as u64;
        bytes.push(b'\n');
        bytes.extend_from_slice(closing.as_bytes());
        let mut whole = kept.to_vec();
        whole.extend_from_slice(&bytes);
        let len = end + bytes.len() as u64;
        let meta = FileMeta::new(len, &whole, Some(new_end), max, canonical);
        Ok((self.op(end, bytes), meta))
    }

    /// The file with the replaced records swapped in, every other byte kept:
    /// a change from the first replaced record to the end.
    fn splice(mut self, index: &Index) -> (Op, FileMeta) {
        let bytes = self.raw.take().unwrap_or_default();
        let first = self.replaced.keys().next().copied().unwrap_or(0);
        let mut out = Vec::with_capacity(bytes.len() - first + 256);
        let mut pos = first;
        for (start, (end, record)) in &self.replaced {
            out.extend_from_slice(&bytes[pos..*start]);
            out.extend_from_slice(&indented(record));
            pos = *end;
        }
        out.extend_from_slice(&bytes[pos..]);
        let old = index.files.get(self.name);
        let from = first.saturating_sub(64);
        let mut whole = bytes[from..first].to_vec();
        whole.extend_from_slice(&out);
        let meta = FileMeta::new(
            (first + out.len()) as u64,
            &whole,
            end_of_records(&whole).map(|e| e + from as u64),
            old.and_then(|m| m.max_work_id),
            old.is_some_and(|m| m.canonical),
        );
        (self.op(first as u64, out), meta)
    }
}

/// Parse a JSON array file; `Ok(None)` when it does not exist.
pub fn load_array(path: &Path) -> Result<Option<Vec<Value>>> {
    match read_optional(path)? {
        Some(bytes) => parse_array(path, &bytes).map(Some),
        None => Ok(None),
    }
}

/// Below this size an array is parsed on one thread.
const PARALLEL_BYTES: usize = 4 << 20;

/// Parse bytes as a JSON array, naming the file and position on failure.
/// Large arrays are cut at their element boundaries and parsed on every
/// core; any doubt (a scan that fails, an element that does not parse)
/// falls back to one whole parse, which also names the error's position.
pub fn parse_array(path: &Path, bytes: &[u8]) -> Result<Vec<Value>> {
    if bytes.len() >= PARALLEL_BYTES
        && let Some(v) = parse_parallel(bytes)
    {
        return Ok(v);
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Array(v)) => Ok(v),
        Ok(_) => Err(NexusError::NotAnArray(path.to_path_buf())),
        Err(e) => Err(NexusError::Corrupt {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            msg: strip_position(&e.to_string()),
        }),
    }
}

fn parse_parallel(bytes: &[u8]) -> Option<Vec<Value>> {
    let spans = raw::element_spans(bytes)?;
    // Nothing but the closing bracket may follow the last element.
    let end = spans.last()?.1;
    if String::from_utf8_lossy(&bytes[end..]).trim() != "]" {
        return None;
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let chunk = spans.len().div_ceil(threads.max(1)).max(1);
    let parts: Vec<Option<Vec<Value>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = spans
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(s, e)| serde_json::from_slice::<Value>(&bytes[*s..*e]).ok())
                        .collect::<Option<Vec<Value>>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect()
    });
    let mut out = Vec::with_capacity(spans.len());
    for part in parts {
        out.extend(part?);
    }
    Some(out)
}

fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Serialise records the way jq writes them: 2-space indent, final newline.
pub fn to_pretty(records: &[Value]) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(records).unwrap_or_else(|_| b"[]".to_vec());
    bytes.push(b'\n');
    bytes
}

/// One record pretty-printed at the indentation of an array element.
fn indented(record: &Value) -> Vec<u8> {
    let text = serde_json::to_string_pretty(record).unwrap_or_default();
    text.replace('\n', "\n  ").into_bytes()
}

/// Offset just past the last value of a JSON array text, found from its end;
/// `None` when the text does not end in `]` or the array is empty.
fn end_of_records(text: &[u8]) -> Option<u64> {
    let close = text.iter().rposition(|b| !b.is_ascii_whitespace())?;
    if text[close] != b']' {
        return None;
    }
    let last = text[..close]
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())?;
    (text[last] != b'[').then_some(last as u64 + 1)
}

/// The highest `n` among `work_<n>` ids of the records.
pub fn max_work_id(records: &[Value]) -> Option<u128> {
    records
        .iter()
        .filter_map(|r| {
            r.get("work_item_id")?
                .as_str()?
                .strip_prefix("work_")?
                .parse()
                .ok()
        })
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn end_of_records_finds_last_value() {
        assert_eq!(end_of_records(b"[\n  {}\n]\n"), Some(6));
        assert_eq!(end_of_records(b"[ ]"), None);
        assert_eq!(end_of_records(b"{}"), None);
    }

    /// Commit `f` and apply its change to disk the way a step does.
    fn commit(f: ArrayFile, index: &mut Index) -> Option<Op> {
        let name = f.name;
        let (op, meta) = f.commit(index).unwrap()?;
        let path = index_dir(index).join(&op.name);
        let old = std::fs::read(&path).ok();
        std::fs::write(&path, crate::store::journal::overlay(&op, old)).unwrap();
        index.files.insert(name.to_string(), meta);
        Some(op)
    }

    fn index_dir(_: &Index) -> PathBuf {
        DIR.with(|d| d.borrow().clone())
    }

    thread_local!(static DIR: std::cell::RefCell<PathBuf> = Default::default());

    fn setup() -> (tempfile::TempDir, Index) {
        let dir = tempfile::tempdir().unwrap();
        DIR.with(|d| *d.borrow_mut() = dir.path().to_path_buf());
        let index = Index::load(dir.path());
        (dir, index)
    }

    #[test]
    fn append_in_place_matches_full_write() {
        let (dir, mut index) = setup();
        let mut f = ArrayFile::new(dir.path(), "a.json");
        f.push(json!({"work_item_id": "work_5", "x": [1, 2]}));
        assert_eq!(commit(f, &mut index).unwrap().offset, 0);
        let mut f = ArrayFile::new(dir.path(), "a.json");
        assert_eq!(f.max_work_id(&index).unwrap(), Some(5));
        f.push(json!({"work_item_id": "work_9", "s": "q\"\\\n"}));
        assert!(
            commit(f, &mut index).unwrap().offset > 0,
            "appended in place"
        );
        let text = std::fs::read(dir.path().join("a.json")).unwrap();
        let expected = to_pretty(&[
            json!({"work_item_id": "work_5", "x": [1, 2]}),
            json!({"work_item_id": "work_9", "s": "q\"\\\n"}),
        ]);
        assert_eq!(
            String::from_utf8(text).unwrap(),
            String::from_utf8(expected).unwrap()
        );
        assert_eq!(index.files["a.json"].max_work_id, Some(9));
        assert!(
            index
                .trusted("a.json", &dir.path().join("a.json"))
                .is_some()
        );
    }

    #[test]
    fn an_empty_array_round_trips_through_append_and_rewrite() {
        let (dir, mut index) = setup();
        let path = dir.path().join("a.json");
        let mut f = ArrayFile::new(dir.path(), "a.json");
        f.push(json!({"work_item_id": "work_1"}));
        commit(f, &mut index);
        // Every record removed: the file is an empty array the index knows.
        let mut f = ArrayFile::new(dir.path(), "a.json");
        f.records_mut().unwrap().clear();
        commit(f, &mut index);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "[]\n");
        assert_eq!(index.files["a.json"].end_of_records, None);
        let mut f = ArrayFile::new(dir.path(), "a.json");
        f.push(json!({"work_item_id": "work_2"}));
        commit(f, &mut index);
        let back = parse_array(&path, &std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(back, vec![json!({"work_item_id": "work_2"})]);
        // Legacy layouts of an empty array too.
        for empty in ["[]", "[ ]\n", "[\n]\n"] {
            std::fs::write(&path, empty).unwrap();
            let mut f = ArrayFile::new(dir.path(), "a.json");
            f.push(json!({"n": 1}));
            commit(f, &mut index);
            let back = parse_array(&path, &std::fs::read(&path).unwrap()).unwrap();
            assert_eq!(back, vec![json!({"n": 1})], "after {empty:?}");
        }
    }

    #[test]
    fn a_tail_that_is_not_a_closing_bracket_is_not_appended_to() {
        let (dir, mut index) = setup();
        let path = dir.path().join("a.json");
        std::fs::write(&path, "[\n  {\"n\": 1}\n]\n").unwrap();
        let mut f = ArrayFile::new(dir.path(), "a.json");
        f.push(json!({"n": 2}));
        assert!(commit(f, &mut index).unwrap().offset > 0);
        // Another tool rewrote it, same length, but the end moved.
        std::fs::write(&path, "[{\"n\": 1},{\"n\":2}]   \n").unwrap();
        let mut f = ArrayFile::new(dir.path(), "a.json");
        f.push(json!({"n": 3}));
        commit(f, &mut index);
        let back = parse_array(&path, &std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(back.len(), 3);
    }

    #[test]
    fn single_records_are_found_and_replaced_in_both_layouts() {
        for compact in [false, true] {
            let (dir, mut index) = setup();
            let path = dir.path().join("a.json");
            let records = vec![
                json!({"id": "a", "n": {"id": "b"}}),
                json!({"id": "b", "s": "\n  }"}),
                json!({"id": "c"}),
            ];
            let mut f = ArrayFile::new(dir.path(), "a.json");
            for r in &records {
                f.push(r.clone());
            }
            commit(f, &mut index);
            if compact {
                // As if appended to a file another tool wrote: layout unknown.
                let bytes = serde_json::to_vec(&records).unwrap();
                std::fs::write(&path, &bytes).unwrap();
                let m = FileMeta::new(bytes.len() as u64, &bytes, Some(0), None, false);
                index.files.insert("a.json".into(), m);
            }
            let mut f = ArrayFile::new(dir.path(), "a.json");
            let (pos, mut rec) = f.find("id", "b", &index).unwrap().unwrap();
            assert!(matches!(pos, Pos::Bytes(..)), "raw mode expected");
            assert_eq!(rec["s"], "\n  }");
            rec["done"] = json!(true);
            f.replace(pos, rec).unwrap();
            assert!(f.find("id", "zz", &index).unwrap().is_none());
            commit(f, &mut index);
            let back: Vec<Value> = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            assert_eq!(back[1]["done"], true);
            assert_eq!(back[0], records[0]);
            assert_eq!(back[2], records[2]);
            assert!(index.trusted("a.json", &path).is_some());
        }
        let err = parse_array(Path::new("x"), b"[1,").unwrap_err();
        // Large arrays parse in parallel and agree with one whole parse.
        let many: Vec<Value> = (0..120_000)
            .map(|i| json!({"id": i, "s": "x,]}"}))
            .collect();
        let text = to_pretty(&many);
        assert!(text.len() >= PARALLEL_BYTES);
        assert_eq!(parse_array(Path::new("x"), &text).unwrap(), many);
        let mut bad = text.clone();
        bad.extend_from_slice(b"garbage");
        assert!(parse_array(Path::new("x"), &bad).is_err());
        assert!(err.to_string().contains("line 1, column 3"), "{err}");
    }
}
