//! The example scripts run as documented, against a temp directory.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::{Env, bin};

fn example(env: &Env, script: &str, args: &[&str]) -> std::process::Output {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(script);
    let bin_dir = bin().parent().unwrap().to_path_buf();
    let path_var = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("sh")
        .arg(path)
        .args(args)
        .env("PATH", path_var)
        .env("COORDINATION_DIR", env.dir())
        .env_remove("AGENT_ID")
        .env_remove("CURRENT_WORK_ITEM")
        .output()
        .unwrap()
}

#[test]
fn agent_loop_claims_progresses_and_completes() {
    let env = Env::new();
    let out = example(&env, "agent-loop.sh", &["2"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.starts_with("done work_"))
            .count(),
        4
    );
    let claims = env.json("work_claims.json");
    let arr = claims.as_array().unwrap();
    assert_eq!(arr.len(), 4);
    assert!(arr.iter().all(|c| c["status"] == "completed"));
    assert_eq!(
        env.json("coordination_log.json").as_array().unwrap().len(),
        4
    );
}

#[test]
fn ci_stale_check_fails_only_on_stale_items() {
    let env = Env::new();
    env.claim(&["fresh", "just claimed"]);
    let out = example(&env, "ci-stale-check.sh", &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("no stale work items (1 active)"));
    let mut claims = env.json("work_claims.json");
    claims[0]["claimed_at"] = Value::from("2020-01-01T00:00:00Z");
    std::fs::write(
        env.path("work_claims.json"),
        serde_json::to_string_pretty(&claims).unwrap(),
    )
    .unwrap();
    let out = example(&env, "ci-stale-check.sh", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 of 1 active work items are stale"));
}

#[test]
fn multi_agent_demo_runs_agents_and_shows_one_frame() {
    let env = Env::new();
    let out = example(&env, "multi-agent-demo.sh", &["4", "3"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Active work ("), "{stdout}");
    let claims = env.json("work_claims.json");
    assert_eq!(claims.as_array().unwrap().len(), 12);
    let done = claims
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "completed")
        .count();
    assert_eq!(done, 8);
    assert_eq!(env.json("agent_status.json").as_array().unwrap().len(), 4);
}

#[test]
fn agent_queue_drains_the_graph_in_dependency_order_while_watch_follows() {
    let env = Env::new();
    let out = example(&env, "agent-queue.sh", &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("✅ READY: 2 items"), "{stdout}");
    assert!(stdout.contains("⛔ BLOCKED: 4 items"), "{stdout}");
    let done: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains(" completed work_") && l.starts_with("agent_"))
        .collect();
    assert_eq!(done.len(), 6, "{stdout}");
    let last = env.json("work_claims.json")[5]["work_item_id"].clone();
    assert!(
        done[5].ends_with(last.as_str().unwrap()),
        "the release goes last: {stdout}"
    );
    let feed = stdout.split("--- the feed").nth(1).unwrap();
    let events = env.read("events.jsonl").lines().count();
    assert_eq!(
        feed.lines().filter(|l| l.starts_with('#')).count(),
        events,
        "{feed}"
    );
    let completed = feed.lines().filter(|l| l.contains(" completed team="));
    assert_eq!(completed.count(), 6, "{feed}");
    let claims = env.json("work_claims.json");
    assert!(
        claims
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "completed")
    );
}
