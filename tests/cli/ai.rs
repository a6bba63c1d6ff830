//! AI commands against mock providers on 127.0.0.1, and the offline analysis.

use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::common::Env;
use crate::mock_http::{MockServer, Recorded};

const NOW: &str = "2025-06-17T00:00:00Z";
/// A day after the fixtures' busiest hour: about half the active items are stale.
const SPLIT_NOW: &str = "2025-06-17T07:15:00Z";

fn valid_priorities(marker: &str) -> Value {
    json!({
        "analysis_timestamp": "2025-06-17T00:00:00Z",
        "system_health": {"score": 77, "status": "degraded"},
        "priorities": {"critical": [{"work_item_id": "work_1", "reason": marker}], "high": [], "medium": [], "low": []},
        "recommendations": {"immediate": [marker], "short_term": [], "long_term": []},
        "team_formation": [{"team": "a"}],
        "bottlenecks": [],
        "confidence_score": 0.91
    })
}

fn run(env: &Env, vars: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut c = env.cmd();
    c.args(args)
        .env("NEXUS_NOW", NOW)
        .env_remove("ANTHROPIC_API_KEY")
        .env_remove("OPENAI_API_KEY")
        .env_remove("OPENAI_BASE_URL");
    for (k, v) in vars {
        c.env(k, v);
    }
    c.output().unwrap()
}

#[test]
fn anthropic_gets_the_right_request_and_its_fenced_json_is_used() {
    let server = MockServer::start(|_r: &Recorded| {
        let text = format!(
            "Here you go:\n```json\n{}\n```",
            valid_priorities("from-claude")
        );
        (
            200,
            json!({"content": [{"type": "text", "text": text}]}).to_string(),
        )
    });
    let env = Env::with_fixtures();
    let out = run(
        &env,
        &[
            ("NEXUS_AI_PROVIDER", "anthropic"),
            ("ANTHROPIC_API_KEY", "sk-secret-123"),
            ("ANTHROPIC_BASE_URL", &server.url),
            ("NEXUS_AI_MODEL", "claude-test"),
            ("NEXUS_AI_MAX_RECORDS", "20"),
        ],
        &["claude-priorities"],
    );
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("answered by anthropic"), "{stdout}");
    assert!(stdout.contains("Confidence: 91%"), "{stdout}");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(
        (r.method.as_str(), r.url.as_str()),
        ("POST", "/v1/messages")
    );
    assert_eq!(r.header("x-api-key"), Some("sk-secret-123"));
    assert_eq!(r.header("anthropic-version"), Some("2023-06-01"));
    let body = r.json();
    assert_eq!(body["model"], "claude-test");
    let prompt = body["messages"][0]["content"].as_str().unwrap();
    assert!(
        prompt.contains("work_1750056733370274000") || prompt.contains("active_items"),
        "{prompt}"
    );
    let data: Value = serde_json::from_str(&prompt[prompt.find('{').unwrap()..]).unwrap();
    let shown = ["active_items", "agents", "recent_completions"]
        .iter()
        .map(|k| data[k].as_array().unwrap().len())
        .sum::<usize>();
    assert_eq!(
        shown, 20,
        "prompt holds at most NEXUS_AI_MAX_RECORDS records"
    );
    let saved = env.json("claude_priority_analysis.json");
    assert_eq!(saved["analysis_source"], "anthropic");
    assert_eq!(
        saved["recommendations_by_horizon"]["immediate"][0],
        "from-claude"
    );
    assert_eq!(saved["recommendations"][0]["reasoning"], "from-claude");
    // The key is never printed or written.
    let everything = format!(
        "{stdout}{}{}",
        String::from_utf8_lossy(&out.stderr),
        env.read("claude_priority_analysis.json")
    );
    assert!(!everything.contains("sk-secret-123"));
}

#[test]
fn openai_compatible_gets_bearer_and_json_in_prose_is_used() {
    let server = MockServer::start(|_r: &Recorded| {
        let health = json!({"analysis_timestamp": "t", "health_score": 88, "status": "healthy", "metrics": {},
                            "alerts": [{"severity": "info", "message": "from-ollama"}], "recommendations": [], "confidence_score": 0.7});
        (200, json!({"choices": [{"message": {"role": "assistant", "content": format!("The analysis is {health} -- done.")}}]}).to_string())
    });
    let env = Env::with_fixtures();
    let base = format!("{}/v1", server.url);
    let out = run(
        &env,
        &[
            ("NEXUS_AI_PROVIDER", "openai"),
            ("OPENAI_BASE_URL", &base),
            ("OPENAI_API_KEY", "k-1"),
        ],
        &["--json", "claude-health"],
    );
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["analysis_source"], "openai");
    assert_eq!(v["alerts"][0]["message"], "from-ollama");
    let r = &server.requests()[0];
    assert_eq!(r.url, "/v1/chat/completions");
    assert_eq!(r.header("Authorization"), Some("Bearer k-1"));
    assert_eq!(r.json()["messages"][0]["role"], "system");
    assert!(
        r.json()["messages"][0]["content"]
            .as_str()
            .unwrap()
            .contains("health_score")
    );
}

#[test]
fn server_errors_are_retried_then_fall_back() {
    let server = MockServer::start(|_r: &Recorded| (500, r#"{"error":"boom"}"#.into()));
    let env = Env::with_fixtures();
    let out = run(
        &env,
        &[
            ("NEXUS_AI_PROVIDER", "anthropic"),
            ("ANTHROPIC_API_KEY", "k"),
            ("ANTHROPIC_BASE_URL", &server.url),
            ("NEXUS_AI_TIMEOUT_MS", "5000"),
        ],
        &["claude-priorities"],
    );
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("offline analysis") && stdout.contains("500"),
        "{stdout}"
    );
    assert_eq!(server.requests().len(), 3, "one try and two retries");
    assert_eq!(
        env.json("claude_priority_analysis.json")["analysis_source"],
        "offline"
    );
}

#[test]
fn malformed_answer_is_retried_once_with_the_error_then_falls_back() {
    let server = MockServer::start(|_r: &Recorded| {
        (200, json!({"content": [{"type": "text", "text": "{\"analysis_timestamp\": \"t\", \"confidence_score\": 5}"}]}).to_string())
    });
    let env = Env::with_fixtures();
    let out = run(
        &env,
        &[
            ("NEXUS_AI_PROVIDER", "anthropic"),
            ("ANTHROPIC_API_KEY", "k"),
            ("ANTHROPIC_BASE_URL", &server.url),
        ],
        &["--json", "claude-team"],
    );
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["analysis_source"], "offline");
    assert!(
        v["fallback_reason"]
            .as_str()
            .unwrap()
            .contains("confidence_score"),
        "{v}"
    );
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    let second = reqs[1].json()["messages"][0]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        second.contains("previous answer was invalid: confidence_score"),
        "retry carries the validation error"
    );
}

#[test]
fn a_provider_that_never_answers_falls_back_within_the_bound() {
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in silent.incoming() {
            held.push(s);
        }
    });
    let env = Env::with_fixtures();
    let start = Instant::now();
    let out = run(
        &env,
        &[
            ("NEXUS_AI_PROVIDER", "openai"),
            ("OPENAI_BASE_URL", &url),
            ("NEXUS_AI_TIMEOUT_MS", "600"),
        ],
        &["claude-optimize"],
    );
    assert!(out.status.success());
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "took {:?}",
        start.elapsed()
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("offline analysis"));
}

/// Stale: active, last activity (last_update, else claimed_at) over 24h before NOW.
fn independent_buckets(env: &Env) -> (BTreeMap<String, BTreeSet<String>>, BTreeSet<String>) {
    let now: DateTime<Utc> = SPLIT_NOW.parse().unwrap();
    let mut buckets: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stale = BTreeSet::new();
    for c in env.json("work_claims.json").as_array().unwrap() {
        if c["status"] != "active" {
            continue;
        }
        let id = c["work_item_id"].as_str().unwrap().to_string();
        // Priorities outside the four levels (the fixtures have "test") count as medium.
        let p = c["priority"]
            .as_str()
            .filter(|p| ["critical", "high", "medium", "low"].contains(p))
            .unwrap_or("medium");
        buckets.entry(p.to_string()).or_default().insert(id.clone());
        let last = c["last_update"]
            .as_str()
            .or(c["claimed_at"].as_str())
            .and_then(|t| t.parse::<DateTime<Utc>>().ok());
        if last.is_some_and(|t| (now - t).num_seconds() > 24 * 3600) {
            stale.insert(id);
        }
    }
    (buckets, stale)
}

#[test]
fn offline_analysis_on_the_legacy_fixtures_gives_the_exact_buckets_and_stale_items() {
    let env = Env::with_fixtures();
    let out = run(
        &env,
        &[("NEXUS_AI_PROVIDER", "offline"), ("NEXUS_NOW", SPLIT_NOW)],
        &["claude-priorities"],
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("offline analysis computed from the coordination files"));
    assert!(stdout.contains("Confidence: "));
    let v = env.json("claude_priority_analysis.json");
    let (expected, expected_stale) = independent_buckets(&env);
    let mut stale = BTreeSet::new();
    for level in ["critical", "high", "medium", "low"] {
        let got: BTreeSet<String> = v["priority_details"][level]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let id = i["work_item_id"].as_str().unwrap().to_string();
                if i["reason"].as_str().unwrap().starts_with("stale") {
                    stale.insert(id.clone());
                }
                id
            })
            .collect();
        assert_eq!(
            got,
            expected.get(level).cloned().unwrap_or_default(),
            "bucket {level}"
        );
    }
    assert!(
        !expected_stale.is_empty()
            && expected_stale.len() < expected.values().map(BTreeSet::len).sum::<usize>()
    );
    assert_eq!(stale, expected_stale);
    let health = run(
        &env,
        &[("NEXUS_NOW", SPLIT_NOW)],
        &["--json", "claude-health"],
    );
    let h: Value = serde_json::from_slice(&health.stdout).unwrap();
    assert_eq!(
        h["metrics"]["stale_items"].as_u64().unwrap() as usize,
        expected_stale.len()
    );
    // Deterministic: the same state gives the same answer.
    let again = run(
        &env,
        &[("NEXUS_NOW", SPLIT_NOW)],
        &["--json", "claude-priorities"],
    );
    let a: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(a["priorities"], v["priorities"]);
    assert_eq!(a["bottlenecks"], v["bottlenecks"]);
}

#[test]
fn claim_intelligent_pipe_enhanced_stream_and_dashboard() {
    let env = Env::with_fixtures();
    // The team that completed most observability_infrastructure items.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for c in env.json("work_claims.json").as_array().unwrap() {
        if c["status"] == "completed" && c["work_type"] == "observability_infrastructure" {
            *counts
                .entry(c["team"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    let best = counts.iter().max_by_key(|(_, n)| **n).unwrap().0.clone();
    let out = run(
        &env,
        &[],
        &["claim-ai", "observability_infrastructure", "route me"],
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains(&format!("for team {best}")), "{stdout}");
    assert!(stdout.contains("AI SUGGESTION"));
    let out = run(
        &env,
        &[],
        &[
            "claim-ai",
            "observability_infrastructure",
            "keep mine",
            "low",
            "my_team",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("for team my_team"));
    assert_eq!(
        env.json("work_claims.json")
            .as_array()
            .unwrap()
            .last()
            .unwrap()["priority"],
        "low"
    );

    let claims = env.read("work_claims.json");
    let mut c = env.cmd();
    c.args(["claude-pipe", "health"])
        .env("NEXUS_NOW", NOW)
        .write_stdin(claims);
    let out = c.output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["health_score"].is_number());
    let bad = env
        .cmd()
        .arg("pipe")
        .write_stdin("not json")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));

    let output = env.tmp.path().join("analysis.json");
    let out = run(
        &env,
        &[],
        &[
            "enhanced",
            "bottlenecks",
            env.path("work_claims.json").to_str().unwrap(),
            output.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&std::fs::read(&output).unwrap()).unwrap();
    assert!(v["bottlenecks"].is_array());

    let out = run(&env, &[], &["stream", "system", "1", "--interval", "1"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().count() >= 1 && text.contains("💡 system:"),
        "{text}"
    );

    run(&env, &[], &["claude-team"]);
    let dash = String::from_utf8(run(&env, &[], &["intelligence"]).stdout).unwrap();
    assert!(
        dash.contains("TEAM ANALYSIS") && dash.contains("No assignment optimization yet"),
        "{dash}"
    );
}

/// A stand-in for the claude CLI on a PATH of its own: it records its
/// arguments in `args.txt` and its stdin in `prompt.txt` and answers
/// `answer` in the CLI's JSON format. Returns the PATH to run with.
pub fn fake_claude(env: &Env, answer: &Value) -> String {
    let bin_dir = env.tmp.path().join("fakebin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    let script = format!(
        "#!/bin/sh\necho \"$@\" > '{}'\ncat > '{}'\ncat <<'EOF'\n{}\nEOF\n",
        env.tmp.path().join("args.txt").display(),
        env.tmp.path().join("prompt.txt").display(),
        json!({"type": "result", "result": answer.to_string()})
    );
    let claude = bin_dir.join("claude");
    std::fs::write(&claude, script).unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&claude)
        .status()
        .unwrap();
    format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

#[test]
fn the_claude_cli_provider_runs_claude_and_uses_its_result() {
    let env = Env::with_fixtures();
    let answer = json!({"analysis_timestamp": "t", "teams": [{"team": "from-cli"}], "recommendations": [], "confidence_score": 0.6});
    let path = fake_claude(&env, &answer);
    let out = run(
        &env,
        &[("NEXUS_AI_PROVIDER", "auto"), ("PATH", &path)],
        &["--json", "claude-team"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["analysis_source"], "claude-cli");
    assert_eq!(v["teams"][0]["team"], "from-cli");
    let args = std::fs::read_to_string(env.tmp.path().join("args.txt")).unwrap();
    assert!(
        args.starts_with("-p ") && args.contains("--output-format json"),
        "{args}"
    );
    let prompt = std::fs::read_to_string(env.tmp.path().join("prompt.txt")).unwrap();
    assert!(prompt.contains("Coordination state"), "{prompt}");
    assert!(!args.contains("Coordination state"), "{args}");
}

#[test]
fn claim_intelligent_without_history_routes_to_the_team_of_a_specialist() {
    let env = Env::new();
    run(
        &env,
        &[],
        &["register", "agent_fast", "speed_team", "100", "perf_tuning"],
    );
    let out = run(&env, &[], &["claim-ai", "perf_tuning", "make it faster"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("for team speed_team"), "{stdout}");
    assert!(
        stdout.contains("speed_team has an agent specialised in perf_tuning"),
        "{stdout}"
    );
}
