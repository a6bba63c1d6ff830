//! A small client for the n8n public REST API v1 and its webhooks.
//! Every call has a connect and a total timeout.

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
    http: Client,
}

impl N8nClient {
    pub fn new(base: &str, api_key: Option<String>, timeout: Duration) -> N8nClient {
        let url = base.trim_end_matches('/').to_string();
        N8nClient {
            base: redact_url(&url),
            url,
            api_key,
            http: crate::http::client(timeout),
        }
    }

    /// From the n8n settings (N8N_BASE_URL, N8N_API_KEY, NEXUS_N8N_TIMEOUT_MS).
    pub fn from_settings(n8n: &super::N8nSettings) -> Result<N8nClient, N8nError> {
        let base = n8n.base_url.as_deref().ok_or(N8nError::NoBaseUrl)?;
        let ms = n8n.timeout_ms.unwrap_or(DEFAULT_API_TIMEOUT_MS);
        Ok(N8nClient::new(
            base,
            n8n.api_key.clone(),
            Duration::from_millis(ms),
        ))
    }

    /// The base URL as it may be shown (credentials masked).
    pub fn base(&self) -> &str {
        &self.base
    }

    fn send(&self, req: RequestBuilder, path: &str, what: &str) -> Result<Value, N8nError> {
        let req = match &self.api_key {
            Some(k) => req.header("X-N8N-API-KEY", k),
            None => req,
        };
        let resp = req.send().map_err(|e| N8nError::Unreachable {
            base: self.base.clone(),
            reason: crate::http::failure(&e),
        })?;
        let status = resp.status();
        let body = resp.text().unwrap_or_default();
        match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Err(N8nError::Auth {
                base: self.base.clone(),
                status: status.as_u16(),
            }),
            StatusCode::NOT_FOUND => Err(N8nError::NotFound {
                what: what.to_string(),
                base: self.base.clone(),
            }),
            s if !s.is_success() => Err(N8nError::Status {
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
        if self.api_key.is_none() {
            return Err(N8nError::NoApiKey {
                base: self.base.clone(),
            });
        }
        let url = format!("{}/api/v1{path}", self.url);
        let mut req = self
            .http
            .request(method, &url)
            .header("Accept", "application/json");
        if let Some(b) = body {
            req = req.json(b);
        }
        self.send(req, path, what)
    }

    /// Every workflow, following `nextCursor` pagination.
    pub fn list_workflows(&self) -> Result<Vec<Value>, N8nError> {
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/workflows?limit=100&cursor={c}"),
                None => "/workflows?limit=100".to_string(),
            };
            let page = self.api(reqwest::Method::GET, &path, "the workflows endpoint", None)?;
            let data =
                page.get("data")
                    .and_then(Value::as_array)
                    .ok_or_else(|| N8nError::BadJson {
                        base: self.base.clone(),
                        path: path.clone(),
                    })?;
            all.extend(data.iter().cloned());
            match page.get("nextCursor").and_then(Value::as_str) {
                Some(c) if !c.is_empty() => cursor = Some(c.to_string()),
                _ => return Ok(all),
            }
        }
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

    pub fn executions(
        &self,
        workflow: Option<&str>,
        status: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Value>, N8nError> {
        let mut path = format!("/executions?limit={limit}");
        if let Some(w) = workflow {
            path.push_str(&format!("&workflowId={w}"));
        }
        if let Some(s) = status {
            path.push_str(&format!("&status={s}"));
        }
        let page = self.api(reqwest::Method::GET, &path, "the executions endpoint", None)?;
        Ok(page
            .get("data")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default())
    }

    /// POST to a webhook: `<base>/webhook/<path>`, or `/webhook-test/` for test URLs.
    pub fn trigger(&self, path: &str, test: bool, data: &Value) -> Result<Value, N8nError> {
        let prefix = if test { "webhook-test" } else { "webhook" };
        let path = format!("/{prefix}/{}", path.trim_start_matches('/'));
        let req = self.http.post(format!("{}{path}", self.url)).json(data);
        self.send(req, &path, &format!("webhook {path}"))
    }
}
