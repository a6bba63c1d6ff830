//! The AI commands: run an analysis, save it as `claude_<kind>.json`, and
//! print a summary people can read (or the JSON with `--json`).

use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::Outcome;
use crate::ai::{self, Analysis, Kind, Provider};
use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::records::claim_record::ClaimRecord;
use crate::records::text;
use crate::store::{AnyStore, Snapshot, Store};

fn save(path: &Path, v: &Value) -> Result<()> {
    let mut bytes = serde_json::to_vec_pretty(v).unwrap_or_default();
    bytes.push(b'\n');
    crate::store::write_file(path, &bytes)
}

fn count(v: &Value, key: &str) -> usize {
    v.get(key).and_then(Value::as_array).map_or(0, Vec::len)
}

/// The human summary of an analysis.
pub fn summary(a: &Analysis) -> String {
    // Model answers and agent text are printed: escaped and shortened.
    let mut shown = a.result.clone();
    crate::text::sanitize_json(&mut shown);
    let r = &shown;
    let source = match &a.fallback {
        Some(why) => format!(
            "{}; fell back to the offline analysis computed from the coordination files",
            crate::text::line(why)
        ),
        None if a.source == "offline" => {
            "offline analysis computed from the coordination files".into()
        }
        None => format!("answered by {}", a.source),
    };
    let mut out = format!("🧠 {} ({source})\n", a.kind.label().to_uppercase());
    match a.kind {
        Kind::Priorities => {
            let p = &r["priorities"];
            out.push_str(&format!(
                "  📋 Active by priority: critical {} · high {} · medium {} · low {}\n",
                count(p, "critical"),
                count(p, "high"),
                count(p, "medium"),
                count(p, "low")
            ));
            let score = r["system_health_score"]
                .as_f64()
                .map(|s| format!(", score {}/100", s.round()))
                .unwrap_or_default();
            out.push_str(&format!(
                "  🏥 System health: {}{score}\n",
                r["system_health"].as_str().unwrap_or("unknown")
            ));
            for b in r["bottlenecks"].as_array().into_iter().flatten().take(5) {
                out.push_str(&format!(
                    "  ⚠️ Bottleneck: {}\n",
                    text(b, "description").unwrap_or("")
                ));
            }
            for rec in r["recommendations_by_horizon"]["immediate"]
                .as_array()
                .into_iter()
                .flatten()
            {
                out.push_str(&format!("  ➡️ Now: {}\n", rec.as_str().unwrap_or("")));
            }
        }
        Kind::Assignments => {
            for x in r["assignment_changes"]
                .as_array()
                .into_iter()
                .flatten()
                .take(10)
            {
                out.push_str(&format!(
                    "  👉 {} → {} ({})\n",
                    text(x, "work_item").unwrap_or(""),
                    text(x, "to_agent").unwrap_or(""),
                    text(x, "reasoning").unwrap_or("")
                ));
            }
            out.push_str(&format!(
                "  📊 {} suggestions, {} items without a candidate; efficiency {} → {}\n",
                count(r, "assignment_changes"),
                count(r, "unassigned"),
                r["current_efficiency"],
                r["optimized_efficiency"]
            ));
        }
        Kind::Health => {
            out.push_str(&format!(
                "  🏥 Health score: {} ({})\n",
                r["health_score_percent"],
                r["status"].as_str().unwrap_or("")
            ));
            if let Some(m) = r["metrics"].as_object() {
                let line: Vec<String> = m.iter().map(|(k, v)| format!("{k} {v}")).collect();
                out.push_str(&format!("  📊 {}\n", line.join(" · ")));
            }
            for al in r["alerts"].as_array().into_iter().flatten() {
                out.push_str(&format!(
                    "  🚨 {}: {}\n",
                    text(al, "severity").unwrap_or(""),
                    text(al, "message").unwrap_or("")
                ));
            }
            for rec in r["recommendations"].as_array().into_iter().flatten() {
                out.push_str(&format!(
                    "  ⚡ {}: {}\n",
                    text(rec, "priority").unwrap_or(""),
                    text(rec, "description").unwrap_or("")
                ));
            }
        }
        Kind::Team => {
            for t in r["teams"].as_array().into_iter().flatten() {
                out.push_str(&format!(
                    "  🤝 {}: {} agents, {} active, {} done, load {}, {}\n",
                    text(t, "team").unwrap_or(""),
                    t["agents"],
                    t["active_items"],
                    t["completed_items"],
                    t["load"],
                    text(t, "status").unwrap_or("")
                ));
            }
        }
    }
    let confidence = r["confidence_score"].as_f64().unwrap_or(0.0);
    out.push_str(&format!(
        "  Confidence: {}%\n",
        (confidence * 100.0).round()
    ));
    out
}

/// Run `kind` on the coordination directory, save and summarise it.
pub fn analysis(store: &AnyStore, cfg: &Config, kind: Kind, team: Option<&str>) -> Result<Outcome> {
    let snapshot = store.snapshot()?;
    let a = ai::analyse(kind, &snapshot, cfg.now, team, &cfg.ai);
    let path = cfg.dir.join(kind.file());
    save(&path, &a.result)?;
    let human = format!("{}💾 Saved to {}\n", summary(&a), path.display());
    Ok(Outcome::new(human, a.result))
}

/// `claude-dashboard`: the saved analyses, read back.
pub fn dashboard(cfg: &Config) -> Result<Outcome> {
    let mut human = String::from("🧠 AI INTELLIGENCE DASHBOARD\n===========================\n");
    let mut all = serde_json::Map::new();
    for kind in [
        Kind::Priorities,
        Kind::Assignments,
        Kind::Health,
        Kind::Team,
    ] {
        let path = cfg.dir.join(kind.file());
        match std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        {
            Some(v) => {
                let a = Analysis {
                    kind,
                    source: v["analysis_source"]
                        .as_str()
                        .unwrap_or("offline")
                        .to_string(),
                    fallback: v["fallback_reason"].as_str().map(str::to_string),
                    result: v.clone(),
                };
                human.push('\n');
                human.push_str(&summary(&a));
                human.push_str(&format!(
                    "  🕒 {}\n",
                    v["analysis_timestamp"].as_str().unwrap_or("?")
                ));
                all.insert(kind.file().into(), v);
            }
            None => human.push_str(&format!(
                "\n⏳ No {} yet: run the matching claude-* command\n",
                kind.label()
            )),
        }
    }
    Ok(Outcome::new(
        human,
        json!({"ok": true, "command": "claude-dashboard", "analyses": all}),
    ))
}

/// Read a state from JSON: a claims array, or an object with the legacy
/// `work_claims` / `agent_status` / `coordination_log` keys.
fn snapshot_from(v: Value, what: &str) -> Result<Snapshot> {
    let list = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    match v {
        Value::Array(claims) => Ok(Snapshot {
            claims: claims.into_iter().map(ClaimRecord::from).collect(),
            ..Snapshot::default()
        }),
        Value::Object(_)
            if ["work_claims", "agent_status", "coordination_log"]
                .iter()
                .any(|k| v.get(k).is_some()) =>
        {
            Ok(Snapshot {
                claims: list(&v, "work_claims")
                    .into_iter()
                    .map(ClaimRecord::from)
                    .collect(),
                agents: list(&v, "agent_status"),
                completions: list(&v, "coordination_log"),
                ..Snapshot::default()
            })
        }
        _ => Err(NexusError::invalid(
            "input",
            what,
            "expected a JSON array of claims or an object with work_claims, agent_status, coordination_log",
        )),
    }
}

fn parse_input(bytes: &[u8], what: &str) -> Result<Snapshot> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| NexusError::invalid("input", what, format!("not JSON: {e}")))?;
    snapshot_from(v, what)
}

/// The analysis named by `word`, or a usage error listing the known names.
fn kind_of(what: &'static str, word: &str) -> Result<Kind> {
    Kind::parse(word).ok_or_else(|| {
        NexusError::invalid(
            what,
            word,
            format!("must be one of {}", ai::ANALYSIS_WORDS.join(", ")),
        )
    })
}

/// `claude-pipe`: analyse stdin, print the JSON result.
pub fn pipe(cfg: &Config, word: Option<&str>) -> Result<Outcome> {
    let kind = kind_of("analysis type", word.unwrap_or("priorities"))?;
    let mut input = Vec::new();
    std::io::stdin()
        .read_to_end(&mut input)
        .map_err(|e| NexusError::io("cannot read", "stdin", e))?;
    let s = parse_input(&input, "stdin")?;
    let a = ai::analyse(kind, &s, cfg.now, None, &cfg.ai);
    save(&cfg.dir.join("claude_pipe_analysis.json"), &a.result)?;
    let text = serde_json::to_string_pretty(&a.result).unwrap_or_default() + "\n";
    Ok(Outcome::new(text, a.result))
}

/// `claude-enhanced`: analyse a file into another file.
pub fn enhanced(cfg: &Config, word: &str, input: &Path, output: &Path) -> Result<Outcome> {
    let kind = kind_of("analysis type", word)?;
    let bytes = std::fs::read(input).map_err(|e| NexusError::io("cannot read", input, e))?;
    let s = parse_input(&bytes, &input.display().to_string())?;
    let a = ai::analyse(kind, &s, cfg.now, None, &cfg.ai);
    save(output, &a.result)?;
    save(&cfg.dir.join("claude_enhanced_analysis.json"), &a.result)?;
    let human = format!("{}💾 Saved to {}\n", summary(&a), output.display());
    Ok(Outcome::new(human, a.result))
}

/// `claude-stream`: an insight every `interval` seconds for `duration` seconds.
pub fn stream(
    store: &AnyStore,
    cfg: &Config,
    focus: &str,
    duration: u64,
    interval: u64,
) -> Result<Outcome> {
    use std::io::Write;
    let kind = kind_of("stream focus", focus)?;
    let end = Instant::now() + Duration::from_secs(duration);
    let mut insights = Vec::new();
    loop {
        let snapshot = store.snapshot()?;
        let a = ai::analyse(kind, &snapshot, chrono::Utc::now(), None, &cfg.ai);
        let first = summary(&a).lines().nth(1).unwrap_or("").trim().to_string();
        let line = format!(
            "[{}] 💡 {focus}: {first}",
            crate::records::timestamp(chrono::Utc::now())
        );
        if !cfg.json {
            let mut out = std::io::stdout().lock();
            if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
                break; // reader went away
            }
        }
        insights.push(json!({"line": line, "analysis": a.result}));
        if Instant::now() + Duration::from_secs(interval) > end {
            break;
        }
        std::thread::sleep(Duration::from_secs(interval));
    }
    let result =
        json!({"ok": true, "command": "claude-stream", "focus": focus, "insights": insights});
    save(&cfg.dir.join("claude_stream_analysis.json"), &result)?;
    Ok(Outcome::new(String::new(), result))
}

/// What `claim-intelligent` should use: (team, priority, reason).
pub fn suggest_claim(
    s: &Snapshot,
    cfg: &Config,
    work_type: &str,
    team: Option<&str>,
    priority: Option<&str>,
) -> (String, String, String) {
    let facts = ai::offline::Facts::new(s, cfg.now, cfg.ai.offline_after_secs);
    let given = |v: Option<&str>| v.filter(|x| !x.is_empty()).map(str::to_string);
    let history = s
        .claims
        .iter()
        .filter(|c| {
            text(c, "work_type") == Some(work_type) && text(c, "status") == Some("completed")
        })
        .filter_map(|c| text(c, "team"))
        .fold(
            std::collections::BTreeMap::<&str, usize>::new(),
            |mut m, t| {
                *m.entry(t).or_default() += 1;
                m
            },
        );
    let (team_given, prio_given) = (given(team).is_some(), given(priority).is_some());
    let (team, team_why) = match given(team) {
        Some(t) => (t, "team as given".to_string()),
        None => match history
            .iter()
            .max_by_key(|(t, n)| (**n, std::cmp::Reverse(**t)))
        {
            Some((t, n)) => (
                t.to_string(),
                format!("{t} completed {n} {work_type} items"),
            ),
            None => match facts.best_agent(None, Some(work_type)) {
                Some(p) if p.by_specialization => {
                    let why = format!("{} has an agent specialised in {work_type}", p.team);
                    (p.team, why)
                }
                _ => (
                    crate::config::DEFAULT_TEAM.into(),
                    "no history for this work type".into(),
                ),
            },
        },
    };
    let pressure = facts
        .bottlenecks()
        .iter()
        .any(|b| b["work_type"] == work_type || b["team"] == team.as_str());
    let (priority, prio_why) = match given(priority) {
        Some(p) => (p, "priority as given".to_string()),
        None if pressure => (
            "high".into(),
            "its type or team is a bottleneck".to_string(),
        ),
        None => (
            "medium".into(),
            "no pressure on this type or team".to_string(),
        ),
    };
    let offline = (team, priority, format!("{team_why}; {prio_why}"));
    let (source, chosen) = match ask_model(s, cfg, work_type) {
        Some((name, (t, p, why))) => (
            name,
            (
                if team_given { offline.0 } else { t },
                if prio_given { offline.1 } else { p },
                why,
            ),
        ),
        None => ("offline", offline),
    };
    save_recommendation(cfg, work_type, &chosen, source);
    chosen
}

/// Save the routing decision as the legacy `claude_work_recommendation_<agent>.json`
/// (`recommendation.action` is what legacy callers read).
fn save_recommendation(
    cfg: &Config,
    work_type: &str,
    (team, priority, why): &(String, String, String),
    source: &str,
) {
    let agent = cfg.agent_id.as_deref().unwrap_or("anonymous");
    let v = json!({
        "analysis_timestamp": crate::records::timestamp(cfg.now),
        "requesting_agent": agent,
        "requested_work_type": work_type,
        "recommendation": {
            "action": format!("claim {work_type} for team {team} at priority {priority}"),
            "team": team,
            "priority": priority,
            "reasoning": why,
        },
        "confidence_score": if source == "offline" { 0.5 } else { 0.8 },
        "analysis_source": source,
    });
    let path = cfg
        .dir
        .join(format!("claude_work_recommendation_{agent}.json"));
    if let Err(e) = save(&path, &v) {
        tracing::warn!("cannot save the work recommendation: {e}");
    }
}

/// Ask the configured model for a team and priority; `None` when offline or
/// when its answer is not usable. The answer may be flat or, as in the legacy
/// file, inside `recommendation`.
fn ask_model(
    s: &Snapshot,
    cfg: &Config,
    work_type: &str,
) -> Option<(&'static str, (String, String, String))> {
    let provider = cfg.ai.provider.clone();
    if provider == Provider::Offline {
        return None;
    }
    let facts = ai::offline::Facts::new(s, cfg.now, cfg.ai.offline_after_secs);
    let system = "You route new work items in a fleet of AI coding agents. Answer with one JSON object only: {\"recommendation\": {\"action\": \"<what to do>\", \"team\": \"<team>\", \"priority\": \"critical|high|medium|low\", \"reasoning\": \"<one sentence>\"}}";
    let prompt = format!(
        "New work item of type {work_type}. Teams and their load:\n{}",
        json!(facts.m.teams)
    );
    let answer = provider
        .ask(system, &prompt, Instant::now() + cfg.ai.timeout)
        .ok()?;
    let answer = ai::schema::extract_json(&answer)?;
    let v = answer.get("recommendation").unwrap_or(&answer);
    let team = v["team"].as_str().filter(|t| !t.is_empty())?.to_string();
    let priority = v["priority"]
        .as_str()
        .filter(|p| crate::input::PRIORITIES.contains(p))?
        .to_string();
    let reason = text(v, "reason")
        .or_else(|| text(v, "reasoning"))
        .unwrap_or("");
    let why = format!("{}: {reason}", provider.name());
    Some((provider.name(), (team, priority, why)))
}
