//! The list and status views and the team lists of the reports.

use serde_json::json;

use crate::common::Env;

const NOW: &str = "2026-11-25T12:00:00Z";

fn state(env: &Env) {
    let claims = json!([
        {"work_item_id": "work_1", "agent_id": "agent_a", "claimed_at": "2026-11-25T08:00:00Z",
         "work_type": "feature", "priority": "high", "description": "half then done",
         "status": "completed", "progress": 50, "team": "alpha_team",
         "completed_at": "2026-11-25T10:00:00Z", "result": "success"},
        {"work_item_id": "work_2", "agent_id": "agent_a", "claimed_at": "2026-11-20T08:00:00Z",
         "work_type": "bug", "priority": "medium", "description": "idle for days",
         "status": "active", "team": "alpha_team"},
        {"work_item_id": "work_3", "agent_id": "agent_a", "claimed_at": "2026-11-25T11:00:00Z",
         "work_type": "bug", "priority": "low", "description": "marked by cleanup",
         "status": "stale", "team": "alpha_team"}
    ]);
    std::fs::create_dir_all(env.dir()).unwrap();
    std::fs::write(env.path("work_claims.json"), claims.to_string()).unwrap();
}

fn run(env: &Env, args: &[&str]) -> String {
    let out = env.cmd().env("NEXUS_NOW", NOW).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn list_shows_completed_items_as_fully_done() {
    let env = Env::new();
    state(&env);
    let list = run(&env, &["list"]);
    let row = list.lines().find(|l| l.starts_with("work_1 ")).unwrap();
    assert!(row.ends_with("100%"), "{list}");
    let row = list.lines().find(|l| l.starts_with("work_2 ")).unwrap();
    assert!(row.ends_with("  0%"), "{list}");
    // Through the real commands too.
    let env = Env::new();
    let id = env.claim(&["feature", "x"]);
    env.ok(&["progress", &id, "50"]);
    env.ok(&["complete", &id]);
    let list = env.ok(&["list"]);
    let row = list.lines().find(|l| l.starts_with(&id)).unwrap();
    assert!(row.contains("completed") && row.ends_with("100%"), "{list}");
}

#[test]
fn status_keeps_the_stale_status_and_idle_items_apart() {
    let env = Env::new();
    state(&env);
    let status = run(&env, &["status"]);
    assert!(
        status.contains("items by status: active 1 · completed 1 · stale 1"),
        "{status}"
    );
    assert!(
        status.contains("idle over 24h (active items without activity): 1 ·"),
        "{status}"
    );
    assert!(!status.contains("stale items"), "{status}");
    let v: serde_json::Value = serde_json::from_str(&run(&env, &["--json", "status"])).unwrap();
    assert_eq!(v["idle_over_24h"], 1);
    assert_eq!(v["by_status"]["stale"], 1);
}

#[test]
fn only_the_scrum_of_scrums_lists_the_standing_teams() {
    let env = Env::new();
    state(&env);
    for report in [
        "pi-planning",
        "art-sync",
        "dashboard",
        "status",
        "inspect-adapt",
    ] {
        let text = run(&env, &[report]);
        for standing in [
            "platform_team",
            "PLATFORM TEAM",
            "coordination_team",
            "development_team",
        ] {
            assert!(
                !text.contains(standing),
                "{report} lists {standing}:\n{text}"
            );
        }
    }
    assert!(run(&env, &["pi-planning"]).contains("alpha_team"));
    let sos = run(&env, &["scrum-of-scrums"]);
    for team in [
        "COORDINATION TEAM",
        "DEVELOPMENT TEAM",
        "PLATFORM TEAM",
        "ALPHA TEAM",
    ] {
        assert!(sos.contains(team), "{team}:\n{sos}");
    }
    assert!(sos.contains("Participants: 4 teams"), "{sos}");
}
