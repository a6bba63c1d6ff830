//! The web pages of `nexus serve`: the fleet, the work items, one item, the
//! dependency graph, the agents, the telemetry, the AI analyses and the
//! event feed, rendered on the server with maud, so they work
//! with JavaScript off. With it on, vendored htmx and its SSE extension
//! follow `/api/v1/events` and fetch the changed part of the page again
//! when an event arrives (no polling).
//!
//! Safe by construction: maud escapes every value, [`shown`] makes bidi
//! controls and line separators visible, the Content-Security-Policy allows
//! scripts from this server only, and every change is a plain form checked
//! for its origin and a CSRF token ([`forms`]). Signing in (`/login`) keeps
//! the token in an HttpOnly, SameSite=Strict cookie.
//!
//! The pages read through the command handlers of [`crate::commands`] and
//! the figures of [`crate::report::metrics`]; the server that mounts them
//! supplies the stores and the tokens through [`Host`].

mod analysis;
mod assets;
mod charts;
mod forms;
mod graph;
mod kept;
mod layout;
mod pages;
mod rows;
mod state;
mod telemetry;
mod views;

use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;

use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::store::AnyStore;
pub use state::Memory;

/// What a token allows, as far as the pages care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// The server the pages are mounted in.
pub trait Host: Send + Sync + 'static {
    /// The settings the server started with.
    fn base(&self) -> &Config;
    /// Run `f` with a store of the server's pool.
    fn with_store_dyn(&self, f: &mut dyn FnMut(&AnyStore));
    /// The server's copy of the state in memory, for the pages that read
    /// all of it.
    fn memory(&self) -> &Memory;
    /// What `token` allows, if the server knows it.
    fn access(&self, token: &str) -> Option<Access>;
    /// Whether the server speaks HTTPS (the sign-in cookie is then `Secure`).
    fn secure(&self) -> bool {
        false
    }
}

/// The cookie that carries the token of a signed-in browser.
pub const COOKIE: &str = "nexus_token";

type Shared = Arc<dyn Host>;

/// The pages' routes, to merge into the server's router (inside its guard).
pub fn router<S: Clone + Send + Sync + 'static>(host: Shared) -> Router<S> {
    Router::new()
        .route("/", get(pages::fleet))
        .route("/work", get(pages::work).post(forms::add))
        .route("/work/{id}", get(pages::item))
        .route("/work/{id}/release", post(forms::release))
        .route("/work/{id}/priority", post(forms::priority))
        .route("/work/{id}/dependencies", post(forms::dep_add))
        .route("/work/{id}/dependencies/remove", post(forms::dep_rm))
        .route("/graph", get(graph::page_of))
        .route("/telemetry", get(telemetry::page_of))
        .route("/analysis", get(analysis::page_of).post(analysis::run))
        .route("/agents", get(pages::agents))
        .route("/events", get(pages::events))
        .route("/login", get(forms::login_page).post(forms::login))
        .route("/logout", post(forms::logout))
        .route("/assets/{name}", get(assets::serve))
        .layer(middleware::from_fn(secured))
        .with_state(host)
}

/// Paths the server's guard lets through without a token: signing in and
/// out (both check the request's origin) and the static files.
pub fn open(method: &Method, path: &str) -> bool {
    path.starts_with("/assets/")
        || path == "/login"
        || (path == "/logout" && method == Method::POST)
}

/// The token of the sign-in cookie, for the server's guard: for reads, and
/// for the pages' own forms (which check origin and CSRF token); never for
/// the JSON API's changes or MCP, which take bearer tokens only.
pub fn cookie_token(req: &Request) -> Option<String> {
    let path = req.uri().path();
    let reading = matches!(*req.method(), Method::GET | Method::HEAD);
    if path.starts_with("/mcp") || (!reading && path.starts_with("/api/")) {
        return None;
    }
    cookie(req.headers())
}

fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The Content-Security-Policy of every page: scripts, styles and requests
/// to this server only, no inline script, no framing.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
     connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

async fn secured(req: Request, next: Next) -> Response {
    let from_region = req
        .headers()
        .get("hx-source")
        .is_some_and(|v| v.as_bytes() == b"div#region");
    let rows = (req.headers().get(kept::HEADER))
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let mut resp = next.run(req).await;
    if from_region {
        resp = region_of(resp, &rows).await;
    }
    let h = resp.headers_mut();
    if !h.contains_key(header::CACHE_CONTROL) {
        // Pages show the state as it is now (and carry a CSRF token): never
        // kept, and what a refresh gets depends on what it says it shows.
        // The static files say otherwise for themselves.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(
            header::VARY,
            HeaderValue::from_static("HX-Source, X-Nexus-Rows"),
        );
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    resp
}

/// A page's answer cut to its live region, for a fetch the region made:
/// what the browser parses is then the region alone, without the rows it
/// named as shown (`rows`, see [`kept`]). Anything else (an error page, a
/// redirect, a page without a region) goes out whole.
async fn region_of(resp: Response, rows: &str) -> Response {
    let html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if resp.status() != StatusCode::OK || !html {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    // The pages are made whole in memory: this only collects them.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let span = std::str::from_utf8(&bytes)
        .ok()
        .and_then(layout::region_span);
    let Some(span) = span else {
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    let region = bytes.slice(span);
    let body = match std::str::from_utf8(&region)
        .ok()
        .and_then(|r| kept::mark(r, &kept::named(rows)))
    {
        Some(marked) => axum::body::Body::from(marked),
        None => axum::body::Body::from(region),
    };
    Response::from_parts(parts, body)
}

/// A text from the state as it is shown: bidi controls (U+202A..U+202E,
/// U+2066..U+2069) and line/paragraph separators written out visibly, so
/// hostile text cannot reorder or split what is around it. (maud escapes
/// the HTML.)
pub fn shown(s: &str) -> String {
    let hidden = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}');
    if !s.chars().any(hidden) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if hidden(c) {
                format!("<U+{:04X}>", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A JSON value as text for a cell: strings as they are, null as "".
pub fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => shown(s),
        other => shown(&other.to_string()),
    }
}

/// Run `f` with a store on the blocking pool, with the settings of a call
/// made now.
async fn reading<T: Send + 'static>(
    host: &Shared,
    f: impl FnOnce(&AnyStore, &Config) -> Result<T> + Send + 'static,
) -> Result<T> {
    let host = Arc::clone(host);
    tokio::task::spawn_blocking(move || {
        let cfg = crate::commands::Caller::default().request_settings(host.base(), None)?;
        let mut f = Some(f);
        let mut out = None;
        host.with_store_dyn(&mut |store| {
            if let Some(f) = f.take() {
                out = Some(f(store, &cfg));
            }
        });
        out.unwrap_or_else(|| Err(NexusError::invalid("store", "", "did not answer")))
    })
    .await
    .unwrap_or_else(|e| {
        Err(NexusError::io(
            "render",
            "a page",
            std::io::Error::other(e.to_string()),
        ))
    })
}

/// Run `f` on the blocking pool with the server's in-memory state brought
/// up to date, with the settings of a call made now.
async fn remembered<T: Send + 'static>(
    host: &Shared,
    f: impl FnOnce(&mut state::Held, &Config) -> Result<T> + Send + 'static,
) -> Result<T> {
    let memory_of = Arc::clone(host);
    reading(host, move |store, cfg| {
        memory_of.memory().with(store, |held| f(held, cfg))
    })
    .await
}

/// A command of the table run with JSON arguments; its JSON answer.
fn command(name: &str, args: Value, store: &AnyStore, cfg: &Config) -> Result<Value> {
    let entry = crate::commands::find(name)
        .ok_or_else(|| NexusError::invalid("command", name, "is not known"))?;
    (entry.call)(args, store, cfg).map(|o| o.json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_and_separators_are_written_out() {
        assert_eq!(shown("plain <b>"), "plain <b>");
        assert_eq!(
            shown("a\u{202E}b\u{2066}c\u{2028}d"),
            "a<U+202E>b<U+2066>c<U+2028>d"
        );
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; nexus_token=nxs_x ; b=2"),
        );
        assert_eq!(cookie(&h).as_deref(), Some("nxs_x"));
        assert_eq!(cookie(&HeaderMap::new()), None);
    }
}
