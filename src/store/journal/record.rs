//! The records of the journal: their layout, checksum and scan. This module
//! stands alone (the fuzz target compiles it as it is).

use std::fs::File;
use std::os::unix::fs::FileExt;

/// The journal's header, before its first record.
pub const HEADER_LEN: u64 = 64;
/// A record's head: magic, state, boot id, body length, checksum.
pub const RECORD_HEAD: usize = 4 + 1 + 36 + 8 + 8;

/// One change to one file: from `offset` on, the file holds `bytes` (and
/// ends there), or, when `keep_rest`, the bytes at `offset` are replaced by
/// `bytes` and the rest of the file stays: a record rewritten in its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    /// Path relative to the coordination directory.
    pub name: String,
    pub offset: u64,
    pub bytes: Vec<u8>,
    pub keep_rest: bool,
}

impl Op {
    /// From `offset` on, the file `name` holds `bytes` and nothing more.
    pub fn to_end(name: &str, offset: u64, bytes: Vec<u8>) -> Op {
        Op {
            name: name.to_string(),
            offset,
            bytes,
            keep_rest: false,
        }
    }

    /// The bytes of `name` at `offset` become `bytes`; the rest stays.
    pub fn in_place(name: &str, offset: u64, bytes: Vec<u8>) -> Op {
        Op {
            keep_rest: true,
            ..Op::to_end(name, offset, bytes)
        }
    }

    /// Where the change ends.
    pub fn end(&self) -> u64 {
        self.offset + self.bytes.len() as u64
    }
}

/// A record found in the journal.
#[derive(Debug, Clone)]
pub struct Record {
    /// Where its state byte is.
    pub at: u64,
    pub state: u8,
    pub boot: [u8; 36],
    pub ops: Vec<Op>,
}

/// A 64-bit checksum of a record body: it tells a torn or garbled record
/// from a whole one (not an adversary's edit), at memory speed. Four lanes
/// of multiply-rotate over 8-byte words, then a final mix; fixed forever,
/// since a journal must verify under the next release too.
pub fn checksum(body: &[u8]) -> [u8; 8] {
    const K: [u64; 4] = [
        0x9E37_79B9_7F4A_7C15,
        0xC2B2_AE3D_27D4_EB4F,
        0x1656_67B1_9E37_79F9,
        0x85EB_CA77_C2B2_AE63,
    ];
    let mut lanes = K;
    let mut words = body.chunks_exact(32);
    for block in &mut words {
        for (i, lane) in lanes.iter_mut().enumerate() {
            let w = u64::from_le_bytes(block[i * 8..i * 8 + 8].try_into().unwrap_or_default());
            *lane = (*lane ^ w).wrapping_mul(K[i]).rotate_left(31);
        }
    }
    let mut h = (body.len() as u64).wrapping_mul(K[0]);
    for lane in lanes {
        h = (h ^ lane).wrapping_mul(K[1]).rotate_left(27);
    }
    for &b in words.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(K[2]).rotate_left(11);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(K[3]);
    h ^= h >> 29;
    h.to_le_bytes()
}

/// This boot of the machine (read once per process).
pub fn boot_id() -> [u8; 36] {
    static BOOT: std::sync::OnceLock<[u8; 36]> = std::sync::OnceLock::new();
    *BOOT.get_or_init(|| {
        let mut id = [b'0'; 36];
        if let Ok(s) = std::fs::read_to_string("/proc/sys/kernel/random/boot_id") {
            let s = s.trim().as_bytes();
            let n = s.len().min(36);
            id[..n].copy_from_slice(&s[..n]);
        }
        id
    })
}

/// The bit of an op's name length that marks [`Op::keep_rest`].
const KEEP_REST: u16 = 0x8000;

pub fn encode(ops: &[Op]) -> Vec<u8> {
    let mut body = Vec::new();
    for op in ops {
        // The name's length has room to spare: its top bit marks a change
        // that keeps the rest of the file.
        let flag = if op.keep_rest { KEEP_REST } else { 0 };
        body.extend_from_slice(&(op.name.len() as u16 | flag).to_le_bytes());
        body.extend_from_slice(op.name.as_bytes());
        body.extend_from_slice(&op.offset.to_le_bytes());
        body.extend_from_slice(&(op.bytes.len() as u64).to_le_bytes());
        body.extend_from_slice(&op.bytes);
    }
    body
}

pub fn decode(mut body: &[u8]) -> Option<Vec<Op>> {
    fn take<'a>(b: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (b.get(..n)?, b.get(n..)?);
        *b = rest;
        Some(head)
    }
    let mut ops = Vec::new();
    while !body.is_empty() {
        let n = u16::from_le_bytes(take(&mut body, 2)?.try_into().ok()?);
        let keep_rest = n & KEEP_REST != 0;
        let n = (n & !KEEP_REST) as usize;
        let name = String::from_utf8(take(&mut body, n)?.to_vec()).ok()?;
        let offset = u64::from_le_bytes(take(&mut body, 8)?.try_into().ok()?);
        let len = u64::from_le_bytes(take(&mut body, 8)?.try_into().ok()?) as usize;
        let bytes = take(&mut body, len)?.to_vec();
        if name.split('/').any(|p| p.is_empty() || p == "..") {
            return None;
        }
        ops.push(Op {
            name,
            offset,
            bytes,
            keep_rest,
        });
    }
    Some(ops)
}

/// Every intact record of the journal file from `at`, and where the intact
/// part ends.
pub fn scan(f: &File) -> (Vec<Record>, u64) {
    scan_from(f, HEADER_LEN)
}

/// Whether an intact record starts anywhere after `end`: then the bytes at
/// `end` are damage in the middle, not the torn end a crash leaves.
pub fn intact_after(f: &File, end: u64) -> bool {
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut rest = vec![0u8; len.saturating_sub(end) as usize];
    if f.read_exact_at(&mut rest, end).is_err() {
        return false;
    }
    memchr::memmem::find_iter(&rest, b"NXR1")
        .filter(|i| *i > 0)
        .any(|i| !scan_from(f, end + i as u64).0.is_empty())
}

pub fn scan_from(f: &File, from: u64) -> (Vec<Record>, u64) {
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut at = from;
    let mut out = Vec::new();
    while at + RECORD_HEAD as u64 <= len {
        let mut head = [0u8; RECORD_HEAD];
        if f.read_exact_at(&mut head, at).is_err() || &head[..4] != b"NXR1" {
            break;
        }
        let body_len = u64::from_le_bytes(head[41..49].try_into().unwrap_or_default());
        // A garbled length may be anything: past the file's end (or past
        // what a u64 holds) the record is torn.
        let Some(end) = (at + RECORD_HEAD as u64)
            .checked_add(body_len)
            .filter(|end| *end <= len)
        else {
            break;
        };
        let mut body = vec![0u8; body_len as usize];
        if f.read_exact_at(&mut body, at + RECORD_HEAD as u64).is_err()
            || checksum(&body) != head[49..57]
        {
            break;
        }
        let Some(ops) = decode(&body) else { break };
        out.push(Record {
            at: at + 4,
            state: head[4],
            boot: head[5..41].try_into().unwrap_or([0; 36]),
            ops,
        });
        at = end;
    }
    (out, at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_garbled_length_reads_as_a_torn_record_not_a_crash() {
        for body_len in [u64::MAX, u64::MAX - 64, 1 << 40] {
            let mut f = tempfile::tempfile().unwrap();
            let mut bytes = vec![0u8; HEADER_LEN as usize];
            bytes.extend_from_slice(b"NXR1");
            bytes.push(0x5A);
            bytes.extend_from_slice(&[b'0'; 36]);
            bytes.extend_from_slice(&body_len.to_le_bytes());
            bytes.extend_from_slice(&[0; 8]);
            f.write_all(&bytes).unwrap();
            let (records, end) = scan(&f);
            assert!(records.is_empty());
            assert_eq!(end, HEADER_LEN);
            assert!(!intact_after(&f, end));
        }
    }
}
