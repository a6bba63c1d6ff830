//! `nexus serve`: one long-lived process over the same state as the CLI,
//! with the JSON API ([`api`]), the live event stream ([`events`]), MCP
//! over Streamable HTTP at `/mcp`, `/healthz`, `/readyz` and `/metrics`.
//!
//! It owns nothing the CLI cannot do: every request runs a command's
//! handler through the same mutation runner, so the file lock, the journal
//! and PostgreSQL transactions stay the only way state changes, and CLI
//! processes keep working beside it. Handlers block, so they run on
//! tokio's blocking pool, all with the one store of the server (which
//! keeps a few PostgreSQL connections warm). Its steps commit in groups
//! ([`Group`](crate::store::Group)): requests arriving together share one
//! lock acquisition and one journal flush on the files, one transaction on
//! PostgreSQL, and each is answered once its step is durable.

pub mod api;
mod auth;
mod events;
mod from_copy;
mod http;
mod metrics;
pub mod openapi;
mod tls;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Subcommand};
use serde_json::json;

use crate::config::{Config, var};
use crate::error::{NexusError, Result};
use crate::outcome::Outcome;
use crate::store::AnyStore;
pub use auth::{Scope, TOKENS_FILE, TokenStore, Tokens};

/// Serve the coordinator over HTTP: the JSON API, live events, MCP, metrics
///
/// Listens on 127.0.0.1:7878 unless --listen says otherwise; reads need no
/// token on a loopback address, every change needs a write token (`nexus serve
/// token create --scope write`), and a non-loopback address needs tokens.
/// Stops on SIGINT or SIGTERM after the requests in flight.
/// Example: nexus serve --listen 127.0.0.1:7878
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(subcommand)]
    pub action: Option<ServeCommand>,
    /// Address to listen on (port 0: any free port, printed at start)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7878")]
    pub listen: String,
    /// Serve HTTPS with this certificate chain (PEM); needs --tls-key
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<std::path::PathBuf>,
    /// The private key of --tls-cert (PEM)
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum ServeCommand {
    /// Manage the API's bearer tokens
    Token {
        #[command(subcommand)]
        action: TokenCommand,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum TokenCommand {
    /// Make a token and print it once; only its hash is kept (api_tokens)
    ///
    /// Example: nexus serve token create --scope write
    Create {
        /// read: the API's reads and the event stream; write: changes too
        #[arg(long, value_parser = ["read", "write"])]
        scope: String,
    },
}

/// Bounds of the server.
pub const MAX_BODY_BYTES: usize = 1 << 20;
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
pub const MAX_CONCURRENT: usize = 512;
pub const MAX_SUBSCRIBERS: usize = 1000;
/// How long a shutdown waits for requests and streams in flight.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// PostgreSQL connections kept open between requests.
const POOL: usize = 16;

/// What every request shares.
pub struct Shared {
    pub base: Config,
    pub tokens: TokenStore,
    /// Whether the server listens on a loopback address only.
    pub loopback: bool,
    /// Whether it speaks HTTPS.
    pub tls: bool,
    /// The store every request uses (its steps committed in groups).
    store: AnyStore,
    pub hub: Arc<events::Hub>,
    /// The state in memory for the pages and the API's list.
    pub memory: crate::web::Memory,
    pub metrics: metrics::Metrics,
    pub stop: tokio::sync::watch::Receiver<bool>,
}

impl Shared {
    /// Run `f` with the server's store.
    pub fn with_store<T>(&self, f: impl FnOnce(&AnyStore) -> T) -> T {
        f(&self.store)
    }
}

/// `nexus serve` and `nexus serve token create`.
pub fn run(cfg: &Config, args: &ServeArgs) -> Result<Outcome> {
    if let Some(ServeCommand::Token {
        action: TokenCommand::Create { scope },
    }) = &args.action
    {
        return create_token(cfg, scope);
    }
    let addr: SocketAddr = args.listen.parse().map_err(|_| {
        NexusError::invalid(
            "listen",
            &args.listen,
            "expected an address like 127.0.0.1:7878",
        )
    })?;
    let tokens = TokenStore::open(&cfg.dir, var("NEXUS_API_TOKEN"))?;
    let loopback = addr.ip().is_loopback();
    if !loopback && tokens.current().is_empty() {
        return Err(NexusError::invalid(
            "listen",
            &args.listen,
            "is not a loopback address and no token is configured: run `nexus serve token create --scope write` (or set NEXUS_API_TOKEN) first",
        ));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(64)
        .build()
        .map_err(|e| NexusError::io("start the server for", &cfg.dir, e))?;
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(tls::config(cert, key)?),
        _ => None,
    };
    runtime.block_on(serve(cfg.clone(), addr, tokens, loopback, tls))?;
    Ok(Outcome::new(
        "🛑 STOPPED: nexus serve\n".into(),
        json!({"ok": true, "command": "serve", "stopped": true}),
    ))
}

fn create_token(cfg: &Config, scope: &str) -> Result<Outcome> {
    let scope = Scope::parse(scope)
        .ok_or_else(|| NexusError::invalid("scope", scope, "must be read or write"))?;
    if !cfg.dir.is_dir() {
        crate::store::create_dir(&cfg.dir)?;
    }
    let token = auth::create(&cfg.dir, scope, &crate::records::timestamp(cfg.now))?;
    Ok(Outcome::new(
        format!("{token}\n"),
        json!({"token": token, "scope": scope.name()}),
    ))
}

async fn serve(
    base: Config,
    addr: SocketAddr,
    tokens: TokenStore,
    loopback: bool,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| NexusError::io("listen on", addr.to_string(), e))?;
    let bound = listener
        .local_addr()
        .map_err(|e| NexusError::io("listen on", addr.to_string(), e))?;
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let store_name = base.open_store().name();
    let hub = {
        let (store, stop) = (base.open_store(), stop.clone());
        tokio::task::spawn_blocking(move || events::Hub::start(store, stop))
            .await
            .map_err(|e| {
                NexusError::io(
                    "start",
                    "the event reader",
                    std::io::Error::other(e.to_string()),
                )
            })?
    };
    let store = base
        .open_store()
        .grouped(&crate::store::Groups::default(), POOL);
    let shared = Arc::new(Shared {
        base,
        tokens,
        loopback,
        tls: tls.is_some(),
        store,
        hub,
        memory: crate::web::Memory::default(),
        metrics: metrics::Metrics::default(),
        stop: stop.clone(),
    });
    let app = http::router(Arc::clone(&shared), bound);
    // The pages' copy of the state is read now, while nobody waits for it,
    // rather than by the first page asked for (a first request that comes
    // meanwhile waits for this read instead of making its own).
    tokio::task::spawn_blocking({
        let shared = Arc::clone(&shared);
        move || {
            let warmed = shared.with_store(|store| shared.memory.with(store, |_| Ok(())));
            if let Err(e) = warmed {
                tracing::debug!("the pages' state is read on first use: {e}");
            }
        }
    });
    let scheme = if tls.is_some() { "https" } else { "http" };
    println!(
        "🌐 SERVING: {scheme}://{bound} for {store_name} ({})",
        if shared.tokens.current().is_empty() {
            "no tokens: reads open on loopback, changes refused"
        } else {
            "bearer tokens required for changes"
        }
    );
    use std::io::Write;
    let _ = std::io::stdout().flush();
    if let Some(tls) = tls {
        return tls::serve(listener, app, tls, stop_tx, bound).await;
    }
    let graceful = axum::serve(listener, app).with_graceful_shutdown(async move {
        shutdown_signal().await;
        let _ = stop_tx.send(true);
    });
    let mut stopped = stop;
    let bounded = async {
        // After the signal, in-flight requests get SHUTDOWN_GRACE to finish.
        let _ = stopped.wait_for(|s| *s).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        r = graceful => r.map_err(|e| NexusError::io("serve on", bound.to_string(), e)),
        () = bounded => Ok(()),
    }
}

pub(crate) async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut int), Ok(mut term)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = int.recv() => {}
        _ = term.recv() => {}
    }
}
