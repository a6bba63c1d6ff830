//! The PostgreSQL [`State`] of one step: each intent is SQL on the rows it
//! touches, inside the step's transaction; the changes are noted for the
//! event and audit lines written at the end, in the same transaction.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use postgres::{Client, SimpleQueryRow};
use serde_json::{Value, json};

use super::cols::{cols, sortable};
use super::parse;
use super::sql::{
    self, CLAIM_COLUMNS, LAST, agent_sql, claim_values, int, lit, next_work_id_sql, opt, row_of,
};
use crate::error::{NexusError, Result};
use crate::records::{self, text};
use crate::store::State;
use crate::store::audit::Change;

/// The statuses of work in flight (see `records::Status`).
const IN_FLIGHT: &str = "'active','in_progress','claimed','blocked','review','stale'";

/// A row of a table, as this step knows it: its position, or `None` for a
/// row this step inserted (the last row of its id).
type Row = Option<i64>;

pub struct PgTx<'a> {
    client: &'a mut Client,
    /// Whether the transaction is still open (rolled back when dropped).
    open: bool,
    /// Statements not sent yet: they go with the next read, or the commit.
    pending: String,
    pending_n: usize,
    pub(super) claims_written: bool,
    pub(super) name: String,
    pub(super) lock_timeout: Duration,
    /// Claims locked in this step: id -> (row, record text).
    locked: HashMap<String, (Row, String)>,
    /// Claims read without a lock in this step: id -> record text.
    seen: HashMap<String, String>,
    /// Agents locked in this step, as they are now: id -> (row, record).
    agents: HashMap<String, Option<(Row, Value)>>,
    agents_locked: HashSet<String>,
    /// A new work id made as the step began, for its first question.
    pub(super) ready_id: Option<i64>,
    /// The first error of an intent that cannot return one.
    pub(super) failed: Option<NexusError>,
    pub(super) changes: Vec<Change>,
}

impl Drop for PgTx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.client.batch_execute("ROLLBACK");
        }
    }
}

impl<'a> PgTx<'a> {
    /// The step of a transaction `client` has begun.
    pub fn new(
        client: &'a mut Client,
        claims_written: bool,
        name: &str,
        lock_timeout: Duration,
    ) -> PgTx<'a> {
        PgTx {
            client,
            open: true,
            pending: String::new(),
            pending_n: 0,
            claims_written,
            name: name.to_string(),
            lock_timeout,
            locked: HashMap::new(),
            seen: HashMap::new(),
            agents: HashMap::new(),
            agents_locked: HashSet::new(),
            ready_id: None,
            failed: None,
            changes: Vec::new(),
        }
    }

    /// The step of a batch (a group commit): the transaction is the
    /// batch's, so this step neither commits it nor rolls it back.
    pub fn within(
        client: &'a mut Client,
        claims_written: bool,
        name: &str,
        lock_timeout: Duration,
    ) -> PgTx<'a> {
        let mut st = PgTx::new(client, claims_written, name, lock_timeout);
        st.open = false;
        st
    }

    /// Take the answers to what the step asked as it began (see
    /// `ahead`): statement 1 the new work id when it asked for one, the
    /// last one its agent's record when it named one.
    pub(super) fn answered(
        &mut self,
        step: &crate::store::Step,
        agent: Option<&str>,
        sets: &[Vec<SimpleQueryRow>],
    ) {
        if step.new_work_id.is_some() {
            self.ready_id = super::first_int(sets, 1);
        }
        if let (Some(id), Some(rows)) = (agent, sets.last()) {
            self.know_agent(id, rows);
        }
    }

    /// A lock wait past the lock timeout is a conflict, as with the files.
    pub(super) fn err(&self, what: &str, e: &postgres::Error) -> NexusError {
        super::step_err(&self.name, self.lock_timeout, what, e)
    }

    /// Write `statement` with the step's next round trip.
    fn defer(&mut self, statement: &str) {
        self.pending.push_str(statement);
        self.pending.push_str(";\n");
        self.pending_n += 1;
    }

    /// Run the writes not sent yet, then `statements` (`count` of them, `;`
    /// between them), in one round trip: the rows of each of `statements`.
    pub(super) fn read(
        &mut self,
        what: &str,
        statements: &str,
        count: usize,
    ) -> Result<Vec<Vec<SimpleQueryRow>>> {
        let skip = std::mem::take(&mut self.pending_n);
        let mut text = std::mem::take(&mut self.pending);
        text.push_str(statements);
        match self.client.simple_query(&text) {
            Ok(msgs) => {
                let mut sets: Vec<_> = sql::row_sets(msgs).into_iter().skip(skip).collect();
                sets.resize_with(count, Vec::new);
                Ok(sets)
            }
            Err(e) => Err(self.err(what, &e)),
        }
    }

    /// The writes not sent yet and how many statements they are, for the
    /// batch to send with its next round trip.
    pub(super) fn take_pending(&mut self) -> (String, usize) {
        (
            std::mem::take(&mut self.pending),
            std::mem::take(&mut self.pending_n),
        )
    }

    /// Send the writes not sent yet and `last` (ending in `COMMIT`).
    pub(super) fn commit(&mut self, last: &str) -> Result<()> {
        self.read("committing the step", last, 0)?;
        self.open = false;
        Ok(())
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
    fn lock_claim(&mut self, id: &str) -> Result<Option<(Row, String)>> {
        if let Some(found) = self.locked.get(id) {
            return Ok(Some(found.clone()));
        }
        let q = format!(
            "SELECT pos, record FROM nexus_claims WHERE work_item_id = {} ORDER BY {LAST} FOR UPDATE",
            lit(id)?
        );
        let sets = self.read("reading a claim", &q, 1)?;
        let found = sets[0].first().map(|r| (Some(int(r, 0)), sql::text(r, 1)));
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
        let q = format!(
            "SELECT pg_advisory_xact_lock(hashtext({}));
             SELECT 1 FROM nexus_claims WHERE record::json->>'request_id' = {} LIMIT 1",
            lit(&format!("nexus request {rid}"))?,
            lit(rid)?
        );
        let sets = self.read("looking for the request id", &q, 2)?;
        if sets[1].is_empty() {
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
        let values = claim_values(&c, &text)?;
        self.defer(&format!(
            "INSERT INTO nexus_claims ({CLAIM_COLUMNS}) VALUES ({values})"
        ));
        if !self.claims_written {
            self.defer(
                "INSERT INTO nexus_meta (key, value) VALUES ('claims_written', '1') ON CONFLICT (key) DO NOTHING",
            );
            self.claims_written = true;
        }
        self.locked.insert(c.id, (None, text));
        Ok(())
    }

    /// The last row of agent `id`, under a transaction lock of its id.
    fn find_agent(&mut self, id: &str) -> Result<Option<(Row, Value)>> {
        if let Some(found) = self.agents.get(id) {
            return Ok(found.clone());
        }
        let lock = self.agents_locked.insert(id.to_string());
        let n = 1 + usize::from(lock);
        let sets = self.read("reading an agent", &agent_sql(id, lock)?, n)?;
        Ok(self.know_agent(id, &sets[n - 1]))
    }

    /// The record of agent `id` as read (and locked) by [`agent_sql`].
    pub(super) fn know_agent(&mut self, id: &str, rows: &[SimpleQueryRow]) -> Option<(Row, Value)> {
        self.agents_locked.insert(id.to_string());
        let found = (rows.first()).map(|r| (Some(int(r, 0)), parse(&sql::text(r, 1))));
        self.agents.insert(id.to_string(), found.clone());
        found
    }

    fn insert_agent(&mut self, id: &str, record: &Value) -> Result<()> {
        let q = format!(
            "INSERT INTO nexus_agents (agent_id, team, record) VALUES ({}, {}, {})",
            lit(id)?,
            opt(text(record, "team"))?,
            lit(&record.to_string())?
        );
        self.defer(&q);
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
    fn archived_claim(&mut self, id: &str) -> Result<Option<Value>> {
        let q = format!(
            "SELECT record FROM nexus_archive WHERE work_item_id = {} ORDER BY pos DESC LIMIT 1",
            lit(id)?
        );
        let sets = self.read("reading the archive", &q, 1)?;
        Ok(sets[0].first().map(|r| parse(&sql::text(r, 0))))
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
        let text = record.to_string();
        let q = format!(
            "UPDATE nexus_claims SET ({CLAIM_COLUMNS}) = ({}) WHERE pos = {}",
            claim_values(&cols(&record), &text)?,
            row_of("nexus_claims", "work_item_id", &id, pos)?
        );
        self.defer(&q);
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
        let sets = self.read(
            "reading the claims",
            "SELECT record FROM nexus_claims ORDER BY pos",
            1,
        )?;
        let mut out = Vec::new();
        for r in &sets[0] {
            let t = sql::text(r, 0);
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
    /// The one readiness rule (`records::queue::next`) as a query: the
    /// last row of its id, claimable, of `team`, every dependency's last row
    /// completed (or absent), in queue order; the row taken is locked and
    /// rows other steps locked are skipped.
    fn next_ready(
        &mut self,
        team: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(Option<Value>, usize)> {
        let backlog = format!(
            "(c.status = 'available' OR (c.lease_expires_at IS NOT NULL AND c.lease_expires_at <= {} AND c.status IN ({IN_FLIGHT})))
               AND ({team} IS NULL OR c.team = {team})
               AND NOT EXISTS (SELECT 1 FROM nexus_claims l WHERE l.work_item_id = c.work_item_id AND l.pos > c.pos)",
            lit(&sortable(now))?,
            team = format!("{}::text", opt(team)?),
        );
        let q = format!(
            "SELECT c.pos, c.record FROM nexus_claims c
             WHERE {backlog}
               AND NOT EXISTS (
                 SELECT 1 FROM jsonb_array_elements(CASE jsonb_typeof(c.record::jsonb -> 'depends_on')
                        WHEN 'array' THEN c.record::jsonb -> 'depends_on' ELSE '[]'::jsonb END) d
                 JOIN nexus_claims o ON o.work_item_id = d #>> '{{}}'
                 WHERE jsonb_typeof(d) = 'string'
                   AND o.status IS DISTINCT FROM 'completed'
                   AND NOT EXISTS (SELECT 1 FROM nexus_claims n WHERE n.work_item_id = o.work_item_id AND n.pos > o.pos))
             ORDER BY c.prio, c.queued, c.pos LIMIT 1 FOR UPDATE OF c SKIP LOCKED"
        );
        let sets = self.read("reading the backlog", &q, 1)?;
        if let Some(r) = sets[0].first() {
            let (pos, t) = (int(r, 0), sql::text(r, 1));
            let v = parse(&t);
            if records::claimable(&v, now) {
                let id = text(&v, "work_item_id").unwrap_or_default().to_string();
                self.locked.insert(id, (Some(pos), t));
                return Ok((Some(v), 1));
            }
        }
        let q = format!("SELECT count(*) FROM nexus_claims c WHERE {backlog}");
        let sets = self.read("counting the backlog", &q, 1)?;
        let waiting = sets[0].first().map_or(0, |r| int(r, 0));
        Ok((None, usize::try_from(waiting).unwrap_or(0)))
    }
    fn next_work_id(&mut self, now_ns: u128) -> Result<String> {
        if let Some(n) = self.ready_id.take() {
            return Ok(format!("work_{n}"));
        }
        let sets = self.read("making a new id", &next_work_id_sql(now_ns), 1)?;
        let now = i64::try_from(now_ns).unwrap_or(i64::MAX);
        let n = sets[0].first().map_or(now, |r| int(r, 0));
        Ok(format!("work_{n}"))
    }
    fn archive(&mut self, ids: &[String], now: &str) -> Result<()> {
        let list = ids.iter().map(|i| lit(i)).collect::<Result<Vec<_>>>()?;
        let q = format!(
            "SELECT pos, work_item_id, record FROM nexus_claims WHERE work_item_id = ANY(ARRAY[{}]::text[]) ORDER BY pos FOR UPDATE",
            list.join(", ")
        );
        let sets = self.read("reading the claims to archive", &q, 1)?;
        let moved: Vec<(i64, String, String)> = sets[0]
            .iter()
            .map(|r| (int(r, 0), sql::text(r, 1), sql::text(r, 2)))
            .collect();
        for (_, id, t) in &moved {
            self.unchanged(id, t)?;
        }
        if !moved.is_empty() {
            let pos: Vec<String> = moved.iter().map(|m| m.0.to_string()).collect();
            self.defer(&format!(
                "WITH gone AS (DELETE FROM nexus_claims WHERE pos IN ({}) RETURNING pos, work_item_id, record)
                 INSERT INTO nexus_archive (work_item_id, record) SELECT work_item_id, record FROM gone ORDER BY pos",
                pos.join(", ")
            ));
        }
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
        let pos = match &found {
            Some((pos, _)) if !to_end => {
                let q = format!(
                    "UPDATE nexus_agents SET team = {}, record = {} WHERE pos = {}",
                    opt(text(&record, "team"))?,
                    lit(&record.to_string())?,
                    row_of("nexus_agents", "agent_id", &id, *pos)?
                );
                self.defer(&q);
                *pos
            }
            Some(_) => {
                self.defer(&format!(
                    "DELETE FROM nexus_agents WHERE agent_id = {}",
                    lit(&id)?
                ));
                self.insert_agent(&id, &record)?;
                None
            }
            None => {
                self.insert_agent(&id, &record)?;
                None
            }
        };
        self.agents.insert(id.clone(), Some((pos, record.clone())));
        self.note("agent", &id, found.map(|f| f.1), Some(record));
        Ok(())
    }
    fn add_completion(&mut self, completion: Value) -> Result<()> {
        let line = crate::store::velocity_line(&completion)
            .trim_end()
            .to_string();
        let q = format!(
            "INSERT INTO nexus_completions (team, record) VALUES ({}, {})",
            opt(text(&completion, "team"))?,
            lit(&completion.to_string())?
        );
        self.defer(&q);
        self.defer(&format!(
            "INSERT INTO nexus_velocity (line) VALUES ({})",
            lit(&line)?
        ));
        Ok(())
    }
    fn add_span(&mut self, line: &str) {
        let r = lit(line.trim_end())
            .map(|l| self.defer(&format!("INSERT INTO nexus_spans (line) VALUES ({l})")));
        self.keep_error(r);
    }
    fn changes(&self) -> &[Change] {
        &self.changes
    }
}
