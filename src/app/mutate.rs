//! The state-changing commands: validate the arguments into a request, run
//! the pure operation through [`mutation::run`], and say what happened in the
//! legacy lines and in JSON.

use serde_json::{Value, json};

use super::Outcome;
use super::mutation::{self, Done, Spec, with_trace};
use super::queue::{expired_report, lease_arg, lease_line, proof};
use crate::config::{Config, DEFAULT_TEAM};
use crate::error::{NexusError, Result};
use crate::input::{Percent, age, non_empty, or_default, whole};
use crate::mode::Feature;
use crate::ops;
use crate::store::AnyStore;
use crate::text::field;

/// Strict input (production): the priority must be one of the four levels.
fn strict_priority(cfg: &Config, priority: &str) -> Result<()> {
    if cfg.mode.on(Feature::StrictInput) && crate::records::Priority::parse(priority).is_none() {
        return Err(NexusError::invalid(
            "priority",
            priority,
            "must be critical, high, medium or low",
        ));
    }
    Ok(())
}

/// Strict input: claims need AGENT_ID.
fn strict_agent(cfg: &Config) -> Result<()> {
    if cfg.mode.on(Feature::StrictInput) && cfg.agent_id.is_none() {
        return Err(NexusError::invalid(
            "AGENT_ID",
            "",
            "must be set for claims in this mode",
        ));
    }
    Ok(())
}

/// AGENT_ID, else a new `agent_<ns>` id.
fn acting_agent(cfg: &Config) -> String {
    cfg.agent_id
        .clone()
        .unwrap_or_else(|| format!("agent_{}", cfg.now_ns()))
}

fn spec(operation: &'static str, command: &'static str, event: &'static str) -> Spec {
    Spec {
        operation,
        command,
        event,
        agent: None,
        attrs: Vec::new(),
        ahead: Default::default(),
    }
}

pub fn claim(
    store: &AnyStore,
    cfg: &Config,
    work_type: &str,
    description: &str,
    priority: Option<&str>,
    team: Option<&str>,
    lease: Option<&str>,
) -> Result<Outcome> {
    let lease = lease_arg(lease).or_else(|e| mutation::refuse(cfg, "s2s.work.claim", e))?;
    let req = ops::claim::ClaimRequest {
        work_type: work_type.to_string(),
        description: description.to_string(),
        priority: or_default(priority, "medium"),
        team: or_default(team, DEFAULT_TEAM),
        agent_id: acting_agent(cfg),
        request_id: cfg.request_id.clone(),
        lease,
    };
    non_empty("work type", work_type)
        .and_then(|_| strict_priority(cfg, &req.priority))
        .and_then(|()| strict_agent(cfg))
        .or_else(|e| mutation::refuse(cfg, "s2s.work.claim", e))?;
    let s = Spec {
        agent: Some(req.agent_id.clone()),
        attrs: vec![
            ("s2s.work_type", json!(req.work_type)),
            ("s2s.priority", json!(req.priority)),
            ("s2s.operation", json!("work_claim")),
        ],
        // A claim makes an id, then enrols its agent.
        ahead: mutation::Ahead {
            work_id: true,
            agent: true,
        },
        ..spec("s2s.work.claim", "claim", "work.claimed")
    };
    let done = mutation::run(store, cfg, s, |st, ctx| ops::claim::claim(st, &req, ctx))?;
    Ok(claimed_outcome(cfg, &req.agent_id, &req.team, done.value))
}

/// `claim --next`: the legacy claim lines for the item taken from the backlog.
pub fn claim_next(
    store: &AnyStore,
    cfg: &Config,
    team: Option<&str>,
    lease: Option<&str>,
) -> Result<Outcome> {
    let lease = strict_agent(cfg)
        .and_then(|()| lease_arg(lease))
        .or_else(|e| mutation::refuse(cfg, "s2s.work.claim", e))?;
    let mut cfg = cfg.clone();
    cfg.lease_ttl = lease.unwrap_or(cfg.lease_ttl);
    let cfg = &cfg;
    let agent = acting_agent(cfg);
    let s = Spec {
        agent: Some(agent.clone()),
        attrs: vec![("s2s.operation", json!("work_claim_next"))],
        ..spec("s2s.work.claim", "claim", "work.claimed")
    };
    let done = mutation::run(store, cfg, s, |st, ctx| {
        ops::fleet::claim_next(st, &agent, team, cfg.request_id.as_deref(), ctx)
    })?;
    let team = done.value.record["team"]
        .as_str()
        .unwrap_or(DEFAULT_TEAM)
        .to_string();
    Ok(claimed_outcome(cfg, &agent, &team, done.value))
}

/// The legacy claim lines (the new id is the first `work_<n>` in them) and
/// the JSON of a claim, shared by `claim` and `claim --next`.
fn claimed_outcome(
    cfg: &Config,
    agent_id: &str,
    team: &str,
    claimed: ops::claim::Claimed,
) -> Outcome {
    let capacity = claimed.agent.get("capacity").cloned().unwrap_or(json!(100));
    let mut human = format!(
        "🔍 Trace ID: {trace}\n🤖 Agent {agent_id} claiming work: {id}\n✅ SUCCESS: Claimed work item {id} for team {team}\n🔧 REGISTERED: Agent {agent_id} in team {team} with {capacity}% capacity\n",
        trace = cfg.trace.trace_id,
        id = claimed.work_id,
        agent_id = field(agent_id),
        team = field(team),
    );
    human.push_str(&lease_line(&claimed.record));
    let json = with_trace(
        cfg,
        json!({"ok": true, "command": "claim", "work_item_id": claimed.work_id, "agent_id": agent_id,
               "team": team, "claim": claimed.record, "agent": claimed.agent}),
    );
    Outcome::new(human, json)
}

pub fn add(
    store: &AnyStore,
    cfg: &Config,
    work_type: &str,
    description: &str,
    priority: Option<&str>,
    team: Option<&str>,
    depends_on: &[String],
) -> Result<Outcome> {
    let priority = or_default(priority, "medium");
    let team = or_default(team, DEFAULT_TEAM);
    non_empty("work type", work_type)
        .and_then(|_| strict_priority(cfg, &priority))
        .or_else(|e| mutation::refuse(cfg, "s2s.work.add", e))?;
    let s = Spec {
        agent: cfg.agent_id.clone(),
        attrs: vec![
            ("s2s.work_type", json!(work_type)),
            ("s2s.priority", json!(priority)),
        ],
        ahead: mutation::Ahead {
            work_id: true,
            agent: false,
        },
        ..spec("s2s.work.add", "add", "work.added")
    };
    let done = mutation::run(store, cfg, s, |st, ctx| {
        let req = ops::fleet::AddRequest {
            work_type: work_type.to_string(),
            description: description.to_string(),
            priority: priority.clone(),
            team: team.clone(),
            request_id: cfg.request_id.clone(),
            depends_on: depends_on.to_vec(),
        };
        ops::fleet::add(st, &req, ctx)
    })?;
    let record = done.value;
    let id = record["work_item_id"].as_str().unwrap_or("").to_string();
    let deps = crate::records::depends_on(&record);
    let waits = if deps.is_empty() {
        String::new()
    } else {
        format!(", waiting on {}", field(&deps.join(", ")))
    };
    Ok(Outcome::new(
        format!(
            "📥 ADDED: {id} to the backlog of team {} ({}){waits}\n",
            field(&team),
            field(&priority)
        ),
        with_trace(
            cfg,
            json!({"ok": true, "command": "add", "work_item_id": id, "claim": record}),
        ),
    ))
}

/// Split legacy progress arguments into (work id, percent, status).
fn progress_args(cfg: &Config, args: &[String]) -> Result<(String, Percent, String)> {
    let (id, pct, status) = match args {
        // A lone number is the percent of $CURRENT_WORK_ITEM.
        [one] if crate::input::looks_numeric(one) => (None, Some(one.as_str()), None),
        _ => (
            args.first().map(String::as_str),
            args.get(1).map(String::as_str),
            args.get(2).map(String::as_str),
        ),
    };
    let id = work_id_or_current(cfg, id)?;
    let pct = Percent::required(pct)?;
    Ok((
        id,
        pct,
        crate::input::status(&or_default(status, "in_progress"))?,
    ))
}

/// The given work id, else $CURRENT_WORK_ITEM.
fn work_id_or_current(cfg: &Config, id: Option<&str>) -> Result<String> {
    match id.filter(|s| !s.is_empty()) {
        Some(i) => Ok(i.to_string()),
        None => cfg.current_work_item.clone().ok_or(NexusError::NoWorkId),
    }
}

pub fn progress(store: &AnyStore, cfg: &Config, args: &[String]) -> Result<Outcome> {
    let (id, pct, status) =
        progress_args(cfg, args).or_else(|e| mutation::refuse(cfg, "s2s.work.progress", e))?;
    let s = Spec {
        agent: cfg.agent_id.clone(),
        attrs: vec![
            ("s2s.operation", json!("progress_update")),
            ("s2s.progress_percent", pct.to_json()),
            ("s2s.progress_status", json!(status)),
        ],
        ..spec("s2s.work.progress", "progress", "work.progress")
    };
    let done = mutation::run(store, cfg, s, |st, ctx| {
        ops::progress::progress(st, &id, pct, &status, &proof(cfg), ctx)
    })?;
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
                   "status": status, "claim": done.value}),
        ),
    ))
}

pub fn complete(
    store: &AnyStore,
    cfg: &Config,
    work_id: Option<&str>,
    result: Option<&str>,
    points: Option<&str>,
) -> Result<Outcome> {
    let c = (|| {
        Ok(ops::complete::Completion {
            work_id: work_id_or_current(cfg, work_id)?,
            result: or_default(result, "success"),
            points: whole("velocity points", &or_default(points, "5"))?,
            agent_id: cfg.agent_id.clone(),
            velocity_team: cfg.agent_team.clone(),
            request_id: cfg.request_id.clone(),
            proof: proof(cfg),
        })
    })()
    .or_else(|e| mutation::refuse(cfg, "s2s.work.complete", e))?;
    let s = Spec {
        agent: cfg.agent_id.clone(),
        attrs: vec![
            ("s2s.operation", json!("work_complete")),
            ("s2s.result", json!(c.result)),
            ("s2s.velocity_points", json!(c.points)),
        ],
        ..spec("s2s.work.complete", "complete", "work.completed")
    };
    let Done { value: done, .. } = mutation::run(store, cfg, s, |st, ctx| {
        ops::complete::complete(st, &c, ctx)
    })?;
    let mut human = format!(
        "✅ COMPLETED: Released claim for {id} ({result}) - {n} velocity points\n📊 VELOCITY: Added {n} points to team {team} velocity\n",
        id = field(&c.work_id),
        result = field(&c.result),
        n = c.points,
        team = field(&done.team)
    );
    if cfg.mode.on(Feature::StaleReport) {
        human.push_str(&stale_report(store, cfg));
    }
    Ok(Outcome::new(
        human,
        with_trace(
            cfg,
            json!({"ok": true, "command": "complete", "work_item_id": c.work_id, "result": c.result,
                   "velocity_points": c.points, "team": done.team, "claim": done.record,
                   "completion": done.log_entry}),
        ),
    ))
}

/// One line naming the stale items (staging and production, after complete).
fn stale_report(store: &AnyStore, cfg: &Config) -> String {
    use crate::store::Store;
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
    store: &AnyStore,
    cfg: &Config,
    agent_id: &str,
    team: Option<&str>,
    capacity: Option<&str>,
    specialization: Option<&str>,
) -> Result<Outcome> {
    let reg = (|| {
        Ok(ops::register::Registration {
            agent_id: crate::input::agent_id("agent id", agent_id)?.to_string(),
            team: or_default(team, DEFAULT_TEAM),
            capacity: crate::input::capacity(&or_default(capacity, "100"))?,
            specialization: or_default(specialization, "general_development"),
        })
    })()
    .or_else(|e| mutation::refuse(cfg, "s2s.agent.register", e))?;
    let s = Spec {
        agent: Some(reg.agent_id.clone()),
        attrs: vec![
            ("s2s.operation", json!("agent_register")),
            ("s2s.team", json!(reg.team)),
            ("s2s.capacity", json!(reg.capacity)),
        ],
        ..spec("s2s.agent.register", "register", "agent.registered")
    };
    let done = mutation::run(store, cfg, s, |st, ctx| {
        ops::register::register(st, &reg, ctx)
    })?;
    Ok(Outcome::new(
        format!(
            "🔧 REGISTERED: Agent {} in team {} with {}% capacity\n",
            field(&reg.agent_id),
            field(&reg.team),
            reg.capacity
        ),
        with_trace(
            cfg,
            json!({"ok": true, "command": "register", "agent": done.value}),
        ),
    ))
}

pub fn release(store: &AnyStore, cfg: &Config, work_id: &str) -> Result<Outcome> {
    let s = Spec {
        agent: cfg.agent_id.clone(),
        ..spec("s2s.work.release", "release", "work.released")
    };
    let done = mutation::run(store, cfg, s, |st, ctx| {
        ops::fleet::release(st, work_id, &proof(cfg), ctx)
    })?;
    Ok(Outcome::new(
        format!("↩️ RELEASED: {} is available again\n", field(work_id)),
        with_trace(
            cfg,
            json!({"ok": true, "command": "release", "work_item_id": work_id, "claim": done.value}),
        ),
    ))
}

pub fn heartbeat(store: &AnyStore, cfg: &Config, agent: Option<&str>) -> Result<Outcome> {
    let agent = agent
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .or_else(|| cfg.agent_id.clone())
        .ok_or_else(|| NexusError::invalid("agent id", "", "pass it or set AGENT_ID"))
        .and_then(|a| crate::input::agent_id("agent id", &a).map(|_| a.clone()))
        .or_else(|e| mutation::refuse(cfg, "s2s.agent.heartbeat", e))?;
    let s = Spec {
        agent: Some(agent.clone()),
        ..spec("s2s.agent.heartbeat", "heartbeat", "agent.heartbeat")
    };
    let done = mutation::run(store, cfg, s, |st, ctx| {
        ops::fleet::heartbeat(st, &agent, ctx)
    })?;
    Ok(Outcome::new(
        format!("💓 HEARTBEAT: Agent {} is active\n", field(&agent)),
        with_trace(
            cfg,
            json!({"ok": true, "command": "heartbeat", "agent": done.value}),
        ),
    ))
}

pub fn cleanup(
    store: &AnyStore,
    cfg: &Config,
    ttl: &str,
    archive_after: &str,
    dry_run: bool,
) -> Result<Outcome> {
    use crate::store::Store;
    let (ttl_d, archive_d) = (age("ttl", ttl)?, age("archive-after", archive_after)?);
    let plan = if dry_run {
        // A dry run reads only: no lock, no write.
        let s = store.snapshot()?;
        let claims = crate::records::rec::values(&s.claims[s.archived..]);
        ops::fleet::plan_cleanup(&claims, ttl_d, archive_d, cfg.now)
    } else {
        let s = Spec {
            agent: cfg.agent_id.clone(),
            ..spec("s2s.work.cleanup", "cleanup", "work.cleanup")
        };
        mutation::run(store, cfg, s, |st, ctx| {
            ops::fleet::cleanup(st, ttl_d, archive_d, ctx)
        })?
        .value
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
    let expired = expired_report(&plan.expired, &mut human);
    let stale: Vec<Value> = plan
        .stale
        .iter()
        .map(|(id, h)| json!({"work_item_id": id, "idle_hours": h}))
        .collect();
    Ok(Outcome::new(
        human,
        with_trace(
            cfg,
            json!({"ok": true, "command": "cleanup", "dry_run": dry_run,
                   "stale": stale, "archived": plan.archived, "expired": expired}),
        ),
    ))
}
