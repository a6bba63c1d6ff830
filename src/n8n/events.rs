//! Coordination events posted to an n8n webhook (`N8N_WEBHOOK_URL`) after
//! claim, progress, complete and register. Delivery is bounded by its own
//! short timeout (NEXUS_N8N_EVENT_TIMEOUT_MS, not the API's) and never fails
//! the command; it carries the webhook auth, never the API key.

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
    /// The JSON body n8n receives; `work_item` is absent when the event is
    /// about no work item (`agent.registered`, `agent.heartbeat`).
    pub fn body(&self, trace_id: &str, timestamp: &str) -> Value {
        let mut body = json!({
            "event": self.kind,
            "source": "nexus",
            "timestamp": timestamp,
            "trace_id": trace_id,
            "agent_id": self.agent_id,
            "team": self.team,
        });
        if let Some(w) = &self.work_item {
            body["work_item"] = w.clone();
        }
        body
    }
}

/// Post `body` to N8N_WEBHOOK_URL if set. `None` when no webhook is
/// configured; otherwise whether delivery succeeded, with the reason if not.
pub fn deliver(n8n: &super::N8nSettings, body: &Value) -> Option<Result<(), String>> {
    let url = n8n.webhook_url.clone()?;
    let ms = n8n.event_timeout_ms.unwrap_or(DEFAULT_EVENT_TIMEOUT_MS);
    let shown = redact_url(&url);
    let auth = match super::webhook::auth(n8n.webhook_auth.as_deref()) {
        Ok(a) => a,
        Err(e) => return Some(Err(e.to_string())),
    };
    let req = client(Duration::from_millis(ms)).post(&url).json(body);
    Some(match super::webhook::with_auth(req, auth.as_ref()).send() {
        Ok(r) if r.status().is_success() => Ok(()),
        Ok(r) => Err(format!("{shown} answered {}", r.status())),
        Err(e) if e.is_timeout() => Err(format!("{shown} did not answer within {ms} ms")),
        Err(e) => Err(format!("cannot reach {shown}: {}", failure(&e))),
    })
}
