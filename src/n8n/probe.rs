//! `doctor`'s n8n checks. The API key is tried on the smallest listing
//! there is; the event webhook gets a CORS preflight (OPTIONS with an
//! `Origin`), which n8n answers from its table of registered webhooks
//! without starting a workflow: 204 when the path is registered, 404 when
//! not. Neither check sends the webhook a credential.

use std::time::Duration;

use super::{N8nClient, N8nError, N8nSettings};
use crate::redact::redact_url;

/// Longest a doctor check of n8n waits.
const MOST_MS: u64 = 3000;

/// A check's result: fine, or worth a warning; with what to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Ok(String),
    Warn(String),
}

/// The API at N8N_BASE_URL with N8N_API_KEY; `None` when no base URL is set.
pub fn api(n8n: &N8nSettings) -> Option<Verdict> {
    let base = n8n.base_url.as_deref()?;
    let ms = n8n
        .timeout_ms
        .unwrap_or(super::client::DEFAULT_API_TIMEOUT_MS)
        .min(MOST_MS);
    let client = N8nClient::new(base, n8n.api_key.clone(), Duration::from_millis(ms));
    let shown = client.base().to_string();
    Some(match client.check_key() {
        Ok(()) => Verdict::Ok(format!("{shown}: API key accepted")),
        Err(N8nError::NoApiKey { .. }) => Verdict::Warn(format!(
            "{shown}: N8N_API_KEY not set, so the API is unchecked and `nexus n8n` commands fail"
        )),
        Err(N8nError::NotFound { .. }) => Verdict::Warn(format!(
            "{shown}: no n8n API there (GET /api/v1/workflows answered 404); check N8N_BASE_URL and that n8n's public API is enabled"
        )),
        Err(e) => Verdict::Warn(e.to_string()),
    })
}

/// The event webhook at N8N_WEBHOOK_URL; `None` when it is not set.
pub fn webhook(n8n: &N8nSettings) -> Option<Verdict> {
    let url = n8n.webhook_url.as_deref()?;
    let shown = redact_url(url);
    let origin = match reqwest::Url::parse(url) {
        Ok(u) => u.origin().ascii_serialization(),
        Err(e) => {
            return Some(Verdict::Warn(format!(
                "{shown} is not a URL ({e}); check N8N_WEBHOOK_URL"
            )));
        }
    };
    let ms = n8n
        .event_timeout_ms
        .unwrap_or(super::events::DEFAULT_EVENT_TIMEOUT_MS)
        .min(MOST_MS);
    let sent = crate::http::client(Duration::from_millis(ms))
        .request(reqwest::Method::OPTIONS, url)
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .send();
    Some(match sent {
        Ok(r) if r.status().is_success() => Verdict::Ok(format!(
            "{shown} registered (a CORS preflight answered {}; no workflow started)",
            r.status().as_u16()
        )),
        Ok(r) if r.status() == reqwest::StatusCode::NOT_FOUND => Verdict::Warn(format!(
            "{shown} is not registered (404): activate the workflow whose Webhook node has this path and method POST, or check N8N_WEBHOOK_URL"
        )),
        Ok(r) => Verdict::Ok(format!(
            "{shown} reachable; delivery unchecked (it answered {} to a CORS preflight)",
            r.status().as_u16()
        )),
        Err(e) => Verdict::Warn(format!(
            "{shown} unreachable ({}); check N8N_WEBHOOK_URL",
            crate::http::failure(&e)
        )),
    })
}
