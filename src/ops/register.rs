//! `register`: add an agent to a team, or replace its record.

use serde_json::Value;

use super::{OpContext, find_agent};
use crate::error::Result;
use crate::records;
use crate::store::State;
use crate::store::audit::Change;

/// A validated registration.
#[derive(Debug, Clone)]
pub struct Registration {
    pub agent_id: String,
    pub team: String,
    pub capacity: u64,
    pub specialization: String,
}

/// Register the agent: one record per agent id, moved to the end of the file
/// (callers read `.[-1]`); fields nexus does not know are carried over.
pub fn register(state: &mut dyn State, reg: &Registration, ctx: &OpContext) -> Result<Value> {
    let mut record = records::agent(
        &reg.agent_id,
        &reg.team,
        reg.capacity,
        &reg.specialization,
        ctx.now,
    );
    upsert_agent(state, &mut record)?;
    Ok(record)
}

/// Put `record` at the end of the agents, replacing any record of the same id.
pub fn upsert_agent(state: &mut dyn State, record: &mut Value) -> Result<()> {
    let id = records::text(record, "agent_id")
        .unwrap_or_default()
        .to_string();
    let before = match find_agent(state.agents()?, &id) {
        Some(i) => {
            let agents = state.agents_mut()?;
            let old = agents.remove(i);
            records::keep_unknown(record, &old);
            agents.push(record.clone());
            Some(old)
        }
        None => {
            state.add_agent(record.clone());
            None
        }
    };
    state.note(Change {
        kind: "agent",
        id,
        before,
        after: Some(record.clone()),
    });
    Ok(())
}
