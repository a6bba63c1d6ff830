//! One tool call: the settings it runs with, the command through
//! [`crate::app::execute`], and the answer an MCP client gets.
//!
//! The answer's structured content is exactly what `nexus --json <command>`
//! prints; its text is that JSON and a one-line summary. A failure is a tool
//! error (`isError`) whose text is the line the CLI prints on stderr.

use chrono::Utc;
use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::{Value, json};

use super::tools::{DEFAULT_LIMIT, Identity, MAX_LIMIT};
use crate::app::{Outcome, execute};
use crate::cli::Command;
use crate::config::{Config, var};
use crate::error::{NexusError, Result};
use crate::telemetry::TraceContext;
use crate::telemetry::trace::derived_span_id;

/// A page of `list`: items to skip and how many to show.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub offset: Option<u64>,
    pub limit: Option<u64>,
}

/// Run `cmd` as the CLI would with `--json`, and shape the answer.
pub fn run(base: &Config, cmd: &Command, who: Identity, page: Option<Page>) -> CallToolResult {
    let outcome = settings(base, who).and_then(|cfg| {
        crate::preflight::check(cmd, &cfg)?;
        let out = execute(cmd, &cfg)?;
        match page {
            Some(p) => paged(out, p),
            None => Ok(out),
        }
    });
    match outcome {
        Ok(out) => success(out.json, &out.human),
        Err(e) => failure(&e),
    }
}

/// The start-up settings for one call: its own clock reading and trace (a
/// CLI run gets both new), the caller's agent and request id, and no
/// CURRENT_WORK_ITEM (every tool names its item; one server serves many
/// agents).
pub fn settings(base: &Config, who: Identity) -> Result<Config> {
    let mut cfg = base.clone();
    cfg.json = true;
    cfg.current_work_item = None;
    if !cfg.clock_pinned {
        cfg.now = Utc::now();
    }
    cfg.trace = TraceContext::from_vars(var)?;
    if cfg.clock_pinned {
        cfg.trace.span_id = derived_span_id(&cfg.trace.trace_id, &cfg.now);
    }
    if let Some(agent) = who.agent_id {
        crate::input::agent_id("agent_id", &agent)?;
        cfg.agent_id = Some(agent);
    }
    cfg.request_id = who.request_id;
    cfg.lease_generation = who.lease_generation;
    Ok(cfg)
}

/// The page of `list`'s JSON array; the summary names the total.
fn paged(mut out: Outcome, page: Page) -> Result<Outcome> {
    let limit = page.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(NexusError::invalid(
            "limit",
            &limit.to_string(),
            format!("must be a whole number from 1 to {MAX_LIMIT}"),
        ));
    }
    let offset = page.offset.unwrap_or(0);
    let all = match out.json.take() {
        Value::Array(a) => a,
        other => vec![other],
    };
    let total = all.len();
    let start = usize::try_from(offset).unwrap_or(usize::MAX).min(total);
    let items: Vec<Value> = all
        .into_iter()
        .skip(start)
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect();
    let end = start + items.len();
    out.human = if end < total {
        format!(
            "{} of {total} items from offset {start}; next offset {end}",
            items.len()
        )
    } else {
        format!("{} of {total} items from offset {start}", items.len())
    };
    out.json = Value::Array(items);
    Ok(out)
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

    fn listed(n: usize) -> Outcome {
        let items: Vec<Value> = (0..n).map(|i| json!({"work_item_id": i})).collect();
        Outcome::new(String::new(), Value::Array(items))
    }

    #[test]
    fn a_page_says_where_the_next_one_starts() {
        let p = Page {
            offset: Some(2),
            limit: Some(3),
        };
        let out = paged(listed(10), p).unwrap();
        assert_eq!(
            out.json,
            json!([{"work_item_id": 2}, {"work_item_id": 3}, {"work_item_id": 4}])
        );
        assert_eq!(out.human, "3 of 10 items from offset 2; next offset 5");
        let last = paged(
            listed(10),
            Page {
                offset: Some(8),
                limit: None,
            },
        )
        .unwrap();
        assert_eq!(last.human, "2 of 10 items from offset 8");
        let past = paged(
            listed(1),
            Page {
                offset: Some(99),
                limit: None,
            },
        )
        .unwrap();
        assert_eq!(past.json, json!([]));
    }

    #[test]
    fn each_call_reads_the_clock_and_has_its_own_span_agent_and_request() {
        let tmp = tempfile::tempdir().unwrap();
        let mut base = Config::from_env(Some(tmp.path()), false).unwrap();
        if base.clock_pinned {
            return; // NEXUS_NOW in the caller's environment pins every run
        }
        base.now = chrono::DateTime::UNIX_EPOCH;
        base.request_id = Some("from --request-id".into());
        base.current_work_item = Some("work_1".into());
        let a = settings(&base, Identity::default()).unwrap();
        let who = Identity {
            agent_id: Some("agent_x".into()),
            request_id: Some("r1".into()),
            lease_generation: Some(4),
        };
        let b = settings(&base, who).unwrap();
        assert!(a.now > base.now);
        assert_ne!(a.trace.span_id, b.trace.span_id);
        assert_eq!(a.request_id, None);
        assert_eq!(a.current_work_item, None);
        assert_eq!(b.request_id.as_deref(), Some("r1"));
        assert_eq!(b.agent_id.as_deref(), Some("agent_x"));
        assert_eq!(b.lease_generation, Some(4));
        let bad = Identity {
            agent_id: Some("work_1".into()),
            ..Identity::default()
        };
        let e = settings(&base, bad).unwrap_err().to_string();
        assert!(e.starts_with("invalid agent_id 'work_1'"), "{e}");
    }

    #[test]
    fn a_limit_out_of_range_is_refused() {
        let p = Page {
            offset: None,
            limit: Some(0),
        };
        let e = paged(listed(1), p).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid limit '0': must be a whole number from 1 to 500"
        );
    }

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
