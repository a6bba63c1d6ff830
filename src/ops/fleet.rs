//! Operating a fleet: a backlog agents pull from (add, claim --next,
//! release), heartbeats, and the TTL cleanup that marks stale items and
//! archives old completed ones.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::claim::Claimed;
use super::{OpContext, find_agent, find_claim};
use crate::error::{NexusError, Result};
use crate::records::{self, NewClaim, text, time};
use crate::report::dashboard::{is_active, priority_rank};
use crate::store::State;
use crate::store::audit::Change;

/// Put an unclaimed item on the backlog (status `available`).
pub fn add(
    state: &mut dyn State,
    work_type: &str,
    description: &str,
    priority: &str,
    team: &str,
    ctx: &OpContext,
) -> Result<Value> {
    let work_id = state.next_work_id(ctx.now_ns)?;
    let mut record = records::claim(&NewClaim {
        work_id: &work_id,
        agent_id: "",
        work_type,
        priority,
        description,
        team,
        now: ctx.now,
        trace: &ctx.trace,
        service: &ctx.service_name,
    });
    records::merge(
        &mut record,
        json!({"agent_id": null, "claimed_at": null, "status": "available", "created_at": records::timestamp(ctx.now)}),
    );
    record["telemetry"]["operation"] = json!("s2s.work.add");
    state.add_claim(record.clone());
    Ok(record)
}

/// Claim the highest-priority, oldest available item (of `team`, if given)
/// for `agent`. Runs under the lock, so two agents never get the same item.
pub fn claim_next(
    state: &mut dyn State,
    agent: &str,
    team: Option<&str>,
    ctx: &OpContext,
) -> Result<Claimed> {
    let mut candidates: Vec<&Value> = state
        .claims()?
        .iter()
        .filter(|c| text(c, "status") == Some("available"))
        .filter(|c| team.is_none_or(|t| text(c, "team") == Some(t)))
        .collect();
    candidates.sort_by_key(|c| {
        (
            priority_rank(text(c, "priority").unwrap_or("")),
            text(c, "created_at").unwrap_or("").to_string(),
        )
    });
    let Some(pick) = candidates.first() else {
        return Err(NexusError::NothingAvailable(team.map(str::to_string)));
    };
    let mut record = (*pick).clone();
    let work_id = text(&record, "work_item_id")
        .unwrap_or_default()
        .to_string();
    let team = text(&record, "team")
        .unwrap_or(crate::config::DEFAULT_TEAM)
        .to_string();
    records::merge(
        &mut record,
        json!({"agent_id": agent, "claimed_at": records::timestamp(ctx.now), "status": "active"}),
    );
    let mut telemetry = record
        .get("telemetry")
        .cloned()
        .unwrap_or_else(records::empty);
    records::merge(
        &mut telemetry,
        json!({"trace_id": ctx.trace.trace_id, "span_id": ctx.trace.span_id, "operation": "s2s.work.claim"}),
    );
    record["telemetry"] = telemetry;
    state.put_claim(record.clone())?;
    let mut agent_rec = match find_agent(state.agents()?, agent) {
        Some(i) => {
            let mut known = state.agents()?[i].clone();
            records::merge(
                &mut known,
                json!({"status": "active", "last_heartbeat": records::timestamp(ctx.now)}),
            );
            known
        }
        None => records::agent(agent, &team, 100, "general_development", ctx.now),
    };
    super::register::upsert_agent(state, &mut agent_rec)?;
    Ok(Claimed {
        work_id,
        record,
        agent: agent_rec,
    })
}

/// Put a claimed item back on the backlog.
pub fn release(state: &mut dyn State, id: &str, ctx: &OpContext) -> Result<Value> {
    let mut record = find_claim(state, id)?;
    if !is_active(&record) {
        return Err(NexusError::invalid(
            "work item",
            id,
            format!(
                "is {}, only claimed items can be released",
                text(&record, "status").unwrap_or("unknown")
            ),
        ));
    }
    records::merge(
        &mut record,
        json!({"status": "available", "agent_id": null, "released_at": records::timestamp(ctx.now)}),
    );
    state.put_claim(record.clone())?;
    Ok(record)
}

/// Record that `agent` is alive: fresh heartbeat, status active.
pub fn heartbeat(state: &mut dyn State, agent: &str, ctx: &OpContext) -> Result<Value> {
    let Some(i) = find_agent(state.agents()?, agent) else {
        return Err(NexusError::invalid(
            "agent",
            agent,
            "is not registered (run: nexus register <agent_id>)",
        ));
    };
    let agents = state.agents_mut()?;
    let before = agents[i].clone();
    records::merge(
        &mut agents[i],
        json!({"status": "active", "last_heartbeat": records::timestamp(ctx.now)}),
    );
    let after = agents[i].clone();
    state.note(Change {
        kind: "agent",
        id: agent.to_string(),
        before: Some(before),
        after: Some(after.clone()),
    });
    Ok(after)
}

/// What a cleanup changes (or would change, in a dry run).
#[derive(Debug, Clone, Default)]
pub struct Cleanup {
    /// Items marked stale: (id, idle hours).
    pub stale: Vec<(String, i64)>,
    /// Completed items moved to the archive.
    pub archived: Vec<String>,
}

/// What a cleanup of these claims would change: active items idle past `ttl`
/// become stale, items completed before `archive_after` move to the archive.
/// Reads only, so a dry run needs no lock.
pub fn plan_cleanup(
    claims: &[Value],
    ttl: Duration,
    archive_after: Duration,
    now: DateTime<Utc>,
) -> Cleanup {
    let mut plan = Cleanup::default();
    for c in claims {
        let id = text(c, "work_item_id").unwrap_or("?").to_string();
        if is_active(c) && text(c, "status") != Some("stale") {
            let last = time(c, "last_update").or_else(|| time(c, "claimed_at"));
            if let Some(t) = last.filter(|t| now - *t > ttl) {
                plan.stale.push((id, (now - t).num_hours()));
            }
        } else if text(c, "status") == Some("completed")
            && time(c, "completed_at").is_some_and(|t| now - t > archive_after)
        {
            plan.archived.push(id);
        }
    }
    plan
}

/// Mark active items idle past `ttl` as stale and move items completed
/// before `archive_after` to the archive, after a backup of the claims file.
pub fn cleanup(
    state: &mut dyn State,
    ttl: Duration,
    archive_after: Duration,
    ctx: &OpContext,
) -> Result<Cleanup> {
    let plan = plan_cleanup(state.claims()?, ttl, archive_after, ctx.now);
    if !plan.stale.is_empty() || !plan.archived.is_empty() {
        apply_cleanup(state, &plan, ctx)?;
    }
    Ok(plan)
}

/// Apply a cleanup plan to the state (see [`cleanup`]).
fn apply_cleanup(state: &mut dyn State, plan: &Cleanup, ctx: &OpContext) -> Result<()> {
    state.backup_claims();
    let now = records::timestamp(ctx.now);
    let claims = state.claims_mut()?;
    let mut moved = Vec::new();
    let mut changes = Vec::new();
    claims.retain(|c| {
        let id = text(c, "work_item_id").unwrap_or("");
        let go = plan.archived.iter().any(|a| a == id);
        if go {
            moved.push(c.clone());
        }
        !go
    });
    for c in claims.iter_mut() {
        let id = text(c, "work_item_id").unwrap_or("").to_string();
        if plan.stale.iter().any(|(s, _)| *s == id) {
            let before = c.clone();
            records::merge(c, json!({"status": "stale", "stale_since": now}));
            changes.push(Change {
                kind: "claim",
                id,
                before: Some(before),
                after: Some(c.clone()),
            });
        }
    }
    for c in &moved {
        let id = text(c, "work_item_id").unwrap_or("").to_string();
        changes.push(Change {
            kind: "claim",
            id,
            before: Some(c.clone()),
            after: Some(json!({"archived_at": now})),
        });
    }
    state.archive(moved);
    for ch in changes {
        state.note(ch);
    }
    Ok(())
}
