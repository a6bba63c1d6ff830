//! The tables of the PostgreSQL store, created and migrated by nexus itself.
//!
//! Every record is kept as its exact JSON text (`record text`), so unknown
//! fields and key order survive (`jsonb` would reorder keys); beside it sit
//! the columns the queries filter and sort on, derived from the record on
//! every write. `nexus_meta` holds `schema_version`; a database whose version
//! is newer than this binary's is refused, an older one is migrated under an
//! advisory lock (so concurrent first uses migrate once).

use postgres::Client;

use postgres::SimpleQueryRow;

use super::sql::row_sets;
use super::{LOCK_SCHEMA, db_err};
use crate::error::{NexusError, Result};

/// The schema version this binary writes.
pub const VERSION: i64 = 1;

/// Each migration, from the version before it to its own.
const MIGRATIONS: &[&str] = &[
    // 1: the state, the trails and the meta data.
    r"
CREATE TABLE nexus_claims (
    pos bigserial PRIMARY KEY,
    work_item_id text NOT NULL,
    id_num bigint,
    status text,
    team text,
    priority text,
    prio int NOT NULL,
    queued text NOT NULL,
    agent_id text,
    claimed_at text,
    lease_expires_at text,
    record text NOT NULL
);
CREATE INDEX nexus_claims_id ON nexus_claims (work_item_id);
CREATE INDEX nexus_claims_num ON nexus_claims (id_num);
CREATE INDEX nexus_claims_queue ON nexus_claims (prio, queued, pos)
    WHERE status = 'available' OR lease_expires_at IS NOT NULL;
CREATE INDEX nexus_claims_team ON nexus_claims (team, status);
CREATE INDEX nexus_claims_agent ON nexus_claims (agent_id);
CREATE TABLE nexus_archive (
    pos bigserial PRIMARY KEY,
    work_item_id text,
    record text NOT NULL
);
CREATE TABLE nexus_agents (
    pos bigserial PRIMARY KEY,
    agent_id text NOT NULL,
    team text,
    record text NOT NULL
);
CREATE INDEX nexus_agents_id ON nexus_agents (agent_id);
CREATE TABLE nexus_completions (pos bigserial PRIMARY KEY, team text, record text NOT NULL);
CREATE TABLE nexus_velocity (pos bigserial PRIMARY KEY, line text NOT NULL);
CREATE TABLE nexus_spans (pos bigserial PRIMARY KEY, line text NOT NULL);
CREATE TABLE nexus_events (seq bigint PRIMARY KEY, line text NOT NULL);
CREATE TABLE nexus_audit (seq bigint PRIMARY KEY, line text NOT NULL);
CREATE TABLE nexus_audit_head (one int PRIMARY KEY CHECK (one = 1), seq bigint NOT NULL, hash text NOT NULL);
CREATE SEQUENCE nexus_work_ids;
-- A new work id: at least now_ns, above every id stored or handed out. The
-- sequence is not transactional, so ids handed to steps still running are
-- never handed out again; the lock is held for this call only, not to COMMIT.
CREATE FUNCTION nexus_next_work_id(now_ns bigint) RETURNS bigint LANGUAGE plpgsql AS $f$
DECLARE n bigint;
BEGIN
    PERFORM pg_advisory_lock(28280, 2);
    n := GREATEST(nextval('nexus_work_ids'), now_ns,
                  (SELECT coalesce(max(id_num), 0) + 1 FROM nexus_claims));
    PERFORM setval('nexus_work_ids', n);
    PERFORM pg_advisory_unlock(28280, 2);
    RETURN n;
END $f$;
",
];

/// What the meta table says about the database.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub version: i64,
    /// Whether claims were ever written (the files' "claims file exists").
    pub claims_written: bool,
}

/// Read the meta rows; `None` when the schema does not exist yet.
pub fn read_meta(c: &mut impl postgres::GenericClient) -> Result<Option<Meta>> {
    let rows = match c.query_typed("SELECT key, value FROM nexus_meta", &[]) {
        Ok(rows) => rows,
        Err(e) if e.code() == Some(&postgres::error::SqlState::UNDEFINED_TABLE) => {
            return Ok(None);
        }
        Err(e) => return Err(db_err("reading the schema version", &e)),
    };
    let mut meta = Meta::default();
    for r in rows {
        note(&mut meta, r.get(0), r.get(1));
    }
    Ok(Some(meta))
}

/// Begin a transaction when `begin`, bound lock waits by `lock_ms` (for the
/// transaction, else for the session), read the meta rows, then run the
/// statements of `after`, in one round trip: the meta rows and the row sets
/// of `after`. A schema that is missing or older is created or migrated first
/// (a newer one is refused), and the whole asked again.
pub fn open(
    client: &mut Client,
    store: &str,
    bounds: Bounds,
    begin: bool,
    after: &str,
) -> Result<(Meta, Vec<Vec<SimpleQueryRow>>)> {
    let Bounds {
        lock_ms,
        statement_ms,
    } = bounds;
    let (start, set) = if begin {
        ("BEGIN; SET LOCAL", "SET LOCAL")
    } else {
        ("SET", "SET")
    };
    let sql = format!(
        "{start} lock_timeout = {lock_ms}; {set} statement_timeout = {statement_ms}; {set} idle_in_transaction_session_timeout = {statement_ms}; SELECT key, value FROM nexus_meta; {after}"
    );
    let n = 3 + usize::from(begin);
    for first in [true, false] {
        let found = match client.simple_query(&sql) {
            Ok(msgs) => {
                let mut sets = row_sets(msgs).into_iter().skip(n);
                let mut meta = Meta::default();
                for r in sets.next().into_iter().flatten() {
                    note(&mut meta, r.get(0).unwrap_or(""), r.get(1).unwrap_or(""));
                }
                Some((meta, sets.collect()))
            }
            Err(e) if e.code() == Some(&postgres::error::SqlState::UNDEFINED_TABLE) => None,
            Err(e) => {
                if begin {
                    let _ = client.batch_execute("ROLLBACK");
                }
                if e.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE) {
                    return Err(super::lock_timeout(store, lock_ms));
                }
                return Err(db_err("reading the schema version", &e));
            }
        };
        match found {
            Some((m, rows)) if m.version == VERSION => return Ok((m, rows)),
            _ if first => {
                if begin {
                    client
                        .batch_execute("ROLLBACK")
                        .map_err(|e| db_err("reading the schema version", &e))?;
                }
                migrate(client, store, lock_ms)?;
            }
            _ => break,
        }
    }
    if begin {
        let _ = client.batch_execute("ROLLBACK");
    }
    Err(NexusError::Database {
        store: store.to_string(),
        why: format!("its schema is not version {VERSION} after migrating it"),
    })
}

/// Take one meta row into `meta`.
fn note(meta: &mut Meta, key: &str, value: &str) {
    match key {
        "schema_version" => meta.version = value.parse().unwrap_or(i64::MAX),
        "claims_written" => meta.claims_written = value == "1",
        _ => {}
    }
}

/// Refuse a schema newer than this binary.
pub fn check(meta: &Meta, store: &str) -> Result<()> {
    if meta.version > VERSION {
        return Err(NexusError::Database {
            store: store.to_string(),
            why: format!(
                "its schema is version {}, newer than this nexus understands ({VERSION}); upgrade nexus",
                meta.version
            ),
        });
    }
    Ok(())
}

/// The bounds a use of the store sets first, in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub lock_ms: u128,
    pub statement_ms: u128,
}

/// Create or migrate the schema; returns the version found before.
pub fn migrate(client: &mut Client, store: &str, lock_ms: u128) -> Result<i64> {
    let mut tx = client
        .transaction()
        .map_err(|e| db_err("starting the migration", &e))?;
    tx.batch_execute(&format!(
        "SET LOCAL lock_timeout = {lock_ms}; {LOCK_SCHEMA}"
    ))
    .map_err(|e| db_err("locking the schema", &e))?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS nexus_meta (key text PRIMARY KEY, value text NOT NULL)",
    )
    .map_err(|e| db_err("creating nexus_meta", &e))?;
    let meta = read_meta(&mut tx)?.unwrap_or_default();
    check(&meta, store)?;
    for (i, ddl) in MIGRATIONS.iter().enumerate().skip(meta.version as usize) {
        tx.batch_execute(ddl)
            .map_err(|e| db_err(&format!("migrating to schema version {}", i + 1), &e))?;
    }
    if meta.version < VERSION {
        tx.execute(
            "INSERT INTO nexus_meta (key, value) VALUES ('schema_version', $1)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            &[&VERSION.to_string()],
        )
        .map_err(|e| db_err("recording the schema version", &e))?;
    }
    tx.commit()
        .map_err(|e| db_err("committing the migration", &e))?;
    Ok(meta.version)
}
