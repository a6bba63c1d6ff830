//! The file-backed [`State`] of one step: the JSON array files loaded lazily,
//! the text files appended to, every change noted for the audit trail, and
//! at the end the list of file changes the journal makes one step.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::array_file::ArrayFile;
use super::audit::{self, Change, Step};
use super::events;
use super::fsio;
use super::index::Index;
use super::journal::Op;
use super::{
    AGENTS_FILE, ARCHIVE_FILE, BACKUP_DIR, CLAIMS_FILE, LOG_FILE, SPANS_FILE, State, VELOCITY_FILE,
};
use crate::error::{NexusError, Result};
use crate::records::queue;
use crate::records::text;

/// Where a savepoint of a [`FileTx`] started.
#[derive(Debug)]
pub struct Mark {
    velocity: usize,
    spans: usize,
    archived: usize,
    backup: Option<String>,
    changes: usize,
}

pub struct FileTx {
    claims: ArrayFile,
    agents: ArrayFile,
    log: ArrayFile,
    velocity: String,
    spans: String,
    archived: Vec<Value>,
    /// When the claims are backed up in this step: the step's time.
    backup: Option<String>,
    index: Index,
    dir: PathBuf,
    changes: Vec<Change>,
    /// Where the changes of the step running now begin (a batch holds many
    /// steps; each sees only its own).
    step_from: usize,
}

impl FileTx {
    pub fn new(dir: &Path) -> FileTx {
        FileTx {
            claims: ArrayFile::new(dir, CLAIMS_FILE),
            agents: ArrayFile::new(dir, AGENTS_FILE),
            log: ArrayFile::new(dir, LOG_FILE),
            velocity: String::new(),
            spans: String::new(),
            archived: Vec::new(),
            backup: None,
            index: Index::load(dir),
            dir: dir.to_path_buf(),
            changes: Vec::new(),
            step_from: 0,
        }
    }

    /// Take `records` as the content of the array file `name` (the claims,
    /// agents or log file), to be written whole by this step.
    pub fn preset(&mut self, name: &str, records: Vec<Value>) {
        match name {
            CLAIMS_FILE => self.claims.preset(records),
            AGENTS_FILE => self.agents.preset(records),
            _ => self.log.preset(records),
        }
    }

    /// The step's changes to the files, in the order they are applied.
    pub fn ops(self, step: &Step) -> Result<Vec<Op>> {
        let all = self.changes.len();
        self.ops_of(&[(step.clone(), all)])
    }

    /// The changes to the files of several steps made one (a group commit):
    /// each step with the end of its changes, so that events and audit
    /// lines name the step that made them.
    pub fn ops_of(self, steps: &[(Step, usize)]) -> Result<Vec<Op>> {
        let mut ops = Vec::new();
        if let Some(now) = &self.backup
            && let Some(bytes) = fsio::read_optional(&self.claims.path)?
        {
            let stamp: String = now.chars().filter(char::is_ascii_alphanumeric).collect();
            let name = (1..)
                .map(|n| match n {
                    1 => format!("{BACKUP_DIR}/work_claims_{stamp}.json"),
                    n => format!("{BACKUP_DIR}/work_claims_{stamp}_{n}.json"),
                })
                .find(|name| std::fs::symlink_metadata(self.dir.join(name)).is_err())
                .unwrap_or_default();
            ops.push(Op::to_end(&name, 0, bytes));
        }
        if !self.archived.is_empty() {
            let lines: String = self.archived.iter().map(|r| format!("{r}\n")).collect();
            ops.push(append_op(&self.dir, ARCHIVE_FILE, lines.into_bytes())?);
        }
        let mut index = self.index.clone();
        for file in [self.claims, self.agents, self.log] {
            let name = file.name;
            if let Some((file_ops, meta)) = file.commit(&self.index)? {
                ops.extend(file_ops);
                index.files.insert(name.to_string(), meta);
            }
        }
        for (name, text) in [(VELOCITY_FILE, self.velocity), (SPANS_FILE, self.spans)] {
            if !text.is_empty() {
                ops.push(append_op(&self.dir, name, text.into_bytes())?);
            }
        }
        let mut from = 0;
        let parts: Vec<(&Step, &[Change])> = steps
            .iter()
            .map(|(step, end)| {
                let part = (step, &self.changes[from..*end]);
                from = *end;
                part
            })
            .collect();
        if !self.changes.is_empty() {
            let (mut seq, mut lines) = (events::last_seq(&self.dir)?, String::new());
            for &(step, changes) in &parts {
                let (more, last) = events::lines_for(seq, step, changes);
                (seq, lines) = (last, lines + &more);
            }
            ops.push(append_op(
                &self.dir,
                events::EVENTS_FILE,
                lines.into_bytes(),
            )?);
        }
        let audited = parts
            .iter()
            .filter(|(step, changes)| step.audit && !changes.is_empty());
        if audited.clone().next().is_some() {
            let (mut head, mut lines) = (audit::Head::read(&self.dir)?, String::new());
            for &(step, changes) in audited {
                let (more, next) = audit::lines_for(head, step, changes);
                (head, lines) = (next, lines + &more);
            }
            ops.push(append_op(&self.dir, audit::AUDIT_FILE, lines.into_bytes())?);
            ops.push(head.op());
        }
        if index != self.index {
            ops.push(index.op());
        }
        Ok(ops)
    }

    /// Start a savepoint: [`rollback`](Self::rollback) undoes every change
    /// made since, so that one request of a group commit whose operation
    /// fails leaves the others' changes alone.
    pub fn mark(&mut self) -> Mark {
        self.step_from = self.changes.len();
        for file in [&mut self.claims, &mut self.agents, &mut self.log] {
            file.mark();
        }
        Mark {
            velocity: self.velocity.len(),
            spans: self.spans.len(),
            archived: self.archived.len(),
            backup: self.backup.clone(),
            changes: self.changes.len(),
        }
    }

    /// How many changes every step so far made: the end of the last one's.
    pub fn changes_end(&self) -> usize {
        self.changes.len()
    }

    /// Undo every change since `mark`.
    pub fn rollback(&mut self, mark: Mark) {
        for file in [&mut self.claims, &mut self.agents, &mut self.log] {
            file.rollback();
        }
        self.velocity.truncate(mark.velocity);
        self.spans.truncate(mark.spans);
        self.archived.truncate(mark.archived);
        self.backup = mark.backup;
        self.changes.truncate(mark.changes);
    }

    fn note(&mut self, kind: &'static str, id: &str, before: Option<Value>, after: Option<Value>) {
        self.changes.push(Change {
            kind,
            id: id.to_string(),
            before,
            after,
        });
    }
}

/// An append to a text file: from its current end on, it also holds `bytes`.
/// The append starts on a fresh line: after a torn last line (a writer of
/// another tool died mid-line) a newline ends the torn line first, so the new
/// record is never glued onto it and lost with it.
fn append_op(dir: &Path, name: &str, mut bytes: Vec<u8>) -> Result<Op> {
    let path = dir.join(name);
    // The file's last byte, and where it ends (0 when there is none yet).
    let (start, last) = fsio::read_tail(&path, 1)?;
    if last.last().is_some_and(|b| *b != b'\n') {
        bytes.insert(0, b'\n');
    }
    Ok(Op::to_end(name, start + last.len() as u64, bytes))
}

fn id_of(record: &Value, key: &str) -> String {
    text(record, key).unwrap_or_default().to_string()
}

impl State for FileTx {
    fn claims_exist(&self) -> bool {
        self.claims.exists() || !self.claims.appended().is_empty()
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
    fn claim_by(&mut self, key: &str, value: &str) -> Result<Option<Value>> {
        Ok(self.claims.find(key, value, &self.index)?.map(|(_, v)| v))
    }
    fn archived_claim(&mut self, id: &str) -> Result<Option<Value>> {
        let Some(bytes) = fsio::read_optional(&self.dir.join(ARCHIVE_FILE))? else {
            return Ok(None);
        };
        // Archived earlier in this step (by another request of a group).
        let here = self.archived.iter().rev();
        if let Some(c) = here.clone().find(|c| text(c, "work_item_id") == Some(id)) {
            return Ok(Some(c.clone()));
        }
        let quoted = format!("\"{id}\"");
        Ok(String::from_utf8_lossy(&bytes)
            .lines()
            .rev()
            .filter(|l| l.contains(&quoted))
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find(|c| text(c, "work_item_id") == Some(id)))
    }
    fn put_claim(&mut self, record: Value) -> Result<()> {
        let id = id_of(&record, "work_item_id");
        let Some((pos, before)) = self.claims.find("work_item_id", &id, &self.index)? else {
            return Err(NexusError::WorkNotFound {
                id,
                path: self.claims_path(),
            });
        };
        self.note("claim", &id, Some(before), Some(record.clone()));
        self.claims.replace(pos, record)
    }
    fn insert_claim(&mut self, record: Value) {
        let id = id_of(&record, "work_item_id");
        self.note("claim", &id, None, Some(record.clone()));
        self.claims.push(record);
    }
    fn claims_where(&mut self, keep: &dyn Fn(&Value) -> bool) -> Result<Vec<Value>> {
        let (loaded, added) = self.claims.all_records()?;
        Ok(loaded
            .iter()
            .chain(added)
            .filter(|c| keep(c))
            .cloned()
            .collect())
    }
    fn next_ready(
        &mut self,
        team: Option<&str>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(Option<Value>, usize)> {
        // A file exactly as nexus wrote it, not touched yet by this step: the
        // queue is computed from views of its bytes, and only the item taken
        // is parsed whole.
        let trusted = self.index.trusted(CLAIMS_FILE, &self.claims.path).is_some();
        let bytes = match trusted && self.claims.untouched() {
            true => super::mapped::Mapped::under_lock(&self.claims.path)?,
            false => super::mapped::Mapped::empty(),
        };
        let Some(spans) = crate::records::scan::canonical_spans(&bytes) else {
            // Otherwise the same rule over the records, parsed whole, and
            // those added in this step.
            let (loaded, added) = self.claims.all_records()?;
            let claims: Vec<&Value> = loaded.iter().chain(added).collect();
            let (first, waiting) = queue::next(&claims, team, now);
            return Ok((first.map(|i| Value::clone(claims[i])), waiting));
        };
        let views = queue::views(&bytes, &spans);
        let (first, waiting) = queue::next(&views, team, now);
        let first = first.map(|i| {
            let (s, e) = spans[i];
            serde_json::from_slice(&bytes[s..e]).unwrap_or(Value::Null)
        });
        Ok((first, waiting))
    }
    fn next_work_id(&mut self, now_ns: u128) -> Result<String> {
        let n = match self.claims.max_work_id(&self.index)? {
            Some(m) if m >= now_ns => m + 1,
            _ => now_ns,
        };
        Ok(format!("work_{n}"))
    }
    fn archive(&mut self, ids: &[String], now: &str) -> Result<()> {
        self.backup = Some(now.to_string());
        let go = |c: &Value| ids.iter().any(|i| text(c, "work_item_id") == Some(i));
        let moved = self.claims.remove_where(&go)?;
        for c in &moved {
            let id = id_of(c, "work_item_id");
            let after = serde_json::json!({"archived_at": now});
            self.note("claim", &id, Some(c.clone()), Some(after));
        }
        self.archived.extend(moved);
        Ok(())
    }
    fn agent(&mut self, id: &str) -> Result<Option<Value>> {
        Ok(self
            .agents
            .find("agent_id", id, &self.index)?
            .map(|(_, v)| v))
    }
    fn put_agent(&mut self, record: Value, to_end: bool) -> Result<()> {
        let id = id_of(&record, "agent_id");
        let found = self.agents.find("agent_id", &id, &self.index)?;
        self.note(
            "agent",
            &id,
            found.as_ref().map(|f| f.1.clone()),
            Some(record.clone()),
        );
        match found {
            Some((pos, _)) if !to_end => self.agents.replace(pos, record),
            Some(_) => {
                self.agents
                    .remove_where(&|a| text(a, "agent_id") == Some(&id))?;
                self.agents.records_mut()?.push(record);
                Ok(())
            }
            None => {
                self.agents.push(record);
                Ok(())
            }
        }
    }
    fn add_completion(&mut self, completion: Value) -> Result<()> {
        // Validate now, before anything is written: a corrupt log is never extended.
        self.log.validate(&self.index)?;
        self.velocity.push_str(&super::velocity_line(&completion));
        self.log.push(completion);
        Ok(())
    }
    fn add_span(&mut self, line: &str) {
        self.spans.push_str(line);
        if !line.ends_with('\n') {
            self.spans.push('\n');
        }
    }
    fn changes(&self) -> &[Change] {
        &self.changes[self.step_from..]
    }
}
