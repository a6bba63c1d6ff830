//! `events.jsonl`: one line per changed record, written in the same step as
//! the change, numbered without gaps, so `nexus watch --since N` can resume
//! after a restart and miss nothing.

use std::path::Path;

use serde_json::{Value, json};

use super::audit::{Change, Step};
use super::fsio::read_tail;
use crate::error::Result;
use crate::records::text;

pub const EVENTS_FILE: &str = "events.jsonl";

/// What a change did, in the words of `watch`.
pub fn event_name(c: &Change) -> &'static str {
    let status = |v: &Option<Value>| {
        v.as_ref()
            .and_then(|r| text(r, "status").map(str::to_string))
    };
    let (before, after) = (status(&c.before), status(&c.after));
    let field = |k: &str| {
        c.before.as_ref().and_then(|b| b.get(k)) != c.after.as_ref().and_then(|a| a.get(k))
    };
    if c.kind == "agent" {
        return if c.before.is_none() {
            "registered"
        } else {
            "agent_updated"
        };
    }
    if c.after
        .as_ref()
        .is_some_and(|a| a.get("archived_at").is_some())
        && after.is_none()
    {
        return "archived";
    }
    match (before.as_deref(), after.as_deref()) {
        (None, Some("available")) => "added",
        (None, _) => "claimed",
        (Some(b), Some("completed")) if b != "completed" => "completed",
        (Some(b), Some("available")) if b != "available" => "released",
        (Some(_), Some("stale")) if field("status") => "stale",
        (Some("available"), Some(a)) if a != "available" => "claimed",
        // A new lease on an item in flight: the old one ran out and the item
        // went to another agent.
        _ if field("lease_generation") => "expired",
        _ if field("depends_on") => "dependency_changed",
        _ if field("progress") || field("status") => "progressed",
        _ => "updated",
    }
}

/// The sequence number of the last event of `dir` (0 when none).
pub fn last_seq(dir: &Path) -> Result<u64> {
    let (_, tail) = read_tail(&dir.join(EVENTS_FILE), 8192)?;
    let text = String::from_utf8_lossy(&tail);
    Ok(text
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str::<Value>(l).ok()?["seq"].as_u64())
        .unwrap_or(0))
}

/// The event line of `c`, numbered `seq`.
fn line(seq: u64, step: &Step, c: &Change) -> String {
    let after = c.after.as_ref().or(c.before.as_ref());
    let get = |k: &str| after.and_then(|a| a.get(k)).cloned().unwrap_or(Value::Null);
    json!({
        "seq": seq,
        "at": step.timestamp,
        "event": event_name(c),
        "record": c.kind,
        "id": c.id,
        "status": get("status"),
        "team": get("team"),
        "agent_id": get("agent_id"),
        "command": step.command,
        "trace_id": step.trace_id,
    })
    .to_string()
}

/// The event lines of `changes`, numbered after `seq`, and the new last seq.
pub fn lines_for(mut seq: u64, step: &Step, changes: &[Change]) -> (String, u64) {
    let mut out = String::new();
    for c in changes {
        seq += 1;
        out.push_str(&line(seq, step, c));
        out.push('\n');
    }
    (out, seq)
}

/// The event line of each of `changes` without its number, for a store that
/// numbers them where the last number is kept: a line is `{"seq":` SEQ TAIL.
pub fn tails_for(step: &Step, changes: &[Change]) -> Option<Vec<String>> {
    changes
        .iter()
        .map(|c| Some(line(0, step, c).strip_prefix("{\"seq\":0")?.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails_rebuild_the_numbered_lines() {
        let step = Step::quiet("claim", "ts");
        let changes = vec![change(None, Some(json!({"status": "active", "seq": 3})))];
        let (want, _) = lines_for(9, &step, &changes);
        let tails = tails_for(&step, &changes).unwrap();
        assert_eq!(format!("{{\"seq\":10{}\n", tails[0]), want);
    }

    fn change(before: Option<Value>, after: Option<Value>) -> Change {
        Change {
            kind: "claim",
            id: "work_1".into(),
            before,
            after,
        }
    }

    #[test]
    fn changes_are_named_for_watchers() {
        let s = |st: &str| Some(json!({"status": st}));
        assert_eq!(event_name(&change(None, s("available"))), "added");
        assert_eq!(event_name(&change(None, s("active"))), "claimed");
        assert_eq!(event_name(&change(s("available"), s("active"))), "claimed");
        assert_eq!(
            event_name(&change(s("active"), s("completed"))),
            "completed"
        );
        assert_eq!(event_name(&change(s("active"), s("available"))), "released");
        assert_eq!(event_name(&change(s("active"), s("stale"))), "stale");
        let p = |n: u64| Some(json!({"status": "in_progress", "progress": n}));
        assert_eq!(event_name(&change(p(10), p(20))), "progressed");
        let d = |v: Value| Some(json!({"status": "available", "depends_on": v}));
        assert_eq!(
            event_name(&change(d(json!([])), d(json!(["work_2"])))),
            "dependency_changed"
        );
        let l = |g: u64, a: &str| {
            Some(json!({"status": "active", "lease_generation": g, "agent_id": a}))
        };
        assert_eq!(event_name(&change(l(1, "a"), l(2, "b"))), "expired");
        let archived = change(s("completed"), Some(json!({"archived_at": "t"})));
        assert_eq!(event_name(&archived), "archived");
        let step = Step::quiet("claim", "2026-01-01T00:00:00Z");
        let (lines, seq) = lines_for(7, &step, &[change(None, s("active"))]);
        assert_eq!(seq, 8);
        let v: Value = serde_json::from_str(lines.trim()).unwrap();
        assert_eq!(
            (v["seq"].as_u64(), v["event"].as_str()),
            (Some(8), Some("claimed"))
        );
    }
}
