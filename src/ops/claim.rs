//! `claim`: create a work item for an agent and enrol the agent in its team.

use serde_json::{Value, json};

use super::{OpContext, find_agent};
use crate::error::Result;
use crate::records::{self, NewClaim};
use crate::store::State;

/// A heartbeat younger than this is not refreshed by a claim.
const FRESH_HEARTBEAT_SECS: i64 = 60;

/// A validated claim request.
#[derive(Debug, Clone)]
pub struct ClaimRequest {
    pub work_type: String,
    pub description: String,
    pub priority: String,
    pub team: String,
    pub agent_id: String,
}

/// What a claim did.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub work_id: String,
    pub record: Value,
    /// The agent's record after the claim.
    pub agent: Value,
}

/// Append a new active claim with a fresh unique id, and register the agent in
/// the claim's team. An agent already known keeps its capacity,
/// specialization and metrics; its team, status and heartbeat are refreshed.
pub fn claim(state: &mut dyn State, req: &ClaimRequest, ctx: &OpContext) -> Result<Claimed> {
    let work_id = state.next_work_id(ctx.now_ns)?;
    let record = records::claim(&NewClaim {
        work_id: &work_id,
        agent_id: &req.agent_id,
        work_type: &req.work_type,
        priority: &req.priority,
        description: &req.description,
        team: &req.team,
        now: ctx.now,
        trace: &ctx.trace,
        service: &ctx.service_name,
    });
    state.add_claim(record.clone());
    let agents = state.agents()?;
    let found = find_agent(agents, &req.agent_id);
    // An agent claiming again within a minute, in the same team, and already
    // the last record: its record would only change by seconds, so the agents
    // file is left as it is (agents that claim in a loop cost no rewrite).
    if let Some(i) = found.filter(|i| i + 1 == agents.len()) {
        let a = &agents[i];
        let fresh = records::time(a, "last_heartbeat")
            .is_some_and(|t| (ctx.now - t).num_seconds().abs() < FRESH_HEARTBEAT_SECS);
        if fresh
            && records::text(a, "team") == Some(&req.team)
            && records::text(a, "status") == Some("active")
        {
            return Ok(Claimed {
                work_id,
                record,
                agent: a.clone(),
            });
        }
    }
    let mut agent = match found {
        Some(i) => {
            let mut known = state.agents()?[i].clone();
            records::merge(
                &mut known,
                json!({
                    "team": req.team,
                    "status": "active",
                    "last_heartbeat": records::timestamp(ctx.now),
                }),
            );
            known
        }
        None => records::agent(
            &req.agent_id,
            &req.team,
            100,
            "general_development",
            ctx.now,
        ),
    };
    super::register::upsert_agent(state, &mut agent)?;
    Ok(Claimed {
        work_id,
        record,
        agent,
    })
}
