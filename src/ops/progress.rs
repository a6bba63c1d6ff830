//! `progress`: record how far a work item is.

use serde_json::{Value, json};

use super::{OpContext, find_open_claim};
use crate::error::{NexusError, Result};
use crate::input::Percent;
use crate::records;
use crate::store::State;

/// Set progress, status and last update of the claim `id`, and remember the
/// trace of this update in its telemetry. A completed item is closed.
pub fn progress(
    state: &mut dyn State,
    id: &str,
    percent: Percent,
    status: &str,
    ctx: &OpContext,
) -> Result<Value> {
    if status == "completed" {
        return Err(NexusError::invalid(
            "status",
            status,
            "use `nexus complete` to complete an item (it credits the velocity once)",
        ));
    }
    let mut claim = find_open_claim(state, id)?;
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
    state.put_claim(claim.clone())?;
    Ok(claim)
}
