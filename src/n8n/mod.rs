//! n8n: the REST API client behind `nexus n8n`, and the coordination events
//! nexus posts to an n8n webhook.

pub mod client;
pub mod events;
pub mod import;
pub mod probe;
pub mod webhook;

pub use client::{N8nClient, N8nError};
pub use events::Event;

/// The n8n settings of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct N8nSettings {
    /// N8N_BASE_URL: the REST API.
    pub base_url: Option<String>,
    /// N8N_API_KEY.
    pub api_key: Option<String>,
    /// N8N_WEBHOOK_URL: where events are posted.
    pub webhook_url: Option<String>,
    /// N8N_WEBHOOK_AUTH: `header:<name>:<value>` or `basic:<user>:<password>`,
    /// what webhooks get (never the API key).
    pub webhook_auth: Option<String>,
    /// NEXUS_N8N_TIMEOUT_MS: the bound on one `nexus n8n` call.
    pub timeout_ms: Option<u64>,
    /// NEXUS_N8N_EVENT_TIMEOUT_MS: the bound on delivering one event.
    pub event_timeout_ms: Option<u64>,
}

impl N8nSettings {
    /// From the n8n variables looked up by `lookup`.
    pub fn from_vars(lookup: &dyn Fn(&str) -> Option<String>) -> N8nSettings {
        N8nSettings {
            base_url: lookup("N8N_BASE_URL"),
            api_key: lookup("N8N_API_KEY"),
            webhook_url: lookup("N8N_WEBHOOK_URL"),
            webhook_auth: lookup("N8N_WEBHOOK_AUTH"),
            timeout_ms: lookup("NEXUS_N8N_TIMEOUT_MS").and_then(|v| v.parse().ok()),
            event_timeout_ms: lookup("NEXUS_N8N_EVENT_TIMEOUT_MS").and_then(|v| v.parse().ok()),
        }
    }
}
