//! Finding one record in a large array file without reading it whole, and
//! the room records keep to grow in place.
//!
//! In nexus's layout every element opens with `\n  {` and closes with
//! `\n  }`. A record nexus writes may be followed by spaces before the comma
//! (or the closing bracket) that ends it: its room. A rewrite that fits in
//! the record and its room replaces those bytes alone, padded with spaces,
//! instead of moving everything after it.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;

use serde_json::Value;

use super::fsio;
use crate::error::{NexusError, Result};

/// The room a claim record in flight gets: enough for its progress and
/// completion fields; a record that outgrows it is moved once, with new room.
pub const CLAIM_ROOM: usize = 256;
/// The room of an item on the backlog: its claim (agent, lease, telemetry)
/// and its first progress.
pub const BACKLOG_ROOM: usize = 512;
/// The room of an agent record (a counter or a status that grows).
pub const AGENT_ROOM: usize = 64;

/// How much room a record of the named file gets when nexus writes it.
pub fn room_for(file: &str, record: &Value) -> usize {
    match (file, record.get("status").and_then(Value::as_str)) {
        (super::CLAIMS_FILE, Some("completed")) => 0,
        (super::CLAIMS_FILE, Some("available")) => BACKLOG_ROOM,
        (super::CLAIMS_FILE, _) => CLAIM_ROOM,
        (super::AGENTS_FILE, _) => AGENT_ROOM,
        _ => 0,
    }
}

/// How far the spaces after `end` reach, when they end in the comma or line
/// break that closes the element; `end` itself otherwise.
pub fn room_end(bytes: &[u8], end: usize) -> usize {
    let spaces = bytes[end.min(bytes.len())..]
        .iter()
        .take_while(|b| **b == b' ')
        .count();
    match bytes.get(end + spaces) {
        Some(b',' | b'\n') if spaces > 0 => end + spaces,
        _ => end,
    }
}

/// Bytes read at a time by [`hits`].
const CHUNK: usize = 1 << 20;

/// Every offset where `needle` occurs in the file, read a chunk at a time
/// (the memory used does not grow with the file).
pub fn hits(path: &Path, needle: &[u8]) -> Result<Vec<u64>> {
    let Some(f) = fsio::open_read(path)? else {
        return Ok(Vec::new());
    };
    let finder = memchr::memmem::Finder::new(needle);
    let len = super::journal::file_len(&f);
    let overlap = needle.len().saturating_sub(1) as u64;
    // No bigger than the file: a small file (the agents) costs no 1 MiB
    // zeroed allocation on every search.
    let size = (CHUNK + overlap as usize).min(usize::try_from(len).unwrap_or(usize::MAX));
    let mut buf = vec![0u8; size];
    let mut out = Vec::new();
    let mut at = 0u64;
    while at < len {
        let n = ((len - at) as usize).min(buf.len());
        read_at(&f, path, &mut buf[..n], at)?;
        out.extend(finder.find_iter(&buf[..n]).map(|i| at + i as u64));
        if at + n as u64 >= len {
            break;
        }
        at += n as u64 - overlap;
    }
    out.dedup();
    Ok(out)
}

/// One element of a file in nexus's layout, located around an offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub start: usize,
    pub end: usize,
    /// Where its room ends (`end` when it has none).
    pub room_end: usize,
    pub text: Vec<u8>,
}

impl Element {
    /// The element at `at` of `buf`, which was read from offset `lo` of the
    /// file: `None` until `buf` also shows where the element's room ends
    /// (room is never as long as 4 KiB), unless `buf` ends the file.
    fn within(buf: &[u8], lo: u64, at: std::ops::Range<usize>, file_end: bool) -> Option<Element> {
        let lo = lo as usize;
        (at.end + 4096 < buf.len() || file_end).then(|| Element {
            start: lo + at.start,
            end: lo + at.end,
            room_end: lo + room_end(buf, at.end),
            text: buf[at].to_vec(),
        })
    }
}

/// The element of the file around offset `at`, read through a window that
/// grows until it holds the element's bounds.
pub fn element_at(path: &Path, at: u64) -> Result<Option<Element>> {
    let Some(f) = fsio::open_read(path)? else {
        return Ok(None);
    };
    let len = super::journal::file_len(&f);
    let mut reach = 16u64 << 10;
    loop {
        let lo = at.saturating_sub(reach);
        let hi = (at + reach).min(len);
        let mut buf = vec![0u8; (hi - lo) as usize];
        read_at(&f, path, &mut buf, lo)?;
        if let Some(el) = around(&buf, lo, at, hi == len) {
            return Ok(Some(el));
        }
        if lo == 0 && hi == len {
            return Ok(None);
        }
        reach *= 4;
    }
}

/// [`element_at`] in a whole file's bytes, already read.
pub fn element_in(bytes: &[u8], at: u64) -> Option<Element> {
    around(bytes, 0, at, true)
}

/// [`hits`] in a whole file's bytes, already read.
pub fn hits_in(bytes: &[u8], needle: &[u8]) -> Vec<u64> {
    memchr::memmem::find_iter(bytes, needle)
        .map(|i| i as u64)
        .collect()
}

/// The element around offset `at` of `buf`, read from offset `lo` of the
/// file (`file_end`: `buf` reaches the end of the file).
fn around(buf: &[u8], lo: u64, at: u64, file_end: bool) -> Option<Element> {
    let rel = (at.checked_sub(lo)? as usize).min(buf.len());
    let start = memchr::memmem::rfind(&buf[..rel], b"\n  {").map(|i| i + 3);
    let end = memchr::memmem::find(&buf[rel..], b"\n  }").map(|i| rel + i + 4);
    Element::within(buf, lo, start?..end?, file_end)
}

/// What a bisection of a file found.
#[derive(Debug, PartialEq, Eq)]
pub enum Bisected {
    Found(Element),
    Absent,
    /// An element on the way showed no work id: search the whole file.
    Unsure,
}

/// The element whose `work_<n>` id is `target`, in a file in nexus's layout
/// whose work ids strictly ascend: found by bisection of its bytes, a few
/// dozen small reads whatever the file's size.
pub fn bisect(path: &Path, target: u128) -> Result<Bisected> {
    let Some(f) = fsio::open_read(path)? else {
        return Ok(Bisected::Absent);
    };
    let len = super::journal::file_len(&f);
    // The target's element, if any, starts in [lo, hi).
    let (mut lo, mut hi) = (0u64, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let Some(el) = element_from(&f, path, len, mid, hi)? else {
            hi = mid;
            continue;
        };
        match work_number_in(&el.text) {
            None => return Ok(Bisected::Unsure),
            Some(n) if n == target => return Ok(Bisected::Found(el)),
            Some(n) if n < target => lo = el.end as u64,
            // No element starts between `mid` and this one.
            Some(_) => hi = mid,
        }
    }
    Ok(Bisected::Absent)
}

/// The first element that opens at or after `at` and before `hi`.
fn element_from(f: &File, path: &Path, len: u64, at: u64, hi: u64) -> Result<Option<Element>> {
    let lo = at.saturating_sub(3);
    let mut reach = 8u64 << 10;
    loop {
        let top = (lo + reach).min(len);
        let mut buf = vec![0u8; (top - lo) as usize];
        read_at(f, path, &mut buf, lo)?;
        match memchr::memmem::find(&buf, b"\n  {") {
            Some(i) if lo + i as u64 + 3 >= hi => return Ok(None),
            Some(i) => {
                let end = memchr::memmem::find(&buf[i..], b"\n  }").map(|j| i + j + 4);
                if let Some(el) = end.and_then(|e| Element::within(&buf, lo, i + 3..e, top == len))
                {
                    return Ok(Some(el));
                }
            }
            None if top >= hi.saturating_add(3) => return Ok(None),
            None => {}
        }
        if top == len {
            return Ok(None);
        }
        reach *= 4;
    }
}

/// The `n` of the `work_<n>` id of an element in nexus's layout.
fn work_number_in(text: &[u8]) -> Option<u128> {
    let key = b"\n    \"work_item_id\": \"work_";
    let from = memchr::memmem::find(text, key)? + key.len();
    let digits = &text[from..];
    let n = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    (digits.get(n) == Some(&b'"')).then_some(())?;
    std::str::from_utf8(&digits[..n]).ok()?.parse().ok()
}

fn read_at(f: &File, path: &Path, buf: &mut [u8], at: u64) -> Result<()> {
    f.read_exact_at(buf, at)
        .map_err(|e| NexusError::io("cannot read", path, e))
}

/// Bytes of the file from `from` to its end.
pub fn read_from(path: &Path, from: u64) -> Result<Vec<u8>> {
    let Some(f) = fsio::open_read(path)? else {
        return Ok(Vec::new());
    };
    let len = super::journal::file_len(&f);
    let mut buf = vec![0u8; len.saturating_sub(from) as usize];
    read_at(&f, path, &mut buf, from)?;
    Ok(buf)
}

/// Copy `rest` (whole elements of a claims file in nexus's layout, then the
/// closing bracket) to `out`, giving every element that is not completed and
/// has no room yet its room: the one-time cost of moving the
/// tail of a file another tool wrote, after which its records change in place.
pub fn copy_with_room(rest: &[u8], out: &mut Vec<u8>) {
    let done = memchr::memmem::Finder::new(b"\n    \"status\": \"completed\"");
    let backlog = memchr::memmem::Finder::new(b"\n    \"status\": \"available\"");
    let mut pos = 0;
    for close in memchr::memmem::find_iter(rest, b"\n  }") {
        let end = close + 4;
        if end < pos {
            continue;
        }
        out.extend_from_slice(&rest[pos..end]);
        let element = &rest[pos..end];
        if room_end(rest, end) == end
            && matches!(rest.get(end), Some(b',' | b'\n'))
            && done.find(element).is_none()
        {
            let room = match backlog.find(element) {
                Some(_) => BACKLOG_ROOM,
                None => CLAIM_ROOM,
            };
            out.extend(std::iter::repeat_n(b' ', room));
        }
        pos = end;
    }
    out.extend_from_slice(&rest[pos..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_is_spaces_closed_by_a_comma_or_line_break() {
        assert_eq!(room_end(b"}   ,", 1), 4);
        assert_eq!(room_end(b"}  \n]", 1), 3);
        assert_eq!(room_end(b"},", 1), 1);
        assert_eq!(room_end(b"}  x", 1), 1);
        assert_eq!(room_end(b"}  ", 1), 1, "spaces to the end prove nothing");
    }

    #[test]
    fn hits_across_chunk_borders_and_elements_in_large_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        let mut text = b"[\n  {\n    \"id\": \"first\"\n  }".to_vec();
        // Put a hit right across the first chunk border.
        while text.len() < CHUNK - 10 {
            text.extend_from_slice(b",\n  {\n    \"pad\": \"xxxxxxxxxxxxxxxx\"\n  }");
        }
        text.extend_from_slice(
            b",\n  {\n    \"id\": \"needle\"\n  }    ,\n  {\n    \"id\": 2\n  }\n]\n",
        );
        std::fs::write(&path, &text).unwrap();
        let found = hits(&path, b"\"needle\"").unwrap();
        assert_eq!(found.len(), 1);
        let el = element_at(&path, found[0]).unwrap().unwrap();
        assert_eq!(el.text, b"{\n    \"id\": \"needle\"\n  }");
        assert_eq!(el.room_end - el.end, 4);
        assert_eq!(&text[el.start..el.end], &el.text[..]);
        let first = element_at(&path, 10).unwrap().unwrap();
        assert_eq!(first.start, 4);
        assert!(hits(&dir.path().join("missing"), b"x").unwrap().is_empty());
        // The same answers from the bytes already read.
        assert_eq!(hits_in(&text, b"\"needle\""), found);
        assert_eq!(element_in(&text, found[0]), Some(el));
        assert_eq!(element_in(&text, 10), Some(first));
        for at in hits(&path, b"\"pad\"").unwrap().into_iter().step_by(997) {
            assert_eq!(element_in(&text, at), element_at(&path, at).unwrap());
        }
        assert_eq!(element_in(b"[]", 1), None);
    }

    #[test]
    fn moved_tails_give_open_records_room() {
        let rest = b"{\n    \"status\": \"active\"\n  },\n  {\n    \"status\": \"completed\"\n  },\n  {\n    \"status\": \"active\"\n  }   \n]\n";
        let mut out = Vec::new();
        copy_with_room(rest, &mut out);
        let text = String::from_utf8(out).unwrap();
        let v: Vec<Value> = serde_json::from_str(&format!("[\n  {text}")).unwrap();
        assert_eq!(v.len(), 3);
        assert_eq!(
            text.len(),
            rest.len() + CLAIM_ROOM,
            "one record had no room"
        );
        assert!(text.contains(&format!("}}{},", " ".repeat(CLAIM_ROOM))));
    }

    #[test]
    fn bisection_finds_every_record_of_ascending_ids_and_no_other() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("work_claims.json");
        // Records of every size, some larger than the first read window,
        // with and without room, nested objects indented deeper.
        let records: Vec<Value> = (0..300u128)
            .map(|i| {
                let status = ["active", "completed", "available"][i as usize % 3];
                serde_json::json!({
                    "work_item_id": format!("work_{}", 1000 + 3 * i),
                    "status": status,
                    "description": "x".repeat((i as usize * 97) % 20_000),
                    "telemetry": {"work_item_id": "work_1"},
                })
            })
            .collect();
        let text =
            super::super::array_text::to_pretty_with_room(super::super::CLAIMS_FILE, &records);
        std::fs::write(&path, &text).unwrap();
        for i in 0..300u128 {
            let Bisected::Found(el) = bisect(&path, 1000 + 3 * i).unwrap() else {
                panic!("work_{} not found", 1000 + 3 * i);
            };
            let back: Value = serde_json::from_slice(&el.text).unwrap();
            assert_eq!(back, records[i as usize]);
            assert_eq!(&text[el.start..el.end], &el.text[..]);
            assert_eq!(el.room_end, room_end(&text, el.end));
            for absent in [1000 + 3 * i + 1, 1000 + 3 * i + 2] {
                assert_eq!(bisect(&path, absent).unwrap(), Bisected::Absent);
            }
        }
        assert_eq!(bisect(&path, 999).unwrap(), Bisected::Absent);
        assert_eq!(
            bisect(&dir.path().join("none"), 1).unwrap(),
            Bisected::Absent
        );
        // A record without a work id on the way: not a guess, a full search.
        std::fs::write(&path, "[\n  {\n    \"id\": 1\n  }\n]\n").unwrap();
        assert_eq!(bisect(&path, 5).unwrap(), Bisected::Unsure);
    }
}
