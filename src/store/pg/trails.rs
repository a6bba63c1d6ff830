//! The end of a step on PostgreSQL: its event lines, audit lines and chain
//! head are appended under one advisory lock held to `COMMIT` (so both
//! sequences stay gap-free and in commit order), listeners are notified, and
//! the transaction commits: all of it or nothing.
//!
//! The lines are numbered and chained by the server, in the round trip that
//! takes the lock and commits: the lock is held for the server's work and
//! the commit only, never across a round trip to this process, so steps
//! running at once queue on it for a fraction of a millisecond each.

use super::LOCK_TRAILS;
use super::sql::lit;
use super::tx::PgTx;
use crate::error::{NexusError, Result};
use crate::store::audit::{self, Step};
use crate::store::events;

/// The hash before the first audit line.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl PgTx<'_> {
    /// Write the step's event lines, audit lines and head, wake listeners,
    /// and commit: all of it or nothing.
    pub fn finish(mut self, step: &Step) -> Result<()> {
        let mut last = self.trails(step)?.sql(&self.name)?;
        last.push_str("COMMIT");
        self.commit(&last)
    }

    /// The step's lines, to be numbered and chained by the server; the
    /// step's first deferred error instead, if any.
    pub fn trails(&mut self, step: &Step) -> Result<Trails> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let mut t = Trails::default();
        if !self.changes.is_empty() {
            t.tails =
                events::tails_for(step, &self.changes).ok_or_else(|| unformattable(&self.name))?;
            if step.audit {
                t.middles = audit::middles_for(step, &self.changes)
                    .ok_or_else(|| unformattable(&self.name))?;
            }
        }
        Ok(t)
    }
}

/// The event and audit lines of one step or more, in order, each without
/// the number (and hashes) the server gives it.
#[derive(Debug, Default)]
pub struct Trails {
    tails: Vec<String>,
    middles: Vec<String>,
}

impl Trails {
    /// Add the lines of the step after those.
    pub fn extend(&mut self, more: Trails) {
        self.tails.extend(more.tails);
        self.middles.extend(more.middles);
    }

    /// The statements that append the lines under the trails lock (held
    /// to `COMMIT`) and wake listeners once, each ended by `;` (none when
    /// there are no lines).
    pub fn sql(&self, store: &str) -> Result<String> {
        let mut sql = String::new();
        if self.tails.is_empty() && self.middles.is_empty() {
            return Ok(sql);
        }
        sql.push_str(LOCK_TRAILS);
        sql.push_str(";\n");
        if !self.middles.is_empty() {
            sql.push_str(&audit_sql(&self.middles)?);
            sql.push_str(";\n");
        }
        if self.tails.is_empty() {
            return Err(unformattable(store));
        }
        sql.push_str(&events_sql(&self.tails)?);
        sql.push_str(";\n");
        Ok(sql)
    }
}

/// Lines whose text the server completes cannot be made: a nexus whose
/// line format changed without this store following.
fn unformattable(store: &str) -> NexusError {
    NexusError::Database {
        store: store.to_string(),
        why:
            "the step's event or audit lines cannot be numbered by the server; nothing was changed"
                .to_string(),
    }
}

/// `(VALUES (1, 'a'), (2, 'b'))`: the parts of each line, numbered from 1.
fn numbered(parts: &[String]) -> Result<String> {
    let rows = parts
        .iter()
        .enumerate()
        .map(|(i, p)| Ok(format!("({}, {})", i + 1, lit(p)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(format!("(VALUES {})", rows.join(", ")))
}

/// Append the event lines after the last one and notify listeners (the
/// payload is the new last number).
fn events_sql(tails: &[String]) -> Result<String> {
    Ok(format!(
        "WITH m AS (SELECT coalesce(max(seq), 0) AS base FROM nexus_events),
              e AS (INSERT INTO nexus_events (seq, line)
                    SELECT m.base + t.i, '{{\"seq\":' || (m.base + t.i) || t.tail FROM m, {} AS t(i, tail))
         SELECT pg_notify('{}', (m.base + {})::text) FROM m",
        numbered(tails)?,
        super::CHANNEL,
        tails.len()
    ))
}

/// Append the audit lines after the head, each hashed with the one before
/// (SHA-256 of the previous hash then the line's bytes), and move the head.
fn audit_sql(middles: &[String]) -> Result<String> {
    Ok(format!(
        "WITH RECURSIVE t(i, middle) AS {values},
         chain(i, seq, hash, body) AS (
             SELECT 0, coalesce((SELECT seq FROM nexus_audit_head WHERE one = 1), 0)::bigint,
                    coalesce((SELECT hash FROM nexus_audit_head WHERE one = 1), '{GENESIS}'), ''
             UNION ALL
             SELECT t.i, b.seq, encode(sha256(convert_to(c.hash || b.body, 'UTF8')), 'hex'), b.body
             FROM chain c JOIN t ON t.i = c.i + 1,
                  LATERAL (SELECT c.seq + 1 AS seq,
                                  '{{\"seq\":' || (c.seq + 1) || t.middle || '\"prev_hash\":\"' || c.hash || '\"}}' AS body) b
         ),
         a AS (INSERT INTO nexus_audit (seq, line)
               SELECT seq, left(body, -1) || ',\"hash\":\"' || hash || '\"}}' FROM chain WHERE i > 0)
         INSERT INTO nexus_audit_head (one, seq, hash) SELECT 1, seq, hash FROM chain WHERE i = {n}
         ON CONFLICT (one) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash",
        values = numbered(middles)?,
        n = middles.len(),
    ))
}
