//! Read-only views of the state for reports, dashboards and analyses. Readers
//! never take the lock; a file caught mid-append is read again shortly after.

use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use serde_json::Value;

use super::array_file::load_array;
use super::atomic::read_optional;
use super::{AGENTS_FILE, ARCHIVE_FILE, CLAIMS_FILE, LOG_FILE, SPANS_FILE, VELOCITY_FILE};
use crate::error::{NexusError, Result};

/// Every state file, as read at one moment.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub dir: PathBuf,
    pub claims: Vec<Value>,
    pub agents: Vec<Value>,
    pub completions: Vec<Value>,
    pub velocity_lines: Vec<String>,
    /// How many of `claims` (the first ones) come from the archive.
    pub archived: usize,
}

impl Snapshot {
    /// Read the state of `dir`; missing files are empty, corrupt ones an error.
    pub fn read(dir: &Path) -> Result<Snapshot> {
        let velocity = read_optional(&dir.join(VELOCITY_FILE))?.unwrap_or_default();
        // Archived (old completed) records come first, so history stays findable.
        let archive = read_optional(&dir.join(ARCHIVE_FILE))?.unwrap_or_default();
        let mut claims: Vec<Value> = String::from_utf8_lossy(&archive)
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        let archived = claims.len();
        claims.extend(read_array_retrying(&dir.join(CLAIMS_FILE))?);
        Ok(Snapshot {
            dir: dir.to_path_buf(),
            archived,
            claims,
            agents: read_array_retrying(&dir.join(AGENTS_FILE))?,
            completions: read_array_retrying(&dir.join(LOG_FILE))?,
            velocity_lines: String::from_utf8_lossy(&velocity)
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect(),
        })
    }
}

/// A writer may be appending in place right now: retry a parse error a few
/// times before calling the file corrupt.
fn read_array_retrying(path: &Path) -> Result<Vec<Value>> {
    let mut attempt = 0;
    loop {
        match load_array(path) {
            Ok(v) => return Ok(v.unwrap_or_default()),
            Err(NexusError::Corrupt { .. }) if attempt < 3 => {
                attempt += 1;
                thread::sleep(Duration::from_millis(15));
            }
            Err(e) => return Err(e),
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
        let (start, tail) = super::atomic::read_tail(&path, bytes)?;
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
