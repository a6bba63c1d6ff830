//! Group commit for a long-lived process (`nexus serve`) on the file store:
//! steps asked for at the same time share one lock acquisition and one
//! journal record, so one flush makes them all durable.
//!
//! The first step to arrive leads a batch: it takes the directory's lock,
//! opens one [`FileTx`] and runs its own operation. Steps arriving meanwhile
//! (those that queued while the batch before was being written, and any
//! that arrive while this one is open) join it and run their operations one
//! at a time against the same transaction, each from a savepoint: one that
//! fails is rolled back as if it never ran and leaves the others alone. Each
//! keeps its own [`Step`], so its audit lines, events and span are its own,
//! numbered after those of the steps before it. When no step waits to join
//! (or the batch holds [`MAX_STEPS`]), the leader turns the batch into one
//! journal run, releases the lock and wakes every member with the outcome;
//! no member returns before its step is durable (or the batch failed, and
//! then none of it happened).
//!
//! A CLI process writing at the same moment takes the same lock, which the
//! batch holds for its whole life, so the two never interleave.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::Instant;

use super::audit::Step;
use super::tx::FileTx;
use super::{FileStore, State};
use crate::error::{NexusError, Result};

/// At most this many steps share one batch.
pub const MAX_STEPS: usize = 64;

/// The batches of one process: share one `Arc<Group>` among the stores of
/// a directory (see [`FileStore::grouped`]).
#[derive(Default)]
pub struct Group {
    inner: Mutex<Inner>,
    /// Steps waiting for a batch to join or lead.
    joinable: Condvar,
    /// The leader, waiting for the queued steps to join.
    joined: Condvar,
    /// Members, waiting for their batch's outcome.
    done: Condvar,
}

impl std::fmt::Debug for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Group")
    }
}

#[derive(Default)]
struct Inner {
    /// Whether a leader holds the lock (opening, running or writing a batch).
    leading: bool,
    /// The batch open for steps to join.
    open: Option<Batch>,
    /// Steps waiting to join a batch.
    queued: usize,
}

/// How a batch ended: written, or the error that stopped it.
type Outcome = Arc<OnceLock<std::result::Result<(), Arc<NexusError>>>>;

struct Batch {
    tx: FileTx,
    /// Each step that succeeded, with the end of its changes.
    steps: Vec<(Step, usize)>,
    /// Every step that ran, failed or not.
    ran: usize,
    outcome: Outcome,
}

impl Group {
    pub fn new() -> Arc<Group> {
        Arc::new(Group::default())
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Run `f` as one step of `store`, in a batch with the steps asked for
    /// at the same time; returns once the batch is durable.
    pub fn update<T>(
        &self,
        store: &FileStore,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T>,
    ) -> Result<T> {
        // The lock is awaited at most the store's timeout in all, queued or not.
        let deadline = Instant::now() + store.lock_timeout;
        let mut inner = self.inner();
        inner.queued += 1;
        loop {
            if inner.open.as_ref().is_some_and(|b| b.ran < MAX_STEPS) {
                break;
            }
            if !inner.leading {
                inner.queued -= 1;
                return self.lead(inner, store, deadline, step, f);
            }
            inner = self.joinable.wait(inner).unwrap_or_else(|p| p.into_inner());
        }
        inner.queued -= 1;
        let Some(batch) = inner.open.as_mut() else {
            unreachable!("a batch is open")
        };
        let out = batch.run(step, f);
        let outcome = Arc::clone(&batch.outcome);
        self.joined.notify_one();
        let inner = self.wait(inner, &outcome);
        drop(inner);
        finish(out, &outcome, store)
    }

    /// Lead a batch: take the lock, open the transaction, run `f`, let the
    /// queued steps join, then write the batch.
    fn lead<T>(
        &self,
        mut inner: MutexGuard<'_, Inner>,
        store: &FileStore,
        deadline: Instant,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T>,
    ) -> Result<T> {
        inner.leading = true;
        drop(inner);
        let left = deadline.saturating_duration_since(Instant::now());
        let locked = FileStore::new(store.dir(), left).lock();
        let mut inner = self.inner();
        let guard = match locked {
            Ok((guard, _)) => guard,
            Err(e) => {
                // The queued steps try the lock themselves.
                inner.leading = false;
                self.joinable.notify_all();
                return Err(e);
            }
        };
        let outcome = Outcome::default();
        let mut batch = Batch {
            tx: FileTx::new(store.dir()),
            steps: Vec::new(),
            ran: 0,
            outcome: Arc::clone(&outcome),
        };
        let out = batch.run(step, f);
        inner.open = Some(batch);
        self.joinable.notify_all();
        while inner.queued > 0 && inner.open.as_ref().is_some_and(|b| b.ran < MAX_STEPS) {
            inner = self.joined.wait(inner).unwrap_or_else(|p| p.into_inner());
        }
        let Some(batch) = inner.open.take() else {
            unreachable!("the leader's batch is open")
        };
        drop(inner);
        // Even a panic while writing must wake the members and free the group.
        let written = catch_unwind(AssertUnwindSafe(|| batch.write(store)));
        let (written, panicked) = match written {
            Ok(w) => (w.map_err(Arc::new), None),
            Err(panic) => {
                let e = std::io::Error::other("the step's writer panicked");
                let e = NexusError::io("write the step to", store.dir(), e);
                (Err(Arc::new(e)), Some(panic))
            }
        };
        drop(guard);
        let mut inner = self.inner();
        let _ = outcome.set(written);
        inner.leading = false;
        self.done.notify_all();
        self.joinable.notify_all();
        drop(inner);
        if let Some(panic) = panicked {
            resume_unwind(panic);
        }
        finish(out, &outcome, store)
    }

    /// Wait until `outcome` is known.
    fn wait<'a>(
        &self,
        mut inner: MutexGuard<'a, Inner>,
        outcome: &Outcome,
    ) -> MutexGuard<'a, Inner> {
        while outcome.get().is_none() {
            inner = self.done.wait(inner).unwrap_or_else(|p| p.into_inner());
        }
        inner
    }
}

impl Batch {
    /// Run one step's operation from a savepoint: kept when it succeeds,
    /// undone when it fails (or panics).
    fn run<T>(
        &mut self,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T>,
    ) -> std::thread::Result<Result<T>> {
        self.ran += 1;
        let mark = self.tx.mark();
        let out = catch_unwind(AssertUnwindSafe(|| f(&mut self.tx)));
        match &out {
            Ok(Ok(_)) => self.steps.push((step.clone(), self.tx.changes_end())),
            _ => self.tx.rollback(mark),
        }
        out
    }

    /// Make the batch one journal run (nothing when no step succeeded).
    fn write(self, store: &FileStore) -> Result<()> {
        if self.steps.is_empty() {
            return Ok(());
        }
        let ops = self.tx.ops_of(&self.steps)?;
        store.apply_locked(&ops)
    }
}

/// A step's answer once its batch ended: its own result when the batch was
/// written, else the batch's error (what it saw was never stored).
fn finish<T>(
    out: std::thread::Result<Result<T>>,
    outcome: &Outcome,
    store: &FileStore,
) -> Result<T> {
    let out = out.unwrap_or_else(|panic| resume_unwind(panic));
    match outcome.get() {
        Some(Err(e)) => Err(copy(e, store)),
        _ => out,
    }
}

/// The batch's error for one of its steps.
fn copy(e: &NexusError, store: &FileStore) -> NexusError {
    match e {
        NexusError::Io {
            action,
            path,
            source,
        } => NexusError::io(
            action,
            path.clone(),
            std::io::Error::new(source.kind(), source.to_string()),
        ),
        NexusError::Symlink(p) => NexusError::Symlink(p.clone()),
        NexusError::NotAFile(p) => NexusError::NotAFile(p.clone()),
        NexusError::NotAnArray(p) => NexusError::NotAnArray(p.clone()),
        NexusError::JournalDamaged { path, offset } => NexusError::JournalDamaged {
            path: path.clone(),
            offset: *offset,
        },
        other => NexusError::io(
            "write the step to",
            store.dir(),
            std::io::Error::other(other.to_string()),
        ),
    }
}
