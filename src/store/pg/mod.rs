//! The state in PostgreSQL, for fleets whose agents run on several machines.
//!
//! One command is one transaction (a long-lived process groups the steps
//! asked for at once in one, each from a savepoint: see the `group`
//! module): the closure of [`Store::update`] runs
//! against [`PgTx`](tx::PgTx), whose intents are SQL on the rows they touch,
//! and the step's event lines, audit lines and chain head are written in
//! the same transaction, then a `NOTIFY nexus_changes` wakes dashboards. The
//! whole step commits or nothing does: an error (or a lost server) rolls it
//! back, and a command only prints success after `COMMIT` returned.
//!
//! Writers are serialised where the file store relies on its lock:
//! - a claim read for a change is locked (`SELECT ... FOR UPDATE`), so two
//!   commands completing one item run one after the other and the second sees
//!   the first's result;
//! - `claim --next` takes the head of the queue with `FOR UPDATE SKIP LOCKED`:
//!   concurrent takers lock different items and never wait for each other;
//! - new ids come from the `nexus_work_ids` sequence, under an advisory lock
//!   held within that one statement, so they stay unique without serialising
//!   whole steps; an agent record is changed under a transaction-level
//!   advisory lock of its id;
//! - the event and audit sequences are appended under one advisory lock taken
//!   last and held to `COMMIT`, so they stay gap-free and in commit order;
//!   the server numbers and chains the lines in the round trip that commits,
//!   so the lock is never held across a round trip;
//! - a claim changed after it was read without a lock (a whole-table scan,
//!   as `cleanup` does) is refused with "run it again" rather than overwritten;
//! - a new claim carrying a request id is inserted under an advisory lock of
//!   that id, after looking again: concurrent retries store it once.
//!
//! A step costs one round trip per read it makes (see the `sql` module): `BEGIN` with
//! the schema check and what the step says it will ask first (a new work id,
//! its agent's record: a claim is then two round trips), then each read with
//! the writes made before it, then the last writes with the trails and
//! `COMMIT`. The step's statements are plain SQL inside its transaction, so a
//! pooler in transaction mode can stand between nexus and the server. A connection lost while
//! committing is answered by asking a new one whether the step's events are
//! stored, so success is printed exactly when the step was stored.
//!
//! The crate is the synchronous `postgres` (0.19): it runs a small tokio
//! runtime of its own inside each client, so nexus stays free of async code
//! (never call it from inside another runtime). `sqlx` was not chosen: it
//! needs a newer Rust than this crate's `rust-version`.
//!
//! Connecting is bounded by NEXUS_PG_CONNECT_TIMEOUT_MS (a server that is down
//! or unreachable is one error line, never a hang; one that is full, "too many
//! clients", or still starting up is asked again within that bound); lock
//! waits are bounded by NEXUS_LOCK_TIMEOUT_MS, as with the files.

mod cols;
mod connect;
mod follow;
mod group;
mod lost;
mod schema;
pub mod setting;
mod sql;
pub mod stuck;
mod tls;
mod trails;
mod transfer;
mod tx;
mod watch;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use postgres::{Client, IsolationLevel};
use serde_json::Value;

use super::audit::{Head, Step};
use super::{Snapshot, State, Store};
use crate::error::{NexusError, Result};
pub use group::{Lanes, PgBatch};
pub use schema::VERSION as SCHEMA_VERSION;
pub use watch::Watch;

/// The advisory lock of schema migrations.
const LOCK_SCHEMA: &str = "SELECT pg_advisory_xact_lock(28280, 1)";
/// The advisory lock of the event and audit sequences.
const LOCK_TRAILS: &str = "SELECT pg_advisory_xact_lock(28280, 3)";
/// How long to wait before asking a full or starting server again.
const RETRY_AFTER: Duration = Duration::from_millis(25);
/// The first question of every step: its transaction's id.
const TXID: &str = "SELECT txid_current();";
/// The channel dashboards listen on; the payload is the last event seq.
pub const CHANNEL: &str = "nexus_changes";

/// A lock wait past the lock timeout: a conflict, as with the files.
fn lock_timeout(store: &str, lock_ms: u128) -> NexusError {
    NexusError::LockTimeout {
        dir: PathBuf::from(store),
        timeout_ms: lock_ms as u64,
        holder: String::new(),
    }
}

/// A failed statement of a step: a lock wait past the lock timeout is a
/// conflict, as with the files; anything else is said as [`db_err`] says it.
fn step_err(store: &str, lock_timeout: Duration, what: &str, e: &postgres::Error) -> NexusError {
    if e.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE) {
        return self::lock_timeout(store, lock_timeout.as_millis());
    }
    db_err(what, e)
}

/// A failed query, said in one line (the store is named by the caller).
fn db_err(what: &str, e: &postgres::Error) -> NexusError {
    let why = match e.as_db_error() {
        Some(d) if *d.code() == postgres::error::SqlState::QUERY_CANCELED => format!(
            "{what}: {} (bounded by NEXUS_PG_STATEMENT_TIMEOUT_MS); nothing was changed",
            d.message()
        ),
        Some(d) => format!("{what}: {}", d.message()),
        None => format!("{what}: {}", crate::text::causes(e)),
    };
    NexusError::Database {
        store: String::new(),
        why: crate::text::line(&why).into_owned(),
    }
}

/// How long one statement may run on the server unless configured.
const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(30);

/// State kept in one PostgreSQL database.
pub struct PgStore {
    url: String,
    name: String,
    connect_timeout: Duration,
    lock_timeout: Duration,
    statement_timeout: Duration,
    /// Connections not in use, at most `keep` of them.
    idle: Mutex<Vec<Client>>,
    keep: usize,
    /// The lanes of batches steps join (a long-lived process), if any.
    lanes: Option<Arc<Lanes>>,
}

impl PgStore {
    /// A store at `url` (connected on first use).
    pub fn new(url: &str, connect_timeout: Duration, lock_timeout: Duration) -> PgStore {
        PgStore {
            url: url.to_string(),
            name: setting::shown(url),
            connect_timeout,
            lock_timeout,
            statement_timeout: DEFAULT_STATEMENT_TIMEOUT,
            idle: Mutex::new(Vec::new()),
            keep: 1,
            lanes: None,
        }
    }

    /// This store with its steps committed in the batches of `lanes`
    /// (see [`Lanes`]), with those of the other stores sharing them, and
    /// up to `keep` connections kept open between uses (it may then be
    /// used from several threads at once).
    pub fn grouped(mut self, lanes: &Arc<Lanes>, keep: usize) -> PgStore {
        self.lanes = Some(Arc::clone(lanes));
        self.keep = keep.max(1);
        self
    }

    /// A connection for one use: one kept open, or a new one.
    fn checkout(&self) -> Result<Client> {
        let kept = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match kept {
            Some(c) if !c.is_closed() => Ok(c),
            _ => self.connect_new(),
        }
    }

    /// A new connection, the store named in its error.
    fn connect_new(&self) -> Result<Client> {
        self.connect().map_err(|e| self.named(e))
    }

    /// Keep a connection after its use (unless it is closed, or enough are
    /// kept).
    fn checkin(&self, client: Client) {
        if client.is_closed() {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < self.keep {
            idle.push(client);
        } else {
            drop(idle);
            connect::close(client);
        }
    }

    /// The store's URL, password redacted.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Name this store in an error that does not name one yet.
    fn named(&self, e: NexusError) -> NexusError {
        match e {
            NexusError::Database { store, why } if store.is_empty() => NexusError::Database {
                store: self.name.clone(),
                why,
            },
            e => e,
        }
    }

    /// A new connection, within the connect timeout whatever the server does
    /// (the store's own, a listener's, or one asking after a lost `COMMIT`).
    fn connect(&self) -> Result<Client> {
        connect::open(&self.url, &self.name, self.connect_timeout)
    }

    /// Run `f` on a connection of this store, connecting when none is kept
    /// (a connection found closed is dropped, for the next use to replace).
    fn with_conn<T>(&self, f: impl FnOnce(&mut Client) -> Result<T>) -> Result<T> {
        let watched = stuck::guard(
            self.statement_timeout * 2 + self.connect_timeout,
            &self.name,
        );
        let out = self.checkout().and_then(|mut client| {
            let out = f(&mut client);
            self.checkin(client);
            out
        });
        drop(watched);
        out.map_err(|e| self.named(e))
    }

    /// Run `f` on this store's connection, creating or migrating the schema
    /// first when it is not this binary's.
    fn with_client<T>(&self, f: impl FnOnce(&mut Client, &schema::Meta) -> Result<T>) -> Result<T> {
        self.with_conn(|client| {
            let (meta, _) = schema::open(client, &self.name, self.bounds(), false, "")?;
            f(client, &meta)
        })
    }

    /// Bound each statement on the server (`statement_timeout`, set with
    /// the first statements of every use, like the lock timeout).
    pub fn with_statement_timeout(mut self, bound: Duration) -> PgStore {
        self.statement_timeout = bound;
        self
    }

    /// The bounds set with the first statements of every use: lock and
    /// statement timeouts, in milliseconds.
    fn bounds(&self) -> schema::Bounds {
        schema::Bounds {
            lock_ms: self.lock_ms(),
            statement_ms: self.statement_timeout.as_millis().max(1),
        }
    }

    /// The lock timeout in milliseconds. It is set with the first statements
    /// of every use (not as a connection option), so a pooler in front of the
    /// server passes it on too.
    fn lock_ms(&self) -> u128 {
        self.lock_timeout.as_millis().max(1)
    }

    /// `store init`: create or migrate the schema; the version before and now.
    pub fn init(&self) -> Result<(i64, i64)> {
        let mut client = self.connect().map_err(|e| self.named(e))?;
        let before =
            schema::migrate(&mut client, &self.name, self.lock_ms()).map_err(|e| self.named(e))?;
        Ok((before, schema::VERSION))
    }

    /// The audit lines, oldest first, and the recorded head.
    pub fn audit_trail(&self) -> Result<(Vec<String>, Option<Head>)> {
        self.with_client(|c, _| {
            let mut tx = read_tx(c)?;
            let lines = tx
                .query_typed("SELECT line FROM nexus_audit ORDER BY seq", &[])
                .map_err(|e| db_err("reading the audit trail", &e))?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let head = tx
                .query_typed("SELECT seq, hash FROM nexus_audit_head", &[])
                .map_err(|e| db_err("reading the audit head", &e))?
                .first()
                .map(|r| Head {
                    seq: r.get::<_, i64>(0) as u64,
                    hash: r.get(1),
                });
            Ok((lines, head))
        })
    }

    /// The newest `n` span lines, oldest first.
    pub fn spans_tail(&self, n: i64) -> Result<Vec<String>> {
        self.with_client(|c, _| {
            let rows = c
                .query_typed(
                    "SELECT line FROM (SELECT pos, line FROM nexus_spans ORDER BY pos DESC LIMIT $1) t ORDER BY pos",
                    &[(&n, postgres::types::Type::INT8)],
                )
                .map_err(|e| db_err("reading the spans", &e))?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    /// The event lines numbered after `seq`, in order (the feed of `watch`).
    pub fn events_after(&self, seq: i64) -> Result<Vec<String>> {
        self.with_client(|c, _| {
            let rows = c
                .query_typed(
                    "SELECT line FROM nexus_events WHERE seq > $1 ORDER BY seq",
                    &[(&seq, postgres::types::Type::INT8)],
                )
                .map_err(|e| db_err("reading the events", &e))?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    /// The sequence number of the last event (0 when none).
    pub fn last_seq(&self) -> Result<i64> {
        self.with_client(|c, _| {
            let row = c
                .query_typed_one(
                    "SELECT coalesce(max(seq), 0)::bigint FROM nexus_events",
                    &[],
                )
                .map_err(|e| db_err("reading the events", &e))?;
            Ok(row.get(0))
        })
    }

    /// The connection settings, for a listener of its own.
    fn listener(&self) -> Result<Client> {
        self.connect().map_err(|e| self.named(e))
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        let idle = std::mem::take(self.idle.get_mut().unwrap_or_else(|p| p.into_inner()));
        idle.into_iter().for_each(connect::close);
    }
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("store", &self.name)
            .finish()
    }
}

/// A read-only transaction that sees one moment.
fn read_tx(c: &mut Client) -> Result<postgres::Transaction<'_>> {
    c.build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(|e| db_err("starting a read", &e))
}

/// Parse a stored record (it was valid JSON when written).
fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// `first` (the statement that begins the step), then what the step will
/// ask first, asked in the same round trip: a new work id, its agent's
/// record (see [`PgTx::answered`](tx::PgTx::answered)); and that agent.
fn ahead<'s>(first: &str, step: &'s Step) -> Result<(String, Option<&'s str>)> {
    let mut sql = first.to_string();
    if let Some(now_ns) = step.new_work_id {
        sql.push_str(&sql::next_work_id_sql(now_ns));
        sql.push(';');
    }
    let agent = step.agent.as_deref().filter(|_| step.agent_first);
    if let Some(id) = agent {
        sql.push_str(&sql::agent_sql(id, true)?);
    }
    Ok((sql, agent))
}

/// The number in the first row of statement `i`'s answer.
fn first_int(sets: &[Vec<postgres::SimpleQueryRow>], i: usize) -> Option<i64> {
    sets.get(i).and_then(|s| s.first()).map(|r| sql::int(r, 0))
}

/// A step's first event line: how to recognise its commit.
fn mark_of(step: &Step, changes: &[super::audit::Change]) -> Option<String> {
    changes
        .first()
        .and_then(|c| crate::store::events::tails_for(step, std::slice::from_ref(c)))
        .and_then(|t| t.into_iter().next())
}

impl Store for PgStore {
    fn update<T: Send>(
        &self,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T> + Send,
    ) -> Result<T> {
        match &self.lanes {
            Some(lanes) => lanes.of(step.agent.as_deref()).update(self, step, f),
            None => self.update_alone(step, f),
        }
    }

    fn snapshot(&self) -> Result<Snapshot> {
        self.read_snapshot()
    }
}

impl PgStore {
    /// One step in a transaction of its own.
    fn update_alone<T>(
        &self,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T>,
    ) -> Result<T> {
        self.with_conn(|client| {
            let (after, agent) = ahead(TXID, step)?;
            let open = |c: &mut Client, after: &str| {
                schema::open(c, &self.name, self.bounds(), true, after)
            };
            let (meta, sets, asked) = match open(client, &after) {
                Ok((meta, sets)) => (meta, sets, true),
                // Those questions assume this binary's schema: when they fail,
                // the step begins without them (the schema check then says
                // what is wrong, or migrates), and asks them in its turn.
                Err(e) if after.len() > TXID.len() && !e.is_conflict() && !client.is_closed() => {
                    let (meta, sets) = open(client, TXID)?;
                    (meta, sets, false)
                }
                Err(e) => return Err(e),
            };
            let xid = first_int(&sets, 0).unwrap_or(0);
            let mut st = tx::PgTx::new(client, meta.claims_written, &self.name, self.lock_timeout);
            if asked {
                st.answered(step, agent, &sets);
            }
            let out = f(&mut st)?;
            let mark = mark_of(step, st.changes());
            stuck::committing();
            match st.finish(step) {
                Err(e) if client.is_closed() && mark.is_some() => {
                    self.after_lost_commit(xid, mark.as_deref().unwrap_or_default(), e)
                }
                done => done,
            }
            .map(|()| out)
        })
    }
}
