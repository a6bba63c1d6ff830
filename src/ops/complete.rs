//! `complete`: close a work item, log the completion and the team's velocity.

use serde_json::{Value, json};

use super::{OpContext, find_claim};
use crate::error::{NexusError, Result};
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
    /// The team credited in the velocity log.
    pub velocity_team: String,
}

/// What a completion did.
#[derive(Debug, Clone)]
pub struct Completed {
    pub record: Value,
    pub log_entry: Value,
}

/// Mark the claim completed, append the completion record and the velocity
/// line. Completing an item twice is refused and writes nothing.
pub fn complete(state: &mut dyn State, c: &Completion, ctx: &OpContext) -> Result<Completed> {
    let mut claim = find_claim(state, &c.work_id)?;
    if records::text(&claim, "status") == Some("completed") {
        let path = state.claims_path();
        return Err(NexusError::AlreadyCompleted {
            id: c.work_id.clone(),
            path,
        });
    }
    let agent = c
        .agent_id
        .clone()
        .or_else(|| records::text(&claim, "agent_id").map(str::to_string))
        .unwrap_or_else(|| format!("agent_{}", ctx.now_ns));
    let now = records::timestamp(ctx.now);
    records::merge(
        &mut claim,
        json!({"status": "completed", "completed_at": now, "result": c.result}),
    );
    state.put_claim(claim.clone())?;
    let record = claim;
    let log_entry = records::completion(&c.work_id, ctx.now, &agent, &c.result, c.points);
    state.add_completion(log_entry.clone())?;
    state.add_velocity_line(format!(
        "{now}: Team {} +{} velocity points\n",
        c.velocity_team, c.points
    ));
    Ok(Completed { record, log_entry })
}
