//! The state-changing commands: validate, apply through the store, trace,
//! and say what happened in the legacy lines and in JSON.

use serde_json::{Value, json};

use super::Outcome;
use super::traced::Traced;
use crate::config::{Config, DEFAULT_TEAM, unix_nanos};
use crate::error::{NexusError, Result};
use crate::input::{Percent, non_empty, or_default, whole};
use crate::n8n::Event;
use crate::ops::{self, OpContext};
use crate::store::FileStore;
use crate::store::audit::AuditMeta;
use crate::text::field;

/// Who changes what, for the audit trail; `None` unless the audit feature is on.
pub fn audit_meta(cfg: &Config, command: &str, agent: Option<&str>) -> Option<AuditMeta> {
    cfg.mode.on("audit").then(|| AuditMeta {
        command: command.to_string(),
        agent: agent.map(str::to_string),
        trace_id: cfg.trace.trace_id.clone(),
        timestamp: crate::records::timestamp(cfg.now),
    })
}

/// Strict input (production): a known priority, and AGENT_ID for claims.
pub fn strict_claim(cfg: &Config, priority: &str) -> Result<()> {
    strict_priority(cfg, priority)?;
    strict_agent(cfg)
}

/// Strict input: the priority must be one of the four levels.
pub fn strict_priority(cfg: &Config, priority: &str) -> Result<()> {
    if cfg.mode.on("strict_input") && !crate::input::PRIORITIES.contains(&priority) {
        return Err(NexusError::invalid(
            "priority",
            priority,
            "must be critical, high, medium or low",
        ));
    }
    Ok(())
}

/// Strict input: claims need AGENT_ID.
pub fn strict_agent(cfg: &Config) -> Result<()> {
    if cfg.mode.on("strict_input") && cfg.agent_id.is_none() {
        return Err(NexusError::invalid(
            "AGENT_ID",
            "",
            "must be set for claims in this mode",
        ));
    }
    Ok(())
}

pub fn op_context(cfg: &Config) -> OpContext {
    OpContext {
        now: cfg.now,
        now_ns: unix_nanos(),
        trace: cfg.trace.clone(),
        service_name: cfg.service.name.clone(),
    }
}

/// The trace fields every mutation reports in `--json`.
fn trace_json(cfg: &Config) -> Value {
    json!({"trace_id": cfg.trace.trace_id, "span_id": cfg.trace.span_id, "traceparent": cfg.trace.traceparent()})
}

/// Merge `extra` into the trace fields.
fn with_trace(cfg: &Config, extra: Value) -> Value {
    let mut v = trace_json(cfg);
    crate::records::merge(&mut v, extra);
    v
}

pub fn claim(
    store: &FileStore,
    cfg: &Config,
    work_type: &str,
    description: &str,
    priority: Option<&str>,
    team: Option<&str>,
) -> Result<Outcome> {
    let mut t = Traced::start(store, cfg, "s2s.work.claim");
    let priority = or_default(priority, "medium");
    let team = or_default(team, DEFAULT_TEAM);
    let agent_id = cfg
        .agent_id
        .clone()
        .unwrap_or_else(|| format!("agent_{}", unix_nanos()));
    t.span
        .attr("s2s.agent_id", agent_id.as_str())
        .attr("s2s.work_type", work_type)
        .attr("s2s.priority", priority.as_str())
        .attr("s2s.team", team.as_str())
        .attr("s2s.operation", "work_claim");
    let result = non_empty("work type", work_type).and_then(|work_type| {
        let req = ops::claim::ClaimRequest {
            work_type: work_type.to_string(),
            description: description.to_string(),
            priority: priority.clone(),
            team: team.clone(),
            agent_id: agent_id.clone(),
        };
        let ctx = op_context(cfg);
        strict_claim(cfg, &req.priority)?;
        store.update_audited(audit_meta(cfg, "claim", Some(&agent_id)).as_ref(), |st| {
            ops::claim::claim(st, &req, &ctx)
        })
    });
    if let Ok(c) = &result {
        t.span
            .attr("s2s.work_item_id", c.work_id.as_str())
            .attr("s2s.status", "success");
        t.event = Some(Event {
            kind: "work.claimed",
            work_item: Some(c.record.clone()),
            agent_id: Some(agent_id.clone()),
            team: Some(team.clone()),
        });
    }
    Ok(claimed_outcome(cfg, &agent_id, &team, t.finish(result)?))
}

/// The legacy claim lines (the new id is the first `work_<n>` in them) and
/// the JSON of a claim, shared by `claim` and `claim --next`.
pub fn claimed_outcome(
    cfg: &Config,
    agent_id: &str,
    team: &str,
    claimed: ops::claim::Claimed,
) -> Outcome {
    let capacity = claimed.agent.get("capacity").cloned().unwrap_or(json!(100));
    let human = format!(
        "🔍 Trace ID: {trace}\n🤖 Agent {agent_id} claiming work: {id}\n✅ SUCCESS: Claimed work item {id} for team {team}\n🔧 REGISTERED: Agent {agent_id} in team {team} with {capacity}% capacity\n",
        trace = cfg.trace.trace_id,
        id = claimed.work_id,
        agent_id = field(agent_id),
        team = field(team),
    );
    let json = with_trace(
        cfg,
        json!({"ok": true, "command": "claim", "work_item_id": claimed.work_id, "agent_id": agent_id,
               "team": team, "claim": claimed.record, "agent": claimed.agent}),
    );
    Outcome::new(human, json)
}

/// Split legacy progress arguments into (work id, percent, status).
fn progress_args(cfg: &Config, args: &[String]) -> Result<(String, Percent, String)> {
    let (id, pct, status) = match args {
        // A lone number is the percent of $CURRENT_WORK_ITEM.
        [one] if Percent::parse(one).is_ok() => (None, Some(one.as_str()), None),
        _ => (
            args.first().map(String::as_str),
            args.get(1).map(String::as_str),
            args.get(2).map(String::as_str),
        ),
    };
    let id = work_id_or_current(cfg, id)?;
    let pct = Percent::parse(pct.unwrap_or(""))?;
    Ok((id, pct, or_default(status, "in_progress")))
}

/// The given work id, else $CURRENT_WORK_ITEM.
fn work_id_or_current(cfg: &Config, id: Option<&str>) -> Result<String> {
    match id.filter(|s| !s.is_empty()) {
        Some(i) => Ok(i.to_string()),
        None => cfg.current_work_item.clone().ok_or(NexusError::NoWorkId),
    }
}

pub fn progress(store: &FileStore, cfg: &Config, args: &[String]) -> Result<Outcome> {
    let mut t = Traced::start(store, cfg, "s2s.work.progress");
    t.span.attr("s2s.operation", "progress_update");
    let parsed = progress_args(cfg, args);
    if let Ok((id, pct, status)) = &parsed {
        t.span
            .attr("s2s.work_item_id", id.as_str())
            .attr("s2s.progress_percent", pct.to_json())
            .attr("s2s.status", status.as_str());
    }
    let result = parsed.and_then(|(id, pct, status)| {
        let ctx = op_context(cfg);
        let audit = audit_meta(cfg, "progress", cfg.agent_id.as_deref());
        let record = store.update_audited(audit.as_ref(), |st| {
            ops::progress::progress(st, &id, pct, &status, &ctx)
        })?;
        Ok((id, pct, status, record))
    });
    if let Ok((_, _, _, record)) = &result {
        t.event = Some(Event {
            kind: "work.progress",
            work_item: Some(record.clone()),
            agent_id: record["agent_id"].as_str().map(str::to_string),
            team: record["team"].as_str().map(str::to_string),
        });
    }
    let (id, pct, status, record) = t.finish(result)?;
    Ok(Outcome::new(
        format!(
            "🔍 Trace ID: {}\n📈 PROGRESS: Updated {} to {pct}% ({})\n",
            cfg.trace.trace_id,
            field(&id),
            field(&status)
        ),
        with_trace(
            cfg,
            json!({"ok": true, "command": "progress", "work_item_id": id, "progress": pct.to_json(),
                   "status": status, "claim": record}),
        ),
    ))
}

pub fn complete(
    store: &FileStore,
    cfg: &Config,
    work_id: Option<&str>,
    result: Option<&str>,
    points: Option<&str>,
) -> Result<Outcome> {
    let mut t = Traced::start(store, cfg, "s2s.work.complete");
    t.span
        .attr("s2s.team", cfg.agent_team.as_str())
        .attr("s2s.operation", "work_complete");
    let request = work_id_or_current(cfg, work_id).and_then(|work_id| {
        Ok(ops::complete::Completion {
            work_id,
            result: or_default(result, "success"),
            points: whole("velocity points", &or_default(points, "5"))?,
            agent_id: cfg.agent_id.clone(),
            velocity_team: cfg.agent_team.clone(),
        })
    });
    if let Ok(c) = &request {
        t.span
            .attr("s2s.work_item_id", c.work_id.as_str())
            .attr("s2s.result", c.result.as_str())
            .attr("s2s.velocity_points", c.points);
    }
    let done = request.and_then(|c| {
        let ctx = op_context(cfg);
        let audit = audit_meta(cfg, "complete", cfg.agent_id.as_deref());
        let done =
            store.update_audited(audit.as_ref(), |st| ops::complete::complete(st, &c, &ctx))?;
        Ok((c, done))
    });
    if let Ok((c, d)) = &done {
        t.span.attr("s2s.agent_id", d.log_entry["agent_id"].clone());
        t.event = Some(Event {
            kind: "work.completed",
            work_item: Some(d.record.clone()),
            agent_id: d.log_entry["agent_id"].as_str().map(str::to_string),
            team: Some(c.velocity_team.clone()),
        });
    }
    let (c, done) = t.finish(done)?;
    let mut human = format!(
        "✅ COMPLETED: Released claim for {id} ({result}) - {n} velocity points\n📊 VELOCITY: Added {n} points to team {team} velocity\n",
        id = field(&c.work_id),
        result = field(&c.result),
        n = c.points,
        team = field(&c.velocity_team)
    );
    if cfg.mode.on("stale_report") {
        human.push_str(&stale_report(store, cfg));
    }
    Ok(Outcome::new(
        human,
        with_trace(
            cfg,
            json!({"ok": true, "command": "complete", "work_item_id": c.work_id, "result": c.result,
                   "velocity_points": c.points, "team": c.velocity_team, "claim": done.record,
                   "completion": done.log_entry}),
        ),
    ))
}

/// One line naming the stale items (staging and production, after complete).
fn stale_report(store: &FileStore, cfg: &Config) -> String {
    let Ok(s) = store.snapshot() else {
        return String::new();
    };
    let m = crate::report::Metrics::compute(&s, cfg.now);
    if m.stale.is_empty() {
        return "🟢 STALE: no stale work items\n".into();
    }
    let ids: Vec<&str> = m
        .stale
        .iter()
        .take(5)
        .map(|s| s.work_item_id.as_str())
        .collect();
    format!(
        "⚠️ STALE: {} items without activity for 24h (oldest: {})\n",
        m.stale.len(),
        ids.join(", ")
    )
}

pub fn register(
    store: &FileStore,
    cfg: &Config,
    agent_id: &str,
    team: Option<&str>,
    capacity: Option<&str>,
    specialization: Option<&str>,
) -> Result<Outcome> {
    let mut t = Traced::start(store, cfg, "s2s.agent.register");
    let team = or_default(team, DEFAULT_TEAM);
    t.span
        .attr("s2s.agent_id", agent_id)
        .attr("s2s.team", team.as_str())
        .attr("s2s.operation", "agent_register");
    let result = (|| {
        let reg = ops::register::Registration {
            agent_id: crate::input::agent_id("agent id", agent_id)?.to_string(),
            team: team.clone(),
            capacity: whole("capacity", &or_default(capacity, "100"))?,
            specialization: or_default(specialization, "general_development"),
        };
        let ctx = op_context(cfg);
        let audit = audit_meta(cfg, "register", Some(&reg.agent_id));
        let agent =
            store.update_audited(audit.as_ref(), |st| ops::register::register(st, &reg, &ctx))?;
        Ok((reg, agent))
    })();
    if let Ok((reg, _)) = &result {
        t.span.attr("s2s.capacity", reg.capacity);
        t.event = Some(Event {
            kind: "agent.registered",
            work_item: None,
            agent_id: Some(reg.agent_id.clone()),
            team: Some(reg.team.clone()),
        });
    }
    let (reg, agent) = t.finish(result)?;
    Ok(Outcome::new(
        format!(
            "🔧 REGISTERED: Agent {} in team {} with {}% capacity\n",
            field(&reg.agent_id),
            field(&reg.team),
            reg.capacity
        ),
        with_trace(
            cfg,
            json!({"ok": true, "command": "register", "agent": agent}),
        ),
    ))
}
