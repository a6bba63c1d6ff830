//! The AI commands: run an analysis, save it as `claude_<kind>.json`, and
//! print a summary people can read (or the JSON with `--json`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::Outcome;
use crate::ai::{self, Analysis, Kind};
use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::records::claim_record::ClaimRecord;
use crate::records::text;
use crate::store::{AnyStore, Snapshot, Store};

/// AI: who should take stale or unassigned work (claude_optimization_results.json)
#[derive(Debug, clap::Args)]
pub struct ClaudeOptimizeArgs {
    /// Only items of this team
    pub team: Option<String>,
}

/// AI: load and status of every team (claude_team_analysis.json)
///
/// Example: nexus claude-team platform_team
#[derive(Debug, clap::Args)]
pub struct ClaudeTeamArgs {
    /// Only this team
    pub team: Option<String>,
}

/// Print a fresh insight every interval for a while
///
/// Example: nexus claude-stream performance 60 --interval 10
#[derive(Debug, clap::Args)]
pub struct ClaudeStreamArgs {
    /// What to watch: system, performance, priorities, teams [default: system]
    pub focus: Option<String>,
    /// How long to run, in seconds [default: 60]
    pub duration: Option<u64>,
    /// Seconds between insights
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub interval: u64,
}

/// Analyse JSON from stdin (a claims array or a state object) and print the result
///
/// Example: cat work_claims.json | nexus claude-pipe priorities
#[derive(Debug, clap::Args)]
pub struct ClaudePipeArgs {
    /// priorities, bottlenecks, recommendations, health, team or assignments [default: priorities]
    pub analysis_type: Option<String>,
}

/// Analyse a JSON file and write the result to another file
///
/// Example: nexus claude-enhanced bottlenecks work_claims.json analysis.json
#[derive(Debug, clap::Args)]
pub struct ClaudeEnhancedArgs {
    /// priorities, bottlenecks, recommendations, health, team or assignments
    pub analysis_type: String,
    /// JSON input: a claims array or a state object
    pub input: PathBuf,
    /// Where to write the analysis
    pub output: PathBuf,
}

/// Write `v` as pretty JSON to `path`, atomically.
pub(super) fn save(path: &Path, v: &Value) -> Result<()> {
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
pub fn pipe(cfg: &Config, args: &ClaudePipeArgs) -> Result<Outcome> {
    let word = args.analysis_type.as_deref().unwrap_or("priorities");
    let kind = kind_of("analysis type", word)?;
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
pub fn enhanced(cfg: &Config, args: &ClaudeEnhancedArgs) -> Result<Outcome> {
    let (input, output) = (&args.input, &args.output);
    let kind = kind_of("analysis type", &args.analysis_type)?;
    let bytes = std::fs::read(input).map_err(|e| NexusError::io("cannot read", input, e))?;
    let s = parse_input(&bytes, &input.display().to_string())?;
    let a = ai::analyse(kind, &s, cfg.now, None, &cfg.ai);
    save(output, &a.result)?;
    save(&cfg.dir.join("claude_enhanced_analysis.json"), &a.result)?;
    let human = format!("{}💾 Saved to {}\n", summary(&a), output.display());
    Ok(Outcome::new(human, a.result))
}

/// `claude-stream`: an insight every `interval` seconds for `duration` seconds.
pub fn stream(store: &AnyStore, cfg: &Config, args: &ClaudeStreamArgs) -> Result<Outcome> {
    use std::io::Write;
    let focus = args.focus.as_deref().unwrap_or("system");
    let (duration, interval) = (args.duration.unwrap_or(60), args.interval);
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
