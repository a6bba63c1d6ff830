//! `nexus mcp`: the Model Context Protocol server on stdin/stdout.
//!
//! The protocol (handshake, revisions, framing) is rmcp's; the tools are the
//! rows of [`crate::commands::TABLE`], with the argument types the CLI takes.
//! Each call runs its command's handler on a blocking thread
//! (the store and webhook clients block, and blocking reqwest must never run
//! on the runtime), so every call is one locked step exactly as from the
//! shell. Stdout carries protocol messages only; logs go to stderr.

mod call;
mod frame;

use std::path::Path;
use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool, ToolAnnotations,
};
use rmcp::service::{RequestContext, RoleServer, ServerInitializeError};
use rmcp::{ErrorData, ServerHandler, ServiceExt};
use serde_json::{Map, Value};

use crate::app::Outcome;
use crate::commands::{Caller, Entry, TABLE};
use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::store::AnyStore;

/// Serve until the client closes stdin.
pub fn serve(cfg: &Config) -> Result<Outcome> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| NexusError::io("start the MCP server for", &cfg.dir, e))?;
    runtime.block_on(run(Server::new(cfg.clone())))?;
    // Stdout belonged to the protocol: nothing more to print, even with --json.
    Ok(Outcome::new(String::new(), serde_json::Value::Null))
}

async fn run(server: Server) -> Result<()> {
    let dir = server.base.dir.clone();
    let broken =
        |e: String| NexusError::io("serve MCP on stdio for", &dir, std::io::Error::other(e));
    let (transport, pump) = frame::stdio();
    let service = match server.serve(transport).await {
        Ok(s) => s,
        // The client went away before the handshake: nothing to serve.
        Err(ServerInitializeError::ConnectionClosed(_)) => {
            pump.finish().await;
            return Ok(());
        }
        Err(e) => return Err(broken(e.to_string())),
    };
    let done = service.waiting().await;
    pump.finish().await;
    done.map(drop).map_err(|e| broken(e.to_string()))
}

/// Set on an HTTP request whose token allows reads only: the tools that
/// change state refuse it.
#[derive(Debug, Clone, Copy)]
pub struct ReadOnly;

/// Lends a call the store it runs on: `nexus serve` lends one of its own,
/// so that calls over the network are committed in groups with its API's.
pub type Lend = Arc<Lender>;

/// What lends a call its store: it runs the call on a store of its own.
pub type Lender = dyn Fn(&mut dyn FnMut(&AnyStore)) + Send + Sync;

/// The MCP server: the start-up settings; its tools are the command table.
#[derive(Clone)]
pub struct Server {
    base: Arc<Config>,
    /// Where calls get their store; each opens its own when `None`.
    lend: Option<Lend>,
}

impl Server {
    pub fn new(cfg: Config) -> Server {
        Server {
            base: Arc::new(cfg),
            lend: None,
        }
    }

    /// A server whose calls run on the stores `lend` lends.
    pub fn lent(cfg: Config, lend: Lend) -> Server {
        Server {
            base: Arc::new(cfg),
            lend: Some(lend),
        }
    }

    /// Run one call off the runtime thread; `http` is the call's
    /// `traceparent` header when it came over HTTP (a call over the network
    /// is in its own trace, not the server's).
    pub async fn call(
        &self,
        entry: &'static Entry,
        args: Value,
        http: Option<Option<String>>,
    ) -> rmcp::model::CallToolResult {
        let (base, lend) = (Arc::clone(&self.base), self.lend.clone());
        let run = move || call::run(&base, entry, args, http, lend.as_deref());
        match tokio::task::spawn_blocking(run).await {
            Ok(r) => r,
            Err(e) => call::failure(&NexusError::io(
                "run a tool call in",
                &self.base.dir,
                std::io::Error::other(e.to_string()),
            )),
        }
    }
}

/// The tool list: one tool per row of the command table, its input schema
/// the command's arguments plus, for the commands that change state, the
/// caller's agent, request id and lease generation.
pub fn tools() -> Vec<Tool> {
    let caller = schemars::schema_for!(Caller);
    TABLE
        .iter()
        .map(|e| {
            let mut schema = object((e.schema)());
            schema.shift_remove("$schema");
            schema.shift_remove("title");
            schema.shift_remove("description");
            if e.mutates
                && let (Some(Value::Object(props)), Some(Value::Object(more))) = (
                    schema.get_mut("properties"),
                    caller.get("properties").cloned(),
                )
            {
                props.extend(more);
            }
            compact(&mut schema);
            let tool = Tool::new(e.name, e.about, schema);
            if e.mutates {
                tool
            } else {
                tool.annotate(ToolAnnotations::new().read_only(true))
            }
        })
        .collect()
}

/// A schema as short as it can be and say the same to a model: an optional
/// property is one not in `required`, so `null` need not be a type, and
/// the integer formats add nothing.
fn compact(schema: &mut Map<String, Value>) {
    let Some(Value::Object(props)) = schema.get_mut("properties") else {
        return;
    };
    for p in props.values_mut() {
        let Value::Object(p) = p else { continue };
        if let Some(Value::Array(types)) = p.get("type") {
            let real: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
            if let [one] = real.as_slice() {
                let one = (*one).clone();
                p.insert("type".into(), one);
            }
        }
        p.shift_remove("format");
        if p.get("minimum") == Some(&Value::from(0)) {
            p.shift_remove("minimum");
        }
        if p.get("default").is_some_and(Value::is_null) {
            p.shift_remove("default");
        }
    }
}

fn object(schema: schemars::Schema) -> Map<String, Value> {
    match schema.to_value() {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("nexus", env!("CARGO_PKG_VERSION")))
            .with_instructions(instructions(&self.base))
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> std::result::Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> std::result::Result<CallToolResponse, ErrorData> {
        let Some(entry) = crate::commands::find(&request.name) else {
            return Err(ErrorData::invalid_params(
                format!("unknown tool '{}'", request.name),
                None,
            ));
        };
        let parts = context.extensions.get::<axum::http::request::Parts>();
        let read_only = parts.is_some_and(|p| p.extensions.get::<ReadOnly>().is_some());
        let http = parts.map(|p| {
            p.headers
                .get("traceparent")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        });
        if entry.mutates && read_only {
            return Ok(call::failure(&NexusError::invalid(
                "token",
                "read",
                format!("{} changes state: it needs a write token", entry.name),
            ))
            .into());
        }
        let args = Value::Object(request.arguments.unwrap_or_default());
        Ok(self.call(entry, args, http).await.into())
    }
}

/// What a client shows its model at the start: the directory served (so a
/// wrong workspace shows at once), the agent, and how to retry safely.
fn instructions(cfg: &Config) -> String {
    let agent = match &cfg.agent_id {
        Some(a) => format!("Agent: {a} (AGENT_ID); pass agent_id to act as another."),
        None => "No AGENT_ID: pass agent_id, or each claim registers a new agent.".to_string(),
    };
    let fresh = if cfg.dir.is_dir() {
        ""
    } else {
        " (it does not exist yet: claim and add create it)"
    };
    format!(
        "nexus work coordination for the directory {}{fresh}. {agent} \
         Results are the JSON of `nexus --json <command>`. \
         Give each change a request_id so a retry returns the first result.",
        shown(&cfg.dir)
    )
}

/// The directory as an absolute path (a relative one says little to a client).
fn shown(dir: &Path) -> String {
    std::path::absolute(dir)
        .unwrap_or_else(|_| dir.to_path_buf())
        .display()
        .to_string()
}
