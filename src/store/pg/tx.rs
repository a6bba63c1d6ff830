//! The PostgreSQL [`State`] of one step: each intent is SQL on the rows it
//! touches, inside the step's transaction; the changes are noted for the
//! event and audit lines written at the end, in the same transaction.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use postgres::Transaction;
use postgres::types::{ToSql, Type};
use serde_json::{Value, json};

use super::cols::{Cols, cols, sortable};
use super::{db_err, parse};
use crate::error::{NexusError, Result};
use crate::records::{self, text};
use crate::store::State;
use crate::store::audit::Change;

pub(super) type P<'a> = (&'a (dyn ToSql + Sync), Type);

/// The indexed columns of a claim row and its record text, in the order of
/// the INSERT and UPDATE statements ($1 to $11).
fn claim_params<'a>(c: &'a Cols, text: &'a String) -> [P<'a>; 11] {
    [
        (&c.id, Type::TEXT),
        (&c.num, Type::INT8),
        (&c.status, Type::TEXT),
        (&c.team, Type::TEXT),
        (&c.priority, Type::TEXT),
        (&c.prio, Type::INT4),
        (&c.queued, Type::TEXT),
        (&c.agent, Type::TEXT),
        (&c.claimed_at, Type::TEXT),
        (&c.lease, Type::TEXT),
        (text, Type::TEXT),
    ]
}

/// The statuses of work in flight (see `records::Status`).
const IN_FLIGHT: &str = "'active','in_progress','claimed','blocked','review','stale'";

pub struct PgTx<'a> {
    pub(super) tx: Transaction<'a>,
    pub(super) claims_written: bool,
    pub(super) name: String,
    pub(super) lock_timeout: Duration,
    /// Claims locked in this step: id -> (row, record text).
    pub(super) locked: HashMap<String, (i64, String)>,
    /// Claims read without a lock in this step: id -> record text.
    pub(super) seen: HashMap<String, String>,
    pub(super) agents_locked: HashSet<String>,
    /// The first error of an intent that cannot return one.
    pub(super) failed: Option<NexusError>,
    pub(super) changes: Vec<Change>,
}

impl<'a> PgTx<'a> {
    pub fn new(
        tx: Transaction<'a>,
        claims_written: bool,
        name: &str,
        lock_timeout: Duration,
    ) -> PgTx<'a> {
        PgTx {
            tx,
            claims_written,
            name: name.to_string(),
            lock_timeout,
            locked: HashMap::new(),
            seen: HashMap::new(),
            agents_locked: HashSet::new(),
            failed: None,
            changes: Vec::new(),
        }
    }

    /// A lock wait past the lock timeout is a conflict, as with the files.
    pub(super) fn err(&self, what: &str, e: &postgres::Error) -> NexusError {
        if e.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE) {
            return NexusError::LockTimeout {
                dir: PathBuf::from(&self.name),
                timeout_ms: self.lock_timeout.as_millis() as u64,
                holder: String::new(),
            };
        }
        db_err(what, e)
    }

    pub(super) fn query(
        &mut self,
        what: &str,
        sql: &str,
        params: &[P],
    ) -> Result<Vec<postgres::Row>> {
        match self.tx.query_typed(sql, params) {
            Ok(rows) => Ok(rows),
            Err(e) => Err(self.err(what, &e)),
        }
    }

    pub(super) fn exec(&mut self, what: &str, sql: &str, params: &[P]) -> Result<u64> {
        match self.tx.execute_typed(sql, params) {
            Ok(n) => Ok(n),
            Err(e) => Err(self.err(what, &e)),
        }
    }

    fn batch(&mut self, what: &str, sql: &str) -> Result<()> {
        match self.tx.batch_execute(sql) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.err(what, &e)),
        }
    }

    fn note(&mut self, kind: &'static str, id: &str, before: Option<Value>, after: Option<Value>) {
        self.changes.push(Change {
            kind,
            id: id.to_string(),
            before,
            after,
        });
    }

    /// The last row of claim `id`, locked for this step.
    fn lock_claim(&mut self, id: &str) -> Result<Option<(i64, String)>> {
        if let Some(found) = self.locked.get(id) {
            return Ok(Some(found.clone()));
        }
        let rows = self.query(
            "reading a claim",
            "SELECT pos, record FROM nexus_claims WHERE work_item_id = $1 ORDER BY pos DESC LIMIT 1 FOR UPDATE",
            &[(&id, Type::TEXT)],
        )?;
        let found = rows
            .first()
            .map(|r| (r.get::<_, i64>(0), r.get::<_, String>(1)));
        if let Some(f) = &found {
            self.locked.insert(id.to_string(), f.clone());
        }
        Ok(found)
    }

    /// Refuse to write over a claim that changed since this step read it
    /// without a lock.
    fn unchanged(&self, id: &str, now: &str) -> Result<()> {
        match self.seen.get(id) {
            Some(read) if read != now => Err(NexusError::Database {
                store: self.name.clone(),
                why: format!(
                    "work item {id} was changed by another command while this one ran; nothing was changed, run it again"
                ),
            }),
            _ => Ok(()),
        }
    }

    /// A retried request (same request id) racing the first one: the second
    /// to insert waits for the first to commit, finds its claim, and stops.
    fn first_of_request(&mut self, rid: &str) -> Result<()> {
        let key = format!("nexus request {rid}");
        self.query(
            "locking the request id",
            "SELECT pg_advisory_xact_lock(hashtext($1))",
            &[(&key, Type::TEXT)],
        )?;
        let rows = self.query(
            "looking for the request id",
            "SELECT 1 FROM nexus_claims WHERE record::json->>'request_id' = $1 LIMIT 1",
            &[(&rid, Type::TEXT)],
        )?;
        if rows.is_empty() {
            return Ok(());
        }
        Err(NexusError::Database {
            store: self.name.clone(),
            why: format!(
                "request {rid} was carried out by another command meanwhile; nothing was changed, run it again for its result"
            ),
        })
    }

    fn insert(&mut self, record: &Value) -> Result<()> {
        if let Some(rid) = text(record, "request_id") {
            self.first_of_request(rid)?;
        }
        let c = cols(record);
        let text = record.to_string();
        let rows = self.query(
            "adding a claim",
            "INSERT INTO nexus_claims (work_item_id, id_num, status, team, priority, prio, queued, agent_id, claimed_at, lease_expires_at, record)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING pos",
            &claim_params(&c, &text),
        )?;
        let pos: i64 = rows.first().map_or(0, |r| r.get(0));
        if !self.claims_written {
            self.batch(
                "recording the first claim",
                "INSERT INTO nexus_meta (key, value) VALUES ('claims_written', '1') ON CONFLICT (key) DO NOTHING",
            )?;
            self.claims_written = true;
        }
        self.locked.insert(c.id, (pos, text));
        Ok(())
    }

    fn lock_agent(&mut self, id: &str) -> Result<()> {
        if self.agents_locked.insert(id.to_string()) {
            let key = format!("nexus agent {id}");
            self.query(
                "locking an agent",
                "SELECT pg_advisory_xact_lock(hashtext($1))",
                &[(&key, Type::TEXT)],
            )?;
        }
        Ok(())
    }

    fn find_agent(&mut self, id: &str) -> Result<Option<(i64, Value)>> {
        self.lock_agent(id)?;
        let rows = self.query(
            "reading an agent",
            "SELECT pos, record FROM nexus_agents WHERE agent_id = $1 ORDER BY pos DESC LIMIT 1",
            &[(&id, Type::TEXT)],
        )?;
        Ok(rows.first().map(|r| (r.get(0), parse(r.get(1)))))
    }

    fn insert_agent(&mut self, id: &str, record: &Value) -> Result<()> {
        let (team, text) = (text(record, "team"), record.to_string());
        self.exec(
            "adding an agent",
            "INSERT INTO nexus_agents (agent_id, team, record) VALUES ($1, $2, $3)",
            &[(&id, Type::TEXT), (&team, Type::TEXT), (&text, Type::TEXT)],
        )?;
        Ok(())
    }

    fn keep_error(&mut self, r: Result<()>) {
        if let Err(e) = r {
            self.failed.get_or_insert(e);
        }
    }
}

impl State for PgTx<'_> {
    fn claims_exist(&self) -> bool {
        self.claims_written
    }
    fn claims_path(&self) -> PathBuf {
        PathBuf::from(&self.name)
    }
    fn claim(&mut self, id: &str) -> Result<Option<Value>> {
        Ok(self.lock_claim(id)?.map(|(_, t)| parse(&t)))
    }
    fn put_claim(&mut self, record: Value) -> Result<()> {
        let id = text(&record, "work_item_id")
            .unwrap_or_default()
            .to_string();
        let Some((pos, before)) = self.lock_claim(&id)? else {
            return Err(NexusError::WorkNotFound {
                id,
                path: self.claims_path(),
            });
        };
        self.unchanged(&id, &before)?;
        let c = cols(&record);
        let text = record.to_string();
        self.exec(
            "changing a claim",
            "UPDATE nexus_claims SET work_item_id = $1, id_num = $2, status = $3, team = $4, priority = $5, prio = $6,
                 queued = $7, agent_id = $8, claimed_at = $9, lease_expires_at = $10, record = $11 WHERE pos = $12",
            &[&claim_params(&c, &text)[..], &[(&pos, Type::INT8)]].concat(),
        )?;
        self.seen.remove(&id);
        self.locked.insert(id.clone(), (pos, text));
        self.note("claim", &id, Some(parse(&before)), Some(record));
        Ok(())
    }
    fn insert_claim(&mut self, record: Value) {
        let id = text(&record, "work_item_id")
            .unwrap_or_default()
            .to_string();
        let r = self.insert(&record);
        self.keep_error(r);
        self.note("claim", &id, None, Some(record));
    }
    fn claims_where(&mut self, keep: &dyn Fn(&Value) -> bool) -> Result<Vec<Value>> {
        let rows = self.query(
            "reading the claims",
            "SELECT record FROM nexus_claims ORDER BY pos",
            &[],
        )?;
        let mut out = Vec::new();
        for r in &rows {
            let t: String = r.get(0);
            let v = parse(&t);
            if keep(&v) {
                let id = text(&v, "work_item_id").unwrap_or_default().to_string();
                if !self.locked.contains_key(&id) {
                    self.seen.insert(id, t);
                }
                out.push(v);
            }
        }
        Ok(out)
    }
    fn backlog(&mut self, team: Option<&str>, now: DateTime<Utc>) -> Result<Vec<Value>> {
        let now_s = sortable(now);
        let sql = format!(
            "SELECT pos, record FROM nexus_claims
             WHERE (status = 'available' OR (lease_expires_at IS NOT NULL AND lease_expires_at <= $1 AND status IN ({IN_FLIGHT})))
               AND ($2::text IS NULL OR team = $2)
             ORDER BY prio, queued, pos LIMIT 1 FOR UPDATE SKIP LOCKED"
        );
        let rows = self.query(
            "reading the backlog",
            &sql,
            &[(&now_s, Type::TEXT), (&team, Type::TEXT)],
        )?;
        let mut out = Vec::new();
        for r in &rows {
            let (pos, t): (i64, String) = (r.get(0), r.get(1));
            let v = parse(&t);
            if records::claimable(&v, now) {
                let id = text(&v, "work_item_id").unwrap_or_default().to_string();
                self.locked.insert(id, (pos, t));
                out.push(v);
            }
        }
        Ok(out)
    }
    fn next_work_id(&mut self, now_ns: u128) -> Result<String> {
        let now = i64::try_from(now_ns).unwrap_or(i64::MAX);
        let rows = self.query(
            "making a new id",
            "SELECT nexus_next_work_id($1)",
            &[(&now, Type::INT8)],
        )?;
        let n: i64 = rows.first().map_or(now, |r| r.get(0));
        Ok(format!("work_{n}"))
    }
    fn archive(&mut self, ids: &[String], now: &str) -> Result<()> {
        let ids: Vec<String> = ids.to_vec();
        let rows = self.query(
            "reading the claims to archive",
            "SELECT pos, work_item_id, record FROM nexus_claims WHERE work_item_id = ANY($1) ORDER BY pos FOR UPDATE",
            &[(&ids, Type::TEXT_ARRAY)],
        )?;
        let moved: Vec<(i64, String, String)> = rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        for (_, id, t) in &moved {
            self.unchanged(id, t)?;
        }
        let pos: Vec<i64> = moved.iter().map(|m| m.0).collect();
        self.exec(
            "archiving claims",
            "WITH gone AS (DELETE FROM nexus_claims WHERE pos = ANY($1) RETURNING pos, work_item_id, record)
             INSERT INTO nexus_archive (work_item_id, record) SELECT work_item_id, record FROM gone ORDER BY pos",
            &[(&pos, Type::INT8_ARRAY)],
        )?;
        for (_, id, t) in moved {
            self.locked.remove(&id);
            self.note(
                "claim",
                &id,
                Some(parse(&t)),
                Some(json!({"archived_at": now})),
            );
        }
        Ok(())
    }
    fn agent(&mut self, id: &str) -> Result<Option<Value>> {
        Ok(self.find_agent(id)?.map(|(_, v)| v))
    }
    fn put_agent(&mut self, record: Value, to_end: bool) -> Result<()> {
        let id = text(&record, "agent_id").unwrap_or_default().to_string();
        let found = self.find_agent(&id)?;
        match &found {
            Some((pos, _)) if !to_end => {
                let (team, text) = (text(&record, "team"), record.to_string());
                self.exec(
                    "changing an agent",
                    "UPDATE nexus_agents SET team = $1, record = $2 WHERE pos = $3",
                    &[(&team, Type::TEXT), (&text, Type::TEXT), (pos, Type::INT8)],
                )?;
            }
            Some(_) => {
                self.exec(
                    "moving an agent",
                    "DELETE FROM nexus_agents WHERE agent_id = $1",
                    &[(&id, Type::TEXT)],
                )?;
                self.insert_agent(&id, &record)?;
            }
            None => self.insert_agent(&id, &record)?,
        }
        self.note("agent", &id, found.map(|f| f.1), Some(record));
        Ok(())
    }
    fn add_completion(&mut self, completion: Value) -> Result<()> {
        let line = crate::store::velocity_line(&completion)
            .trim_end()
            .to_string();
        let (team, text) = (text(&completion, "team"), completion.to_string());
        self.exec(
            "adding a completion",
            "WITH c AS (INSERT INTO nexus_completions (team, record) VALUES ($1, $2))
             INSERT INTO nexus_velocity (line) VALUES ($3)",
            &[
                (&team, Type::TEXT),
                (&text, Type::TEXT),
                (&line, Type::TEXT),
            ],
        )?;
        Ok(())
    }
    fn add_span(&mut self, line: &str) {
        let line = line.trim_end().to_string();
        let r = self
            .exec(
                "adding a span",
                "INSERT INTO nexus_spans (line) VALUES ($1)",
                &[(&line, Type::TEXT)],
            )
            .map(|_| ());
        self.keep_error(r);
    }
    fn changes(&self) -> &[Change] {
        &self.changes
    }
}
