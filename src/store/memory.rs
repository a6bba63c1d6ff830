//! A [`Store`] in memory: the same intents as the file store, for unit tests
//! of the operations (and a model of what any backend must do).

use std::path::PathBuf;
use std::sync::Mutex;

use serde_json::{Value, json};

use super::audit::{self, Change, Head, Step};
use super::{Snapshot, State, Store};
use crate::error::{NexusError, Result};
use crate::records::text;

/// Everything a store holds.
#[derive(Debug, Clone)]
pub struct MemState {
    pub claims: Vec<Value>,
    pub archive: Vec<Value>,
    pub agents: Vec<Value>,
    pub completions: Vec<Value>,
    pub velocity: Vec<String>,
    pub spans: Vec<String>,
    pub audit: Vec<String>,
    pub head: Head,
    /// The event lines (see `events.jsonl`).
    pub events: Vec<String>,
    /// Whether a claim was ever written (a new directory has no claims file).
    pub claims_exist: bool,
}

impl Default for MemState {
    fn default() -> MemState {
        MemState {
            claims: Vec::new(),
            archive: Vec::new(),
            agents: Vec::new(),
            completions: Vec::new(),
            velocity: Vec::new(),
            spans: Vec::new(),
            audit: Vec::new(),
            events: Vec::new(),
            head: Head {
                seq: 0,
                hash: "0".repeat(64),
            },
            claims_exist: false,
        }
    }
}

/// The state in memory, changed one whole step at a time.
#[derive(Debug, Default)]
pub struct MemStore {
    state: Mutex<MemState>,
}

impl MemStore {
    /// A copy of everything the store holds.
    pub fn state(&self) -> MemState {
        self.state.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

struct MemTx {
    s: MemState,
    changes: Vec<Change>,
}

const WHERE: &str = "memory";

impl State for MemTx {
    fn claims_exist(&self) -> bool {
        self.s.claims_exist
    }
    fn claims_path(&self) -> PathBuf {
        PathBuf::from(WHERE)
    }
    fn claim(&mut self, id: &str) -> Result<Option<Value>> {
        Ok(self
            .s
            .claims
            .iter()
            .rfind(|c| text(c, "work_item_id") == Some(id))
            .cloned())
    }
    fn put_claim(&mut self, record: Value) -> Result<()> {
        let id = text(&record, "work_item_id")
            .unwrap_or_default()
            .to_string();
        let Some(slot) = self
            .s
            .claims
            .iter_mut()
            .rfind(|c| text(c, "work_item_id") == Some(&id))
        else {
            return Err(NexusError::WorkNotFound {
                id,
                path: PathBuf::from(WHERE),
            });
        };
        let before = std::mem::replace(slot, record.clone());
        self.changes
            .push(change("claim", &id, Some(before), Some(record)));
        Ok(())
    }
    fn insert_claim(&mut self, record: Value) {
        let id = text(&record, "work_item_id")
            .unwrap_or_default()
            .to_string();
        self.changes
            .push(change("claim", &id, None, Some(record.clone())));
        self.s.claims.push(record);
        self.s.claims_exist = true;
    }
    fn claims_where(&mut self, keep: &dyn Fn(&Value) -> bool) -> Result<Vec<Value>> {
        Ok(self.s.claims.iter().filter(|c| keep(c)).cloned().collect())
    }
    fn next_work_id(&mut self, now_ns: u128) -> Result<String> {
        let max = super::array_file::max_work_id(&self.s.claims);
        Ok(format!(
            "work_{}",
            max.filter(|m| *m >= now_ns).map_or(now_ns, |m| m + 1)
        ))
    }
    fn archive(&mut self, ids: &[String], now: &str) -> Result<()> {
        let (gone, kept): (Vec<Value>, Vec<Value>) = std::mem::take(&mut self.s.claims)
            .into_iter()
            .partition(|c| ids.iter().any(|i| text(c, "work_item_id") == Some(i)));
        self.s.claims = kept;
        for c in gone {
            let id = text(&c, "work_item_id").unwrap_or_default().to_string();
            let after = json!({"archived_at": now});
            self.changes
                .push(change("claim", &id, Some(c.clone()), Some(after)));
            self.s.archive.push(c);
        }
        Ok(())
    }
    fn agent(&mut self, id: &str) -> Result<Option<Value>> {
        Ok(self
            .s
            .agents
            .iter()
            .find(|a| text(a, "agent_id") == Some(id))
            .cloned())
    }
    fn put_agent(&mut self, record: Value, to_end: bool) -> Result<()> {
        let id = text(&record, "agent_id").unwrap_or_default().to_string();
        let at = self
            .s
            .agents
            .iter()
            .position(|a| text(a, "agent_id") == Some(&id));
        let before = at.map(|i| self.s.agents[i].clone());
        self.changes
            .push(change("agent", &id, before, Some(record.clone())));
        match at {
            Some(i) if !to_end => self.s.agents[i] = record,
            Some(i) => {
                self.s.agents.remove(i);
                self.s.agents.push(record);
            }
            None => self.s.agents.push(record),
        }
        Ok(())
    }
    fn add_completion(&mut self, completion: Value) -> Result<()> {
        self.s.velocity.push(super::velocity_line(&completion));
        self.s.completions.push(completion);
        Ok(())
    }
    fn add_span(&mut self, line: &str) {
        self.s.spans.push(line.trim_end().to_string());
    }
    fn changes(&self) -> &[Change] {
        &self.changes
    }
}

fn change(kind: &'static str, id: &str, before: Option<Value>, after: Option<Value>) -> Change {
    Change {
        kind,
        id: id.to_string(),
        before,
        after,
    }
}

impl Store for MemStore {
    fn update<T: Send>(
        &self,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T> + Send,
    ) -> Result<T> {
        let mut guard = self
            .state
            .lock()
            .map_err(|_| NexusError::invalid("store", WHERE, "poisoned by a panic"))?;
        let mut tx = MemTx {
            s: guard.clone(),
            changes: Vec::new(),
        };
        let out = f(&mut tx)?;
        let seq = tx.s.events.len() as u64;
        let (events, _) = super::events::lines_for(seq, step, &tx.changes);
        tx.s.events.extend(events.lines().map(str::to_string));
        if step.audit && !tx.changes.is_empty() {
            let (lines, head) = audit::lines_for(tx.s.head.clone(), step, &tx.changes);
            tx.s.audit.extend(lines.lines().map(str::to_string));
            tx.s.head = head;
        }
        *guard = tx.s;
        Ok(out)
    }

    fn snapshot(&self) -> Result<Snapshot> {
        let s = self.state();
        let mut claims = s.archive.clone();
        claims.extend(s.claims);
        Ok(Snapshot {
            dir: PathBuf::from(WHERE),
            archived: s.archive.len(),
            claims: claims
                .into_iter()
                .map(crate::records::claim_record::ClaimRecord::from)
                .collect(),
            agents: s.agents,
            completions: s.completions,
            velocity_lines: s
                .velocity
                .iter()
                .map(|l| l.trim_end().to_string())
                .collect(),
        })
    }
}
