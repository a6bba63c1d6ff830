//! One JSON array file (claims, agents, completions) inside a transaction:
//! loaded lazily, changed in memory, and written back either as a whole
//! (temp + fsync + rename) or, when records were only added, appended in place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::atomic::{read_optional, read_tail, write_atomic, write_atomic_lazy_rename, write_tail};
use super::index::{FileMeta, Index, Pending, Stamp};
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
    /// Whether a rewrite must reach the disk before the command reports
    /// success (claims, completions) or may lag a power cut (agents' heartbeats).
    durable_rename: bool,
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
            durable_rename: true,
        }
    }

    /// Rewrites stay atomic but are not forced to disk at once (agents file:
    /// rewritten by every claim to refresh a heartbeat).
    pub fn lazy(mut self) -> ArrayFile {
        self.durable_rename = false;
        self
    }

    /// Whether the file exists on disk.
    pub fn exists(&self) -> bool {
        self.path.exists()
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
            for at in memchr::memmem::rfind_iter(bytes, needle.as_bytes()) {
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

    /// Records added in this transaction.
    pub fn appended(&self) -> &[Value] {
        &self.appended
    }

    /// The highest numeric `work_<n>` id, from the index when it is current.
    pub fn max_work_id(&mut self, index: &Index) -> Result<Option<u128>> {
        let on_disk = match (&self.records, index.trusted(self.name, &self.path)) {
            (None, Some(meta)) => meta.max_work_id,
            _ => max_work_id(self.records()?),
        };
        Ok(on_disk.max(max_work_id(&self.appended)))
    }

    /// Write the changes back, if any, and record the result in the index.
    pub fn commit(mut self, index: &mut Index) -> Result<()> {
        if !self.dirty && self.appended.is_empty() && self.replaced.is_empty() {
            return Ok(());
        }
        if !self.replaced.is_empty() && self.appended.is_empty() {
            return self.splice(index);
        }
        if !self.replaced.is_empty() {
            self.records()?;
        }
        if !self.dirty
            && let Some(end) = self.append_offset(index)?
        {
            let max = self.max_work_id(index)?;
            return self.append_in_place(index, end, max);
        }
        let mut all = self.records.take().unwrap_or_default();
        all.append(&mut self.appended);
        let bytes = to_pretty(&all);
        if self.durable_rename {
            write_atomic(&self.path, &bytes, true)?;
        } else {
            write_atomic_lazy_rename(&self.path, &bytes)?;
        }
        let end = end_of_records(&bytes).unwrap_or(0);
        self.remember(index, end, max_work_id(&all), true);
        Ok(())
    }

    /// Where appended records go, or `None` when the file must be written whole
    /// (missing or empty array).
    fn append_offset(&mut self, index: &Index) -> Result<Option<u64>> {
        if self.records.is_none()
            && let Some(meta) = index.trusted(self.name, &self.path)
        {
            return Ok(Some(meta.end_of_records));
        }
        if self.records()?.is_empty() {
            return Ok(None);
        }
        let (start, tail) = read_tail(&self.path, 4096)?;
        Ok(end_of_records(&tail).map(|e| start + e))
    }

    fn append_in_place(self, index: &mut Index, end: u64, max: Option<u128>) -> Result<()> {
        // Appending keeps nexus's layout only if the file already had it.
        let canonical = index
            .trusted(self.name, &self.path)
            .is_some_and(|m| m.canonical);
        let (start, tail) = read_tail(&self.path, 4096)?;
        let old_tail = String::from_utf8_lossy(&tail[(end - start) as usize..]).into_owned();
        let closing = old_tail.trim_start().to_string();
        index.pending = Some(Pending {
            file: self.name.to_string(),
            offset: end,
            old_tail,
        });
        index.save(true)?;
        let mut bytes = Vec::new();
        for record in &self.appended {
            bytes.extend_from_slice(b",\n  ");
            bytes.extend_from_slice(&indented(record));
        }
        bytes.push(b'\n');
        bytes.extend_from_slice(closing.as_bytes());
        write_tail(&self.path, end, &bytes)?;
        let new_end = end + bytes.len() as u64 - closing.len() as u64 - 1;
        index.pending = None;
        self.remember(index, new_end, max, canonical);
        Ok(())
    }

    /// Write the file with the replaced records swapped in, every other byte kept.
    fn splice(mut self, index: &mut Index) -> Result<()> {
        let Some(bytes) = self.raw.take() else {
            return Ok(());
        };
        let mut out = Vec::with_capacity(bytes.len() + 256);
        let mut pos = 0;
        for (start, (end, record)) in &self.replaced {
            let (start, end) = (*start, *end);
            out.extend_from_slice(&bytes[pos..start]);
            out.extend_from_slice(&indented(record));
            pos = end;
        }
        out.extend_from_slice(&bytes[pos..]);
        write_atomic(&self.path, &out, true)?;
        let max = index.files.get(self.name).and_then(|m| m.max_work_id);
        let canonical = index.files.get(self.name).is_some_and(|m| m.canonical);
        self.remember(index, end_of_records(&out).unwrap_or(0), max, canonical);
        Ok(())
    }

    fn remember(&self, index: &mut Index, end: u64, max: Option<u128>, canonical: bool) {
        match Stamp::of(&self.path) {
            Some(stamp) => {
                index.files.insert(
                    self.name.to_string(),
                    FileMeta {
                        stamp,
                        end_of_records: end,
                        max_work_id: max,
                        canonical,
                    },
                );
            }
            None => {
                index.files.remove(self.name);
            }
        }
    }
}

/// Undo an append that was interrupted: when the file no longer parses, put
/// back the bytes the append overwrote. Called under the lock before any work.
pub fn recover(dir: &Path, index: &mut Index) -> Result<()> {
    let Some(p) = index.pending.take() else {
        return Ok(());
    };
    let path = dir.join(&p.file);
    if let Some(bytes) = read_optional(&path)?
        && parse_array(&path, &bytes).is_err()
        && (p.offset as usize) <= bytes.len()
    {
        let mut fixed = bytes[..p.offset as usize].to_vec();
        fixed.extend_from_slice(p.old_tail.as_bytes());
        if parse_array(&path, &fixed).is_ok() {
            write_atomic(&path, &fixed, true)?;
        }
    }
    index.files.remove(&p.file);
    index.save(false)
}

/// Parse a JSON array file; `Ok(None)` when it does not exist.
pub fn load_array(path: &Path) -> Result<Option<Vec<Value>>> {
    match read_optional(path)? {
        Some(bytes) => parse_array(path, &bytes).map(Some),
        None => Ok(None),
    }
}

/// Parse bytes as a JSON array, naming the file and position on failure.
pub fn parse_array(path: &Path, bytes: &[u8]) -> Result<Vec<Value>> {
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

    #[test]
    fn append_in_place_matches_full_write() {
        let dir = tempfile::tempdir().unwrap();
        let mut index = Index::load(dir.path());
        let mut f = ArrayFile::new(dir.path(), "a.json");
        f.push(json!({"work_item_id": "work_5", "x": [1, 2]}));
        f.commit(&mut index).unwrap();
        let mut f = ArrayFile::new(dir.path(), "a.json");
        assert_eq!(f.max_work_id(&index).unwrap(), Some(5));
        f.push(json!({"work_item_id": "work_9", "s": "q\"\\\n"}));
        f.commit(&mut index).unwrap();
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
        assert!(index.pending.is_none());
    }

    #[test]
    fn single_records_are_found_and_replaced_in_both_layouts() {
        for compact in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("a.json");
            let records = vec![
                json!({"id": "a", "n": {"id": "b"}}),
                json!({"id": "b", "s": "\n  }"}),
                json!({"id": "c"}),
            ];
            let mut index = Index::load(dir.path());
            let mut f = ArrayFile::new(dir.path(), "a.json");
            for r in &records {
                f.push(r.clone());
            }
            f.commit(&mut index).unwrap();
            if compact {
                // As if appended to a file another tool wrote: layout unknown.
                std::fs::write(&path, serde_json::to_vec(&records).unwrap()).unwrap();
                let meta = index.files.get_mut("a.json").unwrap();
                meta.stamp = Stamp::of(&path).unwrap();
                meta.canonical = false;
            }
            let mut f = ArrayFile::new(dir.path(), "a.json");
            let (pos, mut rec) = f.find("id", "b", &index).unwrap().unwrap();
            assert!(matches!(pos, Pos::Bytes(..)), "raw mode expected");
            assert_eq!(rec["s"], "\n  }");
            rec["done"] = json!(true);
            f.replace(pos, rec).unwrap();
            assert!(f.find("id", "zz", &index).unwrap().is_none());
            f.commit(&mut index).unwrap();
            let back: Vec<Value> = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            assert_eq!(back[1]["done"], true);
            assert_eq!(back[0], records[0]);
            assert_eq!(back[2], records[2]);
        }
    }

    #[test]
    fn torn_append_is_undone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        std::fs::write(&path, "[\n  1,\n  2, {\"tor").unwrap();
        let mut index = Index::load(dir.path());
        index.pending = Some(Pending {
            file: "a.json".into(),
            offset: 5,
            old_tail: "\n]\n".into(),
        });
        recover(dir.path(), &mut index).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "[\n  1\n]\n");
        let err = parse_array(&path, b"[1,").unwrap_err();
        assert!(err.to_string().contains("line 1, column 3"), "{err}");
    }
}
