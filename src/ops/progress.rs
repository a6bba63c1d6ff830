//! `progress`: record how far a work item is.

use serde_json::{Value, json};

use super::{OpContext, find_open_claim};
use crate::error::{NexusError, Result};
use crate::input::Percent;
use crate::records;
use crate::store::State;

/// Set progress, status and last update of the claim `id`, and remember the
/// trace of this update in its telemetry, and renew its lease. A completed
/// item is closed, and one whose lease the caller lost refuses the update.
pub fn progress(
    state: &mut dyn State,
    id: &str,
    percent: &Percent,
    status: &str,
    proof: &super::lease::Proof,
    rid: Option<&str>,
    ctx: &OpContext,
) -> Result<Value> {
    if status == "completed" {
        return Err(NexusError::invalid(
            "status",
            status,
            "use `nexus complete` to complete an item (it credits the velocity once)",
        ));
    }
    let agent = proof.agent.as_deref();
    if let Some(done) = super::marked(state, id, "progress_request_id", rid, agent)? {
        return Ok(done);
    }
    let mut claim = find_open_claim(state, id)?;
    super::lease::check(&claim, proof)?;
    let mut telemetry = match claim.get("telemetry") {
        Some(t @ Value::Object(_)) => t.clone(),
        _ => records::empty(),
    };
    records::merge(
        &mut telemetry,
        json!({"last_progress_trace_id": ctx.trace.trace_id}),
    );
    records::merge(
        &mut claim,
        json!({
            "status": status,
            "progress": percent.to_json(),
            "last_update": records::timestamp(ctx.now),
            "telemetry": telemetry,
        }),
    );
    super::lease::renew(&mut claim, ctx.lease_ttl, ctx.now);
    super::mark(&mut claim, "progress_request_id", rid, agent);
    state.put_claim(claim.clone())?;
    Ok(claim)
}
