//! `nexus watch`: follow `events.jsonl` and print one line per change as it
//! happens. Every event carries its gap-free `seq`, so a consumer that
//! remembers the last one it saw resumes with `--since` and misses nothing.
//! Idle, it checks the file's size every 200 ms; it ends on Ctrl-C, SIGTERM
//! or when its reader goes away (a closed pipe).

use std::fs::File;
use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;

use super::Outcome;
use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::store::events::EVENTS_FILE;
use crate::text::line;

/// How often an idle watch looks for new events.
const POLL: Duration = Duration::from_millis(200);

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

/// What to print and when to stop.
pub struct Watch<'a> {
    pub since: Option<u64>,
    pub team: Option<&'a str>,
    pub follow: bool,
}

/// Follow the events of the store until stopped.
pub fn run(cfg: &Config, w: &Watch) -> Result<Outcome> {
    let store = cfg.open_store();
    let path = cfg.dir.join(EVENTS_FILE);
    if w.follow {
        // SAFETY: the handler only stores to an atomic, which is signal-safe.
        unsafe {
            libc::signal(libc::SIGINT, on_signal as *const () as libc::sighandler_t);
            libc::signal(libc::SIGTERM, on_signal as *const () as libc::sighandler_t);
        }
    }
    let mut feed = Feed::start(&path, w.since)?;
    // Without --since, only what happens from now on (as with the file).
    let mut last = match (w.since, store.pg()) {
        (Some(s), _) => s as i64,
        (None, Some(pg)) => pg.last_seq()?,
        (None, None) => 0,
    };
    let mut out = std::io::stdout().lock();
    loop {
        let events = match store.pg() {
            // On PostgreSQL the events are rows numbered the same way.
            Some(pg) => pg
                .events_after(last)?
                .iter()
                .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                .collect(),
            None => feed.read(&path)?,
        };
        for event in events {
            last = last.max(event["seq"].as_i64().unwrap_or(last));
            if w.team.is_some_and(|t| event["team"].as_str() != Some(t)) {
                continue;
            }
            let text = if cfg.json {
                format!("{event}\n")
            } else {
                human(&event)
            };
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::BrokenPipe => return Ok(done()),
                Err(e) => return Err(NexusError::io("write", "stdout", e)),
            }
        }
        if !w.follow || STOP.load(Ordering::SeqCst) || reader_gone() {
            return Ok(done());
        }
        std::thread::sleep(POLL);
        if STOP.load(Ordering::SeqCst) {
            return Ok(done());
        }
    }
}

fn done() -> Outcome {
    Outcome::new(String::new(), Value::Null)
}

/// One event as a human line: seq, time, event, item, status, team, agent.
pub fn human(e: &Value) -> String {
    let s = |k: &str| e[k].as_str().unwrap_or("-").to_string();
    line(&format!(
        "#{} {} {:<18} {} {} team={} agent={} ({})",
        e["seq"],
        s("at"),
        s("event"),
        s("id"),
        s("status"),
        s("team"),
        s("agent_id"),
        s("command"),
    ))
    .into_owned()
        + "\n"
}

/// Whether stdout is a pipe or socket whose reader has gone.
fn reader_gone() -> bool {
    let mut fd = libc::pollfd {
        fd: 1,
        events: 0,
        revents: 0,
    };
    // SAFETY: one valid pollfd, no timeout.
    let n = unsafe { libc::poll(&mut fd, 1, 0) };
    n > 0 && fd.revents & (libc::POLLERR | libc::POLLHUP) != 0
}

/// Where the reader is in the event file.
struct Feed {
    offset: u64,
    /// Bytes of a line not yet complete.
    pending: Vec<u8>,
    /// Events up to this seq were printed (or skipped by `--since`).
    seen: u64,
    /// Drop the bytes up to the first newline (started inside a line).
    skip_partial: bool,
}

impl Feed {
    /// From `since` on, else from the end of the file as it is now.
    fn start(path: &Path, since: Option<u64>) -> Result<Feed> {
        if let Some(seen) = since {
            return Ok(Feed {
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
        let seen = crate::store::events::last_seq(path.parent().unwrap_or(Path::new(".")))?;
        Ok(Feed {
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
