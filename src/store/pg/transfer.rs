//! Moving state between a coordination directory and the PostgreSQL store:
//! `store import` loads the legacy files record for record (every field, in
//! its order, as the exact JSON text), `store export` writes them back, so
//! jq-based scripts and the legacy readers keep working.

use std::path::Path;

use postgres::types::Type;
use serde_json::Value;

use super::{PgStore, db_err, parse, read_tx};
use crate::error::{NexusError, Result};
use crate::store::array_file::to_pretty;
use crate::store::audit::{AUDIT_FILE, HEAD_FILE, Head};
use crate::store::events::EVENTS_FILE;
use crate::store::fsio::read_optional;
use crate::store::{
    AGENTS_FILE, ARCHIVE_FILE, CLAIMS_FILE, LOG_FILE, SPANS_FILE, Snapshot, SpanRead,
    VELOCITY_FILE, write_file,
};

/// How many records of each kind moved.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Counts {
    pub claims: usize,
    pub archived: usize,
    pub agents: usize,
    pub completions: usize,
    pub velocity_lines: usize,
    pub spans: usize,
    pub events: usize,
    pub audit_lines: usize,
}

impl Counts {
    /// The counts as one phrase, for the import and export lines.
    pub fn summary(&self) -> String {
        format!(
            "{} claims, {} archived, {} agents, {} completions, {} velocity lines, {} spans, {} events, {} audit lines",
            self.claims,
            self.archived,
            self.agents,
            self.completions,
            self.velocity_lines,
            self.spans,
            self.events,
            self.audit_lines
        )
    }
}

/// The non-empty lines of a text file of `dir` (none when it is missing).
fn lines_of(dir: &Path, name: &str) -> Result<Vec<String>> {
    let bytes = read_optional(&dir.join(name))?.unwrap_or_default();
    Ok(String::from_utf8_lossy(&bytes)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect())
}

fn texts(records: &[Value]) -> Vec<String> {
    records.iter().map(Value::to_string).collect()
}

impl PgStore {
    /// Load the files of `dir` into the store, which must hold no state yet.
    pub fn import(&self, dir: &Path) -> Result<Counts> {
        if !dir.is_dir() {
            return Err(NexusError::NoState(dir.to_path_buf()));
        }
        let snap = Snapshot::read(dir)?;
        let spans = SpanRead::read(dir)?;
        let events = lines_of(dir, EVENTS_FILE)?;
        let audit = lines_of(dir, AUDIT_FILE)?;
        let head = dir
            .join(HEAD_FILE)
            .exists()
            .then(|| Head::read(dir))
            .transpose()?;
        let claims_written = dir.join(CLAIMS_FILE).exists();
        let counts = Counts {
            claims: snap.claims.len() - snap.archived,
            archived: snap.archived,
            agents: snap.agents.len(),
            completions: snap.completions.len(),
            velocity_lines: snap.velocity_lines.len(),
            spans: spans.spans.len(),
            events: events.len(),
            audit_lines: audit.len(),
        };
        self.with_client(|c, _| {
            let mut tx = c
                .transaction()
                .map_err(|e| db_err("starting the import", &e))?;
            let held: i64 = tx
                .query_typed_one(
                    "SELECT (SELECT count(*) FROM nexus_claims) + (SELECT count(*) FROM nexus_archive)
                          + (SELECT count(*) FROM nexus_agents) + (SELECT count(*) FROM nexus_completions)
                          + (SELECT count(*) FROM nexus_events) + (SELECT count(*) FROM nexus_audit)",
                    &[],
                )
                .map_err(|e| db_err("counting what the store holds", &e))?
                .get(0);
            if held > 0 {
                return Err(NexusError::Database {
                    store: String::new(),
                    why: format!("it already holds {held} records; import only into an empty store (nothing was changed)"),
                });
            }
            let mut run = |what: &str, sql: &str, params: &[(&(dyn postgres::types::ToSql + Sync), Type)]| {
                let done = tx.execute_typed(sql, params);
                super::stuck::alive();
                done.map(|_| ()).map_err(|e| db_err(what, &e))
            };
            let all = crate::records::claim_record::values(&snap.claims);
            let (archive, claims) = all.split_at(snap.archived);
            let ids = |rs: &[Value]| -> Vec<Option<String>> {
                rs.iter()
                    .map(|r| crate::records::text(r, "work_item_id").map(str::to_string))
                    .collect()
            };
            run(
                "importing the archive",
                "INSERT INTO nexus_archive (work_item_id, record) SELECT * FROM unnest($1::text[], $2::text[])",
                &[(&ids(archive), Type::TEXT_ARRAY), (&texts(archive), Type::TEXT_ARRAY)],
            )?;
            let cols: Vec<super::cols::Cols> = claims.iter().map(super::cols::cols).collect();
            let col = |f: &dyn Fn(&super::cols::Cols) -> Option<String>| -> Vec<Option<String>> {
                cols.iter().map(f).collect()
            };
            let nums: Vec<Option<i64>> = cols.iter().map(|c| c.num).collect();
            let prios: Vec<i32> = cols.iter().map(|c| c.prio).collect();
            run(
                "importing the claims",
                "INSERT INTO nexus_claims (work_item_id, id_num, status, team, priority, prio, queued, agent_id, claimed_at, lease_expires_at, record)
                 SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])",
                &[
                    (&col(&|c| Some(c.id.clone())), Type::TEXT_ARRAY),
                    (&nums, Type::INT8_ARRAY),
                    (&col(&|c| c.status.clone()), Type::TEXT_ARRAY),
                    (&col(&|c| c.team.clone()), Type::TEXT_ARRAY),
                    (&col(&|c| c.priority.clone()), Type::TEXT_ARRAY),
                    (&prios, Type::INT4_ARRAY),
                    (&col(&|c| Some(c.queued.clone())), Type::TEXT_ARRAY),
                    (&col(&|c| c.agent.clone()), Type::TEXT_ARRAY),
                    (&col(&|c| c.claimed_at.clone()), Type::TEXT_ARRAY),
                    (&col(&|c| c.lease.clone()), Type::TEXT_ARRAY),
                    (&texts(claims), Type::TEXT_ARRAY),
                ],
            )?;
            let agent_ids: Vec<String> = snap
                .agents
                .iter()
                .map(|a| crate::records::text(a, "agent_id").unwrap_or_default().to_string())
                .collect();
            let team = |rs: &[Value]| -> Vec<Option<String>> {
                rs.iter()
                    .map(|r| crate::records::text(r, "team").map(str::to_string))
                    .collect()
            };
            run(
                "importing the agents",
                "INSERT INTO nexus_agents (agent_id, team, record) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])",
                &[
                    (&agent_ids, Type::TEXT_ARRAY),
                    (&team(&snap.agents), Type::TEXT_ARRAY),
                    (&texts(&snap.agents), Type::TEXT_ARRAY),
                ],
            )?;
            run(
                "importing the completion log",
                "INSERT INTO nexus_completions (team, record) SELECT * FROM unnest($1::text[], $2::text[])",
                &[
                    (&team(&snap.completions), Type::TEXT_ARRAY),
                    (&texts(&snap.completions), Type::TEXT_ARRAY),
                ],
            )?;
            run(
                "importing the velocity log",
                "INSERT INTO nexus_velocity (line) SELECT * FROM unnest($1::text[])",
                &[(&snap.velocity_lines, Type::TEXT_ARRAY)],
            )?;
            run(
                "importing the spans",
                "INSERT INTO nexus_spans (line) SELECT * FROM unnest($1::text[])",
                &[(&texts(&spans.spans), Type::TEXT_ARRAY)],
            )?;
            for (table, lines) in [("nexus_events", &events), ("nexus_audit", &audit)] {
                let seqs: Vec<i64> = lines
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        serde_json::from_str::<Value>(l)
                            .ok()
                            .and_then(|v| v["seq"].as_i64())
                            .unwrap_or(i as i64 + 1)
                    })
                    .collect();
                run(
                    &format!("importing {table}"),
                    &format!("INSERT INTO {table} (seq, line) SELECT * FROM unnest($1::bigint[], $2::text[])"),
                    &[(&seqs, Type::INT8_ARRAY), (lines, Type::TEXT_ARRAY)],
                )?;
            }
            if let Some(h) = &head {
                let (seq, hash) = (h.seq as i64, h.hash.clone());
                run(
                    "importing the audit head",
                    "INSERT INTO nexus_audit_head (one, seq, hash) VALUES (1, $1, $2)",
                    &[(&seq, Type::INT8), (&hash, Type::TEXT)],
                )?;
            }
            if claims_written {
                run(
                    "importing the claims",
                    "INSERT INTO nexus_meta (key, value) VALUES ('claims_written', '1') ON CONFLICT (key) DO NOTHING",
                    &[],
                )?;
            }
            // The records came with no events that name them: a reader
            // following the events sees this mark change, and reads all.
            run("marking the import", super::follow::SET_IMPORT_MARK, &[])?;
            tx.commit().map_err(|e| db_err("committing the import", &e))
        })?;
        Ok(counts)
    }

    /// Write the store as the legacy files of `dir` (created when missing).
    pub fn export(&self, dir: &Path) -> Result<Counts> {
        type Tables = (Vec<Vec<String>>, Option<(i64, String)>, bool);
        let (t, head, claims_written): Tables = self.with_client(|c, meta| {
            let mut tx = read_tx(c)?;
            let mut all = Vec::new();
            for sql in [
                "SELECT record FROM nexus_claims ORDER BY pos",
                "SELECT record FROM nexus_archive ORDER BY pos",
                "SELECT record FROM nexus_agents ORDER BY pos",
                "SELECT record FROM nexus_completions ORDER BY pos",
                "SELECT line FROM nexus_velocity ORDER BY pos",
                "SELECT line FROM nexus_spans ORDER BY pos",
                "SELECT line FROM nexus_events ORDER BY seq",
                "SELECT line FROM nexus_audit ORDER BY seq",
            ] {
                let rows = tx
                    .query_typed(sql, &[])
                    .map_err(|e| db_err("reading the store", &e))?;
                super::stuck::alive();
                all.push(rows.iter().map(|r| r.get::<_, String>(0)).collect());
            }
            let head = tx
                .query_typed("SELECT seq, hash FROM nexus_audit_head", &[])
                .map_err(|e| db_err("reading the audit head", &e))?
                .first()
                .map(|r| (r.get(0), r.get(1)));
            Ok((all, head, meta.claims_written))
        })?;
        let records = |i: usize| -> Vec<Value> { t[i].iter().map(|s| parse(s)).collect() };
        let text = |lines: &[String]| -> Vec<u8> {
            lines
                .iter()
                .flat_map(|l| format!("{l}\n").into_bytes())
                .collect()
        };
        if claims_written || !t[0].is_empty() {
            write_file(&dir.join(CLAIMS_FILE), &to_pretty(&records(0)))?;
        }
        write_file(&dir.join(AGENTS_FILE), &to_pretty(&records(2)))?;
        write_file(&dir.join(LOG_FILE), &to_pretty(&records(3)))?;
        for (i, name) in [
            (1, ARCHIVE_FILE),
            (4, VELOCITY_FILE),
            (5, SPANS_FILE),
            (6, EVENTS_FILE),
            (7, AUDIT_FILE),
        ] {
            if !t[i].is_empty() {
                write_file(&dir.join(name), &text(&t[i]))?;
            }
        }
        if let Some((seq, hash)) = head {
            let head = Head {
                seq: seq as u64,
                hash,
            };
            write_file(&dir.join(HEAD_FILE), &head.op().bytes)?;
        }
        Ok(Counts {
            claims: t[0].len(),
            archived: t[1].len(),
            agents: t[2].len(),
            completions: t[3].len(),
            velocity_lines: t[4].len(),
            spans: t[5].len(),
            events: t[6].len(),
            audit_lines: t[7].len(),
        })
    }
}
