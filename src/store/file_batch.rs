//! Group commit on the files: a [`Batch`] is the directory's lock and one
//! [`FileTx`] for all its steps, written as one journal run.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use super::audit::Step;
use super::group::Batch;
use super::lock::LockGuard;
use super::tx::FileTx;
use super::{FileStore, State, Store};
use crate::error::Result;

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

    fn alone<T: Send>(
        store: &FileStore,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T> + Send,
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
