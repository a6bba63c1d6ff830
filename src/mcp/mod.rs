//! `nexus mcp`: the Model Context Protocol server on stdin/stdout.
//!
//! The protocol (handshake, revisions, framing) is rmcp's; this module only
//! maps tools to commands. Each tool call becomes the `cli::Command` the CLI
//! would build and runs through [`crate::app::execute`] on a blocking thread
//! (the store and webhook clients block, and blocking reqwest must never run
//! on the runtime), so every call is one locked step exactly as from the
//! shell. Stdout carries protocol messages only; logs go to stderr.

mod call;
mod tools;

use std::path::Path;
use std::sync::Arc;

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, Implementation, ServerCapabilities, ServerConfig};
use rmcp::service::ServerInitializeError;
use rmcp::{ErrorData, ServerHandler, ServiceExt, tool, tool_handler, tool_router};

use crate::app::Outcome;
use crate::cli::Command;
use crate::config::Config;
use crate::error::{NexusError, Result};
use call::Page;
use tools::{
    AddArgs, ClaimArgs, CompleteArgs, Identity, ListArgs, NextArgs, ProgressArgs, ReleaseArgs,
    WorkIdArgs, identity,
};

/// The long help of `nexus mcp`.
pub const HELP: &str =
    "Serve the Model Context Protocol on stdin/stdout, for agents without a shell

Tools: next, claim, progress, complete, release, add, show, list, status. Each
answers with the JSON that `nexus --json <command>` prints, and a one-line
summary; a failure is a tool error with the CLI's message. The coordination
directory (--dir, else $COORDINATION_DIR, ...) and $AGENT_ID are fixed at start;
a tool's agent_id argument overrides the agent for that call. The server names
its directory in the initialize instructions and exits when stdin closes.

Example: claude mcp add nexus -- nexus mcp --dir /path/to/coordination";

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
    let service = match server.serve(rmcp::transport::stdio()).await {
        Ok(s) => s,
        // The client went away before the handshake: nothing to serve.
        Err(ServerInitializeError::ConnectionClosed(_)) => return Ok(()),
        Err(e) => return Err(broken(e.to_string())),
    };
    service
        .waiting()
        .await
        .map(drop)
        .map_err(|e| broken(e.to_string()))
}

/// The MCP server: the start-up settings and the tool table.
#[derive(Clone)]
pub struct Server {
    base: Arc<Config>,
    tool_router: ToolRouter<Server>,
}

impl Server {
    pub fn new(cfg: Config) -> Server {
        Server {
            base: Arc::new(cfg),
            tool_router: Server::tool_router(),
        }
    }

    /// Run one call off the runtime thread.
    async fn call(
        &self,
        cmd: Command,
        who: Identity,
        page: Option<Page>,
    ) -> std::result::Result<CallToolResult, ErrorData> {
        let base = Arc::clone(&self.base);
        tokio::task::spawn_blocking(move || call::run(&base, &cmd, who, page))
            .await
            .map_err(|e| ErrorData::internal_error(format!("the tool call failed: {e}"), None))
    }
}

type Answer = std::result::Result<CallToolResult, ErrorData>;

#[tool_router]
impl Server {
    #[tool(description = "Claim the next backlog item (highest priority, then oldest).")]
    async fn next(&self, p: Parameters<NextArgs>) -> Answer {
        let who = identity(&p.0.agent_id, &p.0.request_id);
        self.call(p.0.command(), who, None).await
    }

    #[tool(description = "Create a work item and claim it.")]
    async fn claim(&self, p: Parameters<ClaimArgs>) -> Answer {
        let who = identity(&p.0.agent_id, &p.0.request_id);
        self.call(p.0.command(), who, None).await
    }

    #[tool(description = "Report progress on a work item.")]
    async fn progress(&self, p: Parameters<ProgressArgs>) -> Answer {
        let mut who = identity(&p.0.agent_id, &None);
        who.lease_generation = p.0.lease_generation;
        self.call(p.0.command(), who, None).await
    }

    #[tool(description = "Complete a work item; credits velocity points.")]
    async fn complete(&self, p: Parameters<CompleteArgs>) -> Answer {
        let mut who = identity(&p.0.agent_id, &p.0.request_id);
        who.lease_generation = p.0.lease_generation;
        self.call(p.0.command(), who, None).await
    }

    #[tool(description = "Put a claimed item back on the backlog.")]
    async fn release(&self, p: Parameters<ReleaseArgs>) -> Answer {
        let mut who = identity(&p.0.agent_id, &None);
        who.lease_generation = p.0.lease_generation;
        let cmd = Command::Release {
            work_id: p.0.work_id,
        };
        self.call(cmd, who, None).await
    }

    #[tool(description = "Add an unclaimed item to the backlog.")]
    async fn add(&self, p: Parameters<AddArgs>) -> Answer {
        let who = identity(&p.0.agent_id, &p.0.request_id);
        self.call(p.0.command(), who, None).await
    }

    #[tool(
        description = "One work item and its audit history.",
        annotations(read_only_hint = true)
    )]
    async fn show(&self, p: Parameters<WorkIdArgs>) -> Answer {
        let cmd = Command::Show {
            work_id: p.0.work_id,
        };
        self.call(cmd, Identity::default(), None).await
    }

    #[tool(
        description = "Work items, filtered, one page at a time.",
        annotations(read_only_hint = true)
    )]
    async fn list(&self, p: Parameters<ListArgs>) -> Answer {
        let page = Page {
            offset: p.0.offset,
            limit: p.0.limit,
        };
        self.call(p.0.command(), Identity::default(), Some(page))
            .await
    }

    #[tool(
        description = "Counts by status and team, velocity, stale items, offline agents.",
        annotations(read_only_hint = true)
    )]
    async fn status(&self) -> Answer {
        self.call(Command::Status, Identity::default(), None).await
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("nexus", env!("CARGO_PKG_VERSION")))
            .with_instructions(instructions(&self.base))
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
         Give claim, add and complete a request_id so a retry returns the first result.",
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
