//! One JSON array file (claims, agents, completions) inside a transaction:
//! loaded lazily, changed in memory, and written back either as a whole
//! or, when records were only added or replaced, as a change from the first
//! byte that differs: the step's [`Op`] for this file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

pub use super::array_text::{Parsed, max_work_id, parse_array, parse_array_spans, to_pretty};
use super::array_text::{end_of_records, ids_ascend, to_pretty_with_room};
use super::fsio::{read_optional, read_tail};
use super::index::{FileMeta, Index};
use super::journal::Op;
use super::locate::{self, Bisected, room_end};
use crate::records::scan;

mod undo;
mod write;
use crate::error::Result;

/// A JSON array file as seen by one transaction.
#[derive(Debug)]
pub struct ArrayFile {
    pub name: &'static str,
    pub path: PathBuf,
    records: Option<Vec<Value>>,
    dirty: bool,
    appended: Vec<Value>,
    /// The file's bytes, when single records are read from a file the index
    /// vouches for but whose layout is another tool's.
    raw: Option<Vec<u8>>,
    /// Records replaced without loading the file, by start offset.
    replaced: BTreeMap<usize, Replaced>,
    /// The last record located in the file (key, id, where, as read), so
    /// that finding it again to replace it does not scan the file again.
    located: Option<(String, String, Pos, Value)>,
    /// The last (key, id) a search of the file did not find, so that asking
    /// again in the same step (the lock held) does not search again.
    absent: Option<(String, String)>,
    /// A small file's bytes, read once for the records looked up one by one
    /// (the agents, in a batch of many steps: the file does not change
    /// while the lock is held).
    small: Option<std::sync::Arc<[u8]>>,
    /// Whether the file, when read whole, was in nexus's layout.
    canonical: bool,
    /// When read whole: each record's bytes and the end of its room.
    spans: Vec<(usize, usize, usize)>,
    /// Whether a replaced record's work id may differ from the one it
    /// replaced (then the index no longer vouches that ids ascend).
    renumbered: bool,
    /// Since the last [`mark`](Self::mark): what undoes this part of the step.
    undo: Option<Box<undo::Undo>>,
}

/// A record replaced in the file: its old bytes end at `end`, its room at
/// `room_end`.
#[derive(Debug)]
struct Replaced {
    end: usize,
    room_end: usize,
    record: Value,
}

/// Where a record found by [`ArrayFile::find`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pos {
    /// Position in the parsed records.
    Index(usize),
    /// Byte range in the file, and where the record's room ends.
    Bytes(usize, usize, usize),
    /// Position among the records added by this step.
    Appended(usize),
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
            located: None,
            absent: None,
            small: None,
            canonical: false,
            spans: Vec::new(),
            renumbered: false,
            undo: None,
        }
    }

    /// Whether this step has neither read the records whole nor changed any.
    pub fn untouched(&self) -> bool {
        self.records.is_none()
            && self.replaced.is_empty()
            && self.appended.is_empty()
            && !self.dirty
    }

    /// Whether the file exists on disk.
    pub fn exists(&self) -> bool {
        std::fs::symlink_metadata(&self.path).is_ok()
    }

    /// All records, parsed from disk on first use (a missing file is empty).
    pub fn records(&mut self) -> Result<&Vec<Value>> {
        if self.records.is_none() {
            let bytes = match self.raw.take() {
                Some(bytes) => Some(bytes),
                None => read_optional(&self.path)?,
            };
            // A missing file is empty; an empty one does not parse.
            let parsed = match &bytes {
                Some(b) => parse_array_spans(&self.path, b)?,
                None => Parsed {
                    records: Vec::new(),
                    spans: None,
                    canonical: false,
                },
            };
            let bytes = bytes.unwrap_or_default();
            let mut records = parsed.records;
            self.canonical = parsed.canonical;
            let spans = parsed
                .spans
                .or_else(|| scan::element_spans(&bytes))
                .unwrap_or_default();
            self.spans = spans
                .iter()
                .map(|(s, e)| (*s, *e, room_end(&bytes, *e)))
                .collect();
            if !self.replaced.is_empty() {
                let replaced = std::mem::take(&mut self.replaced);
                for (start, r) in &replaced {
                    if let Some(i) = spans.iter().position(|(s, _)| s == start) {
                        records[i] = r.record.clone();
                        self.dirty = true;
                    }
                }
                self.note(undo::Undone::AllReplaced(replaced));
            }
            self.records = Some(records);
        }
        Ok(self.records.get_or_insert_with(Vec::new))
    }

    /// The last record whose `key` is `id`, with its position. When the index
    /// vouches for the file, only that record is parsed (and in nexus's
    /// layout, only that record is read); otherwise all are.
    pub fn find(&mut self, key: &str, id: &str, index: &Index) -> Result<Option<(Pos, Value)>> {
        let matches = |v: &Value| v.get(key).and_then(Value::as_str) == Some(id);
        // Records added by this step come after the file's: the last match.
        if let Some(i) = self.appended.iter().rposition(matches) {
            return Ok(Some((Pos::Appended(i), self.appended[i].clone())));
        }
        let meta = index.trusted(self.name, &self.path);
        let trusted = meta.map(|m| m.canonical);
        let needle = serde_json::to_string(id).unwrap_or_default();
        match (&self.records, &self.raw, trusted) {
            (None, None, Some(true)) => {
                if let Some((k, i, pos @ Pos::Bytes(start, ..), record)) = &self.located
                    && (k.as_str(), i.as_str()) == (key, id)
                {
                    let record = self.replaced.get(start).map_or(record, |r| &r.record);
                    return Ok(Some((*pos, record.clone())));
                }
                if self
                    .absent
                    .as_ref()
                    .is_some_and(|(k, i)| (k.as_str(), i.as_str()) == (key, id))
                {
                    return Ok(None);
                }
                // Work ids that ascend: bisection, else a search of the file.
                let number = id.strip_prefix("work_").and_then(|n| n.parse().ok());
                if let Some(n) = number
                    && key == "work_item_id"
                    && meta.is_some_and(|m| m.ascending)
                {
                    match locate::bisect(&self.path, n)? {
                        Bisected::Found(el) => {
                            if let Some(found) = self.take_located(key, id, el) {
                                return Ok(Some(found));
                            }
                        }
                        Bisected::Absent => return Ok(None),
                        Bisected::Unsure => {}
                    }
                }
                let small = self.small(meta.map_or(0, |m| m.len))?;
                let hits = match &small {
                    Some(bytes) => locate::hits_in(bytes, needle.as_bytes()),
                    None => locate::hits(&self.path, needle.as_bytes())?,
                };
                for at in hits.into_iter().rev() {
                    let el = match &small {
                        Some(bytes) => locate::element_in(bytes, at),
                        None => locate::element_at(&self.path, at)?,
                    };
                    if let Some(found) = el.and_then(|el| self.take_located(key, id, el)) {
                        return Ok(Some(found));
                    }
                }
                self.absent = Some((key.to_string(), id.to_string()));
                return Ok(None);
            }
            (None, None, Some(false)) => {
                self.raw = Some(read_optional(&self.path)?.unwrap_or_default());
            }
            _ => {}
        }
        if let (None, Some(bytes)) = (&self.records, &self.raw) {
            let spans = scan::element_spans(bytes).unwrap_or_default();
            // The forward search is vectorised; the last match wins.
            let hits: Vec<usize> = memchr::memmem::find_iter(bytes, needle.as_bytes()).collect();
            for at in hits.into_iter().rev() {
                let Some((start, end)) = spans.iter().copied().find(|(s, e)| *s <= at && at < *e)
                else {
                    continue;
                };
                let record = self.record_at(start, &bytes[start..end]);
                if matches(&record) {
                    return Ok(Some((Pos::Bytes(start, end, room_end(bytes, end)), record)));
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

    /// The bytes of a file of `len` bytes, read once, when it is small
    /// enough to keep (the agents); `None` for a large one (the claims).
    fn small(&mut self, len: u64) -> Result<Option<std::sync::Arc<[u8]>>> {
        const SMALL: u64 = 256 << 10;
        if self.small.is_none() && len <= SMALL {
            self.small = read_optional(&self.path)?.map(Into::into);
        }
        Ok(self.small.clone())
    }

    /// The record whose text starts at `start`, as this step left it.
    fn record_at(&self, start: usize, text: &[u8]) -> Value {
        match self.replaced.get(&start) {
            Some(r) => r.record.clone(),
            None => serde_json::from_slice(text).unwrap_or(Value::Null),
        }
    }

    /// The record of element `el` (as this step changed it) when its `key`
    /// is `id`: then also the one located.
    fn take_located(&mut self, key: &str, id: &str, el: locate::Element) -> Option<(Pos, Value)> {
        let record = self.record_at(el.start, &el.text);
        (record.get(key).and_then(Value::as_str) == Some(id)).then(|| {
            let pos = Pos::Bytes(el.start, el.end, el.room_end);
            self.located = Some((key.to_string(), id.to_string(), pos, record.clone()));
            (pos, record)
        })
    }

    /// Replace the record at a position returned by [`find`](Self::find).
    pub fn replace(&mut self, pos: Pos, record: Value) -> Result<()> {
        let old = match pos {
            Pos::Bytes(..) => self.located.as_ref().filter(|l| l.2 == pos).map(|l| &l.3),
            Pos::Index(i) => self.records.as_ref().and_then(|r| r.get(i)),
            Pos::Appended(i) => {
                // Appended records are checked for ascending ids when written.
                self.set_appended(i, record);
                return Ok(());
            }
        };
        self.renumbered |= old.is_none_or(|o| o.get("work_item_id") != record.get("work_item_id"));
        self.absent = None;
        match pos {
            Pos::Bytes(start, end, room_end) if self.records.is_none() => {
                let r = Replaced {
                    end,
                    room_end,
                    record,
                };
                self.put_replaced(start, r);
            }
            // A record of a file read whole changes in place too, as long
            // as the array keeps its shape.
            Pos::Index(i) if !self.dirty && i < self.spans.len() => {
                let (start, end, room_end) = self.spans[i];
                self.set_record(i, record.clone());
                let r = Replaced {
                    end,
                    room_end,
                    record,
                };
                self.put_replaced(start, r);
            }
            Pos::Index(i) => {
                self.records()?;
                self.dirty = true;
                self.set_record(i, record);
            }
            Pos::Bytes(start, ..) => {
                // Records were loaded since: find the element by its offset.
                let bytes = read_optional(&self.path)?.unwrap_or_default();
                let spans = scan::element_spans(&bytes).unwrap_or_default();
                if let Some(i) = spans.iter().position(|(s, _)| *s == start) {
                    self.records()?;
                    self.dirty = true;
                    self.set_record(i, record);
                }
            }
            Pos::Appended(_) => {}
        }
        Ok(())
    }

    /// Take `records` as the file's (a repair's reading of a damaged file):
    /// the file is rewritten whole with them on commit.
    pub fn preset(&mut self, records: Vec<Value>) {
        self.records = Some(records);
        self.dirty = true;
    }

    /// The records for changing in place; the file is rewritten on commit.
    pub fn records_mut(&mut self) -> Result<&mut Vec<Value>> {
        self.records()?;
        self.keep_records();
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

    /// The changes that write this file back, with the file's new index
    /// entry; `None` when nothing changed.
    pub fn commit(mut self, index: &Index) -> Result<Option<(Vec<Op>, FileMeta)>> {
        if !self.dirty && self.appended.is_empty() && self.replaced.is_empty() {
            return Ok(None);
        }
        let mut ops = Vec::new();
        if !self.replaced.is_empty() && !self.dirty {
            match self.in_place() {
                Some(fitted) => ops = fitted,
                None if self.appended.is_empty() => {
                    return self.splice(index).map(|(op, meta)| Some((vec![op], meta)));
                }
                None => {
                    self.records()?;
                    self.dirty = true;
                }
            }
        }
        if !self.dirty
            && let Some(done) = self.in_place_or_appended(index, &mut ops)?
        {
            return Ok(Some(done));
        }
        // Anything else: the whole file, in nexus's layout, with every
        // replaced record in it.
        self.records()?;
        let mut all = self.records.take().unwrap_or_default();
        all.append(&mut self.appended);
        let bytes = to_pretty_with_room(self.name, &all);
        let meta = FileMeta::new(
            bytes.len() as u64,
            &bytes,
            end_of_records(&bytes),
            max_work_id(&all),
            true,
        )
        .ascending(ids_ascend(&all, None));
        Ok(Some((vec![self.op(0, bytes)], meta)))
    }

    /// The step's changes when they leave the file where it is (records
    /// rewritten in place) or append to it; `None` when the file must be
    /// written whole.
    fn in_place_or_appended(
        &mut self,
        index: &Index,
        ops: &mut Vec<Op>,
    ) -> Result<Option<(Vec<Op>, FileMeta)>> {
        // The end of the file as it will be after the in-place changes.
        let (start, mut tail) = read_tail(&self.path, 4096)?;
        for op in ops.iter() {
            if op.end() > start {
                let from = op.offset.max(start);
                let part = &op.bytes[(from - op.offset) as usize..];
                let at = (from - start) as usize;
                tail[at..at + part.len()].copy_from_slice(part);
            }
        }
        let meta = index.trusted(self.name, &self.path).cloned();
        let last = end_of_records(&tail).map(|e| e + start);
        match meta {
            Some(m) if self.appended.is_empty() => {
                let meta = FileMeta::new(m.len, &tail, last, m.max_work_id, m.canonical)
                    .ascending(m.ascending && !self.renumbered);
                Ok(Some((std::mem::take(ops), meta)))
            }
            _ if self.appended.is_empty() => Ok(None),
            meta => {
                let Some(end) = self.append_offset(meta.is_some(), start, &tail)? else {
                    return Ok(None);
                };
                let max = self.max_work_id(index)?;
                let canonical = meta.as_ref().map_or(self.canonical, |m| m.canonical);
                let before = match &meta {
                    Some(m) => m.max_work_id,
                    None => self.records.as_deref().and_then(max_work_id),
                };
                let ascending =
                    self.still_ascending(meta.as_ref()) && ids_ascend(&self.appended, before);
                let (op, meta) = self.append_in_place(start, &tail, end, max, canonical);
                ops.push(op);
                let meta = meta.ascending(ascending);
                Ok(Some((std::mem::take(ops), meta)))
            }
        }
    }

    /// Whether the file's records (not counting appended ones) still have
    /// ascending work ids after this step's replacements.
    fn still_ascending(&self, old: Option<&FileMeta>) -> bool {
        match (&self.records, old) {
            (Some(records), _) => ids_ascend(records, None),
            (None, Some(m)) => m.ascending && !self.renumbered,
            (None, None) => false,
        }
    }

    fn op(&self, offset: u64, bytes: Vec<u8>) -> Op {
        Op::to_end(self.name, offset, bytes)
    }
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

    /// Commit `f` and apply its changes to disk the way a step does; the
    /// first change.
    fn commit(f: ArrayFile, index: &mut Index) -> Option<Op> {
        let name = f.name;
        let (ops, meta) = f.commit(index).unwrap()?;
        for op in &ops {
            let path = index_dir(index).join(&op.name);
            let old = std::fs::read(&path).ok();
            std::fs::write(&path, crate::store::journal::overlay(op, old)).unwrap();
        }
        index.files.insert(name.to_string(), meta);
        ops.into_iter().next()
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
    fn records_change_in_their_room_and_move_once_when_they_outgrow_it() {
        use crate::store::CLAIMS_FILE;
        let (dir, mut index) = setup();
        let path = dir.path().join(CLAIMS_FILE);
        // Written by another tool in jq's layout: no room anywhere.
        let legacy: Vec<Value> = (0..4)
            .map(|i| json!({"work_item_id": format!("w{i}"), "status": if i == 1 { "completed" } else { "active" }}))
            .collect();
        std::fs::write(&path, to_pretty(&legacy)).unwrap();
        let mut f = ArrayFile::new(dir.path(), CLAIMS_FILE);
        f.push(json!({"work_item_id": "w4", "status": "active"}));
        commit(f, &mut index);
        let grow = |index: &mut Index, id: &str, by: usize| {
            let mut f = ArrayFile::new(dir.path(), CLAIMS_FILE);
            let (pos, mut rec) = f.find("work_item_id", id, index).unwrap().unwrap();
            rec["note"] = json!("x".repeat(by));
            f.replace(pos, rec).unwrap();
            commit(f, index).unwrap()
        };
        let len = || std::fs::metadata(&path).unwrap().len();
        // The first change to w0 moves everything after it, once; the open
        // records after it get room, the completed one does not.
        let before = len();
        let op = grow(&mut index, "w0", 10);
        assert!(!op.keep_rest);
        let text = std::fs::read_to_string(&path).unwrap();
        let roomy = text
            .lines()
            .filter(|l| l.trim_end_matches(',').ends_with(' '))
            .count();
        assert_eq!(roomy, 4, "w0, w2, w3 and w4 have room:\n{text}");
        assert!(len() > before);
        // From then on, changes that fit stay in place, the length too.
        for (id, by) in [("w0", 100), ("w2", 200), ("w4", 150), ("w0", 5)] {
            let before = len();
            let op = grow(&mut index, id, by);
            assert!(op.keep_rest, "{id} +{by} in place");
            assert_eq!(len(), before);
            assert!(index.trusted(CLAIMS_FILE, &path).is_some());
        }
        // Also when the step read every record first (claim --next does).
        let mut f = ArrayFile::new(dir.path(), CLAIMS_FILE);
        assert_eq!(f.records().unwrap().len(), 5);
        let (pos, mut rec) = f.find("work_item_id", "w3", &index).unwrap().unwrap();
        assert_eq!(pos, Pos::Index(3));
        rec["note"] = json!("loaded");
        f.replace(pos, rec).unwrap();
        assert_eq!(f.records().unwrap()[3]["note"], "loaded");
        let before = len();
        assert!(commit(f, &mut index).unwrap().keep_rest);
        assert_eq!(len(), before);
        // Outgrowing the room moves the tail again.
        assert!(!grow(&mut index, "w2", 600).keep_rest);
        let back: Vec<Value> = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(back.len(), 5);
        assert_eq!(back[0]["note"], "x".repeat(5));
        assert_eq!(back[2]["note"], "x".repeat(600));
        assert_eq!(back[4]["note"], "x".repeat(150));
        assert_eq!(back[1], legacy[1]);
        assert_eq!(back[3]["note"], "loaded");
        // Appending after a record with room keeps that room.
        let mut f = ArrayFile::new(dir.path(), CLAIMS_FILE);
        f.push(json!({"work_item_id": "w5", "status": "active"}));
        let op = commit(f, &mut index).unwrap();
        assert!(op.offset > 0);
        assert!(grow(&mut index, "w4", 160).keep_rest);
        let back: Vec<Value> = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(back[5]["work_item_id"], "w5");
        assert_eq!(back[4]["note"], "x".repeat(160));
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
        assert!(text.len() >= super::super::array_text::PARALLEL_BYTES);
        assert_eq!(parse_array(Path::new("x"), &text).unwrap(), many);
        let mut bad = text.clone();
        bad.extend_from_slice(b"garbage");
        assert!(parse_array(Path::new("x"), &bad).is_err());
        assert!(err.to_string().contains("line 1, column 3"), "{err}");
    }

    #[test]
    fn the_index_vouches_for_ascending_ids_only_while_they_ascend() {
        use crate::store::CLAIMS_FILE;
        let (dir, mut index) = setup();
        let path = dir.path().join(CLAIMS_FILE);
        let rec = |n: u32| json!({"work_item_id": format!("work_{n}"), "status": "active"});
        let ascending = |index: &Index| index.trusted(CLAIMS_FILE, &path).unwrap().ascending;
        let mut f = ArrayFile::new(dir.path(), CLAIMS_FILE);
        for n in [10, 20, 30] {
            f.push(rec(n));
        }
        commit(f, &mut index);
        assert!(ascending(&index));
        // Appended in order, changed in place, moved: still ascending, and
        // each record is found by bisection, an absent id not at all.
        let mut f = ArrayFile::new(dir.path(), CLAIMS_FILE);
        f.push(rec(40));
        commit(f, &mut index);
        assert!(ascending(&index));
        for (id, by) in [("work_20", 10), ("work_20", 900), ("work_40", 5)] {
            let mut f = ArrayFile::new(dir.path(), CLAIMS_FILE);
            assert!(f.find("work_item_id", "work_25", &index).unwrap().is_none());
            let (pos, mut r) = f.find("work_item_id", id, &index).unwrap().unwrap();
            assert!(matches!(pos, Pos::Bytes(..)));
            r["note"] = json!("x".repeat(by));
            f.replace(pos, r).unwrap();
            commit(f, &mut index);
            assert!(ascending(&index), "after {id} +{by}");
        }
        let back: Vec<Value> = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(back[1]["note"], "x".repeat(900));
        assert_eq!(back[3]["note"], "x".repeat(5));
        // A record renumbered, or one appended out of order: no longer, and
        // records are still found (by a search of the file).
        let mut f = ArrayFile::new(dir.path(), CLAIMS_FILE);
        let (pos, _) = f.find("work_item_id", "work_30", &index).unwrap().unwrap();
        f.replace(pos, rec(5)).unwrap();
        commit(f, &mut index);
        assert!(!ascending(&index));
        let mut f = ArrayFile::new(dir.path(), CLAIMS_FILE);
        assert!(f.find("work_item_id", "work_5", &index).unwrap().is_some());
        let mut f = ArrayFile::new(dir.path(), CLAIMS_FILE);
        f.records_mut()
            .unwrap()
            .retain(|r| r["work_item_id"] != "work_5");
        commit(f, &mut index);
        assert!(ascending(&index), "a whole write checks again");
        let mut f = ArrayFile::new(dir.path(), CLAIMS_FILE);
        f.push(rec(15));
        commit(f, &mut index);
        assert!(!ascending(&index));
        let mut f = ArrayFile::new(dir.path(), CLAIMS_FILE);
        let (_, r) = f.find("work_item_id", "work_15", &index).unwrap().unwrap();
        assert_eq!(r, rec(15));
    }
}
