//! The only code that touches state files.
//!
//! Writers go through [`FileStore::update`]: take the lock, recover from any
//! interrupted append, hand the closure a [`State`], and write back what it
//! changed. Readers take a [`Snapshot`] without the lock. A database backend
//! would implement [`State`] and its own `update`; `ops` only see [`State`].

pub mod array_file;
pub mod atomic;
pub mod index;
pub mod lock;
pub mod raw;
pub mod snapshot;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::error::{NexusError, Result};
use array_file::ArrayFile;
use index::Index;
pub use snapshot::{Snapshot, SpanRead};

pub const CLAIMS_FILE: &str = "work_claims.json";
pub const AGENTS_FILE: &str = "agent_status.json";
pub const LOG_FILE: &str = "coordination_log.json";
pub const VELOCITY_FILE: &str = "velocity_log.txt";
pub const SPANS_FILE: &str = "telemetry_spans.jsonl";

/// The state as a mutation sees it, inside one locked step.
pub trait State {
    /// Whether the claims file exists at all.
    fn claims_exist(&self) -> bool;
    /// Where the claims live, for error messages.
    fn claims_path(&self) -> PathBuf;
    /// The claim `id` (the last one, should the id repeat).
    fn claim(&mut self, id: &str) -> Result<Option<Value>>;
    /// Replace the claim found by [`State::claim`] with `record` (same id).
    fn put_claim(&mut self, record: Value) -> Result<()>;
    /// All claim records, in file order.
    fn claims(&mut self) -> Result<&Vec<Value>>;
    /// Claim records for in-place change.
    fn claims_mut(&mut self) -> Result<&mut Vec<Value>>;
    /// Append a new claim at the end.
    fn add_claim(&mut self, claim: Value);
    /// A `work_<n>` id not used in the claims, `n` at least `now_ns`.
    fn next_work_id(&mut self, now_ns: u128) -> Result<String>;
    /// All agent records.
    fn agents(&mut self) -> Result<&Vec<Value>>;
    /// Agent records for in-place change.
    fn agents_mut(&mut self) -> Result<&mut Vec<Value>>;
    /// Append a new agent at the end.
    fn add_agent(&mut self, agent: Value);
    /// Append a completion record to the coordination log.
    fn add_completion(&mut self, completion: Value) -> Result<()>;
    /// Append a line to the velocity log.
    fn add_velocity_line(&mut self, line: String);
}

/// State kept in JSON files in one coordination directory.
#[derive(Debug, Clone)]
pub struct FileStore {
    dir: PathBuf,
    lock_timeout: Duration,
}

impl FileStore {
    pub fn new(dir: impl Into<PathBuf>, lock_timeout: Duration) -> FileStore {
        FileStore {
            dir: dir.into(),
            lock_timeout,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Run one read-modify-write under the lock. Nothing is written when the
    /// closure fails; otherwise every changed file is replaced atomically.
    pub fn update<T>(&self, f: impl FnOnce(&mut dyn State) -> Result<T>) -> Result<T> {
        fs::create_dir_all(&self.dir)
            .map_err(|e| NexusError::io("cannot create directory", &self.dir, e))?;
        let _guard = lock::acquire(&self.dir, self.lock_timeout)?;
        atomic::remove_stray_temps(&self.dir);
        let mut index = Index::load(&self.dir);
        array_file::recover(&self.dir, &mut index)?;
        let mut tx = FileTx::new(&self.dir, index);
        let out = f(&mut tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Read every state file without taking the lock.
    pub fn snapshot(&self) -> Result<Snapshot> {
        Snapshot::read(&self.dir)
    }

    /// Append one line to the spans file.
    pub fn append_span_line(&self, line: &str) -> Result<()> {
        fs::create_dir_all(&self.dir)
            .map_err(|e| NexusError::io("cannot create directory", &self.dir, e))?;
        atomic::append_line(&self.dir.join(SPANS_FILE), line)
    }
}

/// The file-backed [`State`] of one transaction.
struct FileTx {
    claims: ArrayFile,
    agents: ArrayFile,
    log: ArrayFile,
    velocity: Vec<String>,
    velocity_path: PathBuf,
    index: Index,
}

impl FileTx {
    fn new(dir: &Path, index: Index) -> FileTx {
        FileTx {
            claims: ArrayFile::new(dir, CLAIMS_FILE),
            agents: ArrayFile::new(dir, AGENTS_FILE),
            log: ArrayFile::new(dir, LOG_FILE),
            velocity: Vec::new(),
            velocity_path: dir.join(VELOCITY_FILE),
            index,
        }
    }

    fn commit(mut self) -> Result<()> {
        self.claims.commit(&mut self.index)?;
        self.agents.commit(&mut self.index)?;
        self.log.commit(&mut self.index)?;
        if !self.velocity.is_empty() {
            atomic::append_line(&self.velocity_path, &self.velocity.concat())?;
        }
        self.index.save(false)
    }
}

impl State for FileTx {
    fn claims_exist(&self) -> bool {
        self.claims.exists()
    }
    fn claims_path(&self) -> PathBuf {
        self.claims.path.clone()
    }
    fn claim(&mut self, id: &str) -> Result<Option<Value>> {
        Ok(self
            .claims
            .find("work_item_id", id, &self.index)?
            .map(|(_, v)| v))
    }
    fn put_claim(&mut self, record: Value) -> Result<()> {
        let id = record
            .get("work_item_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        match self.claims.find("work_item_id", &id, &self.index)? {
            Some((i, _)) => self.claims.replace(i, record),
            None => Err(NexusError::WorkNotFound {
                id,
                path: self.claims_path(),
            }),
        }
    }
    fn claims(&mut self) -> Result<&Vec<Value>> {
        self.claims.records()
    }
    fn claims_mut(&mut self) -> Result<&mut Vec<Value>> {
        self.claims.records_mut()
    }
    fn add_claim(&mut self, claim: Value) {
        self.claims.push(claim);
    }
    fn next_work_id(&mut self, now_ns: u128) -> Result<String> {
        let max = self.claims.max_work_id(&self.index)?;
        let n = match max {
            Some(m) if m >= now_ns => m + 1,
            _ => now_ns,
        };
        Ok(format!("work_{n}"))
    }
    fn agents(&mut self) -> Result<&Vec<Value>> {
        self.agents.records()
    }
    fn agents_mut(&mut self) -> Result<&mut Vec<Value>> {
        self.agents.records_mut()
    }
    fn add_agent(&mut self, agent: Value) {
        self.agents.push(agent);
    }
    fn add_completion(&mut self, completion: Value) -> Result<()> {
        // Validate now, before anything is written: a corrupt log is never extended.
        self.log.validate(&self.index)?;
        self.log.push(completion);
        Ok(())
    }
    fn add_velocity_line(&mut self, line: String) {
        self.velocity.push(line);
    }
}
