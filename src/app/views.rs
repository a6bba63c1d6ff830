//! The read-only fleet views: list, show, status and the audit trail.

use serde_json::{Value, json};

use super::Outcome;
use crate::ai::offline::Facts;
use crate::cli::AuditCommand;
use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::input::since;
use crate::records::rec::Rec;
use crate::records::{text, time};
use crate::store::audit::{self, AUDIT_FILE};
use crate::store::{AnyStore, Store};
use crate::text::field;

/// `list`: filters are status, team, agent, priority; the records are built
/// whole only for `--json`.
pub fn list(store: &AnyStore, json: bool, filters: [Option<&str>; 4]) -> Result<Outcome> {
    let s = store.snapshot()?;
    let keys = ["status", "team", "agent_id", "priority"];
    let rows: Vec<&Rec> = s
        .claims
        .iter()
        .filter(|c| {
            keys.iter()
                .zip(filters)
                .all(|(k, f)| f.is_none_or(|f| text(c, k) == Some(f)))
        })
        .collect();
    if json {
        return Ok(Outcome::new(String::new(), json!(rows)));
    }
    let human = crate::report::views::list_table(&rows);
    Ok(Outcome::new(human, Value::Null))
}

pub fn show(store: &AnyStore, cfg: &Config, id: &str) -> Result<Outcome> {
    let s = store.snapshot()?;
    let record = s
        .claims
        .iter()
        .rfind(|c| text(c, "work_item_id") == Some(id))
        .cloned()
        .ok_or_else(|| NexusError::WorkNotFound {
            id: id.to_string(),
            path: claims_place(store, cfg),
        })?;
    let trail = store.audit_trail()?.map(|t| t.0).unwrap_or_default();
    let history: Vec<Value> = audit::parse_all(&trail)
        .into_iter()
        .filter(|l| l["id"] == id)
        .collect();
    let mut human = serde_json::to_string_pretty(&record).unwrap_or_default();
    human.push_str(&format!("\n\nHistory ({} audit lines):\n", history.len()));
    for h in &history {
        let fields: Vec<&String> = h["changes"]
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        human.push_str(&format!(
            "  #{} {} {} by {} (trace {}): {}\n",
            h["seq"],
            field(h["timestamp"].as_str().unwrap_or("")),
            field(h["command"].as_str().unwrap_or("")),
            field(h["agent"].as_str().unwrap_or("-")),
            field(h["trace_id"].as_str().unwrap_or("")),
            fields
                .iter()
                .map(|f| field(f))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(Outcome::new(
        human,
        json!({"ok": true, "command": "show", "claim": record, "history": history}),
    ))
}

pub fn status(store: &AnyStore, cfg: &Config) -> Result<Outcome> {
    let s = store.snapshot()?;
    let facts = Facts::new(&s, cfg.now);
    let m = &facts.m;
    let mut counts: std::collections::HashMap<&str, usize> = Default::default();
    for c in &s.claims {
        *counts
            .entry(text(c, "status").unwrap_or("unknown"))
            .or_default() += 1;
    }
    let by_status: std::collections::BTreeMap<String, usize> = counts
        .into_iter()
        .map(|(k, n)| (k.to_string(), n))
        .collect();
    let offline = facts.offline_agents();
    let mut human = format!("📊 STATUS of {} (mode {})\n", store.name(), cfg.mode.name);
    human.push_str(&crate::report::views::status_lines(
        &crate::report::views::StatusFacts {
            by_status: &by_status,
            archived: s.archived,
            m,
            offline: offline.len(),
            agents: s.agents.len(),
        },
    ));
    Ok(Outcome::new(
        human,
        json!({"ok": true, "command": "status", "mode": cfg.mode.name, "by_status": by_status, "archived": s.archived,
               "teams": m.teams, "velocity": m.completion_points, "stale": m.stale.len(), "idle_over_24h": m.stale.len(),
               "offline_agents": offline}),
    ))
}

/// Where the claims live, for "not found" messages.
fn claims_place(store: &AnyStore, cfg: &Config) -> std::path::PathBuf {
    match store.pg() {
        Some(p) => p.name().into(),
        None => cfg.dir.join(crate::store::CLAIMS_FILE),
    }
}

pub fn audit(store: &AnyStore, cfg: &Config, action: &AuditCommand) -> Result<Outcome> {
    let path = match store.pg() {
        Some(p) => std::path::PathBuf::from(p.name()),
        None => cfg.dir.join(AUDIT_FILE),
    };
    let trail = store.audit_trail()?;
    match action {
        AuditCommand::Verify => match audit::verify_trail(
            trail.as_ref().map(|t| t.0.as_str()),
            trail.as_ref().and_then(|t| t.1.clone()),
        ) {
            Ok(n) => Ok(Outcome::new(
                format!(
                    "✅ AUDIT OK: {n} lines, hash chain intact ({})\n",
                    path.display()
                ),
                json!({"ok": true, "command": "audit verify", "lines": n}),
            )),
            Err((line, why)) => Err(NexusError::AuditBroken {
                path: path.clone(),
                line,
                why,
            }),
        },
        AuditCommand::Log {
            item,
            agent,
            since: when,
        } => {
            let after = when.as_deref().map(|w| since(w, cfg.now)).transpose()?;
            let lines: Vec<Value> = audit::parse_all(&trail.map(|t| t.0).unwrap_or_default())
                .into_iter()
                .filter(|l| item.as_ref().is_none_or(|i| l["id"] == i.as_str()))
                .filter(|l| agent.as_ref().is_none_or(|a| l["agent"] == a.as_str()))
                .filter(|l| after.is_none_or(|t| time(l, "timestamp").is_some_and(|x| x >= t)))
                .collect();
            let mut human = String::new();
            for l in &lines {
                let changes = l["changes"].as_object().map(|m| {
                    m.iter()
                        .map(|(k, v)| format!("{k}: {} → {}", v["before"], v["after"]))
                        .collect::<Vec<_>>()
                        .join("; ")
                });
                human.push_str(&format!(
                    "#{} {} {} {} {} by {} [{}] {}\n",
                    l["seq"],
                    field(l["timestamp"].as_str().unwrap_or("")),
                    field(l["command"].as_str().unwrap_or("")),
                    field(l["record"].as_str().unwrap_or("")),
                    field(l["id"].as_str().unwrap_or("")),
                    field(l["agent"].as_str().unwrap_or("-")),
                    field(l["trace_id"].as_str().unwrap_or("")),
                    crate::text::line(&changes.unwrap_or_default())
                ));
            }
            human.push_str(&format!("{} audit lines\n", lines.len()));
            Ok(Outcome::new(
                human,
                json!({"ok": true, "command": "audit log", "lines": lines}),
            ))
        }
    }
}
