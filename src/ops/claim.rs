//! `claim`: create a work item for an agent and enrol the agent in its team.

use serde_json::{Value, json};

use super::OpContext;
use crate::error::Result;
use crate::records::{self, NewClaim};
use crate::store::State;

/// A validated claim request.
#[derive(Debug, Clone)]
pub struct ClaimRequest {
    pub work_type: String,
    pub description: String,
    pub priority: String,
    pub team: String,
    pub agent_id: String,
    /// Whether the caller named its agent (else `agent_id` was made up for
    /// this call): a named agent's request id is its own.
    pub named: bool,
    /// The caller's id for this request: a repeat returns the first result.
    pub request_id: Option<String>,
    /// `--lease`: hold the new item under a lease of this length.
    pub lease: Option<chrono::Duration>,
}

/// What a claim did.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub work_id: String,
    pub record: Value,
    /// The agent's record after the claim.
    pub agent: Value,
}

/// Append a new active claim with a fresh unique id, and enrol the agent.
pub fn claim(state: &mut dyn State, req: &ClaimRequest, ctx: &OpContext) -> Result<Claimed> {
    if let Some(record) = super::earlier(
        state,
        super::Requested::Claim,
        Some(req.agent_id.as_str()).filter(|_| req.named),
        req.request_id.as_deref(),
    )? {
        let agent = state.agent(&req.agent_id)?.unwrap_or(Value::Null);
        let work_id = records::text(&record, "work_item_id")
            .unwrap_or("")
            .to_string();
        return Ok(Claimed {
            work_id,
            record,
            agent,
        });
    }
    let work_id = state.next_work_id(ctx.now_ns)?;
    let agent_id = if req.named {
        req.agent_id.clone()
    } else {
        unused_agent(state, &req.agent_id)?
    };
    let mut record = records::claim(&NewClaim {
        work_id: &work_id,
        agent_id: &agent_id,
        work_type: &req.work_type,
        priority: &req.priority,
        description: &req.description,
        team: &req.team,
        now: ctx.now,
        trace: &ctx.trace,
        service: &ctx.service_name,
    });
    if let Some(r) = &req.request_id {
        record["request_id"] = json!(r);
    }
    if let Some(ttl) = req.lease {
        super::lease::grant(&mut record, &agent_id, ttl, ctx.now);
    }
    state.insert_claim(record.clone());
    let agent = enrol(state, &agent_id, Some(&req.team), ctx)?;
    Ok(Claimed {
        work_id,
        record,
        agent,
    })
}

/// A made-up agent id (`agent_<clock nanoseconds>`) that no agent has yet:
/// two processes that read the clock at the same instant count up from it,
/// so each unnamed caller is an agent of its own.
fn unused_agent(state: &mut dyn State, id: &str) -> Result<String> {
    let Some(mut n) = id
        .strip_prefix("agent_")
        .and_then(|d| d.parse::<u128>().ok())
    else {
        return Ok(id.to_string());
    };
    for _ in 0..1000 {
        let candidate = format!("agent_{n}");
        if state.agent(&candidate)?.is_none() {
            return Ok(candidate);
        }
        n += 1;
    }
    Ok(id.to_string())
}

/// The agent takes one more item: a known agent keeps its capacity,
/// specialization and metrics, and gets `team` (when given), status active,
/// a fresh heartbeat and one more in its workload; an unknown one is
/// registered with the defaults. Returns the agent's record after.
pub fn enrol(
    state: &mut dyn State,
    agent_id: &str,
    team: Option<&str>,
    ctx: &OpContext,
) -> Result<Value> {
    let agent = match state.agent(agent_id)? {
        Some(mut known) => {
            let workload = records::number(&known, "current_workload").unwrap_or(0.0) as u64;
            let mut fields = json!({
                "status": "active",
                "current_workload": workload + 1,
                "last_heartbeat": records::timestamp(ctx.now),
            });
            if let Some(t) = team {
                fields["team"] = json!(t);
            }
            records::merge(&mut known, fields);
            known
        }
        None => {
            let team = team.unwrap_or(crate::records::DEFAULT_TEAM);
            let mut a = records::agent(agent_id, team, 100, "general_development", ctx.now);
            a["current_workload"] = json!(1);
            a
        }
    };
    state.put_agent(agent.clone(), false)?;
    Ok(agent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::tests::ctx;
    use crate::store::{MemStore, Store};

    #[test]
    fn claims_get_unique_ids_and_the_agent_its_workload() {
        let store = MemStore::default();
        let req = ClaimRequest {
            work_type: "bug".into(),
            description: "d".into(),
            priority: "high".into(),
            team: "t1".into(),
            agent_id: "a1".into(),
            named: true,
            request_id: None,
            lease: None,
        };
        let c = ctx();
        let first = store
            .update(&crate::store::Step::quiet("test", "t"), |st| {
                claim(st, &req, &c)
            })
            .unwrap();
        let second = store
            .update(&crate::store::Step::quiet("test", "t"), |st| {
                claim(st, &req, &c)
            })
            .unwrap();
        assert_ne!(first.work_id, second.work_id, "same nanosecond, new id");
        let s = store.state();
        assert_eq!(s.claims.len(), 2);
        assert_eq!(s.agents.len(), 1);
        assert_eq!(s.agents[0]["current_workload"], 2);
        assert_eq!(s.agents[0]["team"], "t1");
        assert_eq!(s.claims[1]["status"], "active");
        let again = ClaimRequest {
            named: true,
            request_id: Some("r1".into()),
            ..req
        };
        let a = store
            .update(&crate::store::Step::quiet("test", "t"), |st| {
                claim(st, &again, &c)
            })
            .unwrap();
        let b = store
            .update(&crate::store::Step::quiet("test", "t"), |st| {
                claim(st, &again, &c)
            })
            .unwrap();
        assert_eq!(a.work_id, b.work_id, "a retried request acts once");
        assert_eq!(store.state().claims.len(), 3);
    }

    #[test]
    fn unnamed_callers_that_read_the_same_instant_are_two_agents() {
        let store = MemStore::default();
        let req = ClaimRequest {
            work_type: "bug".into(),
            description: "d".into(),
            priority: "high".into(),
            team: "t1".into(),
            agent_id: "agent_1750000000000000000".into(),
            named: false,
            request_id: None,
            lease: None,
        };
        let c = ctx();
        let step = crate::store::Step::quiet("test", "t");
        let first = store.update(&step, |st| claim(st, &req, &c)).unwrap();
        let second = store.update(&step, |st| claim(st, &req, &c)).unwrap();
        assert_eq!(first.agent["agent_id"], "agent_1750000000000000000");
        assert_eq!(second.agent["agent_id"], "agent_1750000000000000001");
        assert_eq!(second.record["agent_id"], "agent_1750000000000000001");
        let s = store.state();
        assert_eq!(s.agents.len(), 2);
        assert!(s.agents.iter().all(|a| a["current_workload"] == 1));
    }
}
