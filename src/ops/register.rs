//! `register`: add an agent to a team, or replace its record.

use serde_json::Value;

use super::OpContext;
use crate::error::Result;
use crate::records;
use crate::store::State;

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
    if let Some(old) = state.agent(&reg.agent_id)? {
        records::keep_unknown(&mut record, &old);
    }
    state.put_agent(record.clone(), true)?;
    Ok(record)
}
