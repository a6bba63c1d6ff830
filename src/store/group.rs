//! Group commit for a long-lived process (`nexus serve`): steps asked for at
//! the same time share one batch (one lock acquisition and one journal
//! record on the files, one transaction on PostgreSQL), so one flush makes
//! them all durable.
//!
//! The first step to arrive leads a batch: it opens one ([`Batch::open`]:
//! the directory's lock and one transaction of the files, [`FileBatch`], or
//! a PostgreSQL transaction) and runs its own
//! operation. Steps arriving meanwhile (those that queued while the batch
//! before was being written, and any that arrive while this one is open)
//! leave their operations as jobs, and the leader runs them in its batch one
//! after another on its own thread (no hand-off between threads per step),
//! each from a savepoint: one that fails is rolled back as if it never ran
//! and leaves the others alone. A batch takes in steps for a short while
//! only (its store's patience): a step kept waiting longer (behind one that
//! waits for a lock another process holds) takes its job back and runs on
//! its own instead. Each keeps its own [`Step`], so its audit lines, events
//! and span are its own, numbered after those of the steps before it. When
//! no job waits (or the batch holds [`Batch::MAX_STEPS`]), the leader writes
//! the batch ([`Batch::write`]) and wakes every member with the outcome; no
//! member returns before its step is durable (or the batch failed, and then
//! none of it happened). Of the jobs still queued then, one is taken back
//! by its step, which leads the next batch and runs the others in it (on
//! PostgreSQL, as soon as the batch stops taking steps, while it is written).
//!
//! On the files, the batch holds the directory's lock for its whole life,
//! so a CLI process writing at the same moment never interleaves with it,
//! and the next batch opens once this one is written. On PostgreSQL the
//! next batch opens (on another connection) while this one commits: rows
//! and advisory locks order the two, as they order any two transactions.

use std::collections::{HashMap, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use super::audit::Step;
use super::{FileBatch, State};
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
    fn alone<T: Send>(
        store: &Self::Store,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T> + Send,
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
    /// Steps waiting for their batch's outcome, or to lead one.
    waiting: Condvar,
}

impl<B: Batch> Default for Group<B> {
    fn default() -> Self {
        Group {
            inner: Mutex::new(Inner {
                leading: false,
                jobs: VecDeque::new(),
                next: 0,
                taken: HashMap::new(),
            }),
            waiting: Condvar::new(),
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
    /// Steps waiting for a leader to run them, oldest first.
    jobs: VecDeque<Job<B>>,
    /// The number of the next job.
    next: u64,
    /// Jobs a leader took, with the outcome of their batch.
    taken: HashMap<u64, Outcome>,
}

/// How a batch ended: written, or the error that stopped it.
type Outcome = Arc<OnceLock<std::result::Result<(), Arc<NexusError>>>>;

struct Open<B> {
    batch: B,
    /// Every step that ran, failed or not.
    ran: usize,
    /// Until when steps may join.
    until: Instant,
}

impl<B: Batch> Open<B> {
    /// Whether a step may join now.
    fn joinable(&self) -> bool {
        self.ran < B::MAX_STEPS && self.batch.accepting() && Instant::now() < self.until
    }

    fn run<T: Send>(
        &mut self,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T> + Send,
    ) -> std::thread::Result<Result<T>> {
        self.ran += 1;
        self.batch.run(step, f)
    }
}

/// A waiting step's operation, run in a batch by its leader.
type RunIn<'a, B> = Box<dyn FnOnce(&mut Open<B>) + Send + 'a>;

/// A waiting step, for the leader of a batch to run in the batch.
struct Job<B> {
    id: u64,
    run: RunIn<'static, B>,
}

/// What a waiting step leaves for its job: its operation until the job
/// takes it, then the job's result.
struct Place<'a, F, T> {
    step: &'a Step,
    f: Option<F>,
    out: Option<std::thread::Result<Result<T>>>,
}

/// A pointer to a waiting step's [`Place`], sent to the leader's thread.
struct PlacePtr<'a, F, T>(*mut Place<'a, F, T>);

// SAFETY: the place holds an operation and a result that are `Send`, and a
// `&Step` (`Step` is `Sync`); only one thread uses it at a time (see
// `Group::job`).
unsafe impl<F: Send, T: Send> Send for PlacePtr<'_, F, T> {}

impl<B: Batch> Group<B> {
    pub fn new() -> Arc<Group<B>> {
        Arc::new(Group::default())
    }

    /// How many steps wait for a leader to run them.
    #[cfg(test)]
    pub(super) fn queued(&self) -> usize {
        self.inner().jobs.len()
    }

    fn inner(&self) -> MutexGuard<'_, Inner<B>> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Run `f` as one step of `store`, in a batch with the steps asked for
    /// at the same time; returns once the batch is durable.
    ///
    /// A step that finds no batch leads one; any other leaves its operation
    /// as a job for the leader to run in the batch (one thread runs the
    /// batch's steps back to back, with no hand-off between threads), and
    /// waits for the outcome.
    pub fn update<T: Send>(
        &self,
        store: &B::Store,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T> + Send,
    ) -> Result<T> {
        // A step not taken in by a batch within the store's patience runs
        // on its own.
        let patience = Instant::now() + B::patience(store);
        let deadline = Instant::now() + B::timeout(store);
        let mut inner = self.inner();
        if !inner.leading {
            return self.lead(inner, store, deadline, step, f);
        }
        let mut place = Place {
            step,
            f: Some(f),
            out: None,
        };
        let id = inner.next;
        inner.next += 1;
        // SAFETY: see `job`: this step leaves this function only once its
        // job is gone from the queue, taken back, or taken by a leader whose
        // batch then ended (nothing between here and those returns unwinds:
        // the waits recover a poisoned lock).
        let run = unsafe { Self::job(&mut place) };
        inner.jobs.push_back(Job { id, run });
        loop {
            if let Some(outcome) = inner.taken.get(&id).cloned() {
                let mut inner = self.wait(inner, &outcome);
                inner.taken.remove(&id);
                drop(inner);
                return finish(place.out.take(), &outcome, || B::place(store));
            }
            let now = Instant::now();
            if !inner.leading || now >= patience {
                // Taken back: no leader will run it now.
                inner.jobs.retain(|j| j.id != id);
                let f = place.f.take().expect("a job not taken keeps its operation");
                if !inner.leading {
                    return self.lead(inner, store, deadline, step, f);
                }
                drop(inner);
                return B::alone(store, step, f);
            }
            inner = (self.waiting.wait_timeout(inner, patience - now))
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// The job that runs the operation in `place` in a batch and leaves its
    /// result there.
    ///
    /// # Safety
    ///
    /// The job borrows `place` (and the step in it) without a lifetime: the
    /// caller must keep both alive, and not touch them, until the job is no
    /// longer in the queue and, if a leader took it, until its batch's
    /// outcome is set (a leader runs every job it takes before it sets the
    /// outcome, and then drops it).
    unsafe fn job<F, T>(place: &mut Place<'_, F, T>) -> RunIn<'static, B>
    where
        F: FnOnce(&mut dyn State) -> Result<T> + Send,
        T: Send,
    {
        let ptr = PlacePtr(place as *mut Place<'_, F, T>);
        let job: RunIn<'_, B> = Box::new(move |open| {
            // The whole `PlacePtr` (which is `Send`), not its raw pointer.
            let ptr = ptr;
            // SAFETY: the caller keeps the place alive and untouched while
            // this job exists (see above).
            let place = unsafe { &mut *ptr.0 };
            if let Some(f) = place.f.take() {
                place.out = Some(open.run(place.step, f));
            }
        });
        // SAFETY: only the lifetime is erased; the caller's promise above
        // keeps the borrow valid for as long as the job exists.
        unsafe { std::mem::transmute::<RunIn<'_, B>, RunIn<'static, B>>(job) }
    }

    /// Lead a batch: open it, run `f`, run the steps that queue meanwhile,
    /// then write the batch.
    fn lead<T: Send>(
        &self,
        mut inner: MutexGuard<'_, Inner<B>>,
        store: &B::Store,
        deadline: Instant,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T> + Send,
    ) -> Result<T> {
        inner.leading = true;
        drop(inner);
        let opened = catch_unwind(AssertUnwindSafe(|| B::open(store, deadline)));
        let batch = match opened {
            Ok(Ok(batch)) => batch,
            failed => {
                // A waiting step leads instead.
                let mut inner = self.inner();
                inner.leading = false;
                self.waiting.notify_all();
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
            until: Instant::now() + B::patience(store),
        };
        let out = open.run(step, f);
        // Even a panic while running the jobs or writing must wake the
        // members and free the group.
        let mut freed = false;
        let written = catch_unwind(AssertUnwindSafe(|| {
            self.run_jobs(&mut open, &outcome);
            if B::OVERLAP {
                self.inner().leading = false;
                freed = true;
                self.waiting.notify_all();
            }
            open.batch.write(store)
        }));
        let (written, panicked) = match written {
            Ok(w) => (w.map_err(Arc::new), None),
            Err(panic) => (Err(Arc::new(stopped(&B::place(store)))), Some(panic)),
        };
        let mut inner = self.inner();
        let _ = outcome.set(written);
        if !freed {
            inner.leading = false;
        }
        self.waiting.notify_all();
        drop(inner);
        if let Some(panic) = panicked {
            resume_unwind(panic);
        }
        finish(Some(out), &outcome, || B::place(store))
    }

    /// Run the waiting steps in `open`, one after another, while it takes
    /// them; each learns that its outcome is `outcome`'s.
    fn run_jobs(&self, open: &mut Open<B>, outcome: &Outcome) {
        loop {
            let mut inner = self.inner();
            if !open.joinable() {
                return;
            }
            let Some(job) = inner.jobs.pop_front() else {
                return;
            };
            inner.taken.insert(job.id, Arc::clone(outcome));
            drop(inner);
            (job.run)(open);
        }
    }

    /// Wait until `outcome` is known.
    fn wait<'a>(
        &self,
        mut inner: MutexGuard<'a, Inner<B>>,
        outcome: &Outcome,
    ) -> MutexGuard<'a, Inner<B>> {
        while outcome.get().is_none() {
            inner = self.waiting.wait(inner).unwrap_or_else(|p| p.into_inner());
        }
        inner
    }
}

/// The error of a batch whose leader panicked while running or writing it.
fn stopped(place: &str) -> NexusError {
    let e = std::io::Error::other("the batch's writer panicked");
    NexusError::io("write the step to", place, e)
}

/// A step's answer once its batch ended: its own result when the batch was
/// written, else the batch's error (what it saw was never stored). A step
/// has no result only when its batch stopped before it ended, and then the
/// batch failed. `place` names where the batch is written, asked for only
/// for an error.
fn finish<T>(
    out: Option<std::thread::Result<Result<T>>>,
    outcome: &Outcome,
    place: impl FnOnce() -> String,
) -> Result<T> {
    let out = out.map(|o| o.unwrap_or_else(|panic| resume_unwind(panic)));
    match (outcome.get(), out) {
        (Some(Err(e)), _) => Err(copy(e, &place())),
        (_, Some(out)) => out,
        (_, None) => Err(stopped(&place())),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn each_step_of_a_failed_batch_gets_the_batch_error_with_its_kind_and_text() {
        let p = || PathBuf::from("/state");
        let errors = [
            NexusError::io(
                "cannot write",
                "/state/a.json",
                std::io::Error::other("full"),
            ),
            NexusError::Symlink(p()),
            NexusError::NotAFile(p()),
            NexusError::NotAnArray(p()),
            NexusError::JournalDamaged {
                path: p(),
                offset: 7,
            },
            NexusError::Database {
                store: "postgres://***@db/x".into(),
                why: "gone".into(),
            },
            NexusError::OutcomeUnknown {
                store: "postgres://***@db/x".into(),
                retry: "look".into(),
            },
            NexusError::LockTimeout {
                dir: p(),
                timeout_ms: 5,
                holder: String::new(),
            },
        ];
        for e in &errors {
            let c = copy(e, "/state");
            assert_eq!((c.kind(), c.to_string()), (e.kind(), e.to_string()));
        }
        let other = copy(&NexusError::NoWorkId, "/state");
        assert_eq!(other.kind(), "io");
        assert!(other.to_string().contains("/state"), "{other}");
        assert!(stopped("/state").to_string().contains("panicked"));
    }
}
