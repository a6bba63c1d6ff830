//! The JSON API, v1: each route runs a command of [`crate::commands::TABLE`]
//! with the CLI's argument types, validation and JSON objects. [`routes`]
//! is the one list the router and the OpenAPI document are made from.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::Shared;
use crate::commands::{Caller, Entry};
use crate::error::{NexusError, Result};
use crate::outcome::Outcome;

pub use crate::commands::Method;

/// One route: its method and path (`{id}` and `{other}` are path
/// parameters), the command it runs, and the status of a success.
#[derive(Debug)]
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    /// A command of the table, or `list`, `report`, `audit_verify`.
    pub command: &'static str,
    /// The command's argument each path parameter fills.
    pub params: &'static [(&'static str, &'static str)],
    pub created: bool,
    pub summary: &'static str,
}

/// The routes that are not one command's own: the paged list, the reports
/// and the audit check.
const READS: [Route; 3] = [
    Route {
        method: Method::Get,
        path: "/api/v1/work",
        command: "list",
        params: &[],
        created: false,
        summary: "Work items: filters status, team, agent, priority, q; page, per_page",
    },
    Route {
        method: Method::Get,
        path: "/api/v1/reports/{name}",
        command: "report",
        params: &[("name", "name")],
        created: false,
        summary: "A Scrum-at-Scale report or the dashboard",
    },
    Route {
        method: Method::Get,
        path: "/api/v1/audit/verify",
        command: "audit_verify",
        params: &[],
        created: false,
        summary: "Check the audit trail's hash chain",
    },
];

/// Every route of the API: the one list the router and the OpenAPI
/// document are made from. A command of the table declares its own route
/// (`Verb::HTTP`).
pub fn routes() -> &'static [Route] {
    static ROUTES: std::sync::LazyLock<Vec<Route>> = std::sync::LazyLock::new(|| {
        let own = crate::commands::TABLE.iter().filter_map(|e| {
            e.http.map(|h| Route {
                method: h.method,
                path: h.path,
                command: e.name,
                params: h.params,
                created: h.created,
                summary: e.about,
            })
        });
        let [list, report, audit] = READS;
        std::iter::once(list)
            .chain(own)
            .chain([report, audit])
            .collect()
    });
    &ROUTES
}

/// Run `route` with its path parameters, query and body.
pub async fn handle(
    shared: Arc<Shared>,
    route: &'static Route,
    path: HashMap<String, String>,
    query: HashMap<String, String>,
    headers: HeaderMap,
    body: Option<Value>,
) -> Response {
    let mut args = match body {
        Some(Value::Object(m)) => m,
        Some(Value::Null) | None => Map::new(),
        Some(other) => {
            return failure(&NexusError::invalid(
                "request body",
                &crate::text::clip(&other.to_string(), 40),
                "must be a JSON object",
            ));
        }
    };
    for (name, field) in route.params {
        if let Some(v) = path.get(*name) {
            args.insert((*field).into(), Value::String(v.clone()));
        }
    }
    query_args(route.command, query, &mut args);
    if route.method != Method::Get {
        if let Some(agent) = header(&headers, "x-agent-id") {
            args.entry("agent_id").or_insert(Value::String(agent));
        }
        if let Some(key) = header(&headers, "idempotency-key") {
            args.entry("request_id").or_insert(Value::String(key));
        }
    }
    let traceparent = header(&headers, "traceparent");
    let command = route.command;
    let started = std::time::Instant::now();
    let answer = tokio::task::spawn_blocking({
        let shared = Arc::clone(&shared);
        move || {
            run(
                &shared,
                command,
                Value::Object(args),
                traceparent.as_deref(),
            )
        }
    })
    .await
    .unwrap_or_else(|e| {
        Err(NexusError::io(
            "run",
            "a request",
            std::io::Error::other(e.to_string()),
        ))
    });
    if let Ok(out) = &answer
        && crate::commands::find(command).is_some_and(|e| e.mutates)
    {
        shared.metrics.commit(command, started.elapsed(), &out.json);
    }
    match answer {
        Ok(out) => {
            let status = if route.created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            (status, axum::Json(out.json)).into_response()
        }
        Err(e) => failure(&e),
    }
}

/// The query of a GET as the command's arguments: `page`/`per_page` become
/// `offset`/`limit`, `q` the text search; the rest are texts.
fn query_args(command: &str, query: HashMap<String, String>, args: &mut Map<String, Value>) {
    let number = |v: &str| {
        v.parse::<u64>()
            .map_or(Value::String(v.into()), Value::from)
    };
    let per_page = query.get("per_page").map_or(50, |p| p.parse().unwrap_or(0));
    for (k, v) in query {
        match (command, k.as_str()) {
            ("list", "page") => {
                let page: u64 = v.parse().unwrap_or(0);
                args.insert("offset".into(), json!(page.saturating_sub(1) * per_page));
            }
            ("list", "per_page") => {
                args.insert("limit".into(), number(&v));
            }
            ("list", "q") => {
                args.insert("search".into(), Value::String(v));
            }
            ("list", "offset" | "limit") => {
                args.insert(k, number(&v));
            }
            _ => {
                args.insert(k, Value::String(v));
            }
        }
    }
    if command == "list" {
        args.entry("limit").or_insert(json!(per_page));
    }
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .filter(|v| !v.is_empty())
}

/// Run one command with the settings of this request.
fn run(
    shared: &Shared,
    command: &str,
    mut args: Value,
    traceparent: Option<&str>,
) -> Result<Outcome> {
    let who = Caller::take(&mut args)?;
    let cfg = who.request_settings(&shared.base, traceparent)?;
    let entry: Option<&'static Entry> = crate::commands::find(command);
    if let Some(e) = entry.filter(|e| e.mutates) {
        // The command's own span (its step's) carries the caller's trace.
        return shared.with_store(|store| (e.call)(args, store, &cfg));
    }
    let started = std::time::Instant::now();
    let out = cfg.require_state().and_then(|()| {
        shared.with_store(|store| match (command, entry) {
            ("list", _) => super::from_copy::list(store, args, &shared.memory),
            ("report", _) => super::from_copy::report(store, &cfg, &args, &shared.memory),
            ("status", _) => super::from_copy::status(store, &cfg, args, &shared.memory),
            ("audit_verify", _) => {
                let verify = crate::app::reads::AuditCommand::Verify;
                crate::app::reads::audit(store, &cfg, &verify)
            }
            (_, Some(e)) => (e.call)(args, store, &cfg),
            (other, None) => Err(NexusError::invalid("command", other, "is not served")),
        })
    });
    read_span(&cfg, command, started, &out);
    out
}

/// A read is one span too, in the caller's trace when it sent one.
fn read_span(
    cfg: &crate::config::Config,
    command: &str,
    started: std::time::Instant,
    out: &Result<Outcome>,
) {
    use crate::telemetry::{Span, SpanStatus};
    if cfg.otlp.is_none() {
        return;
    }
    let mut span = Span::new(&cfg.trace, &format!("s2s.http.{command}"), cfg.now);
    span.attr("s2s.operation", command);
    if let Err(e) = out {
        span.status = SpanStatus::Error;
        span.attr("s2s.error", e.kind());
    }
    span.duration_ms = started.elapsed().as_millis() as u64;
    crate::app::traced::export(std::slice::from_ref(&span), cfg);
}

/// The HTTP status of an error.
pub fn status_of(e: &NexusError) -> StatusCode {
    match e.kind() {
        "invalid_input" | "usage" | "no_work_id" | "dependency_cycle" => StatusCode::BAD_REQUEST,
        "not_found" | "unknown_agent" | "unknown_dependency" => StatusCode::NOT_FOUND,
        "already_completed" | "not_active" | "lease_lost" | "not_lease_holder"
        | "file_lock_conflict" | "nothing_available" => StatusCode::CONFLICT,
        "database" | "no_state" => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An error as JSON: the CLI's message (credentials masked) and kind.
pub fn failure(e: &NexusError) -> Response {
    let msg = crate::redact::redact_text(&e.to_string());
    (
        status_of(e),
        axum::Json(json!({"ok": false, "error": msg, "kind": e.kind()})),
    )
        .into_response()
}
