//! Reading the state from PostgreSQL: all of it (a snapshot), or only what
//! the events after a number name, for a reader that keeps the state in
//! memory (`nexus serve`'s pages and API). Either read is one repeatable-read
//! transaction, so the records agree with the events read beside them.

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

    /// What changed after event `from`: the claim records the events since
    /// name, the agents when one changed, the completions after one, and
    /// the number of the last event read; `None` when only a whole read can
    /// tell (an archive, an event not understood, too many events, a named
    /// record gone, fewer events than `from`).
    pub fn changes_after(&self, from: u64) -> Result<Option<Changes>> {
        let from = i64::try_from(from).unwrap_or(i64::MAX);
        self.with_client(|c, _| {
            let mut tx = read_tx(c)?;
            // The last event number comes with the events: fewer events
            // than the mark means the table was emptied or replaced.
            let rows = tx
                .query_typed(
                    "SELECT m.top, e.seq, e.line \
                     FROM (SELECT coalesce(max(seq), 0)::bigint AS top FROM nexus_events) m \
                     LEFT JOIN LATERAL (SELECT seq, line FROM nexus_events WHERE seq > $1 \
                                        ORDER BY seq LIMIT $2) e ON true",
                    &[(&from, Type::INT8), (&(MAX_EVENTS + 1), Type::INT8)],
                )
                .map_err(|e| db_err("reading the events", &e))?;
            let top = rows.first().map_or(0, |r| r.get::<_, i64>(0));
            let events: Vec<(i64, &str)> = (rows.iter())
                .filter_map(|r| Some((r.get::<_, Option<i64>>(1)?, r.get::<_, &str>(2))))
                .collect();
            if top < from || events.len() as i64 > MAX_EVENTS {
                return Ok(None);
            }
            let Some(names) = named(events.iter().map(|e| e.1.as_bytes())) else {
                return Ok(None);
            };
            let last = events.last().map_or(from, |e| e.0);
            let mut out = Changes {
                events_end: u64::try_from(last).unwrap_or(0),
                ..Changes::default()
            };
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
