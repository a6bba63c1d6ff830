//! The state-changing commands: validate the arguments into a request, run
//! the pure operation through [`mutation::run`], and say what happened in the
//! legacy lines and in JSON.

use serde_json::{Value, json};

use super::Outcome;
use super::mutation::{self, Spec, with_trace};
use super::queue_cmd::{expired_report, lease_line};
use crate::config::{Config, DEFAULT_TEAM};
use crate::error::{NexusError, Result};
use crate::input::{age, or_default};
use crate::mode::Feature;
use crate::ops;
use crate::store::AnyStore;
use crate::text::field;

/// Strict input (production): the priority must be one of the four levels.
pub fn strict_priority(cfg: &Config, priority: &str) -> Result<()> {
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
pub fn strict_agent(cfg: &Config) -> Result<()> {
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
pub fn acting_agent(cfg: &Config) -> String {
    cfg.agent_id
        .clone()
        .unwrap_or_else(|| format!("agent_{}", cfg.now_ns()))
}

pub fn spec(operation: &'static str, command: &'static str, event: &'static str) -> Spec {
    Spec {
        operation,
        command,
        event,
        agent: None,
        attrs: Vec::new(),
        ahead: Default::default(),
    }
}

/// The legacy claim lines (the new id is the first `work_<n>` in them) and
/// the JSON of a claim, shared by `claim` and `claim --next`.
pub fn claimed_outcome(
    cfg: &Config,
    agent_id: &str,
    team: &str,
    claimed: ops::claim::Claimed,
) -> Outcome {
    // The agent the step enrolled (a made-up id may have moved on by one).
    let enrolled = claimed.agent["agent_id"].as_str().map(str::to_string);
    let agent_id = enrolled.as_deref().unwrap_or(agent_id);
    let capacity = claimed.agent.get("capacity").cloned().unwrap_or(json!(100));
    // The new id comes before any agent id on its line: callers take the
    // first `work_[0-9]*` of the output, which an agent such as
    // `network_agent_1` would otherwise match first.
    let claiming = if agent_id.contains("work_") {
        format!(
            "🤖 Agent claiming work: {} (agent {})",
            claimed.work_id,
            field(agent_id)
        )
    } else {
        format!(
            "🤖 Agent {} claiming work: {}",
            field(agent_id),
            claimed.work_id
        )
    };
    let mut human = format!(
        "🔍 Trace ID: {trace}\n{claiming}\n✅ SUCCESS: Claimed work item {id} for team {team}\n🔧 REGISTERED: Agent {agent_id} in team {team} with {capacity}% capacity\n",
        trace = cfg.trace.trace_id,
        id = claimed.work_id,
        agent_id = field(agent_id),
        team = field(team),
    );
    human.push_str(&lease_line(&claimed.record));
    let mut json = json!({"ok": true, "command": "claim", "work_item_id": claimed.work_id,
                          "agent_id": agent_id, "team": team});
    // Moved in, not serialised again as `json!` would.
    json["claim"] = claimed.record;
    json["agent"] = claimed.agent;
    let json = with_trace(cfg, json);
    Outcome::new(human, json)
}

/// The given work id, else $CURRENT_WORK_ITEM.
pub fn work_id_or_current(cfg: &Config, id: Option<&str>) -> Result<String> {
    match id.filter(|s| !s.is_empty()) {
        Some(i) => Ok(i.to_string()),
        None => cfg.current_work_item.clone().ok_or(NexusError::NoWorkId),
    }
}

/// One line naming the stale items (staging and production, after complete).
pub fn stale_report(store: &AnyStore, cfg: &Config) -> String {
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

/// Register an agent in a team (replaces its record if it exists)
///
/// Example: nexus register agent_42 platform_team 80 infrastructure
#[derive(Debug, Clone, clap::Args)]
pub struct RegisterArgs {
    /// Agent id, e.g. from `nexus generate-id`
    pub agent_id: String,
    /// Team to join [default: autonomous_team]
    pub team: Option<String>,
    /// Capacity in percent, a whole number from 0 to 100 [default: 100]
    pub capacity: Option<String>,
    /// What the agent is good at [default: general_development]
    pub specialization: Option<String>,
}

pub fn register(store: &AnyStore, cfg: &Config, args: &RegisterArgs) -> Result<Outcome> {
    let agent_id = args.agent_id.as_str();
    let (team, capacity, specialization) = (
        args.team.as_deref(),
        args.capacity.as_deref(),
        args.specialization.as_deref(),
    );
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
        with_trace(cfg, {
            let mut json = json!({"ok": true, "command": "register"});
            json["agent"] = done.value;
            json
        }),
    ))
}

/// Mark items idle past the TTL as stale and archive old completed items
///
/// A backup of the claims file goes to backups/ first. Nothing is deleted:
/// archived items move to work_claims_archive.jsonl.
/// Example: nexus cleanup --ttl 24h --archive-after 7d --dry-run
#[derive(Debug, Clone, clap::Args)]
pub struct CleanupArgs {
    /// Active items without activity for longer than this become stale
    #[arg(long, default_value = "24h")]
    pub ttl: String,
    /// Completed items older than this move to the archive
    #[arg(long, default_value = "7d")]
    pub archive_after: String,
    /// Show what would change, change nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn cleanup(store: &AnyStore, cfg: &Config, args: &CleanupArgs) -> Result<Outcome> {
    let (ttl, archive_after, dry_run) =
        (args.ttl.as_str(), args.archive_after.as_str(), args.dry_run);
    use crate::store::Store;
    let (ttl_d, archive_d) = (age("ttl", ttl)?, age("archive-after", archive_after)?);
    let plan = if dry_run {
        // A dry run reads only: no lock, no write.
        let s = store.snapshot()?;
        let claims = crate::records::claim_record::values(&s.claims[s.archived..]);
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
