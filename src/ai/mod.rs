//! AI analysis of the coordination state: ask the configured model, check its
//! answer against the analysis's schema (retrying once with the error), and
//! fall back to the offline analysis computed from the files.

pub mod legacy;
pub mod offline;
pub mod recommend;
pub mod schema;

use std::time::Instant;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

pub(crate) use crate::model::{self as provider, Provider};
use crate::report::dashboard::{is_active, priority_rank};
use crate::store::Snapshot;
use offline::Facts;

/// The analyses nexus offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Priorities,
    Assignments,
    Health,
    Team,
}

impl Kind {
    /// The file in the coordination directory that keeps the latest result.
    pub fn file(self) -> &'static str {
        match self {
            Kind::Priorities => "claude_priority_analysis.json",
            Kind::Assignments => "claude_optimization_results.json",
            Kind::Health => "claude_health_analysis.json",
            Kind::Team => "claude_team_analysis.json",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Priorities => "work priority analysis",
            Kind::Assignments => "assignment optimization",
            Kind::Health => "system health analysis",
            Kind::Team => "team analysis",
        }
    }

    /// The kind for an analysis-type word (pipe, enhanced, stream), `None`
    /// for a word not in [`ANALYSIS_WORDS`].
    pub fn parse(w: &str) -> Option<Kind> {
        match w {
            "priorities" | "bottlenecks" | "recommendations" | "general" => Some(Kind::Priorities),
            "assignments" | "optimize" | "optimization" => Some(Kind::Assignments),
            "health" | "system" | "performance" => Some(Kind::Health),
            "team" | "teams" => Some(Kind::Team),
            _ => None,
        }
    }
}

/// A finished analysis and where it came from.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub kind: Kind,
    pub result: Value,
    /// `anthropic`, `openai`, `claude-cli` or `offline`.
    pub source: String,
    /// Why the offline analysis was used, when a model was not.
    pub fallback: Option<String>,
}

/// The analysis-type words that [`Kind::parse`] knows.
pub const ANALYSIS_WORDS: [&str; 12] = [
    "priorities",
    "bottlenecks",
    "recommendations",
    "general",
    "health",
    "system",
    "performance",
    "team",
    "teams",
    "assignments",
    "optimize",
    "optimization",
];

/// Default cap on records put into a prompt.
const DEFAULT_MAX_RECORDS: usize = 200;

/// The records of the prompt, at most `max` in all: when over, the largest
/// list is cut first, and each cut list says how many it left out.
pub fn prompt_data(s: &Snapshot, facts: &Facts, max: usize) -> Value {
    let mut active: Vec<&Value> = s
        .claims
        .iter()
        .filter(is_active)
        .map(|c| c.value())
        .collect();
    active.sort_by_key(|c| priority_rank(c["priority"].as_str().unwrap_or("")));
    let mut lists: Vec<(&str, Vec<&Value>)> = vec![
        ("active_items", active),
        ("agents", s.agents.iter().collect()),
        ("recent_completions", s.completions.iter().rev().collect()),
    ];
    let mut cut = vec![0usize; lists.len()];
    while lists.iter().map(|l| l.1.len()).sum::<usize>() > max {
        let (i, _) = lists
            .iter()
            .enumerate()
            .max_by_key(|(_, l)| l.1.len())
            .unwrap_or((0, &lists[0]));
        lists[i].1.pop();
        cut[i] += 1;
    }
    let mut data = json!({"metrics": facts.m, "offline_agents": facts.offline_agents(), "bottlenecks": facts.bottlenecks()});
    for ((name, list), left_out) in lists.into_iter().zip(cut) {
        data[name] = json!(list);
        if left_out > 0 {
            data[format!("{name}_left_out")] = json!(left_out);
        }
    }
    data
}

/// Run one analysis of the snapshot (optionally about one team).
pub fn analyse(
    kind: Kind,
    s: &Snapshot,
    now: DateTime<Utc>,
    team: Option<&str>,
    settings: &provider::AiSettings,
) -> Analysis {
    let facts = Facts::new(s, now, settings.offline_after_secs);
    let ctx = legacy::Context {
        timestamp: crate::records::timestamp(now),
        active_items: facts.m.active,
    };
    let offline = facts.analyse(kind, team);
    // The offline analysis always has nexus's full shape; normalising cannot fail.
    let offline = legacy::normalize(kind, offline.clone(), &ctx).unwrap_or(offline);
    let provider = settings.provider.clone();
    if provider == Provider::Offline {
        let why = settings
            .unavailable
            .clone()
            .unwrap_or_else(|| "no AI provider configured".into());
        return finish(kind, offline, "offline", Some(why));
    }
    let max = settings.max_records.unwrap_or(DEFAULT_MAX_RECORDS);
    let deadline = Instant::now() + settings.timeout;
    let system = format!(
        "You analyse the coordination state of a fleet of AI coding agents ({}). Answer with one JSON object only, matching this schema:\n{}",
        kind.label(),
        schema::describe(kind)
    );
    let mut prompt = format!(
        "Coordination state{}:\n{}",
        team.map(|t| format!(" (focus on team {t})"))
            .unwrap_or_default(),
        prompt_data(s, &facts, max)
    );
    let mut last_error = String::new();
    for attempt in 0..2 {
        let answer = match provider.ask(&system, &prompt, deadline) {
            Ok(a) => a,
            Err(e) => {
                last_error = e;
                break;
            }
        };
        match schema::extract_json(&answer)
            .ok_or_else(|| "the answer holds no JSON object".to_string())
            .and_then(|v| legacy::normalize(kind, v, &ctx))
        {
            Ok(v) => return finish(kind, v, provider.name(), None),
            Err(e) if attempt == 0 => {
                prompt.push_str(&format!(
                    "\n\nYour previous answer was invalid: {e}. Answer again with only the JSON object."
                ));
                last_error = format!("invalid answer: {e}");
            }
            Err(e) => last_error = format!("invalid answer after a retry: {e}"),
        }
    }
    tracing::warn!(
        "{} failed ({last_error}); using the offline analysis",
        provider.name()
    );
    finish(
        kind,
        offline,
        "offline",
        Some(format!("{}: {last_error}", provider.name())),
    )
}

fn finish(kind: Kind, mut result: Value, source: &str, fallback: Option<String>) -> Analysis {
    // The reason is printed and saved: it must not carry a credential.
    let fallback = fallback.map(|f| crate::redact::redact_text(&f));
    result["analysis_source"] = json!(source);
    if source == "offline" {
        result["note"] = json!("offline analysis computed from the coordination files");
    }
    if let Some(f) = &fallback {
        result["fallback_reason"] = json!(f);
    }
    Analysis {
        kind,
        result,
        source: source.to_string(),
        fallback,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_is_capped_cutting_the_largest_list_first() {
        let s = Snapshot {
            claims: (0..50)
                .map(|i| json!({"work_item_id": format!("w{i}"), "status": "active"}))
                .map(crate::records::claim_record::ClaimRecord::from)
                .collect(),
            agents: (0..5)
                .map(|i| json!({"agent_id": format!("a{i}")}))
                .collect(),
            completions: (0..10)
                .map(|i| json!({"work_item_id": format!("c{i}")}))
                .collect(),
            ..Snapshot::default()
        };
        let facts = Facts::new(&s, Utc::now(), crate::model::HEARTBEAT_TIMEOUT_SECS);
        let d = prompt_data(&s, &facts, 30);
        let n = |k: &str| d[k].as_array().unwrap().len();
        assert_eq!(
            n("active_items") + n("agents") + n("recent_completions"),
            30
        );
        assert_eq!(n("agents"), 5);
        assert_eq!(
            d["active_items_left_out"].as_u64().unwrap() as usize,
            50 - n("active_items")
        );
        assert_eq!(Kind::parse("health"), Some(Kind::Health));
        assert_eq!(Kind::parse("bogus"), None);
        assert!(ANALYSIS_WORDS.iter().all(|w| Kind::parse(w).is_some()));
    }
}
