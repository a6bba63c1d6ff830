//! Following the numbered events of a store: `watch`, and the event stream
//! of `nexus serve`. The file store's events are lines of `events.jsonl`,
//! read from where the last poll stopped; PostgreSQL's are rows numbered the
//! same way. Either way each event comes once, in `seq` order.

use std::fs::File;
use std::io::{ErrorKind, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::AnyStore;
use super::events::EVENTS_FILE;
use crate::error::{NexusError, Result};

/// A reader of a store's events from a point on.
pub struct EventFeed {
    inner: Inner,
}

enum Inner {
    File {
        path: PathBuf,
        feed: FileFeed,
    },
    Pg {
        last: i64,
        /// Woken by NOTIFY when listening; without it every poll asks.
        watch: Option<super::pg::Watch>,
        asked: Option<std::time::Instant>,
    },
}

/// How often a listening feed asks PostgreSQL anyway (notifications can be
/// lost).
const ASK_ANYWAY: std::time::Duration = std::time::Duration::from_secs(1);

impl AnyStore {
    /// The events after `since`, else those from now on.
    pub fn event_feed(&self, since: Option<u64>) -> Result<EventFeed> {
        let inner = match self {
            AnyStore::File(f) => {
                let path = f.dir().join(EVENTS_FILE);
                let feed = FileFeed::start(&path, since)?;
                Inner::File { path, feed }
            }
            AnyStore::Pg(pg) => Inner::Pg {
                last: match since {
                    Some(s) => i64::try_from(s).unwrap_or(i64::MAX),
                    None => pg.last_seq()?,
                },
                watch: None,
                asked: None,
            },
        };
        Ok(EventFeed { inner })
    }
}

impl EventFeed {
    /// Follow changes by notification where the store sends them (one
    /// LISTEN connection for this feed, kept for the life of the process):
    /// a poll then asks PostgreSQL only when woken, or once a second.
    pub fn listen(&mut self, store: &AnyStore) {
        if let (Inner::Pg { watch, .. }, AnyStore::Pg(pg)) = (&mut self.inner, store) {
            *watch = Some(super::pg::Watch::start(pg));
        }
    }

    /// The events that arrived since the last poll, in order.
    pub fn poll(&mut self, store: &AnyStore) -> Result<Vec<Value>> {
        match (&mut self.inner, store) {
            (Inner::File { path, feed }, _) => feed.read(path),
            (Inner::Pg { last, watch, asked }, AnyStore::Pg(pg)) => {
                let woken = watch.as_ref().is_none_or(super::pg::Watch::woken);
                if !woken && asked.is_some_and(|t| t.elapsed() < ASK_ANYWAY) {
                    return Ok(Vec::new());
                }
                *asked = Some(std::time::Instant::now());
                let events: Vec<Value> = pg
                    .events_after(*last)?
                    .iter()
                    .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                    .collect();
                if let Some(seq) = events.last().and_then(|e| e["seq"].as_i64()) {
                    *last = seq;
                }
                Ok(events)
            }
            (Inner::Pg { .. }, AnyStore::File(_)) => Ok(Vec::new()),
        }
    }

    /// The seq of the last event this feed has given (or skipped).
    pub fn seen(&self) -> u64 {
        match &self.inner {
            Inner::File { feed, .. } => feed.seen,
            Inner::Pg { last, .. } => u64::try_from(*last).unwrap_or(0),
        }
    }
}

/// Where the reader is in the event file.
struct FileFeed {
    offset: u64,
    /// Bytes of a line not yet complete.
    pending: Vec<u8>,
    /// Events up to this seq were printed (or skipped by `--since`).
    seen: u64,
    /// Drop the bytes up to the first newline (started inside a line).
    skip_partial: bool,
}

impl FileFeed {
    /// From `since` on, else from the end of the file as it is now.
    fn start(path: &Path, since: Option<u64>) -> Result<FileFeed> {
        if let Some(seen) = since {
            return Ok(FileFeed {
                offset: 0,
                pending: Vec::new(),
                seen,
                skip_partial: false,
            });
        }
        let len = std::fs::metadata(path).map_or(0, |m| m.len());
        let mid_line = len > 0 && {
            let mut f = File::open(path).map_err(|e| NexusError::io("open", path, e))?;
            let mut last = [0u8; 1];
            f.seek(SeekFrom::Start(len - 1))
                .and_then(|_| f.read_exact(&mut last))
                .map_err(|e| NexusError::io("read", path, e))?;
            last[0] != b'\n'
        };
        let seen = super::events::last_seq(path.parent().unwrap_or(Path::new(".")))?;
        Ok(FileFeed {
            offset: len,
            pending: Vec::new(),
            seen,
            skip_partial: mid_line,
        })
    }

    /// The events appended since the last call, in order.
    fn read(&mut self, path: &Path) -> Result<Vec<Value>> {
        let len = match std::fs::metadata(path) {
            Ok(m) => m.len(),
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(NexusError::io("read", path, e)),
        };
        if len < self.offset {
            // Rewritten shorter (a repaired file): read it again; `seen`
            // keeps every event printed once.
            self.offset = 0;
            self.pending.clear();
        }
        if len == self.offset {
            return Ok(Vec::new());
        }
        let mut f = File::open(path).map_err(|e| NexusError::io("open", path, e))?;
        f.seek(SeekFrom::Start(self.offset))
            .map_err(|e| NexusError::io("read", path, e))?;
        let mut buf = Vec::new();
        f.take(len - self.offset)
            .read_to_end(&mut buf)
            .map_err(|e| NexusError::io("read", path, e))?;
        self.offset += buf.len() as u64;
        self.pending.extend_from_slice(&buf);
        let Some(end) = self.pending.iter().rposition(|b| *b == b'\n') else {
            return Ok(Vec::new());
        };
        let complete: Vec<u8> = self.pending.drain(..=end).collect();
        let mut lines = complete.split(|b| *b == b'\n');
        if std::mem::take(&mut self.skip_partial) {
            lines.next();
        }
        let mut events = Vec::new();
        for l in lines.filter(|l| !l.is_empty()) {
            let Ok(v) = serde_json::from_slice::<Value>(l) else {
                continue;
            };
            let Some(seq) = v["seq"].as_u64() else {
                continue;
            };
            if seq > self.seen {
                self.seen = seq;
                events.push(v);
            }
        }
        Ok(events)
    }
}
