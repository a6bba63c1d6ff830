//! The router: the API routes of [`super::api::routes`], the event stream,
//! MCP, health and metrics, behind one guard (tokens and scopes) and the
//! server's bounds (body size, time to answer, requests at once).

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{MatchedPath, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, post};
use futures_util::stream::Stream;
use serde_json::{Value, json};

use super::api::{self, Method};
use super::{MAX_BODY_BYTES, MAX_CONCURRENT, MAX_SUBSCRIBERS, REQUEST_TIMEOUT, Scope, Shared};
use crate::error::NexusError;

/// Every route of the server.
pub fn router(shared: Arc<Shared>, bound: SocketAddr) -> Router {
    let mut by_path: HashMap<&'static str, MethodRouter<Arc<Shared>>> = HashMap::new();
    for r in super::api::routes() {
        let handler = move |State(s): State<Arc<Shared>>,
                            path: Option<Path<HashMap<String, String>>>,
                            Query(q): Query<HashMap<String, String>>,
                            headers: HeaderMap,
                            body: Bytes| async move {
            let body = match parse_body(&body) {
                Ok(b) => b,
                Err(resp) => return resp,
            };
            let path = path.map(|p| p.0).unwrap_or_default();
            api::handle(s, r, path, q, headers, body).await
        };
        let m = by_path.remove(r.path).unwrap_or_default();
        let m = match r.method {
            Method::Get => m.merge(get(handler)),
            Method::Post => m.merge(post(handler)),
            Method::Delete => m.merge(delete(handler)),
        };
        by_path.insert(r.path, m);
    }
    let mut api = Router::new();
    for (path, m) in by_path {
        api = api.route(path, m);
    }
    let api = api
        .route("/api/v1/openapi.json", get(openapi))
        .route("/metrics", get(metrics))
        .route(
            "/healthz",
            get(|| async { axum::Json(json!({"ok": true})) }),
        )
        .route("/readyz", get(readyz))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ));
    Router::new()
        .merge(api)
        .merge(crate::web::router(
            Arc::clone(&shared) as Arc<dyn crate::web::Host>
        ))
        .route("/api/v1/events", get(events))
        .nest_service("/mcp", mcp(&shared, bound))
        .fallback(|| async {
            failure(
                StatusCode::NOT_FOUND,
                "not_found",
                "no such route: see /api/v1/openapi.json".into(),
            )
        })
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), guard))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            measured,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_BODY_BYTES,
        ))
        .layer(tower::limit::ConcurrencyLimitLayer::new(MAX_CONCURRENT))
        .with_state(shared)
}

/// A request body: empty is no body; anything else must be JSON.
#[allow(clippy::result_large_err)]
fn parse_body(body: &Bytes) -> Result<Option<Value>, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(body).map(Some).map_err(|e| {
        failure(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            format!(
                "invalid request body: {}",
                crate::text::line(&e.to_string())
            ),
        )
    })
}

fn failure(status: StatusCode, kind: &str, msg: String) -> Response {
    (
        status,
        axum::Json(json!({"ok": false, "error": msg, "kind": kind})),
    )
        .into_response()
}

/// Tokens and scopes: a read needs a read token (none on a loopback
/// address), a change a write token. The scope granted travels with the
/// request, for MCP's tools.
async fn guard(State(s): State<Arc<Shared>>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path == "/healthz" || path == "/readyz" || crate::web::open(req.method(), path) {
        return next.run(req).await;
    }
    let reading = matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    ) || path.starts_with("/mcp");
    let need = if reading { Scope::Read } else { Scope::Write };
    // A sign-in cookie this server no longer knows counts as none.
    let token = bearer(req.headers()).or_else(|| {
        crate::web::cookie_token(&req).filter(|t| s.tokens.current().scope_of(t).is_some())
    });
    let have = token
        .as_deref()
        .and_then(|t| s.tokens.current().scope_of(t));
    let granted = match (token.is_some(), have) {
        (true, None) => {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "the bearer token is not one this server knows",
            );
        }
        (_, Some(h)) => h,
        (false, None) if s.loopback && need == Scope::Read => Scope::Read,
        (false, None) => {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "a bearer token is required (nexus serve token create)",
            );
        }
    };
    if granted < need {
        return refuse(StatusCode::FORBIDDEN, "this change needs a write token");
    }
    if granted == Scope::Read {
        // MCP's tools that change state look for this.
        req.extensions_mut().insert(crate::mcp::ReadOnly);
    }
    next.run(req).await
}

fn refuse(status: StatusCode, why: &str) -> Response {
    let mut r = failure(
        status,
        if status == StatusCode::FORBIDDEN {
            "forbidden"
        } else {
            "unauthorized"
        },
        why.into(),
    );
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    r
}

/// The token of `Authorization: Bearer <token>`.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// Count and time every request by its route.
async fn measured(State(s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "other".to_string(), |m| m.as_str().to_string());
    let method = req.method().to_string();
    let start = Instant::now();
    let resp = next.run(req).await;
    s.metrics
        .request(&route, &method, resp.status().as_u16(), start.elapsed());
    resp
}

async fn openapi() -> Response {
    axum::Json(super::openapi::document()).into_response()
}

async fn metrics(State(s): State<Arc<Shared>>) -> Response {
    let shared = Arc::clone(&s);
    let text = tokio::task::spawn_blocking(move || {
        let totals = || super::metrics::Totals {
            subscribers: shared.hub.subscribers.load(Ordering::SeqCst),
            delivered: shared.hub.delivered.load(Ordering::SeqCst),
            state_reads: shared.memory.reads(),
        };
        // The work items from the pages' copy; none when it cannot be read.
        let counted = shared.with_store(|store| {
            shared.memory.with(store, |held| {
                Ok(shared.metrics.render(&held.snap.claims, totals()))
            })
        });
        counted.unwrap_or_else(|_| shared.metrics.render(&[], totals()))
    })
    .await
    .unwrap_or_default();
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

/// Ready: the store answers a read, and the file store's journal is not
/// damaged.
async fn readyz(State(s): State<Arc<Shared>>) -> Response {
    let shared = Arc::clone(&s);
    let answer = tokio::task::spawn_blocking(move || {
        shared.with_store(|store| {
            use crate::store::Store;
            store.snapshot().map(|_| ())?;
            store.journal_clean()
        })
    })
    .await
    .unwrap_or_else(|e| {
        Err(NexusError::io(
            "check",
            "the store",
            std::io::Error::other(e.to_string()),
        ))
    });
    match answer {
        Ok(()) => axum::Json(json!({"ok": true, "store": "reachable"})).into_response(),
        Err(e) => failure(
            StatusCode::SERVICE_UNAVAILABLE,
            e.kind(),
            crate::redact::redact_text(&e.to_string()),
        ),
    }
}

/// `GET /api/v1/events`: the numbered events as Server-Sent Events, after
/// `Last-Event-ID` or `?since=N`, else from now; `?team=T` filters.
async fn events(
    State(s): State<Arc<Shared>>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let given = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .or(q.get("since").map(String::as_str));
    let since = match given.map(|v| (v, v.trim().parse::<u64>())) {
        None => None,
        Some((_, Ok(n))) => Some(n),
        Some((v, Err(_))) => {
            return failure(
                StatusCode::BAD_REQUEST,
                "invalid_input",
                format!(
                    "invalid since '{}': must be a whole number",
                    crate::text::clip(v, 40)
                ),
            );
        }
    };
    if s.hub.subscribers.load(Ordering::SeqCst) >= MAX_SUBSCRIBERS {
        return failure(
            StatusCode::SERVICE_UNAVAILABLE,
            "too_many_subscribers",
            format!("at most {MAX_SUBSCRIBERS} event subscribers at once"),
        );
    }
    let team = q.get("team").cloned().filter(|t| !t.is_empty());
    let stream = subscription(s, since, team);
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15)))
        .into_response()
}

/// Counts a subscriber while its stream lives.
struct Subscribed(Arc<Shared>);

impl Drop for Subscribed {
    fn drop(&mut self) {
        self.0.hub.subscribers.fetch_sub(1, Ordering::SeqCst);
    }
}

fn subscription(
    s: Arc<Shared>,
    since: Option<u64>,
    team: Option<String>,
) -> impl Stream<Item = Result<axum::response::sse::Event, Infallible>> {
    use super::events::{dropped, sse};
    s.hub.subscribers.fetch_add(1, Ordering::SeqCst);
    let guard = Subscribed(Arc::clone(&s));
    async_stream(move |tx| async move {
        let _guard = guard;
        let from = since.unwrap_or_else(|| s.hub.last.load(Ordering::SeqCst));
        let (mut rx, replay) = s.hub.subscribe(from);
        let first: Vec<Arc<Value>> = match replay {
            Some(r) => r,
            None => {
                let shared = Arc::clone(&s);
                tokio::task::spawn_blocking(move || {
                    shared.with_store(|store| {
                        store
                            .event_feed(Some(from))
                            .and_then(|mut f| f.poll(store))
                            .unwrap_or_default()
                    })
                })
                .await
                .unwrap_or_default()
                .into_iter()
                .map(Arc::new)
                .collect()
            }
        };
        let mut last = from;
        let keep = |e: &Value| {
            team.as_deref()
                .is_none_or(|t| e["team"].as_str() == Some(t))
        };
        for e in first {
            let seq = e["seq"].as_u64().unwrap_or(0);
            if seq <= last {
                continue;
            }
            last = seq;
            if keep(&e) && tx.send(sse(&e)).await.is_err() {
                return;
            }
            s.hub.delivered.fetch_add(1, Ordering::Relaxed);
        }
        let mut stop = s.stop.clone();
        if *stop.borrow() {
            return;
        }
        loop {
            tokio::select! {
                got = rx.recv() => match got {
                    Ok(e) => {
                        let seq = e["seq"].as_u64().unwrap_or(0);
                        if seq <= last {
                            continue;
                        }
                        last = seq;
                        if keep(&e) {
                            if tx.send(sse(&e)).await.is_err() {
                                return;
                            }
                            s.hub.delivered.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        let _ = tx.send(dropped(last)).await;
                        return;
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                },
                changed = stop.changed() => {
                    if changed.is_err() || *stop.borrow() {
                        return;
                    }
                }
            }
        }
    })
}

/// A stream fed by a task through a small channel (the channel's bound is
/// what a slow client may hold up before the broadcast drops it).
fn async_stream<F, Fut>(f: F) -> impl Stream<Item = Result<axum::response::sse::Event, Infallible>>
where
    F: FnOnce(tokio::sync::mpsc::Sender<axum::response::sse::Event>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel(64);
    tokio::spawn(f(tx));
    futures_util::stream::unfold(
        rx,
        |mut rx| async move { rx.recv().await.map(|e| (Ok(e), rx)) },
    )
}

/// MCP over Streamable HTTP: the same tools as `nexus mcp`.
fn mcp(
    shared: &Arc<Shared>,
    bound: SocketAddr,
) -> rmcp::transport::streamable_http_server::StreamableHttpService<
    crate::mcp::Server,
    rmcp::transport::streamable_http_server::session::local::LocalSessionManager,
> {
    use rmcp::transport::streamable_http_server::{
        StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager,
    };
    let base = shared.base.clone();
    let lend: crate::mcp::Lend = {
        let shared = Arc::clone(shared);
        Arc::new(move |f: &mut dyn FnMut(&crate::store::AnyStore)| shared.with_store(f))
    };
    let mut config =
        StreamableHttpServerConfig::default().with_max_request_body_bytes(MAX_BODY_BYTES);
    config = if shared.loopback {
        config.with_allowed_hosts([
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "::1".to_string(),
            bound.to_string(),
            format!("localhost:{}", bound.port()),
        ])
    } else {
        // Tokens guard a server on another address; the Host it is reached
        // by is the operator's choice.
        config.disable_allowed_hosts()
    };
    StreamableHttpService::new(
        move || Ok(crate::mcp::Server::lent(base.clone(), Arc::clone(&lend))),
        Arc::new(LocalSessionManager::default()),
        config,
    )
}

/// The web pages' view of the server: its settings, stores and tokens.
impl crate::web::Host for Shared {
    fn base(&self) -> &crate::config::Config {
        &self.base
    }

    fn with_store_dyn(&self, f: &mut dyn FnMut(&crate::store::AnyStore)) {
        self.with_store(f);
    }

    fn memory(&self) -> &crate::web::Memory {
        &self.memory
    }

    fn access(&self, token: &str) -> Option<crate::web::Access> {
        self.tokens.current().scope_of(token).map(|s| match s {
            Scope::Read => crate::web::Access::Read,
            Scope::Write => crate::web::Access::Write,
        })
    }

    fn secure(&self) -> bool {
        self.tls
    }
}
