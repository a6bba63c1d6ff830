//! The command line: clap definitions, legacy positional arguments and aliases.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub mod assets;
pub mod help;
mod parse;
pub mod preflight;
mod run;
pub use crate::app::n8n_cmd::N8nCommand;
pub use crate::app::reads::AuditCommand;
pub use crate::app::store_cmd::StoreCommand;
pub use crate::app::traced::SpansCommand;
pub use crate::commands::dep::DepCommand;
pub use run::execute;

use crate::commands;

/// Coordinate a fleet of AI agents: claim work, report progress, complete it,
/// and watch the fleet. A drop-in replacement for coordination_helper.sh.
#[derive(Debug, Parser)]
#[command(
    name = "nexus",
    version,
    disable_help_subcommand = true,
    arg_required_else_help = true,
    after_help = "Run `nexus help` for the full command overview with examples.\n\
                  State lives in the coordination directory: --dir, else $COORDINATION_DIR, else the\n\
                  nearest ./coordination holding work_claims.json, else ./coordination."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes, before or after the subcommand.
#[derive(Debug, Args, Clone)]
pub struct Global {
    /// Coordination directory (overrides $COORDINATION_DIR)
    #[arg(long, global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Print one JSON object describing the result instead of the human lines
    #[arg(long, global = true)]
    pub json: bool,
    /// Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace
    #[arg(long, global = true)]
    pub print_traceparent: bool,
    /// Make a change safe to retry: a repeat with the same ID (same agent,
    /// same command) returns the first result instead of acting twice
    #[arg(long, global = true, value_name = "ID")]
    pub request_id: Option<String>,
    /// Prove this caller holds the item's lease by the generation `claim --next`
    /// handed it (for callers without a stable AGENT_ID)
    #[arg(long, global = true, value_name = "N")]
    pub lease_generation: Option<u64>,
    /// Keep the state in PostgreSQL (postgres://user@host:port/db) instead
    /// of the directory (overrides $NEXUS_STORE)
    #[arg(long, global = true, value_name = "URL")]
    pub store: Option<String>,
}

/// Each subcommand's arguments are defined only when it runs (or when help,
/// completions or man pages need them all): a command does not pay for
/// building the other sixty.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Claim a new work item for this agent ($AGENT_ID, else a new agent id)
    Claim(commands::claim::ClaimArgs),
    /// Put an unclaimed item on the backlog for agents to pull with `claim --next`
    Add(commands::add::AddArgs),
    /// Make items wait on others: `dep add ID --on OTHER`, `dep rm ID --on OTHER`
    Dep(commands::dep::DepArgs),
    /// The items `claim --next` would take, in claim order (priority, then age)
    Ready(commands::ready::ReadyArgs),
    /// The open items that wait on others, each with what it waits on
    Blocked(commands::blocked::BlockedArgs),
    /// Put a claimed item back on the backlog (status available)
    Release(commands::release::ReleaseArgs),
    /// Tell the fleet this agent is alive (updates last_heartbeat)
    Heartbeat(commands::heartbeat::HeartbeatArgs),
    /// Change an open item's priority: its place in the queue
    Priority(commands::priority::PriorityArgs),
    /// Print one line per change as it happens, from events.jsonl
    Watch(crate::app::watch::WatchArgs),
    /// Mark items idle past the TTL as stale and archive old completed items
    Cleanup(crate::app::changes::CleanupArgs),
    /// Check the coordination directory and the configured services
    Doctor(crate::app::doctor::DoctorArgs),
    /// Register an agent in a team (replaces its record if it exists)
    Register(crate::app::changes::RegisterArgs),
    /// List work items as a table (an array with --json)
    List(commands::list::ListArgs),
    /// Every field of one work item (archived ones too) and its audit history
    Show(commands::show::ShowArgs),
    /// Counts by status and team, velocity, stale and offline counts, mode
    Status(commands::status::StatusArgs),
    /// The agents: team, capacity, heartbeat age, active work and completions
    Agents(commands::agents::AgentsArgs),
    /// The audit trail: verify its hash chain or show its history
    Audit(crate::app::reads::AuditArgs),
    /// The mode in force and the features it turns on
    ///
    /// Example: NEXUS_MODE=staging nexus mode
    Mode,
    /// Report progress on a work item
    Progress(commands::progress::ProgressArgs),
    /// Complete a work item and credit velocity points to $AGENT_TEAM
    Complete(commands::complete::CompleteArgs),
    /// Show the dashboard: live on a terminal, the text report when piped
    Dashboard(crate::app::dashboard::DashboardArgs),
    /// Print a new nanosecond agent id: agent_<unix nanoseconds>
    ///
    /// Example: export AGENT_ID=$(nexus generate-id)
    GenerateId,
    /// Print the overview of every command, alias and variable
    Help(help::HelpArgs),
    /// PI planning: objectives and team capacity from the recorded velocity
    ///
    /// Example: nexus pi-planning
    PiPlanning,
    /// Scrum of scrums: per-team updates from the current work
    ///
    /// Example: nexus scrum-of-scrums
    ScrumOfScrums,
    /// Innovation and planning iteration: backlog of debt and stale work
    ///
    /// Example: nexus ip
    #[command(visible_alias = "ip")]
    InnovationPlanning,
    /// System demo: what was completed this PI and the ART metrics
    ///
    /// Example: nexus system-demo --json | jq .metrics.completion_points
    SystemDemo,
    /// Inspect and adapt: PI results, problems and improvement items
    ///
    /// Example: nexus ia
    #[command(visible_alias = "ia")]
    InspectAdapt,
    /// ART sync: risks, cross-team dependencies and health metrics
    ///
    /// Example: nexus art-sync
    ArtSync,
    /// Portfolio kanban: work grouped by flow state
    ///
    /// Example: nexus portfolio-kanban
    PortfolioKanban,
    /// Coach training: exercises built on the current state
    ///
    /// Example: nexus coach-training
    CoachTraining,
    /// Value stream mapping: lead times and flow efficiency
    ///
    /// Example: nexus vsm
    #[command(visible_alias = "vsm")]
    ValueStream,
    /// AI: priority buckets, stale items, bottlenecks and recommendations
    ///
    /// Uses the model of NEXUS_AI_PROVIDER (auto: Anthropic, OpenAI-compatible, the
    /// claude CLI) and falls back to an analysis computed from the files.
    /// Writes claude_priority_analysis.json and prints `Confidence: N%`.
    #[command(
        name = "claude-analyze-priorities",
        visible_alias = "claude-priorities"
    )]
    ClaudePriorities,
    /// AI: who should take stale or unassigned work (claude_optimization_results.json)
    #[command(
        name = "claude-optimize-assignments",
        visible_alias = "claude-optimize"
    )]
    ClaudeOptimize(crate::app::ai_cmd::ClaudeOptimizeArgs),
    /// AI: health score, alerts and recommendations (claude_health_analysis.json)
    ///
    /// Example: NEXUS_AI_PROVIDER=offline nexus claude-health
    #[command(name = "claude-health-analysis", visible_alias = "claude-health")]
    ClaudeHealth,
    /// AI: load and status of every team (claude_team_analysis.json)
    #[command(name = "claude-team-analysis", visible_alias = "claude-team")]
    ClaudeTeam(crate::app::ai_cmd::ClaudeTeamArgs),
    /// Show the latest saved AI analyses side by side
    ///
    /// Example: nexus intelligence
    #[command(name = "claude-dashboard", visible_alias = "intelligence")]
    ClaudeDashboard,
    /// Claim work with the team and priority the analysis suggests (when not given)
    #[command(name = "claim-intelligent", visible_alias = "claim-ai")]
    ClaimIntelligent(commands::claim::ClaimIntelligentArgs),
    /// Print a fresh insight every interval for a while
    #[command(name = "claude-stream", visible_alias = "stream")]
    ClaudeStream(crate::app::ai_cmd::ClaudeStreamArgs),
    /// Analyse JSON from stdin (a claims array or a state object) and print the result
    #[command(name = "claude-pipe", visible_alias = "pipe")]
    ClaudePipe(crate::app::ai_cmd::ClaudePipeArgs),
    /// Analyse a JSON file and write the result to another file
    #[command(name = "claude-enhanced", visible_alias = "enhanced")]
    ClaudeEnhanced(crate::app::ai_cmd::ClaudeEnhancedArgs),
    /// Manage n8n workflows over the n8n REST API ($N8N_BASE_URL, $N8N_API_KEY)
    N8n(crate::app::n8n_cmd::N8nArgs),
    /// Print shell completions: bash, zsh, fish, elvish or powershell
    Completions(assets::CompletionsArgs),
    /// Print the man page, or write every page (nexus.1, nexus-claim.1, …) to a directory
    Man(assets::ManArgs),
    /// Serve the coordinator over HTTP: JSON API, live events, MCP, metrics
    Serve(crate::serve::ServeArgs),
    /// Serve the Model Context Protocol on stdin/stdout, for agents without a shell
    #[command(long_about = help::MCP)]
    Mcp,
    /// Work with the recorded spans (telemetry_spans.jsonl)
    Spans(crate::app::traced::SpansArgs),
    /// Set up the PostgreSQL store and move state between it and a directory
    Store(crate::app::store_cmd::StoreArgs),
}

impl Command {
    /// Whether the command may ask an AI provider (and so needs a valid
    /// NEXUS_AI_PROVIDER).
    /// The Scrum-at-Scale ceremony reports.
    pub fn is_ceremony(&self) -> bool {
        matches!(
            self,
            Command::PiPlanning
                | Command::ScrumOfScrums
                | Command::InnovationPlanning
                | Command::SystemDemo
                | Command::InspectAdapt
                | Command::ArtSync
                | Command::PortfolioKanban
                | Command::CoachTraining
                | Command::ValueStream
        )
    }

    pub fn asks_a_model(&self) -> bool {
        matches!(
            self,
            Command::ClaudePriorities
                | Command::ClaudeOptimize(_)
                | Command::ClaudeHealth
                | Command::ClaudeTeam(_)
                | Command::ClaimIntelligent(_)
                | Command::ClaudeStream(_)
                | Command::ClaudePipe(_)
                | Command::ClaudeEnhanced(_)
        )
    }
}
