//! Group commit for a long-lived process (`nexus serve`): steps asked for at
//! the same time share one batch (one lock acquisition and one journal
//! record on the files, one transaction on PostgreSQL), so one flush makes
//! them all durable.
//!
//! The first step to arrive leads a batch: it opens one ([`Batch::open`]:
//! the directory's lock and a [`FileTx`], or a transaction) and runs its own
//! operation. Steps arriving meanwhile (those that queued while the batch
//! before was being written, and any that arrive while this one is open)
//! join it and run their operations one at a time against it, each from a
//! savepoint: one that fails is rolled back as if it never ran and leaves
//! the others alone. A batch takes in steps for a short while only (its
//! store's patience): a step kept waiting longer (behind one that waits for
//! a lock another process holds) runs on its own instead. Each keeps its
//! own [`Step`], so its audit lines, events and span are its own, numbered
//! after those of the steps before it. When
//! no step waits to join (or the batch holds [`Batch::MAX_STEPS`]), the leader
//! writes the batch ([`Batch::write`]) and wakes every member with the
//! outcome; no member returns before its step is durable (or the batch
//! failed, and then none of it happened).
//!
//! On the files, the batch holds the directory's lock for its whole life,
//! so a CLI process writing at the same moment never interleaves with it,
//! and the next batch opens once this one is written. On PostgreSQL the
//! next batch opens (on another connection) while this one commits: rows
//! and advisory locks order the two, as they order any two transactions.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use super::audit::Step;
use super::lock::LockGuard;
use super::tx::FileTx;
use super::{FileStore, State, Store};
use crate::error::{NexusError, Result};

/// What a store opens to make several steps one commit.
pub trait Batch: Sized + Send {
    type Store;
    /// Whether the next batch may open while this one is being written.
    const OVERLAP: bool;
    /// At most this many steps share one batch.
    const MAX_STEPS: usize;

    /// How long a step may wait for its batch to open, queued or not.
    fn timeout(store: &Self::Store) -> Duration;

    /// How long a step waits for a batch to take it in before it runs on
    /// its own ([`alone`](Self::alone)), and how long a batch takes in new
    /// steps: one slow step (waiting for a lock another process holds)
    /// then holds up the others for at most this long.
    fn patience(store: &Self::Store) -> Duration {
        (Self::timeout(store) / 4).min(Duration::from_millis(250))
    }

    /// Run one step on its own, as a process without a group does.
    fn alone<T>(
        store: &Self::Store,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T>,
    ) -> Result<T>;

    /// Whether steps may still join (a batch that can no longer commit
    /// lets them wait for the next one).
    fn accepting(&self) -> bool {
        true
    }

    /// Open a batch of `store`'s steps, waiting for it until `deadline`.
    fn open(store: &Self::Store, deadline: Instant) -> Result<Self>;

    /// Run one step's operation from a savepoint: kept when it succeeds,
    /// undone when it fails or panics (the panic is returned, not raised).
    fn run<T>(
        &mut self,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T>,
    ) -> std::thread::Result<Result<T>>;

    /// Make every step kept durable, all of them or none.
    fn write(self, store: &Self::Store) -> Result<()>;

    /// Where the batch is written, for an error that names no place.
    fn place(store: &Self::Store) -> String;
}

/// The batches of one process: share one `Arc<Group>` among the stores of
/// a directory or a server (see [`FileStore::grouped`]).
pub struct Group<B: Batch = FileBatch> {
    inner: Mutex<Inner<B>>,
    /// Steps waiting for a batch to join or lead.
    joinable: Condvar,
    /// The leader, waiting for the queued steps to join.
    joined: Condvar,
    /// Members, waiting for their batch's outcome.
    done: Condvar,
}

impl<B: Batch> Default for Group<B> {
    fn default() -> Self {
        Group {
            inner: Mutex::new(Inner {
                leading: false,
                open: None,
                queued: 0,
            }),
            joinable: Condvar::new(),
            joined: Condvar::new(),
            done: Condvar::new(),
        }
    }
}

impl<B: Batch> std::fmt::Debug for Group<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Group")
    }
}

struct Inner<B> {
    /// Whether a leader is opening, running (or, without overlap, writing)
    /// a batch.
    leading: bool,
    /// The batch open for steps to join.
    open: Option<Open<B>>,
    /// Steps waiting to join a batch.
    queued: usize,
}

/// How a batch ended: written, or the error that stopped it.
type Outcome = Arc<OnceLock<std::result::Result<(), Arc<NexusError>>>>;

struct Open<B> {
    batch: B,
    /// Every step that ran, failed or not.
    ran: usize,
    outcome: Outcome,
    /// Until when steps may join.
    until: Instant,
}

impl<B: Batch> Open<B> {
    /// Whether a step may join now.
    fn joinable(&self) -> bool {
        self.ran < B::MAX_STEPS && self.batch.accepting() && Instant::now() < self.until
    }

    fn run<T>(
        &mut self,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T>,
    ) -> std::thread::Result<Result<T>> {
        self.ran += 1;
        self.batch.run(step, f)
    }
}

impl<B: Batch> Group<B> {
    pub fn new() -> Arc<Group<B>> {
        Arc::new(Group::default())
    }

    fn inner(&self) -> MutexGuard<'_, Inner<B>> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Run `f` as one step of `store`, in a batch with the steps asked for
    /// at the same time; returns once the batch is durable.
    pub fn update<T>(
        &self,
        store: &B::Store,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T>,
    ) -> Result<T> {
        // A step not taken in by a batch within the store's patience runs
        // on its own.
        let patience = Instant::now() + B::patience(store);
        let deadline = Instant::now() + B::timeout(store);
        let mut inner = self.inner();
        inner.queued += 1;
        // The batch is taken out while one of its steps runs (outside the
        // lock, so that waiting steps keep their patience), then put back
        // and handed to one waiting step, which hands it on in its turn
        // (waking them all each time costs more than the steps).
        let mut open = loop {
            if let Some(open) = inner.open.take_if(|o| o.joinable()) {
                break open;
            }
            if !inner.leading {
                inner.queued -= 1;
                return self.lead(inner, store, deadline, step, f);
            }
            let now = Instant::now();
            if now >= patience {
                inner.queued -= 1;
                self.joined.notify_one();
                // Whoever woke this step to hand it the batch: the next one.
                self.joinable.notify_one();
                drop(inner);
                return B::alone(store, step, f);
            }
            inner = (self.joinable.wait_timeout(inner, patience - now))
                .unwrap_or_else(|p| p.into_inner())
                .0;
        };
        inner.queued -= 1;
        drop(inner);
        let out = open.run(step, f);
        let outcome = Arc::clone(&open.outcome);
        let mut inner = self.inner();
        // Straight on to a waiting step while the batch takes more; the
        // leader is woken only when it may write the batch (waking both
        // each time costs a thread switch per step).
        if inner.queued > 0 && open.joinable() {
            self.joinable.notify_one();
        } else {
            self.joined.notify_one();
        }
        inner.open = Some(open);
        let inner = self.wait(inner, &outcome);
        drop(inner);
        finish(out, &outcome, &B::place(store))
    }

    /// Lead a batch: open it, run `f`, let the queued steps join, then
    /// write the batch.
    fn lead<T>(
        &self,
        mut inner: MutexGuard<'_, Inner<B>>,
        store: &B::Store,
        deadline: Instant,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T>,
    ) -> Result<T> {
        inner.leading = true;
        drop(inner);
        let opened = catch_unwind(AssertUnwindSafe(|| B::open(store, deadline)));
        let batch = match opened {
            Ok(Ok(batch)) => batch,
            failed => {
                // The queued steps try to open one themselves.
                let mut inner = self.inner();
                inner.leading = false;
                self.joinable.notify_one();
                drop(inner);
                match failed {
                    Ok(Err(e)) => return Err(e),
                    Err(panic) => resume_unwind(panic),
                    Ok(Ok(_)) => unreachable!("a batch that opened"),
                }
            }
        };
        let outcome = Outcome::default();
        let mut open = Open {
            batch,
            ran: 0,
            outcome: Arc::clone(&outcome),
            until: Instant::now() + B::patience(store),
        };
        let out = open.run(step, f);
        let mut inner = self.inner();
        inner.open = Some(open);
        self.joinable.notify_one();
        // Wait while a member runs its step (the batch is out), and while
        // steps queue and the batch may take them in.
        loop {
            let left = match &inner.open {
                None => None,
                Some(o) if inner.queued > 0 && o.joinable() => {
                    Some(o.until.saturating_duration_since(Instant::now()))
                }
                Some(_) => break,
            };
            inner = match left {
                None => self.joined.wait(inner).unwrap_or_else(|p| p.into_inner()),
                Some(left) => {
                    (self.joined.wait_timeout(inner, left))
                        .unwrap_or_else(|p| p.into_inner())
                        .0
                }
            };
        }
        let Some(open) = inner.open.take() else {
            unreachable!("the leader's batch is open")
        };
        if B::OVERLAP {
            inner.leading = false;
            self.joinable.notify_one();
        }
        drop(inner);
        // Even a panic while writing must wake the members and free the group.
        let written = catch_unwind(AssertUnwindSafe(|| open.batch.write(store)));
        let (written, panicked) = match written {
            Ok(w) => (w.map_err(Arc::new), None),
            Err(panic) => {
                let e = std::io::Error::other("the step's writer panicked");
                let e = NexusError::io("write the step to", B::place(store), e);
                (Err(Arc::new(e)), Some(panic))
            }
        };
        let mut inner = self.inner();
        let _ = outcome.set(written);
        if !B::OVERLAP {
            inner.leading = false;
        }
        self.done.notify_all();
        self.joinable.notify_one();
        drop(inner);
        if let Some(panic) = panicked {
            resume_unwind(panic);
        }
        finish(out, &outcome, &B::place(store))
    }

    /// Wait until `outcome` is known.
    fn wait<'a>(
        &self,
        mut inner: MutexGuard<'a, Inner<B>>,
        outcome: &Outcome,
    ) -> MutexGuard<'a, Inner<B>> {
        while outcome.get().is_none() {
            inner = self.done.wait(inner).unwrap_or_else(|p| p.into_inner());
        }
        inner
    }
}

/// A batch on the files: the directory's lock, held until the batch is one
/// journal run.
pub struct FileBatch {
    tx: FileTx,
    /// Each step that succeeded, with the end of its changes.
    steps: Vec<(Step, usize)>,
    _guard: LockGuard,
}

impl Batch for FileBatch {
    type Store = FileStore;
    const OVERLAP: bool = false;
    const MAX_STEPS: usize = 64;

    fn timeout(store: &FileStore) -> Duration {
        store.lock_timeout
    }

    fn open(store: &FileStore, deadline: Instant) -> Result<FileBatch> {
        let left = deadline.saturating_duration_since(Instant::now());
        let (guard, _) = FileStore::new(store.dir(), left).lock()?;
        Ok(FileBatch {
            tx: FileTx::new(store.dir()),
            steps: Vec::new(),
            _guard: guard,
        })
    }

    fn alone<T>(
        store: &FileStore,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T>,
    ) -> Result<T> {
        FileStore::new(store.dir(), store.lock_timeout).update(step, f)
    }

    fn run<T>(
        &mut self,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T>,
    ) -> std::thread::Result<Result<T>> {
        let mark = self.tx.mark();
        let out = catch_unwind(AssertUnwindSafe(|| f(&mut self.tx)));
        match &out {
            Ok(Ok(_)) => self.steps.push((step.clone(), self.tx.changes_end())),
            _ => self.tx.rollback(mark),
        }
        out
    }

    /// One journal run (nothing when no step succeeded); the lock is let go
    /// once it is written.
    fn write(self, store: &FileStore) -> Result<()> {
        if self.steps.is_empty() {
            return Ok(());
        }
        let ops = self.tx.ops_of(&self.steps)?;
        store.apply_locked(&ops)
    }

    fn place(store: &FileStore) -> String {
        store.dir().display().to_string()
    }
}

/// A step's answer once its batch ended: its own result when the batch was
/// written, else the batch's error (what it saw was never stored).
fn finish<T>(out: std::thread::Result<Result<T>>, outcome: &Outcome, place: &str) -> Result<T> {
    let out = out.unwrap_or_else(|panic| resume_unwind(panic));
    match outcome.get() {
        Some(Err(e)) => Err(copy(e, place)),
        _ => out,
    }
}

/// The batch's error for one of its steps.
fn copy(e: &NexusError, place: &str) -> NexusError {
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
        NexusError::Database { store, why } => NexusError::Database {
            store: store.clone(),
            why: why.clone(),
        },
        NexusError::OutcomeUnknown { store, retry } => NexusError::OutcomeUnknown {
            store: store.clone(),
            retry: retry.clone(),
        },
        NexusError::LockTimeout {
            dir,
            timeout_ms,
            holder,
        } => NexusError::LockTimeout {
            dir: dir.clone(),
            timeout_ms: *timeout_ms,
            holder: holder.clone(),
        },
        other => NexusError::io(
            "write the step to",
            place,
            std::io::Error::other(other.to_string()),
        ),
    }
}
