//! Operating a fleet: a backlog agents pull from (add, claim --next,
//! release), heartbeats, and the TTL cleanup that marks stale items and
//! archives old completed ones.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::claim::{Claimed, enrol};
use super::{OpContext, find_open_claim};
use crate::error::{NexusError, Result};
use crate::records::{self, NewClaim, is_active, text, time};
use crate::store::State;

/// A validated backlog item.
#[derive(Debug, Clone, Default)]
pub struct AddRequest {
    pub work_type: String,
    pub description: String,
    pub priority: String,
    pub team: String,
    /// The caller's id for this request: a repeat returns the first result.
    pub request_id: Option<String>,
    /// The items it waits on (`--depends-on`); each must exist.
    pub depends_on: Vec<String>,
}

/// Put an unclaimed item on the backlog (status `available`), waiting on
/// the items of `depends_on`.
pub fn add(state: &mut dyn State, req: &AddRequest, ctx: &OpContext) -> Result<Value> {
    if let Some(done) = super::earlier(
        state,
        super::Requested::Add,
        None,
        req.request_id.as_deref(),
    )? {
        return Ok(done);
    }
    let depends_on = super::graph::new_item_dependencies(state, &req.depends_on)?;
    let work_id = state.next_work_id(ctx.now_ns)?;
    let mut record = records::claim(&NewClaim {
        work_id: &work_id,
        agent_id: "",
        work_type: &req.work_type,
        priority: &req.priority,
        description: &req.description,
        team: &req.team,
        now: ctx.now,
        trace: &ctx.trace,
        service: &ctx.service_name,
    });
    records::merge(
        &mut record,
        json!({"agent_id": null, "claimed_at": null, "status": "available", "created_at": records::timestamp(ctx.now)}),
    );
    record["telemetry"]["operation"] = json!("s2s.work.add");
    if let Some(r) = &req.request_id {
        record["request_id"] = json!(r);
    }
    if !depends_on.is_empty() {
        record["depends_on"] = json!(depends_on);
    }
    state.insert_claim(record.clone());
    Ok(record)
}

/// Claim the highest-priority, oldest ready item (of `team`, if given) for
/// `agent`, under a lease of `ctx.lease_ttl`: an available item, or one whose
/// lease expired, and whose dependencies are all completed. Runs in one step,
/// so two agents never get the same item. A repeat of `request_id` returns
/// the item the first call took.
pub fn claim_next(
    state: &mut dyn State,
    agent: &str,
    team: Option<&str>,
    request: Option<(&str, bool)>,
    ctx: &OpContext,
) -> Result<Claimed> {
    // `request`: the request id, and whether the caller named its agent.
    let request_id = request.map(|(rid, _)| rid);
    let scope = Some(agent).filter(|_| request.is_some_and(|(_, named)| named));
    if let Some(record) = super::earlier(state, super::Requested::ClaimNext, scope, request_id)? {
        return Ok(Claimed {
            work_id: text(&record, "work_item_id").unwrap_or("").to_string(),
            agent: state.agent(agent)?.unwrap_or(Value::Null),
            record,
        });
    }
    let (first, waiting) = state.next_ready(team, ctx.now)?;
    let Some(mut record) = first else {
        let team = team.map(str::to_string);
        return Err(match waiting {
            0 => NexusError::NothingAvailable(team),
            _ => NexusError::NothingReady { team, waiting },
        });
    };
    let work_id = text(&record, "work_item_id")
        .unwrap_or_default()
        .to_string();
    let expired_holder = Some(record.clone())
        .filter(is_active)
        .and_then(|r| text(&r, "agent_id").map(str::to_string))
        .filter(|h| !h.is_empty());
    records::merge(
        &mut record,
        json!({"claimed_at": records::timestamp(ctx.now), "status": "active"}),
    );
    super::lease::grant(&mut record, agent, ctx.lease_ttl, ctx.now);
    if let Some(rid) = request_id {
        record["claim_request_id"] = json!(rid);
    }
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
    if let Some(old) = expired_holder {
        unload(state, &old)?;
    }
    let item_team = text(&record, "team").map(str::to_string);
    let agent_rec = match state.agent(agent)? {
        Some(_) => enrol(state, agent, None, ctx)?,
        None => enrol(state, agent, item_team.as_deref(), ctx)?,
    };
    Ok(Claimed {
        work_id,
        record,
        agent: agent_rec,
    })
}

/// One item less in the workload of `agent` (its lease was handed over).
fn unload(state: &mut dyn State, agent: &str) -> Result<()> {
    if let Some(mut a) = state.agent(agent)? {
        let load = records::number(&a, "current_workload").unwrap_or(0.0) as u64;
        if load > 0 {
            records::merge(&mut a, json!({"current_workload": load - 1}));
            state.put_agent(a, false)?;
        }
    }
    Ok(())
}

/// Put a claimed item back on the backlog (its holder, when it has a lease).
pub fn release(
    state: &mut dyn State,
    id: &str,
    proof: &super::lease::Proof,
    rid: Option<&str>,
    ctx: &OpContext,
) -> Result<Value> {
    let agent = proof.agent.as_deref();
    if let Some(done) = super::marked(state, id, "released_request_id", rid, agent)? {
        return Ok(done);
    }
    let mut record = find_open_claim(state, id)?;
    super::lease::check(&record, proof)?;
    if !is_active(&record) {
        return Err(NexusError::NotActive {
            id: id.to_string(),
            status: text(&record, "status").unwrap_or("unknown").to_string(),
        });
    }
    let holder = text(&record, "agent_id").map(str::to_string);
    records::merge(
        &mut record,
        json!({"status": "available", "agent_id": null, "released_at": records::timestamp(ctx.now)}),
    );
    super::lease::end(&mut record);
    super::mark(&mut record, "released_request_id", rid, agent);
    state.put_claim(record.clone())?;
    // The holder no longer carries the item.
    if let Some(holder) = holder {
        unload(state, &holder)?;
    }
    Ok(record)
}

/// Give the open item `id` the priority `level`; the item and the priority
/// it had. A completed item keeps the one it had.
pub fn set_priority(state: &mut dyn State, id: &str, level: &str) -> Result<(Value, String)> {
    let mut record = find_open_claim(state, id)?;
    let was = text(&record, "priority").unwrap_or("").to_string();
    if was != level {
        records::merge(&mut record, json!({"priority": level}));
        state.put_claim(record.clone())?;
    }
    Ok((record, was))
}

/// Record that `agent` is alive: fresh heartbeat, status active, and the
/// leases of the items it holds renewed.
pub fn heartbeat(state: &mut dyn State, agent: &str, ctx: &OpContext) -> Result<Value> {
    let Some(mut record) = state.agent(agent)? else {
        return Err(NexusError::UnknownAgent(agent.to_string()));
    };
    let held = state.claims_where(&|c| {
        is_active(c) && records::lease_generation(c).is_some() && text(c, "agent_id") == Some(agent)
    })?;
    for mut item in held {
        super::lease::renew(&mut item, ctx.lease_ttl, ctx.now);
        state.put_claim(item)?;
    }
    records::merge(
        &mut record,
        json!({"status": "active", "last_heartbeat": records::timestamp(ctx.now)}),
    );
    state.put_agent(record.clone(), false)?;
    Ok(record)
}

/// What a cleanup changes (or would change, in a dry run).
#[derive(Debug, Clone, Default)]
pub struct Cleanup {
    /// Items marked stale: (id, idle hours).
    pub stale: Vec<(String, i64)>,
    /// Completed items moved to the archive.
    pub archived: Vec<String>,
    /// Items whose lease ran out (id, holder, expired at): `claim --next`
    /// hands them to the next agent; shown, not changed.
    pub expired: Vec<(String, String, String)>,
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
        if records::lease_expired(c, now) {
            plan.expired.push((
                id.clone(),
                text(c, "agent_id").unwrap_or("").to_string(),
                text(c, "lease_expires_at").unwrap_or("").to_string(),
            ));
        }
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
    let claims = state.claims_where(&|_| true)?;
    let plan = plan_cleanup(&claims, ttl, archive_after, ctx.now);
    let now = records::timestamp(ctx.now);
    for c in &claims {
        let id = text(c, "work_item_id").unwrap_or("");
        if plan.stale.iter().any(|(s, _)| s == id) {
            let mut after = c.clone();
            records::merge(&mut after, json!({"status": "stale", "stale_since": now}));
            state.put_claim(after)?;
        }
    }
    if !plan.archived.is_empty() {
        state.archive(&plan.archived, &now)?;
    }
    Ok(plan)
}
