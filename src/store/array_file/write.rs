//! How a step's changes to one array file are written: records rewritten
//! in their room, records appended after the last one, or the file moved
//! from the first changed record on.

use super::ArrayFile;
use crate::error::Result;
use crate::store::array_text::{end_of_records, indented, max_work_id};
use crate::store::index::{FileMeta, Index};
use crate::store::journal::Op;
use crate::store::locate::{self, room_end, room_for};

impl ArrayFile {
    /// Each replaced record rewritten in its own bytes and room, padded with
    /// spaces; `None` when one does not fit.
    pub(super) fn in_place(&self) -> Option<Vec<Op>> {
        self.replaced
            .iter()
            .map(|(start, r)| {
                let mut bytes = indented(&r.record);
                let room = r.room_end - start;
                (bytes.len() <= room).then(|| {
                    bytes.resize(room, b' ');
                    Op::in_place(self.name, *start as u64, bytes)
                })
            })
            .collect()
    }

    /// Where appended records go (after the last record and its room), or
    /// `None` when the file must be written whole: missing, an empty array,
    /// or an end its last bytes do not confirm. `tail` is the file's end
    /// from offset `start`, as the step leaves it.
    pub(super) fn append_offset(
        &mut self,
        trusted: bool,
        start: u64,
        tail: &[u8],
    ) -> Result<Option<u64>> {
        if !trusted && (self.records.is_some() || self.exists()) && self.records()?.is_empty() {
            return Ok(None);
        }
        let Some(end) = end_of_records(tail).filter(|e| *e > 0) else {
            return Ok(None);
        };
        // Only a closing bracket may follow the last record and its room.
        let closes = String::from_utf8_lossy(&tail[end as usize..]).trim() == "]";
        Ok(closes.then_some(start + room_end(tail, end as usize) as u64))
    }

    pub(super) fn append_in_place(
        &self,
        start: u64,
        tail: &[u8],
        end: u64,
        max: Option<u128>,
        canonical: bool,
    ) -> (Op, FileMeta) {
        let kept = &tail[..(end - start) as usize];
        let closing = String::from_utf8_lossy(&tail[kept.len()..])
            .trim_start()
            .to_string();
        let mut bytes = Vec::new();
        for record in &self.appended {
            bytes.extend_from_slice(b",\n  ");
            bytes.extend_from_slice(&indented(record));
            bytes.extend(std::iter::repeat_n(b' ', room_for(self.name, record)));
        }
        bytes.push(b'\n');
        bytes.extend_from_slice(closing.as_bytes());
        let mut whole = kept.to_vec();
        whole.extend_from_slice(&bytes);
        let len = end + bytes.len() as u64;
        let last = end_of_records(&whole).map(|e| e + start);
        let meta = FileMeta::new(len, &whole, last, max, canonical);
        (self.op(end, bytes), meta)
    }

    /// The file with the replaced records swapped in (with new room) and
    /// every other byte kept: a change from the first replaced record to
    /// the end. In nexus's layout, the open records after it get room too.
    pub(super) fn splice(mut self, index: &Index) -> Result<(Op, FileMeta)> {
        let first = self.replaced.keys().next().copied().unwrap_or(0);
        let from = first.saturating_sub(64);
        let bytes = match self.raw.take() {
            Some(all) => all[from..].to_vec(),
            None => locate::read_from(&self.path, from as u64)?,
        };
        let old = index.trusted(self.name, &self.path);
        let canonical = old.map_or(self.canonical, |m| m.canonical);
        let max = match &self.records {
            Some(records) => max_work_id(records),
            None => old.and_then(|m| m.max_work_id),
        };
        let mut out = Vec::with_capacity(bytes.len() + 4096);
        let mut pos = first;
        for (start, r) in &self.replaced {
            let between = &bytes[pos - from..start - from];
            if canonical && pos > first {
                locate::copy_with_room(between, &mut out);
            } else {
                out.extend_from_slice(between);
            }
            out.extend_from_slice(&indented(&r.record));
            out.extend(std::iter::repeat_n(b' ', room_for(self.name, &r.record)));
            pos = r.room_end.max(r.end);
        }
        let rest = &bytes[pos - from..];
        if canonical {
            locate::copy_with_room(rest, &mut out);
        } else {
            out.extend_from_slice(rest);
        }
        let mut whole = bytes[..first - from].to_vec();
        whole.extend_from_slice(&out);
        let meta = FileMeta::new(
            (first + out.len()) as u64,
            &whole,
            end_of_records(&whole).map(|e| e + from as u64),
            max,
            canonical,
        )
        .ascending(self.still_ascending(old));
        Ok((self.op(first as u64, out), meta))
    }
}
