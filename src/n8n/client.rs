//! A small client for the n8n public REST API v1 and its webhooks.
//! Every call has a connect and a total timeout. The API key goes only to
//! `<base>/api/v1/...`; a webhook gets the webhook auth of
//! N8N_WEBHOOK_AUTH, if any, and never the API key (n8n keeps a webhook
//! request's headers in the execution, for anyone who can read it).

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::blocking::{Client, RequestBuilder};
use serde_json::Value;

use crate::redact::{redact_text, redact_url};

/// Default bound on one n8n API call.
pub const DEFAULT_API_TIMEOUT_MS: u64 = 10_000;

/// What went wrong talking to n8n, in words a person can act on.
#[derive(Debug, thiserror::Error)]
pub enum N8nError {
    #[error("N8N_BASE_URL is not set (e.g. export N8N_BASE_URL=http://localhost:5678)")]
    NoBaseUrl,
    #[error(
        "N8N_API_KEY is not set: the n8n API at {base} needs one (create it in n8n under Settings → n8n API)"
    )]
    NoApiKey { base: String },
    #[error("n8n at {base} refused the API key ({status}): check N8N_API_KEY")]
    Auth { base: String, status: u16 },
    #[error("{what} not found at {base}")]
    NotFound { what: String, base: String },
    #[error("webhook {path} not found at {base}: {said}")]
    NoWebhook {
        path: String,
        base: String,
        said: String,
    },
    #[error("webhook {path} at {base} refused the request ({status}): check N8N_WEBHOOK_AUTH")]
    WebhookAuth {
        path: String,
        base: String,
        status: u16,
    },
    #[error(
        "N8N_WEBHOOK_AUTH must be header:<name>:<value> or basic:<user>:<password> (value not shown)"
    )]
    BadWebhookAuth,
    #[error("cannot reach n8n at {base}: {reason}")]
    Unreachable { base: String, reason: String },
    #[error("n8n at {base} answered {status} for {path}: {body}")]
    Status {
        base: String,
        path: String,
        status: u16,
        body: String,
    },
    #[error("n8n at {base} sent an answer that is not JSON for {path}")]
    BadJson { base: String, path: String },
}

/// A configured n8n API client.
#[derive(Debug, Clone)]
pub struct N8nClient {
    /// The base URL as configured, for requests.
    url: String,
    /// The base URL with its credentials masked, for messages.
    base: String,
    api_key: Option<String>,
    /// N8N_WEBHOOK_AUTH, parsed when a webhook is called.
    webhook_auth: Option<String>,
    http: Client,
}

impl N8nClient {
    /// A client of the n8n at `base`; a base that ends in `/api/v1` (the
    /// API's own URL) is taken as the n8n it belongs to.
    pub fn new(base: &str, api_key: Option<String>, timeout: Duration) -> N8nClient {
        let trimmed = base.trim_end_matches('/');
        let url = trimmed
            .strip_suffix("/api/v1")
            .unwrap_or(trimmed)
            .trim_end_matches('/')
            .to_string();
        N8nClient {
            base: redact_url(&url),
            url,
            api_key,
            webhook_auth: None,
            http: crate::http::client(timeout),
        }
    }

    /// From the n8n settings (N8N_BASE_URL, N8N_API_KEY, N8N_WEBHOOK_AUTH,
    /// NEXUS_N8N_TIMEOUT_MS).
    pub fn from_settings(n8n: &super::N8nSettings) -> Result<N8nClient, N8nError> {
        let base = n8n.base_url.as_deref().ok_or(N8nError::NoBaseUrl)?;
        let ms = n8n.timeout_ms.unwrap_or(DEFAULT_API_TIMEOUT_MS);
        let mut client = N8nClient::new(base, n8n.api_key.clone(), Duration::from_millis(ms));
        client.webhook_auth = n8n.webhook_auth.clone();
        Ok(client)
    }

    /// The base URL as it may be shown (credentials masked).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Send `req` and read its answer. `webhook` is `Some(test)` for a
    /// webhook call, whose refusals and 404s mean other things than the API's.
    fn send(
        &self,
        req: RequestBuilder,
        path: &str,
        what: &str,
        webhook: Option<bool>,
    ) -> Result<Value, N8nError> {
        let resp = req.send().map_err(|e| N8nError::Unreachable {
            base: self.base.clone(),
            reason: crate::http::failure(&e),
        })?;
        let status = resp.status();
        let body = resp.text().unwrap_or_default();
        match (status, webhook) {
            (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN, None) => Err(N8nError::Auth {
                base: self.base.clone(),
                status: status.as_u16(),
            }),
            (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN, Some(_)) => {
                Err(N8nError::WebhookAuth {
                    path: path.to_string(),
                    base: self.base.clone(),
                    status: status.as_u16(),
                })
            }
            (StatusCode::NOT_FOUND, None) => Err(N8nError::NotFound {
                what: what.to_string(),
                base: self.base.clone(),
            }),
            (StatusCode::NOT_FOUND, Some(test)) => Err(N8nError::NoWebhook {
                path: path.to_string(),
                base: self.base.clone(),
                said: webhook_hint(&body, test),
            }),
            (s, _) if !s.is_success() => Err(N8nError::Status {
                base: self.base.clone(),
                path: path.to_string(),
                status: s.as_u16(),
                body: redact_text(&body.chars().take(200).collect::<String>()),
            }),
            _ if body.trim().is_empty() => Ok(Value::Null),
            _ => serde_json::from_str(&body).or_else(|_| Ok(Value::String(body))),
        }
    }

    fn api(
        &self,
        method: reqwest::Method,
        path: &str,
        what: &str,
        body: Option<&Value>,
    ) -> Result<Value, N8nError> {
        // Every API call needs the key: say so before touching the network.
        let Some(key) = &self.api_key else {
            return Err(N8nError::NoApiKey {
                base: self.base.clone(),
            });
        };
        let url = format!("{}/api/v1{path}", self.url);
        let mut req = self
            .http
            .request(method, &url)
            .header("Accept", "application/json")
            .header("X-N8N-API-KEY", key);
        if let Some(b) = body {
            req = req.json(b);
        }
        self.send(req, path, what, None)
    }

    /// Every workflow, following `nextCursor` pagination.
    pub fn list_workflows(&self) -> Result<Vec<Value>, N8nError> {
        self.pages("/workflows?limit=100", "the workflows endpoint", usize::MAX)
    }

    /// Every active workflow (with its nodes).
    pub fn active_workflows(&self) -> Result<Vec<Value>, N8nError> {
        self.pages(
            "/workflows?limit=100&active=true",
            "the workflows endpoint",
            usize::MAX,
        )
    }

    /// Up to `most` items of a listing, following its `nextCursor` pages;
    /// the cursor is sent URL-encoded (n8n's are base64, with `=` and `+`).
    fn pages(&self, first: &str, what: &str, most: usize) -> Result<Vec<Value>, N8nError> {
        let mut all = Vec::new();
        let mut path = first.to_string();
        loop {
            let page = self.api(reqwest::Method::GET, &path, what, None)?;
            let data =
                page.get("data")
                    .and_then(Value::as_array)
                    .ok_or_else(|| N8nError::BadJson {
                        base: self.base.clone(),
                        path: path.clone(),
                    })?;
            all.extend(data.iter().take(most - all.len()).cloned());
            match page.get("nextCursor").and_then(Value::as_str) {
                Some(c) if !c.is_empty() && all.len() < most && !data.is_empty() => {
                    path = format!("{first}&cursor={}", encode(c));
                }
                _ => return Ok(all),
            }
        }
    }

    /// Whether the key is accepted: the smallest listing there is.
    pub fn check_key(&self) -> Result<(), N8nError> {
        self.api(
            reqwest::Method::GET,
            "/workflows?limit=1",
            "the workflows endpoint",
            None,
        )
        .map(|_| ())
    }

    pub fn get_workflow(&self, id: &str) -> Result<Value, N8nError> {
        self.api(
            reqwest::Method::GET,
            &format!("/workflows/{id}"),
            &format!("workflow {id}"),
            None,
        )
    }

    pub fn create_workflow(&self, workflow: &Value) -> Result<Value, N8nError> {
        self.api(
            reqwest::Method::POST,
            "/workflows",
            "the workflows endpoint",
            Some(workflow),
        )
    }

    /// Give workflow `id` the tags named, creating those n8n lacks.
    pub fn set_tags(&self, id: &str, names: &[String]) -> Result<(), N8nError> {
        let known = self.pages("/tags?limit=100", "the tags endpoint", usize::MAX)?;
        let mut ids = Vec::new();
        for name in names {
            let found = known
                .iter()
                .find(|t| t.get("name").and_then(Value::as_str) == Some(name.as_str()))
                .cloned();
            let tag = match found {
                Some(t) => t,
                None => self.api(
                    reqwest::Method::POST,
                    "/tags",
                    "the tags endpoint",
                    Some(&serde_json::json!({ "name": name })),
                )?,
            };
            if let Some(t) = tag.get("id") {
                ids.push(serde_json::json!({ "id": t }));
            }
        }
        self.api(
            reqwest::Method::PUT,
            &format!("/workflows/{}/tags", encode(id)),
            &format!("workflow {id}"),
            Some(&Value::Array(ids)),
        )
        .map(|_| ())
    }

    /// Activate (`true`) or deactivate a workflow.
    pub fn set_active(&self, id: &str, active: bool) -> Result<Value, N8nError> {
        let action = if active { "activate" } else { "deactivate" };
        self.api(
            reqwest::Method::POST,
            &format!("/workflows/{id}/{action}"),
            &format!("workflow {id}"),
            None,
        )
    }

    /// The newest `limit` executions, newest first, over as many pages as
    /// that takes (n8n gives at most 250 a page).
    pub fn executions(
        &self,
        workflow: Option<&str>,
        status: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Value>, N8nError> {
        let mut path = format!("/executions?limit={}", limit.min(MAX_PAGE));
        if let Some(w) = workflow {
            path.push_str(&format!("&workflowId={}", encode(w)));
        }
        if let Some(s) = status {
            path.push_str(&format!("&status={}", encode(s)));
        }
        self.pages(&path, "the executions endpoint", limit as usize)
    }

    /// POST to a webhook: `<base>/webhook/<path>`, or `/webhook-test/` for
    /// test URLs, with the webhook auth and never the API key.
    pub fn trigger(&self, path: &str, test: bool, data: &Value) -> Result<Value, N8nError> {
        let prefix = if test { "webhook-test" } else { "webhook" };
        let path = format!("/{prefix}/{}", path.trim_start_matches('/'));
        let auth = super::webhook::auth(self.webhook_auth.as_deref())?;
        let req = self.http.post(format!("{}{path}", self.url)).json(data);
        let req = super::webhook::with_auth(req, auth.as_ref());
        self.send(req, &path, &format!("webhook {path}"), Some(test))
    }
}

/// What n8n said about a webhook it does not know (its message and hint,
/// e.g. to press "Execute workflow" before a test call), or what to do.
fn webhook_hint(body: &str, test: bool) -> String {
    let said: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let text = |k: &str| {
        said.get(k)
            .and_then(Value::as_str)
            .map(|s| crate::text::field(s.trim()).into_owned())
            .filter(|s| !s.is_empty())
    };
    let hint = text("hint").unwrap_or_else(|| {
        if test {
            "open the workflow in the n8n editor and press \"Execute workflow\", then call again (a test URL answers one call)".into()
        } else {
            "is the workflow active, with this path and method POST?".into()
        }
    });
    match text("message") {
        Some(m) => format!("{m} {hint}"),
        None => hint,
    }
}

/// Most items n8n gives in one page.
const MAX_PAGE: u32 = 250;

/// A query value percent-encoded: everything but `A-Z a-z 0-9 - . _ ~`.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
