//! Reading the state from PostgreSQL: all of it (a snapshot, one
//! repeatable-read transaction), or only what the events after a number
//! name, for a reader that keeps the state in memory (`nexus serve`'s pages
//! and API): one statement when nothing changed, then the records named in
//! a transaction of their own, as new as the events or newer (a change
//! after the events read is applied again next time, which changes nothing).

use std::path::PathBuf;

use postgres::GenericClient;
use postgres::types::Type;
use serde_json::Value;

use super::{PgStore, db_err, parse, read_tx};
use crate::error::Result;
use crate::records::claim_record::ClaimRecord;
use crate::store::Snapshot;
use crate::store::follow::{Changes, named};

/// Beyond this many event lines since the last look, a whole read is as
/// quick as reading them and the records they name.
const MAX_EVENTS: i64 = 8_000;

/// What an import runs: records that arrive without events naming them
/// set the import mark in `nexus_meta` anew, which the tags carry.
pub(super) const SET_IMPORT_MARK: &str = "INSERT INTO nexus_meta (key, value) \
     VALUES ('imported', txid_current()::text || '.' || clock_timestamp()::text) \
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value";

/// The import mark, read within a statement.
const IMPORT_MARK: &str = "(SELECT value FROM nexus_meta WHERE key = 'imported')";

/// The mark's tag: the last import's mark and the digest of the mark's
/// event line (empty without one). Events emptied, or emptied and written
/// again past the mark, or an import, change it: then only a whole read
/// can tell what changed.
fn tag(import: Option<String>, digest: Option<String>) -> String {
    format!(
        "{}:{}",
        import.unwrap_or_default(),
        digest.unwrap_or_default()
    )
}

/// An event number as the marks keep it.
fn seq(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Every record of `table`, in order.
fn records(c: &mut impl GenericClient, table: &str) -> Result<Vec<Value>> {
    let sql = format!("SELECT record FROM {table} ORDER BY pos");
    Ok(c.query_typed(&sql, &[])
        .map_err(|e| db_err(&format!("reading {table}"), &e))?
        .iter()
        .map(|r| parse(r.get(0)))
        .collect())
}

/// The completions and the velocity lines.
fn completions(c: &mut impl GenericClient) -> Result<(Vec<Value>, Vec<String>)> {
    let log = records(c, "nexus_completions")?;
    let velocity = c
        .query_typed("SELECT line FROM nexus_velocity ORDER BY pos", &[])
        .map_err(|e| db_err("reading nexus_velocity", &e))?
        .iter()
        .map(|r| r.get::<_, String>(0))
        .filter(|l| !l.trim().is_empty())
        .collect();
    Ok((log, velocity))
}

impl PgStore {
    /// The whole state, as one moment saw it.
    pub(super) fn read_snapshot(&self) -> Result<Snapshot> {
        self.with_client(|c, _| {
            let mut tx = read_tx(c)?;
            let mut claims = records(&mut tx, "nexus_archive")?;
            let archived = claims.len();
            claims.extend(records(&mut tx, "nexus_claims")?);
            let agents = records(&mut tx, "nexus_agents")?;
            let (completions, velocity_lines) = completions(&mut tx)?;
            Ok(Snapshot {
                dir: PathBuf::from(&self.name),
                claims: claims.into_iter().map(ClaimRecord::from).collect(),
                agents,
                completions,
                velocity_lines,
                archived,
            })
        })
    }

    /// Where a reader that reads everything now starts following: the
    /// last event's number, and its tag (the import mark and that event
    /// line's digest).
    pub fn follow_mark(&self) -> Result<Changes> {
        self.with_client(|c, _| {
            let sql = format!(
                "SELECT {IMPORT_MARK}, e.seq, md5(e.line) FROM (SELECT 1) one \
                 LEFT JOIN LATERAL (SELECT seq, line FROM nexus_events ORDER BY seq DESC LIMIT 1) e ON true"
            );
            let row = c
                .query_typed_one(&sql, &[])
                .map_err(|e| db_err("reading the events", &e))?;
            Ok(Changes {
                events_end: row.get::<_, Option<i64>>(1).map_or(0, seq),
                tag: Some(tag(row.get(0), row.get(2))),
                ..Changes::default()
            })
        })
    }

    /// What changed after `mark`: the claim records the events since name,
    /// the agents when one changed, the completions after one, and the
    /// number and tag of the last event read; `None` when only a whole
    /// read can tell (an archive, an event not understood, too many events,
    /// a named record gone, the mark's event gone or changed, an import).
    pub fn changes_after(&self, mark: &Changes) -> Result<Option<Changes>> {
        let from = i64::try_from(mark.events_end).unwrap_or(i64::MAX);
        self.with_client(|c, _| {
            // With the events: the last number, the import mark and the
            // digest of the mark's event (after an import, or events
            // emptied, or emptied and written again past the mark, the
            // events cannot tell what changed).
            let sql = format!(
                "SELECT m.top, {IMPORT_MARK}, (SELECT md5(line) FROM nexus_events WHERE seq = $1), \
                        e.seq, e.line, md5(e.line) \
                 FROM (SELECT coalesce(max(seq), 0)::bigint AS top FROM nexus_events) m \
                 LEFT JOIN LATERAL (SELECT seq, line FROM nexus_events WHERE seq > $1 \
                                    ORDER BY seq LIMIT $2) e ON true \
                 ORDER BY e.seq"
            );
            let rows = c
                .query_typed(
                    &sql,
                    &[(&from, Type::INT8), (&(MAX_EVENTS + 1), Type::INT8)],
                )
                .map_err(|e| db_err("reading the events", &e))?;
            let Some(first) = rows.first() else {
                return Ok(None);
            };
            let (top, import): (i64, Option<String>) = (first.get(0), first.get(1));
            if top < from || Some(tag(import.clone(), first.get(2))) != mark.tag {
                return Ok(None);
            }
            let events: Vec<(i64, &str, String)> = (rows.iter())
                .filter_map(|r| Some((r.get::<_, Option<i64>>(3)?, r.get(4), r.get(5))))
                .collect();
            if events.len() as i64 > MAX_EVENTS {
                return Ok(None);
            }
            let Some(names) = named(events.iter().map(|e| e.1.as_bytes())) else {
                return Ok(None);
            };
            let mut out = Changes {
                events_end: events.last().map_or(mark.events_end, |e| seq(e.0)),
                tag: match events.last() {
                    Some(e) => Some(tag(import, Some(e.2.clone()))),
                    None => mark.tag.clone(),
                },
                ..Changes::default()
            };
            if names.ids.is_empty() && !names.agents && !names.completed {
                return Ok(Some(out));
            }
            let mut tx = read_tx(c)?;
            if !names.ids.is_empty() {
                // Each id's last record (a legacy import may hold two).
                let rows = tx
                    .query_typed(
                        "SELECT DISTINCT ON (work_item_id) work_item_id, record FROM nexus_claims \
                         WHERE work_item_id = ANY($1) ORDER BY work_item_id, pos DESC",
                        &[(&names.ids, Type::TEXT_ARRAY)],
                    )
                    .map_err(|e| db_err("reading nexus_claims", &e))?;
                let mut found: std::collections::HashMap<&str, &str> =
                    rows.iter().map(|r| (r.get(0), r.get(1))).collect();
                for id in &names.ids {
                    let Some(record) = found.remove(id.as_str()) else {
                        return Ok(None);
                    };
                    out.claims.push((id.clone(), parse(record)));
                }
            }
            if names.agents {
                out.agents = Some(records(&mut tx, "nexus_agents")?);
            }
            if names.completed {
                out.completions = Some(completions(&mut tx)?);
            }
            Ok(Some(out))
        })
    }
}
