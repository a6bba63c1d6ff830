//! Read-only views of the state for reports, dashboards and analyses. Readers
//! see whole steps: they read between two steps (the journal header tells),
//! or under the lock when writers keep them from it; they never write.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use serde_json::Value;

use super::array_file::parse_array;
use super::fsio::read_optional;
use super::journal::{self, Header, Op};
use super::{AGENTS_FILE, ARCHIVE_FILE, CLAIMS_FILE, LOG_FILE, SPANS_FILE, VELOCITY_FILE};
use crate::error::{NexusError, Result};
use crate::records::claim_record::ClaimRecord;

/// What `read` gives as of one step: read between two steps (the journal
/// header tells), or under the lock when writers keep changing the files,
/// with `pending` the changes of a dead writer's committed step.
pub fn consistent<T>(
    dir: &Path,
    timeout: Duration,
    read: impl Fn(&[Op]) -> Result<T>,
) -> Result<T> {
    for attempt in 0..READ_ATTEMPTS {
        let before = Header::read(dir)?;
        if before.busy {
            thread::sleep(Duration::from_millis(1 + attempt as u64));
            continue;
        }
        let out = read(&[]);
        if Header::read(dir)? == before {
            return out;
        }
    }
    // Writers kept the files moving: read under the lock, where the only
    // step that can be unfinished is a dead writer's committed one.
    let _lock = hold_lock(dir, timeout)?;
    let pending = journal::pending(dir)?.unwrap_or_default();
    read(&pending)
}

/// A state file's bytes with `pending` laid over them.
pub fn read_file(dir: &Path, name: &str, pending: &[Op]) -> Result<Option<Vec<u8>>> {
    let mut bytes = read_optional(&dir.join(name))?;
    for op in pending.iter().filter(|op| op.name == name) {
        bytes = Some(journal::overlay(op, bytes));
    }
    Ok(bytes)
}

/// The records of an array file with `pending` laid over it (a missing file
/// has none).
pub(super) fn read_array(dir: &Path, name: &str, pending: &[Op]) -> Result<Vec<Value>> {
    match read_file(dir, name, pending)? {
        Some(bytes) => parse_array(&dir.join(name), &bytes),
        None => Ok(Vec::new()),
    }
}

/// Every state file, as read at one moment.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub dir: PathBuf,
    /// Claim records, read field by field from the files' bytes.
    pub claims: Vec<ClaimRecord>,
    pub agents: Vec<Value>,
    pub completions: Vec<Value>,
    pub velocity_lines: Vec<String>,
    /// How many of `claims` (the first ones) come from the archive.
    pub archived: usize,
}

impl Snapshot {
    /// The live claims: those after the archive's.
    pub fn live(&self) -> &[ClaimRecord] {
        &self.claims[self.archived.min(self.claims.len())..]
    }

    /// Read the state of `dir` as of one step; missing files are empty,
    /// corrupt ones an error.
    pub fn read(dir: &Path) -> Result<Snapshot> {
        Snapshot::read_with(dir, Duration::from_millis(super::DEFAULT_LOCK_TIMEOUT_MS))
    }

    /// [`read`](Self::read), waiting at most `timeout` for the lock when
    /// writers keep changing the files while they are read.
    pub fn read_with(dir: &Path, timeout: Duration) -> Result<Snapshot> {
        consistent(dir, timeout, |pending| Snapshot::read_files(dir, pending))
    }

    fn read_files(dir: &Path, pending: &[Op]) -> Result<Snapshot> {
        let file = |name: &str| read_file(dir, name, pending);
        let array = |name: &str| read_array(dir, name, pending);
        let velocity = file(VELOCITY_FILE)?.unwrap_or_default();
        // Archived (old completed) records come first, so history stays findable.
        let archive = file(ARCHIVE_FILE)?.unwrap_or_default();
        let mut claims = archive_records(archive);
        let archived = claims.len();
        if let Some(bytes) = file(CLAIMS_FILE)? {
            claims.extend(claim_records(&dir.join(CLAIMS_FILE), bytes)?);
        }
        Ok(Snapshot {
            dir: dir.to_path_buf(),
            archived,
            claims,
            agents: array(AGENTS_FILE)?,
            completions: array(LOG_FILE)?,
            velocity_lines: lines(&velocity),
        })
    }
}

/// The lines of the velocity log that hold something.
pub(super) fn lines(velocity: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(velocity)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// The records of an array file, each read field by field where the scan
/// vouches for it (else parsed whole); a file that does not parse is the
/// same error as for a whole parse.
fn claim_records(path: &Path, bytes: Vec<u8>) -> Result<Vec<ClaimRecord>> {
    let spans = crate::records::scan::canonical_spans(&bytes).or_else(|| {
        crate::records::scan::element_spans(&bytes).filter(|s| {
            let end = s.last().map_or(0, |l| l.1);
            String::from_utf8_lossy(&bytes[end..]).trim() == "]"
        })
    });
    let whole = |bytes: &[u8]| -> Result<Vec<ClaimRecord>> {
        Ok(parse_array(path, bytes)?
            .into_iter()
            .map(ClaimRecord::from)
            .collect())
    };
    let Some(spans) = spans else {
        return whole(&bytes);
    };
    let bytes = Arc::new(bytes);
    let one = |part: &[(usize, usize)]| -> Option<Vec<ClaimRecord>> {
        part.iter()
            .map(|&(s, e)| {
                ClaimRecord::of(&bytes, s, e).or_else(|| {
                    serde_json::from_slice::<Value>(&bytes[s..e])
                        .ok()
                        .map(ClaimRecord::from)
                })
            })
            .collect()
    };
    match on_every_core(&spans, one) {
        Some(records) => Ok(records),
        None => whole(&bytes),
    }
}

/// The records of the archive (one per line; lines that do not parse are
/// skipped).
fn archive_records(bytes: Vec<u8>) -> Vec<ClaimRecord> {
    let mut lines = Vec::new();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', &bytes).chain([bytes.len()]) {
        let line = &bytes[start..end];
        let lead = line.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let trail = line
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        if lead < line.len() {
            lines.push((start + lead, end - trail));
        }
        start = end + 1;
    }
    let bytes = Arc::new(bytes);
    let one = |part: &[(usize, usize)]| -> Option<Vec<ClaimRecord>> {
        let line = |s: usize, e: usize| {
            ClaimRecord::of(&bytes, s, e).or_else(|| {
                serde_json::from_str::<Value>(&String::from_utf8_lossy(&bytes[s..e]))
                    .ok()
                    .map(ClaimRecord::from)
            })
        };
        Some(part.iter().filter_map(|&(s, e)| line(s, e)).collect())
    };
    on_every_core(&lines, one).unwrap_or_default()
}

/// `one` over `spans`, cut in one part per core when there are many.
fn on_every_core<F>(spans: &[(usize, usize)], one: F) -> Option<Vec<ClaimRecord>>
where
    F: Fn(&[(usize, usize)]) -> Option<Vec<ClaimRecord>> + Sync,
{
    let threads = thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if spans.len() < 4096 || threads < 2 {
        return one(spans);
    }
    let chunk = spans.len().div_ceil(threads);
    let one = &one;
    thread::scope(|scope| {
        let handles: Vec<_> = spans
            .chunks(chunk)
            .map(|part| scope.spawn(move || one(part)))
            .collect();
        let mut out = Vec::with_capacity(spans.len());
        for h in handles {
            out.extend(h.join().ok()??);
        }
        Some(out)
    })
}

/// How often a reader tries to read between two steps before taking the lock.
const READ_ATTEMPTS: usize = 20;

/// Hold the kernel lock of `dir` (not the legacy marker) for a read.
fn hold_lock(dir: &Path, timeout: Duration) -> Result<Option<std::fs::File>> {
    let path = dir.join(super::lock::LOCK_FILE);
    if super::fsio::open_read(&path)?.is_none() {
        return Ok(None);
    }
    // Writers hold the directory's lock too, which deleting the lock file
    // cannot take away.
    let f = std::fs::File::open(dir).map_err(|e| NexusError::io("cannot open", dir, e))?;
    let deadline = std::time::Instant::now() + timeout;
    loop {
        match f.try_lock() {
            Ok(()) => return Ok(Some(f)),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(2));
            }
            Err(_) => {
                return Err(NexusError::LockTimeout {
                    dir: dir.to_path_buf(),
                    timeout_ms: timeout.as_millis() as u64,
                    holder: " (for a consistent read)".into(),
                });
            }
        }
    }
}

/// The spans of `telemetry_spans.jsonl`: one object per line as nexus writes
/// them, or the legacy pretty-printed objects spanning several lines.
#[derive(Debug, Clone, Default)]
pub struct SpanRead {
    pub spans: Vec<Value>,
    /// Objects that started but did not parse.
    pub skipped: usize,
    /// Objects that spread over more than one line (legacy layout).
    pub multi_line: usize,
}

impl SpanRead {
    /// Read the spans file of `dir`; a missing file has no spans.
    pub fn read(dir: &Path) -> Result<SpanRead> {
        let bytes = read_optional(&dir.join(SPANS_FILE))?.unwrap_or_default();
        Ok(SpanRead::parse(&String::from_utf8_lossy(&bytes)))
    }

    /// Read only the last `bytes` of the spans file (the newest spans), from
    /// the first object that starts within them.
    pub fn read_tail(dir: &Path, bytes: u64) -> Result<SpanRead> {
        let path = dir.join(SPANS_FILE);
        if !path.exists() {
            return Ok(SpanRead::default());
        }
        let (start, tail) = super::fsio::read_tail(&path, bytes)?;
        let text = String::from_utf8_lossy(&tail);
        let from = if start == 0 {
            0
        } else {
            text.find("\n{").map_or(text.len(), |i| i + 1)
        };
        Ok(SpanRead::parse(&text[from..]))
    }

    /// Parse spans text: every line starting with `{` begins an object.
    pub fn parse(text: &str) -> SpanRead {
        let mut out = SpanRead::default();
        let mut chunk = String::new();
        let mut lines = 0;
        for line in text.lines() {
            if line.starts_with('{') && !chunk.is_empty() {
                out.take(&chunk, lines);
                chunk.clear();
                lines = 0;
            }
            if chunk.is_empty() && line.trim().is_empty() {
                continue;
            }
            chunk.push_str(line);
            chunk.push('\n');
            lines += 1;
        }
        if !chunk.is_empty() {
            out.take(&chunk, lines);
        }
        out
    }

    fn take(&mut self, chunk: &str, lines: usize) {
        match serde_json::from_str::<Value>(chunk) {
            Ok(v @ Value::Object(_)) => {
                if lines > 1 {
                    self.multi_line += 1;
                }
                self.spans.push(v);
            }
            _ => self.skipped += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_mixed_layouts_are_read_and_bad_ones_counted() {
        let text = "{\"a\":1}\n{\n  \"b\": 2\n}\n{\"broken\": \n{\"c\":3}\n";
        let r = SpanRead::parse(text);
        assert_eq!(r.spans.len(), 3);
        assert_eq!(r.skipped, 1);
        assert_eq!(r.multi_line, 1);
    }
}
