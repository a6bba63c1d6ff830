//! `nexus help`: the overview of every command and alias, grouped the way the
//! legacy helper grouped them, so callers that grep it keep working. The
//! command lines come from the clap definition in `cli`, so a new command
//! shows up here by itself (in "Other Commands" until it is given a group).

use crate::commands::HelpGroup;
use clap::{Arg, ArgAction, CommandFactory};

use crate::cli::Cli;

/// The groups of the overview, in order, and the commands in each.
/// The groups of `nexus help`: a title, the group the command table's
/// commands name (`Verb::GROUP`; they come first, in table order), and the
/// other commands of the group.
const GROUPS: &[(&str, Option<HelpGroup>, &[&str])] = &[
    (
        "🎯 Work Management Commands:",
        Some(HelpGroup::Work),
        &["register", "generate-id", "cleanup", "dep"],
    ),
    (
        "🔎 Fleet Views and Checks:",
        Some(HelpGroup::Views),
        &["watch", "audit", "mode", "doctor"],
    ),
    (
        "📊 Scrum at Scale Commands:",
        None,
        &[
            "dashboard",
            "pi-planning",
            "scrum-of-scrums",
            "innovation-planning",
            "system-demo",
            "inspect-adapt",
            "art-sync",
            "portfolio-kanban",
            "coach-training",
            "value-stream",
        ],
    ),
    (
        "🧠 AI Analysis Commands (a model when configured, else computed from the files):",
        None,
        &[
            "claude-analyze-priorities",
            "claude-optimize-assignments",
            "claude-health-analysis",
            "claude-team-analysis",
            "claude-dashboard",
            "claim-intelligent",
            "claude-stream",
            "claude-pipe",
            "claude-enhanced",
        ],
    ),
    ("🔌 Integrations:", None, &["serve", "mcp", "n8n", "spans"]),
    (
        "🔧 Utility Commands:",
        None,
        &["help", "completions", "man", "store"],
    ),
];

/// Width of the command column.
const COLUMN: usize = 52;

/// The overview text.
/// The commands of a group: the table's that name it, then its own list.
fn names_of(g: &(&str, Option<HelpGroup>, &[&'static str])) -> Vec<&'static str> {
    let table = crate::commands::TABLE
        .iter()
        .filter(|e| e.group.is_some() && e.group == g.1)
        .map(|e| e.name);
    table.chain(g.2.iter().copied()).collect()
}

pub fn overview() -> String {
    // Built, so that every subcommand's (deferred) arguments are defined.
    let mut cli = Cli::command();
    cli.build();
    let mut out = format!(
        "🤖 SCRUM AT SCALE AGENT COORDINATION HELPER (nexus {version})
Usage: nexus [--dir DIR] [--json] <command> [args...]
",
        version = env!("CARGO_PKG_VERSION")
    );
    let grouped: Vec<&str> = GROUPS.iter().flat_map(|g| names_of(g)).collect();
    let mut groups: Vec<(&str, Vec<&clap::Command>)> = GROUPS
        .iter()
        .map(|g| {
            let cmds = names_of(g)
                .into_iter()
                .filter_map(|n| cli.get_subcommands().find(|c| c.get_name() == n))
                .collect();
            (g.0, cmds)
        })
        .collect();
    let others: Vec<&clap::Command> = cli
        .get_subcommands()
        .filter(|c| !grouped.contains(&c.get_name()))
        .collect();
    if !others.is_empty() {
        groups.push(("🧩 Other Commands:", others));
    }
    for (title, cmds) in groups {
        out.push_str(&format!("\n{title}\n"));
        for cmd in cmds {
            out.push_str(&line(&synopsis(cmd), &summary(cmd)));
            if cmd.get_name() == "help" {
                out.push_str(&line(
                    "<command> --help",
                    "Arguments, defaults and an example",
                ));
            }
        }
    }
    out.push_str(
        "
Defaults: an empty argument (\"\") means the default. priority=medium,
team=autonomous_team, status=in_progress, result=success, velocity_points=5,
capacity=100, specialization=general_development.

Examples:
  id=$(nexus claim bug_fix \"Fix login timeout\" high | grep -o 'work_[0-9]*' | head -1)
  nexus progress \"$id\" 50
  nexus complete \"$id\" success 8
  nexus --json claim feature \"Add export\" | jq -r .work_item_id

Environment Variables:
  COORDINATION_DIR        Coordination directory (after --dir)
  AGENT_ID                This agent's id (claim, complete)
  AGENT_TEAM              Team credited with velocity on complete
  CURRENT_WORK_ITEM       Default work id of progress and complete
  FORCE_TRACE_ID, COORDINATION_TRACE_ID, TRACE_ID, OTEL_TRACE_ID, TRACEPARENT
                          Trace id to use, in that order; else a random one
  OTEL_PARENT_SPAN_ID     Parent span of this command's span
  OTEL_SERVICE_NAME       Service name in spans (default s2s-coordination)
  NEXUS_LOCK_TIMEOUT_MS   How long to wait for the lock (default 5000)
  NEXUS_MODE              development, staging or production
  DEPLOYMENT_ENV          Label of spans (deployment.environment) only
  OTEL_EXPORTER_OTLP_ENDPOINT  Export spans over OTLP/HTTP (see README)
  NEXUS_AI_PROVIDER       auto, anthropic, openai, claude-cli or offline
  N8N_BASE_URL, N8N_API_KEY, N8N_WEBHOOK_URL   n8n API and event webhook

Exit codes: 0 success, 1 failure (error or lock conflict), 2 usage error,
3 outcome unknown (PostgreSQL: retry with the same --request-id).
",
    );
    out
}

/// One command line of the overview: the synopsis, then the summary in its
/// column (on the next line when the synopsis is too long).
fn line(synopsis: &str, summary: &str) -> String {
    let width = synopsis.chars().count();
    if width < COLUMN {
        format!("  {synopsis}{}{summary}\n", " ".repeat(COLUMN - width))
    } else {
        format!("  {synopsis}\n  {}{summary}\n", " ".repeat(COLUMN))
    }
}

/// `name | alias <arg> [arg] [--flag VALUE]`, or `name a|b|c` for a command
/// with subcommands.
fn synopsis(cmd: &clap::Command) -> String {
    // claim's two forms cannot be read off clap (required unless --next).
    if cmd.get_name() == "claim" {
        return "claim <work_type> <description> [priority] [team]  |  claim --next [--team TEAM]"
            .into();
    }
    let mut s = cmd.get_name().to_string();
    for alias in cmd.get_visible_aliases() {
        s.push_str(&format!(" | {alias}"));
    }
    let subs: Vec<&str> = cmd.get_subcommands().map(clap::Command::get_name).collect();
    if !subs.is_empty() {
        s.push_str(&format!(" {}", subs.join("|")));
        return s;
    }
    for arg in cmd.get_positionals() {
        s.push(' ');
        s.push_str(&positional(arg));
    }
    for arg in cmd
        .get_arguments()
        .filter(|a| !a.is_positional() && !a.is_global_set() && !a.is_hide_set())
    {
        let Some(long) = arg.get_long() else { continue };
        if long == "help" || long == "version" {
            continue;
        }
        if is_flag(arg) {
            s.push_str(&format!(" [--{long}]"));
        } else {
            let value = arg
                .get_value_names()
                .and_then(|v| v.first())
                .map_or_else(|| long.to_uppercase(), ToString::to_string);
            s.push_str(&format!(" [--{long} {value}]"));
        }
    }
    s
}

fn is_flag(arg: &Arg) -> bool {
    matches!(arg.get_action(), ArgAction::SetTrue | ArgAction::SetFalse)
}

/// `<name>` when required, `[name]` when not; an argument taking several
/// values shows its help text, which spells out the legacy positions.
fn positional(arg: &Arg) -> String {
    let name = arg.get_id().as_str();
    let many = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
    if many && let Some(help) = arg.get_help() {
        return help.to_string();
    }
    if arg.is_required_set() {
        format!("<{name}>")
    } else {
        format!("[{name}]")
    }
}

/// The first line of the command's about text.
fn summary(cmd: &clap::Command) -> String {
    cmd.get_about()
        .map(|a| a.to_string())
        .unwrap_or_default()
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

/// Print the overview of every command, alias and variable
///
/// `nexus help environment` lists every variable nexus reads, with its default.
/// Example: nexus help | less
#[derive(Debug, clap::Args)]
pub struct HelpArgs {
    /// environment: every variable, its default and meaning
    pub topic: Option<String>,
}

/// `nexus help [TOPIC]`: the overview, or the environment table.
pub fn topic(topic: Option<&str>) -> crate::error::Result<crate::outcome::Outcome> {
    use crate::config::vars;
    use serde_json::json;
    let text = match topic {
        None | Some("") => overview(),
        Some("environment" | "env") => vars::text(),
        Some(other) => {
            return Err(crate::error::NexusError::invalid(
                "help topic",
                other,
                "the topic is environment (or no topic for the overview)",
            ));
        }
    };
    let json = match topic {
        Some("environment" | "env") => json!({"variables": vars::VARIABLES.iter()
            .map(|v| json!({"name": v.name, "default": v.default, "meaning": v.meaning}))
            .collect::<Vec<_>>()}),
        _ => json!({"help": text}),
    };
    Ok(crate::outcome::Outcome::new(text, json))
}

/// The long help of `nexus mcp`.
pub const MCP: &str = "Serve the Model Context Protocol on stdin/stdout, for agents without a shell

Tools: next, claim, progress, complete, release, add, show, list, status. Each
answers with the JSON that `nexus --json <command>` prints, and a one-line
summary; a failure is a tool error with the CLI's message. The coordination
directory (--dir, else $COORDINATION_DIR, ...) and $AGENT_ID are fixed at start;
a tool's agent_id argument overrides the agent for that call. The server names
its directory in the initialize instructions and exits when stdin closes.

Example: claude mcp add nexus -- nexus mcp --dir /path/to/coordination";

/// `candidates` ordered by edit distance to `typed`, nearest first (ties
/// keep their order): the suggestion for a mistyped command.
pub fn nearest(typed: &str, candidates: &[String]) -> Vec<String> {
    let mut ranked: Vec<(usize, usize, &String)> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (edit_distance(typed, c), i, c))
        .collect();
    ranked.sort();
    ranked.into_iter().map(|(_, _, c)| c.clone()).collect()
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_nearest_command_comes_first() {
        let similar: Vec<String> = [
            "claude-optimize-assignments",
            "cleanup",
            "claim-ai",
            "claim",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(super::nearest("clam", &similar)[0], "claim");
        assert_eq!(
            super::nearest("progres", &["progress".to_string()]),
            ["progress"]
        );
    }

    use super::*;

    #[test]
    fn every_command_is_in_a_group() {
        let grouped: Vec<&str> = GROUPS.iter().flat_map(names_of).collect();
        for cmd in Cli::command().get_subcommands() {
            assert!(
                grouped.contains(&cmd.get_name()),
                "{} has no group",
                cmd.get_name()
            );
        }
        let text = overview();
        assert!(!text.contains("Other Commands"));
        assert!(text.contains("progress [work_id] <percent 0-100> [status=in_progress]"));
        assert!(text.contains("claude-enhanced | enhanced <analysis_type> <input> <output>"));
    }
}
