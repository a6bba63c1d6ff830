//! Coordination events posted to an n8n webhook (`N8N_WEBHOOK_URL`) after
//! claim, progress, complete and register. Delivery is bounded by a short
//! timeout and never fails the command.

use std::time::Duration;

use serde_json::{Value, json};

use crate::http::{client, failure};
use crate::redact::redact_url;

/// Default bound on delivering one event.
pub const DEFAULT_EVENT_TIMEOUT_MS: u64 = 2000;

/// One event: what happened, to which item, by whom, under which trace.
#[derive(Debug, Clone)]
pub struct Event {
    /// `work.claimed`, `work.progress`, `work.completed`, `agent.registered`.
    pub kind: &'static str,
    pub work_item: Option<Value>,
    pub agent_id: Option<String>,
    pub team: Option<String>,
}

impl Event {
    /// The JSON body n8n receives.
    pub fn body(&self, trace_id: &str, timestamp: &str) -> Value {
        json!({
            "event": self.kind,
            "source": "nexus",
            "timestamp": timestamp,
            "trace_id": trace_id,
            "agent_id": self.agent_id,
            "team": self.team,
            "work_item": self.work_item,
        })
    }
}

/// Post `body` to N8N_WEBHOOK_URL if set. `None` when no webhook is
/// configured; otherwise whether delivery succeeded, with the reason if not.
pub fn deliver(n8n: &super::N8nSettings, body: &Value) -> Option<Result<(), String>> {
    let url = n8n.webhook_url.clone()?;
    let ms = n8n.timeout_ms.unwrap_or(DEFAULT_EVENT_TIMEOUT_MS);
    let shown = redact_url(&url);
    Some(
        match client(Duration::from_millis(ms))
            .post(&url)
            .json(body)
            .send()
        {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => Err(format!("{shown} answered {}", r.status())),
            Err(e) if e.is_timeout() => Err(format!("{shown} did not answer within {ms} ms")),
            Err(e) => Err(format!("cannot reach {shown}: {}", failure(&e))),
        },
    )
}
