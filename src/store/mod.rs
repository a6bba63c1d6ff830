//! The only code that touches state files.
//!
//! Writers go through [`FileStore::update`]: take the lock, recover from any
//! interrupted append, hand the closure a [`State`], and write back what it
//! changed. Readers take a [`Snapshot`] without the lock. A database backend
//! would implement [`State`] and its own `update`; `ops` only see [`State`].

pub mod array_file;
pub mod atomic;
pub mod audit;
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
use audit::{AuditMeta, Change};
use index::{AuditJournal, Index, Stamp};
pub use snapshot::{Snapshot, SpanRead};

pub const CLAIMS_FILE: &str = "work_claims.json";
pub const AGENTS_FILE: &str = "agent_status.json";
pub const LOG_FILE: &str = "coordination_log.json";
pub const VELOCITY_FILE: &str = "velocity_log.txt";
pub const SPANS_FILE: &str = "telemetry_spans.jsonl";
pub const ARCHIVE_FILE: &str = "work_claims_archive.jsonl";
pub const BACKUP_DIR: &str = "backups";

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
    /// Record a change for the audit trail (claims record their own).
    fn note(&mut self, change: Change);
    /// Copy the claims file to `backups/` before this step rewrites it.
    fn backup_claims(&mut self);
    /// Move records to the archive (`work_claims_archive.jsonl`).
    fn archive(&mut self, records: Vec<Value>);
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
        self.update_audited(None, f)
    }

    /// [`update`](Self::update), also appending one audit line per changed
    /// record when `audit` is given, in the same journalled step.
    pub fn update_audited<T>(
        &self,
        audit: Option<&AuditMeta>,
        f: impl FnOnce(&mut dyn State) -> Result<T>,
    ) -> Result<T> {
        fs::create_dir_all(&self.dir)
            .map_err(|e| NexusError::io("cannot create directory", &self.dir, e))?;
        let _guard = lock::acquire(&self.dir, self.lock_timeout)?;
        atomic::remove_stray_temps(&self.dir);
        let mut index = Index::load(&self.dir);
        array_file::recover(&self.dir, &mut index)?;
        recover_audit(&self.dir, &mut index)?;
        let mut tx = FileTx::new(&self.dir, index);
        let out = f(&mut tx)?;
        tx.commit(audit)?;
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

/// Copy `path` into `<dir>/backups/` with a timestamped name.
fn backup(dir: &Path, path: &Path) -> Result<()> {
    if !path.exists() {
        return Ok(());
    }
    let backups = dir.join(BACKUP_DIR);
    fs::create_dir_all(&backups)
        .map_err(|e| NexusError::io("cannot create directory", &backups, e))?;
    let stamp = chrono::Utc::now().format("%Y%m%d_%H%M%S%.3f");
    let target = backups.join(format!("work_claims_{stamp}.json"));
    fs::copy(path, &target).map_err(|e| NexusError::io("cannot back up", path, e))?;
    Ok(())
}

/// The files whose stamps tell whether a journalled step reached the state.
fn state_stamps(dir: &Path) -> Vec<Option<Stamp>> {
    [CLAIMS_FILE, AGENTS_FILE, LOG_FILE, VELOCITY_FILE]
        .iter()
        .map(|f| Stamp::of(&dir.join(f)))
        .collect()
}

/// Finish the audit of a step that was interrupted: drop partial lines, and
/// append the step's lines if its changes reached the state.
fn recover_audit(dir: &Path, index: &mut Index) -> Result<()> {
    let Some(j) = index.audit.take() else {
        return Ok(());
    };
    let path = dir.join(audit::AUDIT_FILE);
    if let Ok(f) = fs::OpenOptions::new().write(true).open(&path) {
        let _ = f.set_len(j.len_before);
    }
    if state_stamps(dir) != j.stamps_before {
        audit::append(&path, &j.lines)?;
    }
    index.save(false)
}

/// The file-backed [`State`] of one transaction.
struct FileTx {
    claims: ArrayFile,
    agents: ArrayFile,
    log: ArrayFile,
    velocity: Vec<String>,
    velocity_path: PathBuf,
    index: Index,
    dir: PathBuf,
    changes: Vec<Change>,
    backup: bool,
    archived: Vec<Value>,
}

impl FileTx {
    fn new(dir: &Path, index: Index) -> FileTx {
        FileTx {
            claims: ArrayFile::new(dir, CLAIMS_FILE),
            agents: ArrayFile::new(dir, AGENTS_FILE).lazy(),
            log: ArrayFile::new(dir, LOG_FILE),
            velocity: Vec::new(),
            velocity_path: dir.join(VELOCITY_FILE),
            index,
            dir: dir.to_path_buf(),
            changes: Vec::new(),
            backup: false,
            archived: Vec::new(),
        }
    }

    fn commit(mut self, audit: Option<&AuditMeta>) -> Result<()> {
        let audit_path = self.dir.join(audit::AUDIT_FILE);
        let lines = match audit {
            Some(meta) if !self.changes.is_empty() => {
                Some(audit::lines_for(&audit_path, meta, &self.changes)?)
            }
            _ => None,
        };
        if let Some(lines) = &lines {
            self.index.audit = Some(AuditJournal {
                lines: lines.clone(),
                len_before: fs::metadata(&audit_path).map(|m| m.len()).unwrap_or(0),
                stamps_before: state_stamps(&self.dir),
            });
            self.index.save(true)?;
        }
        if self.backup {
            backup(&self.dir, &self.claims.path)?;
        }
        if !self.archived.is_empty() {
            // Archive first: a crash here leaves a record in both files, never in none.
            let lines: String = self.archived.iter().map(|r| format!("{r}\n")).collect();
            audit::append(&self.dir.join(ARCHIVE_FILE), &lines)?;
        }
        self.claims.commit(&mut self.index)?;
        self.agents.commit(&mut self.index)?;
        self.log.commit(&mut self.index)?;
        if !self.velocity.is_empty() {
            atomic::append_line(&self.velocity_path, &self.velocity.concat())?;
        }
        if let Some(lines) = &lines {
            audit::append(&audit_path, lines)?;
            self.index.audit = None;
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
            Some((i, before)) => {
                self.changes.push(Change {
                    kind: "claim",
                    id,
                    before: Some(before),
                    after: Some(record.clone()),
                });
                self.claims.replace(i, record)
            }
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
        let id = claim
            .get("work_item_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        self.changes.push(Change {
            kind: "claim",
            id,
            before: None,
            after: Some(claim.clone()),
        });
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
    fn note(&mut self, change: Change) {
        self.changes.push(change);
    }
    fn backup_claims(&mut self) {
        self.backup = true;
    }
    fn archive(&mut self, records: Vec<Value>) {
        self.archived.extend(records);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::io::Write;

    fn meta() -> AuditMeta {
        AuditMeta {
            command: "claim".into(),
            agent: None,
            trace_id: "t".into(),
            timestamp: "ts".into(),
        }
    }

    #[test]
    fn an_interrupted_step_keeps_change_and_audit_line_together() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path(), Duration::from_secs(1));
        let audit_path = dir.path().join(audit::AUDIT_FILE);
        store
            .update_audited(Some(&meta()), |st| {
                st.add_claim(json!({"work_item_id": "work_1"}));
                Ok(())
            })
            .unwrap();
        assert_eq!(fs::read_to_string(&audit_path).unwrap().lines().count(), 1);
        let line = audit::lines_for(&audit_path, &meta(), &[]).unwrap();
        assert!(line.is_empty());

        // Crash before the state was written: the journalled line is dropped.
        let mut index = Index::load(dir.path());
        index.audit = Some(AuditJournal {
            lines: "{\"seq\":2}\n".into(),
            len_before: fs::metadata(&audit_path).unwrap().len(),
            stamps_before: state_stamps(dir.path()),
        });
        fs::OpenOptions::new()
            .append(true)
            .open(&audit_path)
            .unwrap()
            .write_all(b"{\"partial")
            .unwrap();
        recover_audit(dir.path(), &mut index).unwrap();
        assert_eq!(fs::read_to_string(&audit_path).unwrap().lines().count(), 1);

        // Crash after the state was written: the line is appended.
        let before = state_stamps(dir.path());
        fs::write(
            dir.path().join(CLAIMS_FILE),
            "[\n  {\"work_item_id\": \"work_2\"}\n]\n",
        )
        .unwrap();
        index.audit = Some(AuditJournal {
            lines: "{\"seq\":2}\n".into(),
            len_before: fs::metadata(&audit_path).unwrap().len(),
            stamps_before: before,
        });
        recover_audit(dir.path(), &mut index).unwrap();
        assert_eq!(fs::read_to_string(&audit_path).unwrap().lines().count(), 2);
        assert!(Index::load(dir.path()).audit.is_none());
    }
}
