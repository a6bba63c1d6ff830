//! Fleet commands: the backlog (add, claim --next, release), heartbeats,
//! cleanup, and the read-only list, show, status and audit views.

use serde_json::{Value, json};

use super::Outcome;
use super::mutate::{audit_meta, claimed_outcome, op_context, strict_agent, strict_priority};
use super::traced::Traced;
use crate::ai::offline::Facts;
use crate::cli::AuditCommand;
use crate::config::{Config, DEFAULT_TEAM, unix_nanos};
use crate::error::{NexusError, Result};
use crate::input::{age, non_empty, or_default, since};
use crate::ops;
use crate::records::{number, text, time};
use crate::report::{duration, num};
use crate::store::FileStore;
use crate::store::audit::{self, AUDIT_FILE};
use crate::text::field;

pub fn add(
    store: &FileStore,
    cfg: &Config,
    work_type: &str,
    description: &str,
    priority: Option<&str>,
    team: Option<&str>,
) -> Result<Outcome> {
    let mut t = Traced::start(store, cfg, "s2s.work.add");
    let priority = or_default(priority, "medium");
    let team = or_default(team, DEFAULT_TEAM);
    t.span
        .attr("s2s.work_type", work_type)
        .attr("s2s.priority", priority.as_str())
        .attr("s2s.team", team.as_str());
    let result = (|| {
        non_empty("work type", work_type)?;
        strict_priority(cfg, &priority)?;
        let ctx = op_context(cfg);
        let audit = audit_meta(cfg, "add", cfg.agent_id.as_deref());
        store.update_audited(audit.as_ref(), |st| {
            ops::fleet::add(st, work_type, description, &priority, &team, &ctx)
        })
    })();
    if let Ok(r) = &result {
        t.span.attr("s2s.work_item_id", r["work_item_id"].clone());
    }
    let record = t.finish(result)?;
    let id = record["work_item_id"].as_str().unwrap_or("").to_string();
    Ok(Outcome::new(
        format!(
            "📥 ADDED: {id} to the backlog of team {} ({})\n",
            field(&team),
            field(&priority)
        ),
        json!({"ok": true, "command": "add", "work_item_id": id, "claim": record, "trace_id": cfg.trace.trace_id}),
    ))
}

/// `claim --next`: the legacy claim lines for the item taken from the backlog.
pub fn claim_next(store: &FileStore, cfg: &Config, team: Option<&str>) -> Result<Outcome> {
    let mut t = Traced::start(store, cfg, "s2s.work.claim");
    let agent_id = cfg
        .agent_id
        .clone()
        .unwrap_or_else(|| format!("agent_{}", unix_nanos()));
    t.span
        .attr("s2s.agent_id", agent_id.as_str())
        .attr("s2s.operation", "work_claim_next");
    let result = (|| {
        strict_agent(cfg)?;
        let ctx = op_context(cfg);
        let audit = audit_meta(cfg, "claim", Some(&agent_id));
        store.update_audited(audit.as_ref(), |st| {
            ops::fleet::claim_next(st, &agent_id, team, &ctx)
        })
    })();
    if let Ok(c) = &result {
        t.span
            .attr("s2s.work_item_id", c.work_id.as_str())
            .attr("s2s.status", "success");
    }
    let claimed = t.finish(result)?;
    let team = claimed.record["team"]
        .as_str()
        .unwrap_or(DEFAULT_TEAM)
        .to_string();
    Ok(claimed_outcome(cfg, &agent_id, &team, claimed))
}

pub fn release(store: &FileStore, cfg: &Config, work_id: &str) -> Result<Outcome> {
    let mut t = Traced::start(store, cfg, "s2s.work.release");
    t.span.attr("s2s.work_item_id", work_id);
    let ctx = op_context(cfg);
    let audit = audit_meta(cfg, "release", cfg.agent_id.as_deref());
    let result = store.update_audited(audit.as_ref(), |st| ops::fleet::release(st, work_id, &ctx));
    let record = t.finish(result)?;
    Ok(Outcome::new(
        format!("↩️ RELEASED: {} is available again\n", field(work_id)),
        json!({"ok": true, "command": "release", "work_item_id": work_id, "claim": record}),
    ))
}

pub fn heartbeat(store: &FileStore, cfg: &Config, agent: Option<&str>) -> Result<Outcome> {
    let mut t = Traced::start(store, cfg, "s2s.agent.heartbeat");
    let agent = agent
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .or_else(|| cfg.agent_id.clone());
    let result = agent
        .clone()
        .ok_or_else(|| NexusError::invalid("agent id", "", "pass it or set AGENT_ID"))
        .and_then(|a| {
            crate::input::agent_id("agent id", &a)?;
            let ctx = op_context(cfg);
            let audit = audit_meta(cfg, "heartbeat", Some(&a));
            store.update_audited(audit.as_ref(), |st| ops::fleet::heartbeat(st, &a, &ctx))
        });
    if let Some(a) = &agent {
        t.span.attr("s2s.agent_id", a.as_str());
    }
    let record = t.finish(result)?;
    let agent = agent.unwrap_or_default();
    Ok(Outcome::new(
        format!("💓 HEARTBEAT: Agent {} is active\n", field(&agent)),
        json!({"ok": true, "command": "heartbeat", "agent": record}),
    ))
}

pub fn cleanup(
    store: &FileStore,
    cfg: &Config,
    ttl: &str,
    archive_after: &str,
    dry_run: bool,
) -> Result<Outcome> {
    let (ttl_d, archive_d) = (age("ttl", ttl)?, age("archive-after", archive_after)?);
    let ctx = op_context(cfg);
    let plan = if dry_run {
        // A dry run reads only: no lock, no write.
        let s = store.snapshot()?;
        ops::fleet::plan_cleanup(&s.claims[s.archived..], ttl_d, archive_d, ctx.now)
    } else {
        let mut t = Traced::start(store, cfg, "s2s.work.cleanup");
        let audit = audit_meta(cfg, "cleanup", cfg.agent_id.as_deref());
        let r = store.update_audited(audit.as_ref(), |st| {
            ops::fleet::cleanup(st, ttl_d, archive_d, &ctx)
        });
        if let Ok(p) = &r {
            t.span
                .attr("s2s.stale_marked", p.stale.len())
                .attr("s2s.archived", p.archived.len());
        }
        t.finish(r)?
    };
    let verb = if dry_run { "would" } else { "did" };
    let mut human = format!(
        "🧹 CLEANUP ({}): {} items {verb} become stale (idle > {ttl}), {} completed items {verb} move to the archive (older than {archive_after})\n",
        if dry_run {
            "dry run, nothing changed"
        } else {
            "done"
        },
        plan.stale.len(),
        plan.archived.len()
    );
    for (id, hours) in &plan.stale {
        human.push_str(&format!("  ⏸️ stale: {} (idle {}h)\n", field(id), hours));
    }
    for id in &plan.archived {
        human.push_str(&format!("  📦 archive: {}\n", field(id)));
    }
    Ok(Outcome::new(
        human,
        json!({"ok": true, "command": "cleanup", "dry_run": dry_run,
               "stale": plan.stale.iter().map(|(id, h)| json!({"work_item_id": id, "idle_hours": h})).collect::<Vec<_>>(),
               "archived": plan.archived}),
    ))
}

/// `list`: filters are status, team, agent, priority.
pub fn list(store: &FileStore, filters: [Option<&str>; 4]) -> Result<Outcome> {
    let s = store.snapshot()?;
    let keys = ["status", "team", "agent_id", "priority"];
    let rows: Vec<&Value> = s
        .claims
        .iter()
        .filter(|c| {
            keys.iter()
                .zip(filters)
                .all(|(k, f)| f.is_none_or(|f| text(c, k) == Some(f)))
        })
        .collect();
    let mut human = format!(
        "{:<26} {:<11} {:<9} {:<22} {:<26} {:>4}\n",
        "ID", "STATUS", "PRIORITY", "TEAM", "AGENT", "DONE"
    );
    for c in &rows {
        human.push_str(&format!(
            "{:<26} {:<11} {:<9} {:<22} {:<26} {:>3}%\n",
            field(text(c, "work_item_id").unwrap_or("?")),
            field(text(c, "status").unwrap_or("-")),
            field(text(c, "priority").unwrap_or("-")),
            field(text(c, "team").unwrap_or("-")),
            field(text(c, "agent_id").unwrap_or("-")),
            num(number(c, "progress").unwrap_or(0.0))
        ));
    }
    human.push_str(&format!("{} items\n", rows.len()));
    Ok(Outcome::new(human, json!(rows)))
}

pub fn show(store: &FileStore, cfg: &Config, id: &str) -> Result<Outcome> {
    let s = store.snapshot()?;
    let record = s
        .claims
        .iter()
        .rfind(|c| text(c, "work_item_id") == Some(id))
        .cloned()
        .ok_or_else(|| NexusError::WorkNotFound {
            id: id.to_string(),
            path: cfg.dir.join(crate::store::CLAIMS_FILE),
        })?;
    let history: Vec<Value> = audit::read_all(&cfg.dir.join(AUDIT_FILE))?
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

pub fn status(store: &FileStore, cfg: &Config) -> Result<Outcome> {
    let s = store.snapshot()?;
    let facts = Facts::new(&s, cfg.now);
    let m = &facts.m;
    let mut by_status: std::collections::BTreeMap<String, usize> = Default::default();
    for c in &s.claims {
        *by_status
            .entry(text(c, "status").unwrap_or("unknown").to_string())
            .or_default() += 1;
    }
    let offline = facts.offline_agents();
    let mut human = format!(
        "📊 STATUS of {} (mode {})\n",
        cfg.dir.display(),
        cfg.mode.name
    );
    human.push_str(&format!(
        "  items: {}\n",
        by_status
            .iter()
            .map(|(k, v)| format!("{} {v}", field(k)))
            .collect::<Vec<_>>()
            .join(" · ")
    ));
    human.push_str(&format!("  archived: {}\n", s.archived));
    for t in m
        .teams
        .iter()
        .filter(|t| t.active + t.completed + t.agents > 0)
    {
        human.push_str(&format!(
            "  team {}: {} active, {} completed, {} points, {} agents\n",
            field(&t.name),
            t.active,
            t.completed,
            num(t.velocity),
            t.agents
        ));
    }
    human.push_str(&format!(
        "  velocity: {} points over {} completions\n",
        num(m.completion_points),
        m.completions
    ));
    human.push_str(&format!(
        "  stale items: {} · offline agents: {} of {}\n",
        m.stale.len(),
        offline.len(),
        s.agents.len()
    ));
    human.push_str(&format!(
        "  median lead time: {}\n",
        duration(m.lead_time_hours.median)
    ));
    Ok(Outcome::new(
        human,
        json!({"ok": true, "command": "status", "mode": cfg.mode.name, "by_status": by_status, "archived": s.archived,
               "teams": m.teams, "velocity": m.completion_points, "stale": m.stale.len(), "offline_agents": offline}),
    ))
}

pub fn audit(cfg: &Config, action: &AuditCommand) -> Result<Outcome> {
    let path = cfg.dir.join(AUDIT_FILE);
    match action {
        AuditCommand::Verify => match audit::verify(&path)? {
            Ok(n) => Ok(Outcome::new(
                format!(
                    "✅ AUDIT OK: {n} lines, hash chain intact ({})\n",
                    path.display()
                ),
                json!({"ok": true, "command": "audit verify", "lines": n}),
            )),
            Err((line, why)) => Err(NexusError::invalid(
                "audit trail",
                &path.display().to_string(),
                format!("broken at line {line}: {why}"),
            )),
        },
        AuditCommand::Log {
            item,
            agent,
            since: when,
        } => {
            let after = when.as_deref().map(|w| since(w, cfg.now)).transpose()?;
            let lines: Vec<Value> = audit::read_all(&path)?
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
