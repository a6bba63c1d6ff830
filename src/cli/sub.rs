//! The nested subcommands: `audit`, `spans` and `n8n`.

use std::path::PathBuf;

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the whole hash chain; names the first broken line
    ///
    /// Example: nexus audit verify
    Verify,
    /// Show the history, oldest first
    ///
    /// Example: nexus audit log --item work_1750000000000000000
    Log {
        /// Only this work item
        #[arg(long)]
        item: Option<String>,
        /// Only changes by this agent
        #[arg(long)]
        agent: Option<String>,
        /// Only changes after this: a time, a date, or an age (24h, 7d)
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SpansCommand {
    /// Send the spans of telemetry_spans.jsonl to the OTLP collector
    ///
    /// Uses OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT); legacy multi-line
    /// spans are read too, and spans that do not parse or lack valid ids are
    /// counted as skipped.
    /// Example: nexus spans export --since 24h
    Export {
        /// Only spans that started after this: a time, a date, or an age (90m, 24h, 7d)
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum N8nCommand {
    /// List every workflow: id, active, name
    ///
    /// Example: N8N_BASE_URL=http://localhost:5678 N8N_API_KEY=... nexus n8n list
    List,
    /// Print a workflow as pretty JSON, or write it to a file
    ///
    /// Example: nexus n8n export 7 -o route-claims.json
    Export {
        /// Workflow id
        id: String,
        /// Write to this file instead of stdout
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Create a workflow from a JSON file and print its new id
    ///
    /// Example: nexus n8n import examples/n8n/route-claims-by-priority.json
    Import {
        /// Workflow JSON (name, nodes, connections, settings)
        file: PathBuf,
    },
    /// Activate a workflow
    ///
    /// Example: nexus n8n activate 7
    Activate {
        /// Workflow id
        id: String,
    },
    /// Deactivate a workflow
    ///
    /// Example: nexus n8n deactivate 7
    Deactivate {
        /// Workflow id
        id: String,
    },
    /// List recent executions
    ///
    /// Example: nexus n8n executions --workflow 7 --status error --limit 5
    Executions {
        /// Only executions of this workflow
        #[arg(long, value_name = "ID")]
        workflow: Option<String>,
        /// success, error, waiting, running or canceled
        #[arg(long)]
        status: Option<String>,
        /// How many to show
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=250))]
        limit: u32,
    },
    /// POST JSON to a webhook: <base>/webhook/<path> (or /webhook-test/ with --test)
    ///
    /// Example: nexus n8n trigger nexus-events --data '{"event":"ping"}'
    Trigger {
        /// The webhook path configured in the workflow
        path: String,
        /// JSON body [default: {}]
        #[arg(long, conflicts_with = "data_file", value_name = "JSON")]
        data: Option<String>,
        /// Read the JSON body from a file
        #[arg(long, value_name = "FILE")]
        data_file: Option<PathBuf>,
        /// Use the test webhook URL of a workflow open in the editor
        #[arg(long)]
        test: bool,
    },
}
