//! The PostgreSQL [`State`] of one step: each intent is SQL on the rows it
//! touches, inside the step's transaction; the changes are noted for the
//! event and audit lines written at the end, in the same transaction.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use postgres::types::{ToSql, Type};
use postgres::{SimpleQueryMessage, Transaction};
use serde_json::{Value, json};

use super::cols::{cols, sortable};
use super::{LOCK_TRAILS, db_err, parse};
use crate::error::{NexusError, Result};
use crate::records::{self, text};
use crate::store::audit::{self, Change, Head, Step};
use crate::store::{State, events};

type P<'a> = (&'a (dyn ToSql + Sync), Type);

/// The statuses of work in flight (see `records::Status`).
const IN_FLIGHT: &str = "'active','in_progress','claimed','blocked','review','stale'";

pub struct PgTx<'a> {
    tx: Transaction<'a>,
    claims_written: bool,
    name: String,
    lock_timeout: Duration,
    /// Claims locked in this step: id -> (row, record text).
    locked: HashMap<String, (i64, String)>,
    /// Claims read without a lock in this step: id -> record text.
    seen: HashMap<String, String>,
    agents_locked: HashSet<String>,
    /// The first error of an intent that cannot return one.
    failed: Option<NexusError>,
    changes: Vec<Change>,
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
    fn err(&self, what: &str, e: &postgres::Error) -> NexusError {
        if e.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE) {
            return NexusError::LockTimeout {
                dir: PathBuf::from(&self.name),
                timeout_ms: self.lock_timeout.as_millis() as u64,
                holder: String::new(),
            };
        }
        db_err(what, e)
    }

    fn query(&mut self, what: &str, sql: &str, params: &[P]) -> Result<Vec<postgres::Row>> {
        match self.tx.query_typed(sql, params) {
            Ok(rows) => Ok(rows),
            Err(e) => Err(self.err(what, &e)),
        }
    }

    fn exec(&mut self, what: &str, sql: &str, params: &[P]) -> Result<u64> {
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

    fn insert(&mut self, record: &Value) -> Result<()> {
        let c = cols(record);
        let text = record.to_string();
        let rows = self.query(
            "adding a claim",
            "INSERT INTO nexus_claims (work_item_id, id_num, status, team, priority, prio, queued, agent_id, claimed_at, lease_expires_at, record)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING pos",
            &[
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
                (&text, Type::TEXT),
            ],
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

    /// Write the step's event lines, audit lines and head, wake listeners,
    /// and commit: all of it or nothing.
    pub fn finish(mut self, step: &Step) -> Result<()> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        if !self.changes.is_empty() {
            // One round trip: the lock, then (a statement of its own, so a
            // snapshot taken after the lock) the last event number.
            let sql =
                format!("{LOCK_TRAILS}; SELECT coalesce(max(seq), 0)::bigint FROM nexus_events");
            let seq: i64 = match self.tx.simple_query(&sql) {
                Ok(msgs) => msgs
                    .iter()
                    .filter_map(|m| match m {
                        SimpleQueryMessage::Row(r) => r.get(0)?.parse().ok(),
                        _ => None,
                    })
                    .next_back()
                    .unwrap_or(0),
                Err(e) => return Err(self.err("locking the trails", &e)),
            };
            if step.audit {
                let rows = self.query(
                    "reading the audit head",
                    "SELECT seq, hash FROM nexus_audit_head",
                    &[],
                )?;
                let head = rows.first().map_or_else(
                    || Head {
                        seq: 0,
                        hash: "0".repeat(64),
                    },
                    |r| Head {
                        seq: r.get::<_, i64>(0) as u64,
                        hash: r.get(1),
                    },
                );
                let first = head.seq as i64;
                let (lines, head) = audit::lines_for(head, step, &self.changes);
                self.append("nexus_audit", first, &lines)?;
                let (seq, hash) = (head.seq as i64, head.hash);
                self.exec(
                    "writing the audit head",
                    "INSERT INTO nexus_audit_head (one, seq, hash) VALUES (1, $1, $2)
                     ON CONFLICT (one) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash",
                    &[(&seq, Type::INT8), (&hash, Type::TEXT)],
                )?;
            }
            let (lines, last) = events::lines_for(seq as u64, step, &self.changes);
            let lines: Vec<String> = lines.lines().map(str::to_string).collect();
            let seqs: Vec<i64> = (1..=lines.len() as i64).map(|i| seq + i).collect();
            let payload = last.to_string();
            self.query(
                "appending the events",
                "WITH e AS (INSERT INTO nexus_events (seq, line) SELECT * FROM unnest($1::bigint[], $2::text[]))
                 SELECT pg_notify('nexus_changes', $3)",
                &[
                    (&seqs, Type::INT8_ARRAY),
                    (&lines, Type::TEXT_ARRAY),
                    (&payload, Type::TEXT),
                ],
            )?;
        }
        self.tx
            .commit()
            .map_err(|e| db_err("committing the step", &e))
    }

    /// Append `lines` to a trail table, numbered after `after`.
    fn append(&mut self, table: &str, after: i64, lines: &str) -> Result<()> {
        let lines: Vec<String> = lines.lines().map(str::to_string).collect();
        let seqs: Vec<i64> = (1..=lines.len() as i64).map(|i| after + i).collect();
        let sql = format!(
            "INSERT INTO {table} (seq, line) SELECT * FROM unnest($1::bigint[], $2::text[])"
        );
        self.exec(
            &format!("appending to {table}"),
            &sql,
            &[(&seqs, Type::INT8_ARRAY), (&lines, Type::TEXT_ARRAY)],
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
            &[
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
                (&text, Type::TEXT),
                (&pos, Type::INT8),
            ],
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
