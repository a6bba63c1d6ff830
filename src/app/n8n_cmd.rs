//! `nexus n8n ...`: workflow management over the n8n REST API.

use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::Outcome;
use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::n8n::{N8nClient, import};
use crate::text::field;

/// Manage n8n workflows over the n8n REST API ($N8N_BASE_URL, $N8N_API_KEY)
#[derive(Debug, Args)]
pub struct N8nArgs {
    #[command(subcommand)]
    pub action: N8nCommand,
}

/// The `n8n` subcommands.
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
    /// Create a workflow from a JSON file, with its tags, and print its new id
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
        /// How many to show (n8n's pages are followed: up to 1000)
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1000))]
        limit: u32,
    },
    /// POST JSON to a webhook: <base>/webhook/<path> (or /webhook-test/ with --test),
    /// with N8N_WEBHOOK_AUTH and never the API key
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

fn read_json(path: &Path) -> Result<Value> {
    let bytes = std::fs::read(path).map_err(|e| NexusError::io("cannot read", path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| NexusError::Corrupt {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        msg: "not valid JSON".into(),
    })
}

/// A workflow's name as printed (n8n users wrote it: escaped, shortened).
fn name_of(w: &Value) -> String {
    field(w.get("name").and_then(Value::as_str).unwrap_or("")).into_owned()
}

/// A workflow's id as printed.
fn id_of(w: &Value) -> String {
    match w.get("id") {
        Some(Value::String(s)) => field(s).into_owned(),
        Some(v) => v.to_string(),
        None => "?".into(),
    }
}

/// Run `nexus n8n ...` against the configured n8n.
pub fn run(cfg: &Config, args: &N8nArgs) -> Result<Outcome> {
    let action = &args.action;
    let client = N8nClient::from_settings(&cfg.n8n)?;
    Ok(match action {
        N8nCommand::List => {
            let flows = client.list_workflows()?;
            let mut human = format!("{:<20} {:<7} NAME\n", "ID", "ACTIVE");
            for w in &flows {
                let active = w.get("active").and_then(Value::as_bool).unwrap_or(false);
                human.push_str(&format!("{:<20} {:<7} {}\n", id_of(w), active, name_of(w)));
            }
            human.push_str(&format!("{} workflows at {}\n", flows.len(), client.base()));
            Outcome::new(
                human,
                json!({"ok": true, "command": "n8n list", "workflows": flows}),
            )
        }
        N8nCommand::Export { id, output } => {
            let w = client.get_workflow(id)?;
            let pretty = serde_json::to_string_pretty(&w).unwrap_or_default() + "\n";
            match output {
                Some(path) => {
                    std::fs::write(path, &pretty)
                        .map_err(|e| NexusError::io("cannot write", path, e))?;
                    Outcome::new(
                        format!(
                            "💾 EXPORTED: workflow {id} ({}) to {}\n",
                            name_of(&w),
                            path.display()
                        ),
                        json!({"ok": true, "command": "n8n export", "id": id, "file": path}),
                    )
                }
                None => Outcome::new(
                    pretty,
                    json!({"ok": true, "command": "n8n export", "workflow": w}),
                ),
            }
        }
        N8nCommand::Import { file } => import(&client, file)?,
        N8nCommand::Activate { id } | N8nCommand::Deactivate { id } => {
            let on = matches!(action, N8nCommand::Activate { .. });
            let w = client.set_active(id, on)?;
            let verb = if on { "ACTIVATED" } else { "DEACTIVATED" };
            Outcome::new(
                format!("✅ {verb}: workflow {id} ({})\n", name_of(&w)),
                json!({"ok": true, "command": format!("n8n {}", verb.to_lowercase()), "id": id, "active": on}),
            )
        }
        N8nCommand::Executions {
            workflow,
            status,
            limit,
        } => {
            let runs = client.executions(workflow.as_deref(), status.as_deref(), *limit)?;
            if let (Some(w), true) = (workflow, runs.is_empty()) {
                // n8n lists nothing for an unknown workflow: say which it is.
                client.get_workflow(w)?;
            }
            let mut human = format!("{:<12} {:<18} {:<10} STARTED\n", "ID", "WORKFLOW", "STATUS");
            for r in &runs {
                let field = |k: &str| {
                    r.get(k)
                        .map(|v| v.as_str().map_or(v.to_string(), |s| field(s).into_owned()))
                        .unwrap_or_default()
                };
                human.push_str(&format!(
                    "{:<12} {:<18} {:<10} {}\n",
                    field("id"),
                    field("workflowId"),
                    field("status"),
                    field("startedAt")
                ));
            }
            Outcome::new(
                human,
                json!({"ok": true, "command": "n8n executions", "executions": runs}),
            )
        }
        N8nCommand::Trigger {
            path,
            data,
            data_file,
            test,
        } => {
            let body = match (data, data_file) {
                (Some(d), _) => serde_json::from_str(d).map_err(|e| {
                    NexusError::invalid("--data", d, format!("not valid JSON: {e}"))
                })?,
                (_, Some(f)) => read_json(f)?,
                _ => json!({}),
            };
            let answer = client.trigger(path, *test, &body)?;
            Outcome::new(
                format!(
                    "✅ TRIGGERED: {path}\n{}\n",
                    serde_json::to_string_pretty(&answer).unwrap_or_default()
                ),
                json!({"ok": true, "command": "n8n trigger", "path": path, "response": answer}),
            )
        }
    })
}

/// Create the workflow of `file`, attach its tags, and say what could not be
/// carried over and which of its webhooks an active workflow already serves.
fn import(client: &N8nClient, file: &Path) -> Result<Outcome> {
    let w = read_json(file)?;
    let obj = w
        .as_object()
        .ok_or_else(|| NexusError::NotAnArray(file.to_path_buf()))?;
    let plan = import::plan(obj);
    let mut warnings = Vec::new();
    if !import::webhook_paths(&plan.body).is_empty() {
        match client.active_workflows() {
            Ok(active) => {
                for (method, path, id, name) in import::clashes(&plan.body, &active) {
                    warnings.push(format!(
                        "webhook {method} /{} is already served by active workflow {} ({}): n8n activates one workflow per webhook path, so change the path in this copy's Webhook node before activating it",
                        field(&path), field(&id), field(&name)
                    ));
                }
            }
            Err(e) => warnings.push(format!(
                "webhook paths not checked against active workflows: {e}"
            )),
        }
    }
    let created = client.create_workflow(&plan.body)?;
    let id = id_of(&created);
    let raw_id = match created.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    let mut tagged = Vec::new();
    if !plan.tags.is_empty() {
        match client.set_tags(&raw_id, &plan.tags) {
            Ok(()) => tagged = plan.tags.clone(),
            Err(e) => warnings.push(format!("tags {} not kept: {e}", plan.tags.join(", "))),
        }
    }
    if !plan.dropped.is_empty() {
        warnings.push(format!(
            "not imported: {} (n8n's API creates workflows without them; add them in the editor)",
            plan.dropped.join(", ")
        ));
    }
    let mut human = format!("✅ IMPORTED: workflow {id} ({})\n", name_of(&created));
    if !tagged.is_empty() {
        let shown: Vec<String> = tagged.iter().map(|t| field(t).into_owned()).collect();
        human.push_str(&format!("  tags: {}\n", shown.join(", ")));
    }
    for w in &warnings {
        human.push_str(&format!("⚠️ {w}\n"));
    }
    Ok(Outcome::new(
        human,
        json!({"ok": true, "command": "n8n import", "id": created.get("id"), "workflow": created,
               "tags": tagged, "dropped": plan.dropped, "warnings": warnings}),
    ))
}
