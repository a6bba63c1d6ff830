//! The mutations: pure functions over a [`State`](crate::store::State), a
//! clock and the trace context. They decide; the store writes; the edge prints.

pub mod claim;
pub mod complete;
pub mod fleet;
pub mod progress;
pub mod register;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::error::{NexusError, Result};
use crate::records::text;
use crate::store::State;
use crate::telemetry::TraceContext;

/// What every mutation knows about the moment it runs in.
#[derive(Debug, Clone)]
pub struct OpContext {
    pub now: DateTime<Utc>,
    /// Nanoseconds since the epoch, for new ids.
    pub now_ns: u128,
    pub trace: TraceContext,
    pub service_name: String,
}

/// The claim `id`, or the not-found error naming the file. A missing claims
/// file is reported as such first, as the legacy script does.
pub fn find_claim(state: &mut dyn State, id: &str) -> Result<Value> {
    if !state.claims_exist() {
        return Err(NexusError::ClaimsFileNotFound(state.claims_path()));
    }
    let path = state.claims_path();
    state.claim(id)?.ok_or(NexusError::WorkNotFound {
        id: id.to_string(),
        path,
    })
}

/// Position of the agent `id` among the agent records.
pub fn find_agent(agents: &[Value], id: &str) -> Option<usize> {
    agents.iter().position(|a| text(a, "agent_id") == Some(id))
}
