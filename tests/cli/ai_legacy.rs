//! The `claude_*.json` files keep the legacy shapes that jq scripts read, and
//! model answers in the legacy shape are accepted.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Value, json};

use crate::common::Env;
use crate::mock_http::{MockServer, Recorded};

const NOW: &str = "2025-06-17T07:15:00Z";

/// `jq -e FILTER FILE` succeeds: the filter is true of the file.
fn jq_true(file: &Path, filter: &str) {
    let out = std::process::Command::new("jq")
        .arg("-e")
        .arg(filter)
        .arg(file)
        .output()
        .expect("jq is needed by these tests (scripts/test.sh installs it)");
    assert!(
        out.status.success(),
        "jq -e '{filter}' {} failed: {}{}\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(file).unwrap_or_default()
    );
}

const PRIORITY_TYPES: &str = r#"(.system_health|type)=="string"
 and (.system_health|IN("healthy","degraded","critical","unknown"))
 and ([.priorities[("critical","high","medium","low")][]|type]|all(.=="string"))
 and ([.priorities|(.critical,.high,.medium,.low)|type]|all(.=="array"))
 and (.recommendations|type)=="array"
 and ([.recommendations[]|(.work_type,.reasoning,.recommended_action)|type]|all(.=="string"))
 and ([.recommendations[].priority_score|type]|all(.=="number"))
 and ([.recommendations_by_horizon|(.immediate,.short_term,.long_term)|type]|all(.=="array"))
 and ([.recommendations_by_horizon[][]|type]|all(.=="string"))
 and (.confidence|type)=="number" and .confidence>=0 and .confidence<=1
 and (.team_formation.suggested_teams|type)=="array"
 and (.bottlenecks|type)=="array"
 and ([.bottlenecks[]|(.type,.description,.severity)|type]|all(.=="string"))
 and (.confidence_score|type)=="number" and .confidence_score>=0 and .confidence_score<=1"#;

const HEALTH_TYPES: &str = r#"(.health_score|type)=="number" and .health_score>=0 and .health_score<=1
 and (.component_health|type)=="object"
 and ([.component_health[]|type]|all(.=="number"))
 and (.alerts|type)=="array"
 and (.recommendations|type)=="array"
 and ([.recommendations[]|(.priority,.action,.description)|type]|all(.=="string"))"#;

const OPTIMIZATION_TYPES: &str = r#".optimization_type=="assignment_optimization"
 and ([.current_efficiency,.optimized_efficiency,.efficiency_gain]|map(type)|all(.=="number"))
 and (.assignment_changes|type)=="array" and (.assignment_changes|length)>0
 and ([.assignment_changes[]|(.work_item,.from_agent,.to_agent,.reasoning)|type]|all(.=="string"))
 and ([.assignment_changes[].confidence|type]|all(.=="number"))"#;

const TEAM_TYPES: &str = r#"(.team_formation.suggested_teams|type)=="array"
 and ([.team_formation.suggested_teams[]|(.team_name,.focus)|type]|all(.=="string"))
 and ([.team_formation.suggested_teams[].members_needed|type]|all(.=="number"))
 and (.teams|type)=="array" and ([.recommendations[]|type]|all(.=="string"))"#;

const RECOMMENDATION_TYPES: &str = r#"(.recommendation.action|type)=="string"
 and .recommendation.team=="my_team" and .recommendation.priority=="low"
 and .requesting_agent=="agent_7" and .requested_work_type=="bug_fix""#;

#[test]
fn every_claude_file_keeps_the_legacy_types_after_an_offline_run() {
    let env = Env::with_fixtures();
    // An agent with a fresh heartbeat, so stale work has somewhere to go.
    env.cmd()
        .env("NEXUS_NOW", NOW)
        .args(["register", "agent_fresh", "meta_8020_team"])
        .assert()
        .success();
    for cmd in [
        "claude-priorities",
        "claude-health",
        "claude-optimize",
        "claude-team",
    ] {
        env.cmd().env("NEXUS_NOW", NOW).arg(cmd).assert().success();
    }
    env.cmd()
        .env("NEXUS_NOW", NOW)
        .env("AGENT_ID", "agent_7")
        .args(["claim-ai", "bug_fix", "Fix it", "low", "my_team"])
        .assert()
        .success();
    jq_true(&env.path("claude_priority_analysis.json"), PRIORITY_TYPES);
    jq_true(&env.path("claude_health_analysis.json"), HEALTH_TYPES);
    jq_true(
        &env.path("claude_optimization_results.json"),
        OPTIMIZATION_TYPES,
    );
    jq_true(&env.path("claude_team_analysis.json"), TEAM_TYPES);
    jq_true(
        &env.path("claude_work_recommendation_agent_7.json"),
        RECOMMENDATION_TYPES,
    );
    // The richer data stays, in extra fields.
    jq_true(
        &env.path("claude_priority_analysis.json"),
        r#"(.system_health_score|type)=="number" and (.priority_details.high|length)>0"#,
    );
    jq_true(
        &env.path("claude_health_analysis.json"),
        r#"(.health_score_percent|type)=="number" and (.metrics.active_items|type)=="number""#,
    );
}

#[test]
fn offline_priorities_list_the_real_active_fixture_ids() {
    let env = Env::with_fixtures();
    env.cmd()
        .env("NEXUS_NOW", NOW)
        .arg("claude-priorities")
        .assert()
        .success();
    let claims = env.json("work_claims.json");
    let active: BTreeSet<&str> = claims
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "active")
        .map(|c| c["work_item_id"].as_str().unwrap())
        .collect();
    let v = env.json("claude_priority_analysis.json");
    let listed: Vec<&str> = ["critical", "high", "medium", "low"]
        .iter()
        .flat_map(|l| v["priorities"][l].as_array().unwrap())
        .map(|id| id.as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), active.len(), "each active item once");
    assert_eq!(listed.into_iter().collect::<BTreeSet<_>>(), active);
    assert!(active.contains("work_1750056733370274000"));
    let high: Vec<&str> = v["priorities"]["high"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect();
    for id in high {
        let c = claims
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["work_item_id"] == id)
            .unwrap();
        assert_eq!(c["priority"], "high", "{id}");
    }
}

fn anthropic_answering(answer: Value) -> MockServer {
    MockServer::start(move |_r: &Recorded| {
        (
            200,
            json!({"content": [{"type": "text", "text": answer.to_string()}]}).to_string(),
        )
    })
}

fn ask(env: &Env, server: &MockServer, cmd: &str) -> String {
    let out = env
        .cmd()
        .env("NEXUS_NOW", NOW)
        .env("NEXUS_AI_PROVIDER", "anthropic")
        .env("ANTHROPIC_API_KEY", "k")
        .env("ANTHROPIC_BASE_URL", &server.url)
        .arg(cmd)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_model_answer_in_the_legacy_shape_is_accepted() {
    let legacy = json!({
        "analysis_timestamp": "2025-06-17T07:00:00Z",
        "system_health": "degraded",
        "priorities": {"critical": ["work_1750056733370274000"], "high": [], "medium": [], "low": []},
        "recommendations": {"immediate": ["legacy-shaped advice"], "short_term": [], "long_term": []},
        "team_formation": {"suggested_teams": [{"team_name": "qa", "focus": "tests", "members_needed": 2}]},
        "bottlenecks": [{"type": "resource", "description": "few reviewers", "severity": "high"}],
        "confidence_score": 0.85
    });
    let server = anthropic_answering(legacy.clone());
    let env = Env::with_fixtures();
    let stdout = ask(&env, &server, "claude-priorities");
    assert!(stdout.contains("answered by anthropic"), "{stdout}");
    assert!(stdout.contains("Confidence: 85%"), "{stdout}");
    assert_eq!(server.requests().len(), 1, "no retry");
    let saved = env.json("claude_priority_analysis.json");
    assert_eq!(saved["analysis_source"], "anthropic");
    assert!(saved.get("fallback_reason").is_none(), "{saved}");
    for key in [
        "system_health",
        "priorities",
        "team_formation",
        "bottlenecks",
    ] {
        assert_eq!(saved[key], legacy[key], "{key}");
    }
    assert_eq!(
        saved["recommendations_by_horizon"],
        legacy["recommendations"]
    );
    assert_eq!(
        saved["recommendations"][0]["reasoning"],
        "legacy-shaped advice"
    );
    assert_eq!(saved["confidence"], 0.85);
    jq_true(&env.path("claude_priority_analysis.json"), PRIORITY_TYPES);

    let health = json!({"health_score": 0.85, "component_health": {"agent_performance": 0.88},
        "alerts": [], "recommendations": [{"priority": "medium", "action": "monitor_capacity",
        "description": "Continue monitoring agent capacity utilization"}]});
    let server = anthropic_answering(health);
    let stdout = ask(&env, &server, "claude-health");
    assert!(stdout.contains("answered by anthropic"), "{stdout}");
    assert!(stdout.contains("Health score: 85.0"), "{stdout}");
    let saved = env.json("claude_health_analysis.json");
    assert_eq!(saved["recommendations"][0]["action"], "monitor_capacity");
    jq_true(&env.path("claude_health_analysis.json"), HEALTH_TYPES);
}
