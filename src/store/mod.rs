//! The only code that touches state.
//!
//! Writers go through [`Store::update`]: one step that sees the state through
//! [`State`] (intent-level calls: get, put or insert a claim, the claims
//! matching a filter, archive, get or put an agent, add a completion with its
//! velocity, add the command's span) and either changes everything the
//! closure asked for or nothing. The store records every change itself, for
//! the audit trail and for the effects derived from the step. Readers take a
//! [`Snapshot`] and never need the lock. [`FileStore`] keeps the state in the
//! legacy JSON files; [`pg::PgStore`] in PostgreSQL, for fleets across
//! machines (see its module); [`MemStore`] keeps it in memory for unit
//! tests. [`AnyStore`] is the one a run uses, chosen from the settings.
//!
//! # One command, one step (the file store)
//!
//! A step passes through these states; a crash (SIGKILL, power cut) in each
//! leaves the directory as follows, and the next writer, holding the lock,
//! recovers before doing anything else:
//!
//! 1. **Lock taken, journal recovered, closure running.** Nothing written.
//!    A crash leaves the state before.
//! 2. **Prepared.** The step's changes are computed as a list of "from byte
//!    N on, file F holds these bytes"; whole-file rewrites are written to temp
//!    files beside their targets, appends have their blocks reserved
//!    (`fallocate`), so that applying cannot run out of space. A crash leaves
//!    the state before plus stray temp files, which the next writer removes.
//!    An I/O error removes them and exits 1.
//! 3. **Committed.** The list is appended to `.nexus.journal` as one record
//!    with a checksum and flushed (`fdatasync`): this is the commit point.
//!    A crash during the append leaves a torn record, which recovery drops:
//!    the state before. A crash after it leaves a committed record, which
//!    recovery replays: the state after.
//! 4. **Applied.** Temps are renamed over their targets, appends written in
//!    place. An I/O error here undoes what was applied (the before-images are
//!    kept in memory), marks the record aborted and exits 1: the state before.
//!    A crash here is replayed by recovery: the state after.
//! 5. **Marked applied.** The record is marked and the journal header says
//!    idle. Past 64 MiB the journal is checkpointed: every file it names is
//!    flushed, then it is emptied.
//!
//! After a power cut the records since the last checkpoint carry another boot
//! id; recovery then replays them all in order (each change sets the file
//! from its offset on, so replaying in order is exact), then checkpoints.
//! Exit code 0 therefore always means "after", and a non-zero exit from an
//! error means "before"; a killed command has no exit code and may be either,
//! which its caller can tell by reading the state.
//!
//! Readers poll the journal header (generation, busy flag) before and after
//! reading the files and read again when a step ran in between; a reader that
//! keeps losing that race reads under the lock, and a committed record left by
//! a dead writer is laid over the files in memory, so readers always see a
//! whole step and never write.

mod alarm;
mod any;
mod array_file;
mod array_text;
pub(crate) mod audit;
pub(crate) mod events;
mod feed;
mod file_batch;
mod follow;
mod fsio;
mod group;
#[cfg(test)]
mod group_jobs_tests;
#[cfg(test)]
mod group_tests;
mod index;
mod journal;
mod locate;
mod lock;
mod mapped;
mod memory;
pub mod pg;
#[cfg(test)]
mod ready_tests;
pub(crate) mod repair;
mod snapshot;
mod tx;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::error::Result;
pub use any::{AnyStore, Groups, StoreChoice};
pub use audit::{Change, Head, Step};
pub use feed::EventFeed;
pub use file_batch::FileBatch;
pub use follow::{Changes, changes_since, events_len};
pub use fsio::{arm_checkpoint, arm_faults, check_target, create_dir, read_optional};
pub use group::{Batch, Group};
pub use index::Stamp;
pub use journal::Recovery;
pub use lock::DEFAULT_LOCK_TIMEOUT_MS;
pub use memory::{MemState, MemStore};
pub use repair::{Finding, Level};
pub use snapshot::{Snapshot, SpanRead};

pub const CLAIMS_FILE: &str = "work_claims.json";
pub const AGENTS_FILE: &str = "agent_status.json";
pub const LOG_FILE: &str = "coordination_log.json";
pub const VELOCITY_FILE: &str = "velocity_log.txt";
pub const SPANS_FILE: &str = "telemetry_spans.jsonl";
pub const ARCHIVE_FILE: &str = "work_claims_archive.jsonl";
pub const BACKUP_DIR: &str = "backups";

/// The state as a mutation sees it, inside one step.
pub trait State {
    /// Whether the claims exist at all (a directory never written has none).
    fn claims_exist(&self) -> bool;
    /// Where the claims live, for error messages.
    fn claims_path(&self) -> PathBuf;
    /// The claim `id` (the last one, should the id repeat).
    fn claim(&mut self, id: &str) -> Result<Option<Value>>;
    /// The last claim whose string field `key` is `value` (a request id).
    fn claim_by(&mut self, key: &str, value: &str) -> Result<Option<Value>> {
        let matches = |c: &Value| crate::records::text(c, key) == Some(value);
        Ok(self.claims_where(&matches)?.pop())
    }
    /// The claim `id` as `cleanup` moved it to the archive, if it is there.
    fn archived_claim(&mut self, _id: &str) -> Result<Option<Value>> {
        Ok(None)
    }
    /// Replace the claim of the same id with `record`.
    fn put_claim(&mut self, record: Value) -> Result<()>;
    /// Add a new claim at the end.
    fn insert_claim(&mut self, record: Value);
    /// The claims for which `keep` is true, in order.
    fn claims_where(&mut self, keep: &dyn Fn(&Value) -> bool) -> Result<Vec<Value>>;
    /// What `claim --next` takes: the first ready item (of `team`) by the
    /// one readiness rule, [`queue::next`](crate::records::queue::next), and
    /// how many items the backlog holds. A store shared by many writers
    /// locks the item for this step, so concurrent steps take different ones.
    fn next_ready(
        &mut self,
        team: Option<&str>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(Option<Value>, usize)> {
        let mut claims = self.claims_where(&|_| true)?;
        let (first, waiting) = crate::records::queue::next(&claims, team, now);
        Ok((first.map(|i| claims.swap_remove(i)), waiting))
    }
    /// A `work_<n>` id not used in the claims, `n` at least `now_ns`.
    fn next_work_id(&mut self, now_ns: u128) -> Result<String>;
    /// Move the claims `ids` to the archive (after a backup of the claims).
    fn archive(&mut self, ids: &[String], now: &str) -> Result<()>;
    /// The agent `id`.
    fn agent(&mut self, id: &str) -> Result<Option<Value>>;
    /// Insert or replace the agent of the record's id; `to_end` moves it
    /// to the end (callers of `register` read `.[-1]`).
    fn put_agent(&mut self, record: Value, to_end: bool) -> Result<()>;
    /// Add a completion record and its line in the velocity log.
    fn add_completion(&mut self, completion: Value) -> Result<()>;
    /// Add the command's span line to the spans file.
    fn add_span(&mut self, line: &str);
    /// The record changes made so far in this step (not those of the steps
    /// before it in the same batch).
    fn changes(&self) -> &[Change];
}

/// Where the state lives, and the one way to change it.
pub trait Store {
    /// Run one step: the closure's changes all take effect, or none do (and
    /// none do when it fails). One event line per changed record joins the
    /// step, and one audit line too when `step.audit`.
    fn update<T: Send>(
        &self,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T> + Send,
    ) -> Result<T>;
    /// Every record, as of one moment, without blocking writers for long.
    fn snapshot(&self) -> Result<Snapshot>;
}

/// The velocity log line of a completion record.
pub fn velocity_line(completion: &Value) -> String {
    format!(
        "{}: Team {} +{} velocity points\n",
        completion["completed_at"].as_str().unwrap_or(""),
        completion["team"]
            .as_str()
            .unwrap_or(crate::records::DEFAULT_TEAM),
        completion["velocity_points"]
    )
}

/// Replace one whole file that no other file depends on (an analysis
/// result): a temp file beside it, flushed, renamed over it. Refuses links
/// and keeps the mode of the file it replaces.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fsio::create_dir(dir)?;
    fsio::check_target(path)?;
    let tmp = fsio::write_temp(dir, path, bytes)?;
    let flushed = fsio::open_read(&tmp)
        .and_then(|f| f.map_or(Ok(()), |f| fsio::sync(&f, &tmp)))
        .and_then(|()| fsio::rename(&tmp, path));
    if flushed.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    flushed
}

/// State kept in JSON files in one coordination directory.
#[derive(Debug, Clone)]
pub struct FileStore {
    dir: PathBuf,
    lock_timeout: Duration,
    /// The batches steps join (a long-lived process), if any.
    group: Option<std::sync::Arc<Group>>,
}

impl FileStore {
    pub fn new(dir: impl Into<PathBuf>, lock_timeout: Duration) -> FileStore {
        FileStore {
            dir: dir.into(),
            lock_timeout,
            group: None,
        }
    }

    /// This store with its steps committed in `group`'s batches, together
    /// with the steps of the other stores of the group (see [`Group`]).
    pub fn grouped(self, group: &std::sync::Arc<Group>) -> FileStore {
        FileStore {
            group: Some(std::sync::Arc::clone(group)),
            ..self
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Take the lock and finish any step a dead writer left; the caller then
    /// holds the directory alone until the guard drops.
    pub fn lock(&self) -> Result<(lock::LockGuard, journal::Recovery)> {
        self.lock_with(false)
    }

    /// [`lock`](Self::lock); with `set_aside`, a damaged journal (which
    /// recovery refuses to replay) is moved to `backups/` first, so the
    /// files are kept as they are (doctor --fix).
    pub(crate) fn lock_with(
        &self,
        set_aside: bool,
    ) -> Result<(lock::LockGuard, journal::Recovery)> {
        fsio::create_state_dir(&self.dir)?;
        let guard = lock::acquire(&self.dir, self.lock_timeout)?;
        let mut rec = match journal::Journal::open(&self.dir)?.recover() {
            Err(crate::error::NexusError::JournalDamaged { .. }) if set_aside => {
                journal::set_aside(&self.dir)?;
                let mut j = journal::Journal::open(&self.dir)?;
                let mut r = j.recover()?;
                r.set_aside = true;
                r
            }
            other => other?,
        };
        rec.temps = fsio::remove_stray_temps(&self.dir);
        Ok((guard, rec))
    }

    /// Make `ops` one step in a directory already locked with [`lock`](Self::lock).
    pub fn apply_locked(&self, ops: &[journal::Op]) -> Result<()> {
        journal::Journal::open(&self.dir)?.run(ops)
    }
}

impl Store for FileStore {
    fn update<T: Send>(
        &self,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T> + Send,
    ) -> Result<T> {
        if let Some(group) = &self.group {
            return group.update(self, step, f);
        }
        let (_guard, _) = self.lock()?;
        let mut tx = tx::FileTx::new(&self.dir);
        let out = f(&mut tx)?;
        let ops = tx.ops(step)?;
        self.apply_locked(&ops)?;
        Ok(out)
    }

    fn snapshot(&self) -> Result<Snapshot> {
        Snapshot::read_with(&self.dir, self.lock_timeout)
    }
}

impl FileStore {
    /// The items `claim --next` may take at `now` (of `team`), in claim
    /// order, computed from views of the claims file's bytes (only the ready
    /// items are parsed whole); `None` when the file is not in nexus's
    /// layout or an item does not parse, for the snapshot to answer.
    pub fn ready(
        &self,
        team: Option<&str>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<Vec<Value>>> {
        use crate::records::queue;
        snapshot::consistent(&self.dir, self.lock_timeout, |pending| {
            let bytes = snapshot::read_file(&self.dir, CLAIMS_FILE, pending)?;
            let bytes = bytes.unwrap_or_default();
            let Some(spans) = crate::records::scan::canonical_spans(&bytes) else {
                return Ok(None);
            };
            let views = queue::views(&bytes, &spans);
            let order = queue::ready(&views, team, now);
            // An element that does not parse: the snapshot names the error.
            Ok(order
                .into_iter()
                .map(|i| serde_json::from_slice(&bytes[spans[i].0..spans[i].1]).ok())
                .collect())
        })
    }
}
