//! `complete`: close a work item, log the completion and the team's velocity.

use serde_json::{Value, json};

use super::{OpContext, find_open_claim};
use crate::error::Result;
use crate::records;
use crate::store::State;

/// A validated completion.
#[derive(Debug, Clone)]
pub struct Completion {
    pub work_id: String,
    pub result: String,
    pub points: u64,
    /// The completing agent (the claim's agent when AGENT_ID is unset).
    pub agent_id: Option<String>,
    /// The team credited with the velocity: `AGENT_TEAM` when set, else the
    /// item's own team.
    pub velocity_team: Option<String>,
    /// The caller's id for this request: a repeat returns the first result.
    pub request_id: Option<String>,
    /// How the caller proves it still holds the item's lease.
    pub proof: super::lease::Proof,
}

/// What a completion did.
#[derive(Debug, Clone)]
pub struct Completed {
    pub record: Value,
    pub log_entry: Value,
    /// The team credited (also in the log entry).
    pub team: String,
}

/// Mark the claim completed, append the completion record (naming the team
/// credited) and its velocity line, and count the task for its agent.
/// Completing an item twice is refused and writes nothing.
pub fn complete(state: &mut dyn State, c: &Completion, ctx: &OpContext) -> Result<Completed> {
    if let Some(rid) = &c.request_id {
        let claim = super::find_claim(state, &c.work_id)?;
        if records::text(&claim, "completed_request_id") == Some(rid) {
            return Ok(repeated(&claim, c));
        }
    }
    let mut claim = find_open_claim(state, &c.work_id)?;
    super::lease::check(&claim, &c.proof)?;
    let holder = records::text(&claim, "agent_id").map(str::to_string);
    let agent = c
        .agent_id
        .clone()
        .or_else(|| holder.clone())
        .unwrap_or_else(|| format!("agent_{}", ctx.now_ns));
    let team = c
        .velocity_team
        .clone()
        .or_else(|| records::text(&claim, "team").map(str::to_string))
        .unwrap_or_else(|| crate::records::DEFAULT_TEAM.to_string());
    let now = records::timestamp(ctx.now);
    records::merge(
        &mut claim,
        json!({"status": "completed", "completed_at": now, "result": c.result}),
    );
    if let Some(rid) = &c.request_id {
        claim["completed_request_id"] = json!(rid);
    }
    super::lease::end(&mut claim);
    state.put_claim(claim.clone())?;
    let log_entry = records::completion(&c.work_id, ctx.now, &agent, &c.result, c.points, &team);
    state.add_completion(log_entry.clone())?;
    if let Some(holder) = holder.filter(|h| !h.is_empty())
        && let Some(mut a) = state.agent(&holder)?
    {
        let done = records::number(&a, "current_workload").unwrap_or(0.0) as u64;
        let tasks = a["performance_metrics"]["tasks_completed"]
            .as_u64()
            .unwrap_or(0);
        records::merge(&mut a, json!({"current_workload": done.saturating_sub(1)}));
        if let Some(m) = a
            .get_mut("performance_metrics")
            .and_then(Value::as_object_mut)
        {
            m.insert("tasks_completed".into(), json!(tasks + 1));
        }
        state.put_agent(a, false)?;
    }
    Ok(Completed {
        record: claim,
        log_entry,
        team,
    })
}

/// What the first completion with this request id returned.
fn repeated(claim: &Value, c: &Completion) -> Completed {
    let team = c
        .velocity_team
        .clone()
        .or_else(|| records::text(claim, "team").map(str::to_string))
        .unwrap_or_else(|| crate::records::DEFAULT_TEAM.to_string());
    let agent = c
        .agent_id
        .clone()
        .or_else(|| records::text(claim, "agent_id").map(str::to_string))
        .unwrap_or_default();
    let mut log_entry = json!({
        "work_item_id": c.work_id,
        "completed_at": claim.get("completed_at"),
        "agent_id": agent,
        "result": claim.get("result"),
        "velocity_points": c.points,
        "team": team,
    });
    if log_entry["result"].is_null() {
        log_entry["result"] = json!(c.result);
    }
    Completed {
        record: claim.clone(),
        log_entry,
        team,
    }
}
