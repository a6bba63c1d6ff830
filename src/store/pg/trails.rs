//! The end of a step on PostgreSQL: its event lines, audit lines and chain
//! head are appended under one advisory lock held to `COMMIT` (so both
//! sequences stay gap-free and in commit order), listeners are notified, and
//! the transaction commits: all of it or nothing.

use postgres::SimpleQueryMessage;
use postgres::types::Type;

use super::tx::PgTx;
use super::{LOCK_TRAILS, db_err};
use crate::error::Result;
use crate::store::audit::{self, Head, Step};
use crate::store::events;

impl PgTx<'_> {
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
}
