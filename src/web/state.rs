//! The server's copy of the state in memory, for the pages that read all of
//! it (Fleet, Work) and the API's list: read whole once, then kept current
//! from the store's events. Before each read it asks the store what changed
//! since it last looked (a look at the events file's length and the state
//! files' stamps, or PostgreSQL's last event number) and applies only the
//! records the new events name; when the events cannot tell (another tool
//! wrote the files, records were archived, too many changed) it reads
//! everything again. So a page never shows less than the store held when
//! the request came, CLI writers beside the server included.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::rows::{self, Figures, Names, Row};
use crate::error::Result;
use crate::records::claim_record::ClaimRecord;
use crate::records::text;
use crate::store::{AnyStore, Changes, Snapshot, Store};

/// How long a look at the changes waits for writers that keep the files
/// moving.
const WAIT: Duration = Duration::from_millis(crate::config::DEFAULT_LOCK_TIMEOUT_MS);

/// The copy, shared by every request of a server.
#[derive(Default)]
pub struct Memory {
    held: Mutex<Option<Held>>,
}

/// The state as of the last look, and where to look from next.
pub struct Held {
    pub snap: Snapshot,
    /// Each claim's row, beside it.
    rows: Vec<Row>,
    names: Names,
    /// Where each work id's (last) record is in `snap.claims`.
    by_id: HashMap<String, usize>,
    mark: Changes,
    /// Counts whole reads and applied changes: what was computed from an
    /// equal version is still true.
    pub version: u64,
}

impl Memory {
    /// Run `f` on the state as current as the store's last step.
    pub fn with<T>(&self, store: &AnyStore, f: impl FnOnce(&Held) -> Result<T>) -> Result<T> {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        let current = match held.as_mut() {
            Some(h) => h.catch_up(store)?,
            None => false,
        };
        if !current {
            let version = held.as_ref().map_or(0, |h| h.version + 1);
            // A failed read leaves nothing: the next request reads again.
            *held = None;
            *held = Some(Held::read(store, version)?);
        }
        f(held.as_ref().expect("read above"))
    }

    /// Forget the copy: the next read reads everything.
    #[cfg(test)]
    pub fn forget(&self) {
        *self.held.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

impl Held {
    fn read(store: &AnyStore, version: u64) -> Result<Held> {
        let mark = store.follow_mark()?;
        let snap = store.snapshot()?;
        let by_id = snap
            .claims
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((text(c, "work_item_id")?.to_string(), i)))
            .collect();
        let mut names = Names::default();
        let rows = snap.claims.iter().map(|c| Row::of(c, &mut names)).collect();
        Ok(Held {
            snap,
            rows,
            names,
            by_id,
            mark,
            version,
        })
    }

    /// The Fleet page's figures at `now`.
    pub fn figures(&self, now: DateTime<Utc>, offline_after_secs: i64) -> Figures {
        let s = &self.snap;
        rows::figures(
            s,
            &self.rows,
            &self.names,
            &self.by_id,
            now,
            offline_after_secs,
        )
    }

    /// Apply what changed since the last look; `false` when only a whole
    /// read can tell.
    fn catch_up(&mut self, store: &AnyStore) -> Result<bool> {
        let Some(changes) = store.changes_after(&self.mark, WAIT)? else {
            return Ok(false);
        };
        let changed =
            !changes.claims.is_empty() || changes.agents.is_some() || changes.completions.is_some();
        let s = &mut self.snap;
        for (id, record) in changes.claims {
            let record = ClaimRecord::from(record);
            let row = Row::of(&record, &mut self.names);
            match self.by_id.get(&id) {
                Some(&i) => {
                    s.claims[i] = record;
                    self.rows[i] = row;
                }
                None => {
                    self.by_id.insert(id, s.claims.len());
                    s.claims.push(record);
                    self.rows.push(row);
                }
            }
        }
        if let Some(agents) = changes.agents {
            s.agents = agents;
        }
        if let Some((completions, velocity)) = changes.completions {
            s.completions = completions;
            s.velocity_lines = velocity;
        }
        self.mark = Changes {
            events_end: changes.events_end,
            stamps: changes.stamps,
            ..Changes::default()
        };
        self.version += u64::from(changed);
        Ok(true)
    }
}
