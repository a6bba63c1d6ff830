//! One tool call: the settings it runs with, the command through
//! [`crate::commands::TABLE`], and the answer an MCP client gets.
//!
//! The answer's structured content is exactly what `nexus --json <command>`
//! prints; its text is that JSON and a one-line summary. A failure is a tool
//! error (`isError`) whose text is the line the CLI prints on stderr.

use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::{Value, json};

use crate::commands::{Caller, Entry};
use crate::config::Config;
use crate::error::NexusError;

/// The page size of `list` when a call names none.
pub const DEFAULT_LIMIT: u64 = 50;

/// Run the command of `entry` as the CLI would with `--json`, and shape
/// the answer; on a store `lend` lends, else on one of its own.
pub fn run(
    base: &Config,
    entry: &Entry,
    mut args: Value,
    http: Option<Option<String>>,
    lend: Option<&super::Lender>,
) -> CallToolResult {
    let outcome = (|| {
        let who = Caller::take(&mut args)?;
        let cfg = match &http {
            Some(traceparent) => who.request_settings(base, traceparent.as_deref())?,
            None => who.settings(base)?,
        };
        if !entry.mutates {
            cfg.require_state()?;
        }
        if entry.name == "list"
            && let Some(m) = args.as_object_mut()
            && !m.contains_key("limit")
        {
            m.insert("limit".into(), json!(DEFAULT_LIMIT));
        }
        let Some(lend) = lend else {
            return (entry.call)(args, &cfg.open_store(), &cfg);
        };
        let (mut args, mut out) = (Some(args), None);
        lend(&mut |store| out = args.take().map(|a| (entry.call)(a, store, &cfg)));
        out.unwrap_or_else(|| Err(NexusError::Usage("no store was lent to the call".into())))
    })();
    match outcome {
        Ok(out) => success(out.json, &out.human),
        Err(e) => failure(&e),
    }
}

/// Structured content = the `--json` value; text = that JSON, then the summary.
fn success(value: Value, human: &str) -> CallToolResult {
    let line = summary(&value, human);
    let mut result = CallToolResult::structured(value);
    result
        .content
        .push(ContentBlock::text(crate::text::line(&line).into_owned()));
    result
}

/// A failure as the CLI reports it: the stderr line as text, the `--json`
/// error object as structured content.
pub fn failure(e: &NexusError) -> CallToolResult {
    let msg = crate::redact::redact_text(&e.to_string());
    let head = if e.is_conflict() {
        "⚠️ CONFLICT"
    } else {
        "❌ ERROR"
    };
    let mut result = CallToolResult::error(vec![ContentBlock::text(format!(
        "{head}: {}",
        crate::text::line(&msg)
    ))]);
    result.structured_content = Some(json!({"ok": false, "error": msg, "kind": e.kind()}));
    result
}

/// One line saying what happened, from the command's JSON (the human lines
/// of `list` already hold the page's summary).
fn summary(v: &Value, human: &str) -> String {
    let s = |k: &str| v[k].as_str().unwrap_or("?").to_string();
    let claim = |k: &str| v["claim"][k].as_str().unwrap_or("?").to_string();
    match v["command"].as_str() {
        Some("claim") => format!(
            "claimed {} for team {} as agent {}",
            s("work_item_id"),
            s("team"),
            s("agent_id")
        ),
        Some("add") => format!(
            "added {} to the backlog of team {} ({})",
            s("work_item_id"),
            claim("team"),
            claim("priority")
        ),
        Some("progress") => format!(
            "{} at {}% ({})",
            s("work_item_id"),
            v["progress"],
            s("status")
        ),
        Some("complete") => format!(
            "completed {} ({}): {} velocity points to team {}",
            s("work_item_id"),
            s("result"),
            v["velocity_points"],
            s("team")
        ),
        Some("release") => format!("released {}: available again", s("work_item_id")),
        Some("show") => format!(
            "{}: {}, {} audit lines",
            claim("work_item_id"),
            claim("status"),
            v["history"].as_array().map_or(0, Vec::len)
        ),
        Some("status") => {
            let by_status = v["by_status"].as_object();
            let total: u64 = by_status.map_or(0, |m| m.values().filter_map(Value::as_u64).sum());
            let counts: Vec<String> = by_status
                .map(|m| m.iter().map(|(k, n)| format!("{k} {n}")).collect())
                .unwrap_or_default();
            let counts = if counts.is_empty() {
                String::new()
            } else {
                format!(" ({})", counts.join(", "))
            };
            format!(
                "items: {total}{counts}; stale: {}; offline agents: {}",
                v["stale"],
                v["offline_agents"].as_array().map_or(0, Vec::len)
            )
        }
        _ => human.lines().next().unwrap_or("done").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_reads_as_the_cli_line() {
        let r = failure(&NexusError::NoWorkId);
        assert_eq!(r.is_error, Some(true));
        let text = r.content[0].as_text().unwrap().text.clone();
        assert_eq!(
            text,
            "❌ ERROR: No work item ID specified (pass it or set CURRENT_WORK_ITEM)"
        );
        assert_eq!(r.structured_content.unwrap()["kind"], "no_work_id");
    }
}
