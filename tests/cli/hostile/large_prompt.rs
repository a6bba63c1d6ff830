//! A state too large for one command-line argument still reaches the
//! claude CLI: the prompt goes on stdin.

use serde_json::{Value, json};

use crate::ai::fake_claude;
use crate::common::Env;

#[test]
fn a_prompt_of_several_hundred_kilobytes_reaches_the_claude_cli() {
    let env = Env::new();
    for i in 0..3 {
        env.claim(&["bug", "small", "high", &format!("team_{i}")]);
    }
    let mut claims = env.json("work_claims.json");
    for (i, c) in claims.as_array_mut().unwrap().iter_mut().enumerate() {
        c["description"] = Value::String(format!("{i}{}", "y".repeat(120 * 1024)));
    }
    std::fs::write(env.path("work_claims.json"), claims.to_string()).unwrap();
    let answer = json!({"analysis_timestamp": "t", "system_health": {"score": 80, "status": "ok"},
        "priorities": {"critical": [], "high": [], "medium": [], "low": []},
        "recommendations": {"immediate": ["from-stdin"], "short_term": [], "long_term": []},
        "team_formation": [], "bottlenecks": [], "confidence_score": 0.5});
    let path = fake_claude(&env, &answer);
    let out = env
        .cmd()
        .args(["--json", "claude-priorities"])
        .env("NEXUS_AI_PROVIDER", "claude-cli")
        .env("PATH", &path)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["analysis_source"], "claude-cli",
        "{}",
        v["fallback_reason"]
    );
    assert_eq!(
        v["recommendations_by_horizon"]["immediate"][0],
        "from-stdin"
    );
    let prompt = std::fs::read_to_string(env.tmp.path().join("prompt.txt")).unwrap();
    assert!(prompt.len() > 3 * 120 * 1024, "{} bytes", prompt.len());
}
