//! `.nexus.journal`: the redo log that makes one command one step across all
//! files (see the module docs of [`crate::store`] for the states of a step).
//!
//! Layout: a 64-byte header (`NXJ2`, the step generation, a busy flag, the
//! boot id of the last commit) that lock-free readers poll, then one record per step since the last
//! checkpoint: `NXR1`, a state byte (committed, applied or aborted), the boot id, the body length, a checksum, and the body: the
//! step's file changes, each "from byte `offset` on, file `name` holds
//! `bytes`" (and ends there, or, for a record rewritten in its place, keeps
//! the bytes after them). Such a change gives the same file whether it is
//! applied once or again, so replaying records in order always yields the
//! state after them.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

mod prepared;
mod record;

use super::fsio;
use crate::error::{NexusError, Result};
use prepared::{Prepared, apply_in_place};
pub use record::Op;
use record::{HEADER_LEN, RECORD_HEAD, Record, boot_id, checksum, encode, intact_after, scan};

/// Name of the journal in the coordination directory.
pub const JOURNAL_FILE: &str = ".nexus.journal";
/// Record states, far apart in bits so that one flipped bit cannot turn one
/// into another; an unknown state is replayed (replaying is harmless).
const COMMITTED: u8 = 0x5A;
const APPLIED: u8 = 0xA5;
const ABORTED: u8 = 0x3C;
/// Past this size, the next step ends with a checkpoint.
const CHECKPOINT_BYTES: u64 = 64 << 20;

/// What readers see of the journal without the lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub generation: u64,
    pub busy: bool,
    /// The boot of the machine that last committed: another one means the
    /// machine restarted since, and unflushed writes may be lost.
    boot: [u8; 36],
}

impl Default for Header {
    fn default() -> Header {
        Header {
            generation: 0,
            busy: false,
            boot: boot_id(),
        }
    }
}

impl Header {
    /// Read the header of `dir`'s journal; a missing journal is idle at 0.
    pub fn read(dir: &Path) -> Result<Header> {
        let path = dir.join(JOURNAL_FILE);
        let Some(f) = fsio::open_read(&path)? else {
            return Ok(Header::default());
        };
        Ok(Header::of(&f))
    }

    /// The header of the open journal `f`.
    fn of(f: &File) -> Header {
        let mut buf = [0u8; HEADER_LEN as usize];
        match f.read_exact_at(&mut buf, 0) {
            Ok(()) if &buf[..4] == b"NXJ2" && checksum(&buf[..52]) == buf[52..60] => Header {
                generation: u64::from_le_bytes(buf[4..12].try_into().unwrap_or_default()),
                busy: buf[12] == 1,
                boot: buf[16..52].try_into().unwrap_or([0; 36]),
            },
            // A journal being created, of another layout, or with a damaged
            // header reads as busy: recovery then scans it.
            _ => Header {
                generation: 0,
                busy: true,
                boot: [0; 36],
            },
        }
    }

    fn bytes(&self) -> [u8; HEADER_LEN as usize] {
        let mut b = [0u8; HEADER_LEN as usize];
        b[..4].copy_from_slice(b"NXJ2");
        b[4..12].copy_from_slice(&self.generation.to_le_bytes());
        b[12] = u8::from(self.busy);
        b[16..52].copy_from_slice(&self.boot);
        let sum = checksum(&b[..52]);
        b[52..60].copy_from_slice(&sum);
        b
    }
}

/// The ops of a committed step that has not been applied yet: what a reader
/// must lay over the files to see the state after it.
pub fn pending(dir: &Path) -> Result<Option<Vec<Op>>> {
    if !Header::read(dir)?.busy {
        return Ok(None);
    }
    let Some(f) = fsio::open_read(&dir.join(JOURNAL_FILE))? else {
        return Ok(None);
    };
    let (records, _) = scan(&f);
    Ok(records
        .into_iter()
        .rfind(|r| r.state != APPLIED && r.state != ABORTED)
        .map(|r| r.ops))
}

/// Whether the journal of `dir` is damaged in a way recovery refuses.
pub fn damaged(dir: &Path) -> bool {
    let Ok(Some(f)) = fsio::open_read(&dir.join(JOURNAL_FILE)) else {
        return false;
    };
    let (records, end) = scan(&f);
    let header = Header::read(dir).unwrap_or_default();
    let rebooted = header.boot != boot_id() || records.iter().any(|r| r.boot != boot_id());
    end < file_len(&f) && (intact_after(&f, end) || (rebooted && !header.busy))
}

/// The file content after `op`, given its content before (any mix of before
/// and after, since the op only changes the bytes it names).
pub fn overlay(op: &Op, current: Option<Vec<u8>>) -> Vec<u8> {
    let mut bytes = current.unwrap_or_default();
    let (from, to) = (op.offset as usize, op.end() as usize);
    if op.keep_rest && bytes.len() >= to {
        bytes[from..to].copy_from_slice(&op.bytes);
        return bytes;
    }
    bytes.resize(from, b' ');
    bytes.extend_from_slice(&op.bytes);
    bytes
}

/// The open journal of a directory, held under the lock.
pub struct Journal {
    dir: PathBuf,
    path: PathBuf,
    file: File,
    header: Header,
}

/// What recovery did at the start of a step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recovery {
    /// Steps replayed because a writer died before finishing them.
    pub replayed: usize,
    /// Records dropped because they were torn (never committed).
    pub torn: bool,
    /// Whether the machine restarted since the last checkpoint.
    pub rebooted: bool,
    /// Temp files of dead writers removed.
    pub temps: usize,
    /// Whether a damaged journal was moved to `backups/`.
    pub set_aside: bool,
}

/// Move a damaged journal to `backups/` (kept as evidence) so that a new
/// one starts; the files stay as they are. Only under the lock.
pub fn set_aside(dir: &Path) -> Result<()> {
    fsio::create_parents(dir, &format!("{}/x", super::BACKUP_DIR))?;
    let backups = dir.join(super::BACKUP_DIR);
    let stamp = chrono::Utc::now().format("%Y%m%d_%H%M%S");
    let to = backups.join(format!("journal_damaged_{stamp}"));
    fsio::rename(&dir.join(JOURNAL_FILE), &to)?;
    fsio::sync_dir(dir)
}

impl Journal {
    /// Open (or create) the journal of `dir`. Call only under the lock.
    pub fn open(dir: &Path) -> Result<Journal> {
        let path = dir.join(JOURNAL_FILE);
        let (file, header, len) = match fsio::open_existing_len(&path)? {
            Some((file, len)) => {
                let header = Header::of(&file);
                (file, header, Some(len))
            }
            None => (fsio::open_write(&path)?, Header::default(), None),
        };
        let mut j = Journal {
            dir: dir.to_path_buf(),
            path,
            file,
            header,
        };
        if len.is_none_or(|l| l < HEADER_LEN) {
            j.write_header(false)?;
            fsio::sync(&j.file, &j.path)?;
            fsio::sync_dir(dir)?;
        }
        Ok(j)
    }

    fn write_header(&mut self, busy: bool) -> Result<()> {
        self.header.busy = busy;
        fsio::point("write").map_err(|e| NexusError::io("cannot write", &self.path, e))?;
        self.file
            .write_all_at(&self.header.bytes(), 0)
            .map_err(|e| NexusError::io("cannot write", &self.path, e))
    }

    fn mark(&self, at: u64, state: u8) -> Result<()> {
        fsio::point("write").map_err(|e| NexusError::io("cannot write", &self.path, e))?;
        self.file
            .write_all_at(&[state], at)
            .map_err(|e| NexusError::io("cannot write", &self.path, e))
    }

    /// Finish what a dead writer left: replay committed steps, drop a torn
    /// one, and after a restart replay everything since the last checkpoint
    /// (the file system may have lost writes that were never flushed).
    pub fn recover(&mut self) -> Result<Recovery> {
        // The header is written busy before a record is appended and idle
        // after it is applied: idle, on this boot, means nothing to do.
        if !self.header.busy && self.header.boot == boot_id() {
            return Ok(Recovery::default());
        }
        let (records, end) = scan(&self.file);
        let mut rec = Recovery {
            torn: end < file_len(&self.file),
            rebooted: self.header.boot != boot_id() || records.iter().any(|r| r.boot != boot_id()),
            ..Recovery::default()
        };
        // A crash leaves at most a torn last record, behind a busy header.
        // Anything else is damage: replaying the records before it (or
        // cutting it off) could undo steps that were applied, so stop.
        let damaged =
            rec.torn && (intact_after(&self.file, end) || (rec.rebooted && !self.header.busy));
        if damaged {
            return Err(NexusError::JournalDamaged {
                path: self.path.clone(),
                offset: end,
            });
        }
        let redo: Vec<&Record> = records
            .iter()
            .filter(|r| r.state != ABORTED && (r.state != APPLIED || rec.rebooted))
            .collect();
        if !redo.is_empty() {
            // Readers must not take a half-replayed state for a whole one.
            self.header.generation += 1;
            self.write_header(true)?;
        }
        for r in &redo {
            for op in &r.ops {
                apply_in_place(&self.dir, op)?;
            }
            if r.state != APPLIED {
                rec.replayed += 1;
                self.mark(r.at, APPLIED)?;
            }
        }
        if rec.torn {
            fsio::point("truncate").map_err(|e| NexusError::io("cannot write", &self.path, e))?;
            self.file
                .set_len(end)
                .map_err(|e| NexusError::io("cannot write", &self.path, e))?;
        }
        if rec.rebooted {
            self.checkpoint(&records)?;
        } else if self.header.busy || !redo.is_empty() {
            self.write_header(false)?;
        }
        Ok(rec)
    }

    /// Make `ops` one step: journal them (the commit point, one flush), apply
    /// them, and mark them applied. Any failure before the commit point
    /// leaves every file as it was; a failure while applying puts back what
    /// was applied and marks the record aborted, so the result is "before".
    pub fn run(&mut self, ops: &[Op]) -> Result<()> {
        if ops.is_empty() {
            return Ok(());
        }
        let mut prepared: Vec<Prepared> = Vec::with_capacity(ops.len());
        for op in ops {
            match Prepared::new(&self.dir, op) {
                Ok(p) => prepared.push(p),
                Err(e) => {
                    prepared.iter().for_each(Prepared::discard);
                    return Err(e);
                }
            }
        }
        let at = match self.append(ops) {
            Ok(at) => at,
            Err(e) => {
                prepared.iter().for_each(Prepared::discard);
                return Err(e);
            }
        };
        for (i, p) in prepared.iter().enumerate() {
            if let Err(e) = p.apply() {
                // The failed change may be half done: undo it too.
                let undone = prepared[..=i].iter().rev().try_for_each(Prepared::undo);
                prepared.iter().for_each(Prepared::discard);
                if undone.is_ok() {
                    // Best effort: a record left committed is replayed by the
                    // next command, which the exit code then misstates.
                    let _ = self
                        .mark(at, ABORTED)
                        .and_then(|()| self.write_header(false));
                }
                return Err(e);
            }
        }
        // Applied: the marks only spare the next command a replay.
        let _ = self
            .mark(at, APPLIED)
            .and_then(|()| self.write_header(false));
        if file_len(&self.file) > fsio::checkpoint_bytes(CHECKPOINT_BYTES) {
            let (records, _) = scan(&self.file);
            // The step itself is committed (its record was flushed): a failed
            // checkpoint leaves the journal to the next command.
            let _ = self.checkpoint(&records);
        }
        Ok(())
    }

    /// Append a committed record and flush it: the step's commit point.
    fn append(&mut self, ops: &[Op]) -> Result<u64> {
        let body = encode(ops);
        let start = file_len(&self.file).max(HEADER_LEN);
        let mut rec = Vec::with_capacity(RECORD_HEAD + body.len());
        rec.extend_from_slice(b"NXR1");
        rec.push(COMMITTED);
        rec.extend_from_slice(&boot_id());
        rec.extend_from_slice(&(body.len() as u64).to_le_bytes());
        rec.extend_from_slice(&checksum(&body));
        rec.extend_from_slice(&body);
        let result = (|| {
            fsio::reserve(&self.file, &self.path, start, rec.len() as u64)?;
            // Busy first: a record is never in the file behind an idle header.
            self.header.generation += 1;
            self.header.boot = boot_id();
            self.write_header(true)?;
            fsio::patch(&self.file, &self.path, start, &rec)?;
            fsio::sync(&self.file, &self.path)
        })();
        if let Err(e) = result {
            // Not committed: cut the partial record so nothing replays it.
            let _ = self.file.set_len(start);
            let _ = self.write_header(false);
            return Err(e);
        }
        Ok(start + 4)
    }

    /// Flush every state file (and backup), then empty the journal. A flush
    /// that fails is never retried (after a failed `fsync` the kernel may have
    /// dropped the unwritten pages, and a later one would succeed over the
    /// loss): the journal is kept and marked as if the machine had restarted,
    /// so the next command writes every step since the last checkpoint again
    /// from it before it flushes.
    fn checkpoint(&mut self, records: &[Record]) -> Result<()> {
        let result = self.flush_and_empty(records);
        if result.is_err() {
            self.header.boot = [0; 36];
            let _ = self.write_header(true);
        }
        result
    }

    fn flush_and_empty(&mut self, _records: &[Record]) -> Result<()> {
        for dir in [self.dir.clone(), self.dir.join(super::BACKUP_DIR)] {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                if e.file_type().is_ok_and(|t| t.is_file())
                    && let Some(f) = fsio::open_read(&e.path())?
                {
                    fsio::sync(&f, &e.path())?;
                }
            }
        }
        fsio::sync_dir(&self.dir)?;
        fsio::point("truncate").map_err(|e| NexusError::io("cannot write", &self.path, e))?;
        self.file
            .set_len(HEADER_LEN)
            .map_err(|e| NexusError::io("cannot write", &self.path, e))?;
        self.header.boot = boot_id();
        self.write_header(false)?;
        fsio::sync(&self.file, &self.path)
    }
}

pub(super) fn file_len(f: &File) -> u64 {
    f.metadata().map(|m| m.len()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::record::decode;
    use super::*;
    use std::fs;

    fn op(name: &str, offset: u64, bytes: &str) -> Op {
        Op::to_end(name, offset, bytes.as_bytes().to_vec())
    }

    #[test]
    fn a_step_applies_and_a_committed_one_is_replayed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("a"), "[1]\n").unwrap();
        let mut j = Journal::open(d).unwrap();
        j.run(&[op("a", 2, ",2]\n"), op("sub/b", 0, "x\n")])
            .unwrap();
        assert_eq!(fs::read_to_string(d.join("a")).unwrap(), "[1,2]\n");
        assert_eq!(fs::read_to_string(d.join("sub/b")).unwrap(), "x\n");
        let h = Header::read(d).unwrap();
        assert_eq!((h.generation, h.busy), (1, false));

        // A writer that died after the commit point: the next one replays.
        let at = j.append(&[op("a", 4, ",3]\n")]).unwrap();
        assert!(Header::read(d).unwrap().busy);
        assert_eq!(pending(d).unwrap().unwrap()[0].bytes, b",3]\n");
        let seen = overlay(
            &pending(d).unwrap().unwrap()[0],
            Some(fs::read(d.join("a")).unwrap()),
        );
        assert_eq!(seen, b"[1,2,3]\n");
        drop(j);
        let mut j = Journal::open(d).unwrap();
        let r = j.recover().unwrap();
        assert_eq!(r.replayed, 1);
        assert_eq!(j.recover().unwrap(), Recovery::default(), "idle: no scan");
        assert_eq!(fs::read_to_string(d.join("a")).unwrap(), "[1,2,3]\n");
        assert!(!Header::read(d).unwrap().busy);
        assert!(pending(d).unwrap().is_none());
        let _ = at;

        // A torn record (not committed) is dropped and changes nothing: a
        // writer died appending it, behind the busy header it wrote first.
        let len = fs::metadata(d.join(JOURNAL_FILE)).unwrap().len();
        j.write_header(true).unwrap();
        let f = fsio::open_write(&d.join(JOURNAL_FILE)).unwrap();
        f.write_all_at(b"NXR1C0000", len).unwrap();
        let r = j.recover().unwrap();
        assert!(r.torn);
        assert_eq!(fs::metadata(d.join(JOURNAL_FILE)).unwrap().len(), len);
        assert_eq!(fs::read_to_string(d.join("a")).unwrap(), "[1,2,3]\n");
        j.checkpoint(&[]).unwrap();
        assert_eq!(
            fs::metadata(d.join(JOURNAL_FILE)).unwrap().len(),
            HEADER_LEN
        );
    }

    #[test]
    fn the_checksum_sees_every_byte_and_is_fixed() {
        let body: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
        let sum = checksum(&body);
        for at in [0, 31, 32, 500, 999] {
            let mut torn = body.clone();
            torn[at] ^= 1;
            assert_ne!(checksum(&torn), sum, "byte {at}");
        }
        assert_ne!(checksum(&body[..999]), sum);
        // Recovery by the next release depends on this exact value.
        assert_eq!(
            u64::from_le_bytes(checksum(b"nexus")),
            0xabc7_59c8_fcc1_0f89
        );
    }

    #[test]
    fn names_that_leave_the_directory_do_not_decode() {
        assert!(decode(&encode(&[op("../x", 0, "")])).is_none());
        assert!(decode(&encode(&[op("/x", 0, "")])).is_none());
        assert_eq!(decode(&encode(&[op("b/c", 3, "z")])).unwrap()[0].offset, 3);
    }

    #[test]
    fn a_change_in_place_keeps_the_rest_when_applied_replayed_or_undone() {
        let ops = [Op::in_place("f", 2, b"XY".to_vec()), op("g", 1, "z")];
        let back = decode(&encode(&ops)).unwrap();
        assert_eq!(back, ops);
        assert_eq!(overlay(&ops[0], Some(b"abcdef".to_vec())), b"abXYef");
        assert_eq!(overlay(&ops[0], Some(b"ab".to_vec())), b"abXY");
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("f"), "abcdef").unwrap();
        let mut j = Journal::open(dir.path()).unwrap();
        j.run(&ops[..1]).unwrap();
        assert_eq!(fs::read(dir.path().join("f")).unwrap(), b"abXYef");
        // Replayed after a restart: the same file.
        apply_in_place(dir.path(), &ops[0]).unwrap();
        assert_eq!(fs::read(dir.path().join("f")).unwrap(), b"abXYef");
        // A later change of the step that fails puts the first one back.
        fs::create_dir(dir.path().join("d")).unwrap();
        let failing = [Op::in_place("f", 0, b"QQ".to_vec()), op("d", 0, "x")];
        assert!(j.run(&failing).is_err());
        assert_eq!(fs::read(dir.path().join("f")).unwrap(), b"abXYef");
        // Also one that made the file longer (the index grows so).
        let failing = [Op::in_place("f", 4, b"0123456".to_vec()), op("d", 0, "x")];
        assert!(j.run(&failing).is_err());
        assert_eq!(fs::read(dir.path().join("f")).unwrap(), b"abXYef");
    }
}
