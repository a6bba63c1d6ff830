//! What changed since a reader last looked, for the live dashboard: the
//! events written since (they name every record a step changed, in the same
//! step), and those claim records alone, found without reading the claims
//! file whole. When the events cannot tell (another tool wrote the files, a
//! step is half applied, records were archived), the answer is `None` and
//! the reader reads everything again.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use super::array_file::ArrayFile;
use super::events::EVENTS_FILE;
use super::index::{Index, Stamp};
use super::snapshot::{consistent, read_array};
use super::{
    AGENTS_FILE, ARCHIVE_FILE, AnyStore, CLAIMS_FILE, LOG_FILE, VELOCITY_FILE, fsio, locate,
};
use crate::error::Result;

/// Beyond this many changed records a whole read is as quick.
const MAX_RECORDS: usize = 2_000;

/// The changes since byte `from` of the events file.
#[derive(Debug, Default)]
pub struct Changes {
    /// Each changed claim record as it is now, by work id, in event order.
    pub claims: Vec<(String, Value)>,
    /// The agent records, read again when one changed.
    pub agents: Option<Vec<Value>>,
    /// The completions and velocity lines, read again after a completion.
    pub completions: Option<(Vec<Value>, Vec<String>)>,
    /// Where the events read end: the next `from`.
    pub events_end: u64,
    /// The state files as they were just before the events were read (see
    /// [`AnyStore::changes_after`]).
    pub stamps: Vec<Option<Stamp>>,
    /// PostgreSQL: the last import's mark and the digest of the event line
    /// numbered `events_end`; an import, or events emptied (and written
    /// again past that number), change it.
    pub tag: Option<String>,
}

impl Changes {
    /// Where to follow from after these changes are applied: their mark,
    /// taken out of them (the records stay).
    pub fn take_mark(&mut self) -> Changes {
        Changes {
            events_end: self.events_end,
            stamps: std::mem::take(&mut self.stamps),
            tag: self.tag.take(),
            ..Changes::default()
        }
    }
}

/// The files whose change without an event means another tool wrote them.
const STATE_FILES: [&str; 5] = [
    CLAIMS_FILE,
    AGENTS_FILE,
    LOG_FILE,
    VELOCITY_FILE,
    ARCHIVE_FILE,
];

fn stamps(dir: &Path) -> Vec<Option<Stamp>> {
    STATE_FILES
        .iter()
        .map(|f| Stamp::of(&dir.join(f)))
        .collect()
}

impl AnyStore {
    /// Where a reader that keeps the whole state in memory starts following
    /// from, taken just before it reads everything: the events file's length
    /// and the state files' stamps, or PostgreSQL's last event number and
    /// its tag (the import mark and that line's digest).
    /// Changes made during the read are applied again next time, which
    /// changes nothing.
    pub fn follow_mark(&self) -> Result<Changes> {
        match self {
            AnyStore::File(f) => Ok(Changes {
                stamps: stamps(f.dir()),
                events_end: events_len(f.dir()),
                ..Changes::default()
            }),
            AnyStore::Pg(pg) => pg.follow_mark(),
        }
    }

    /// The changes since `mark` (an earlier [`follow_mark`](Self::follow_mark)
    /// or answer of this), with the mark to follow from next; `None` when
    /// only a whole read can tell: another tool wrote the files (a stamp
    /// moved without an event), records were archived, too many changed,
    /// or (PostgreSQL) the events were emptied or a store was imported.
    pub fn changes_after(&self, mark: &Changes, timeout: Duration) -> Result<Option<Changes>> {
        match self {
            AnyStore::File(f) => {
                let dir = f.dir();
                // Before the events: a write after this shows next time.
                let now = stamps(dir);
                let Some(mut changes) = changes_since(dir, mark.events_end, timeout)? else {
                    return Ok(None);
                };
                let quiet = changes.events_end == mark.events_end;
                if quiet && now != mark.stamps {
                    return Ok(None);
                }
                changes.stamps = now;
                Ok(Some(changes))
            }
            AnyStore::Pg(pg) => pg.changes_after(mark),
        }
    }
}

/// The events file's length now: where a reader that just read everything
/// starts following.
pub fn events_len(dir: &Path) -> u64 {
    Stamp::of(&dir.join(EVENTS_FILE)).map_or(0, |s| s.len)
}

/// What a run of event lines names: the claims changed (each once, in
/// order), whether an agent changed, whether work was completed.
pub(super) struct Named {
    pub ids: Vec<String>,
    pub agents: bool,
    pub completed: bool,
}

/// What `lines` name; `None` when they cannot tell (a line that is not an
/// event, an archive, an unknown record) or name more than a whole read
/// is worth.
pub(super) fn named<'a>(lines: impl Iterator<Item = &'a [u8]>) -> Option<Named> {
    let mut out = Named {
        ids: Vec::new(),
        agents: false,
        completed: false,
    };
    for line in lines.filter(|l| !l.is_empty()) {
        let event = serde_json::from_slice::<Value>(line).ok()?;
        let field = |k: &str| event.get(k).and_then(Value::as_str);
        match (field("record"), field("event"), field("id")) {
            (Some("agent"), ..) => out.agents = true,
            (Some("claim"), Some(e), Some(id)) if e != "archived" => {
                out.completed |= e == "completed";
                if !out.ids.iter().any(|i| i == id) {
                    out.ids.push(id.to_string());
                }
            }
            _ => return None,
        }
    }
    (out.ids.len() <= MAX_RECORDS).then_some(out)
}

/// The changes of the steps whose events start at byte `from`, read as of
/// one step; `None` when they cannot be told from the events alone.
pub fn changes_since(dir: &Path, from: u64, timeout: Duration) -> Result<Option<Changes>> {
    consistent(dir, timeout, |pending| match pending.is_empty() {
        true => read_changes(dir, from),
        false => Ok(None),
    })
}

fn read_changes(dir: &Path, from: u64) -> Result<Option<Changes>> {
    let path = dir.join(EVENTS_FILE);
    let len = events_len(dir);
    if len < from {
        return Ok(None);
    }
    let tail = locate::read_from(&path, from)?;
    // Only whole lines: a line being written is read next time.
    let whole = tail.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let mut out = Changes {
        events_end: from + whole as u64,
        ..Changes::default()
    };
    let lines = tail[..whole].split(|b| *b == b'\n');
    let Some(names) = named(lines) else {
        return Ok(None);
    };
    // The index vouches for the claims file as the last step left it;
    // otherwise another tool wrote it, and only a whole read tells.
    let index = Index::load(dir);
    if !names.ids.is_empty() && index.trusted(CLAIMS_FILE, &dir.join(CLAIMS_FILE)).is_none() {
        return Ok(None);
    }
    let mut claims = ArrayFile::new(dir, CLAIMS_FILE);
    for id in names.ids {
        match claims.find("work_item_id", &id, &index)? {
            Some((_, record)) => out.claims.push((id, record)),
            None => return Ok(None),
        }
    }
    if names.agents {
        out.agents = Some(read_array(dir, AGENTS_FILE, &[])?);
    }
    if names.completed {
        let velocity = fsio::read_optional(&dir.join(VELOCITY_FILE))?.unwrap_or_default();
        let log = read_array(dir, LOG_FILE, &[])?;
        out.completions = Some((log, super::snapshot::lines(&velocity)));
    }
    Ok(Some(out))
}
