//! Agent text reaches the terminal escaped and bounded; `--json` stays exact.

use serde_json::Value;

use crate::common::Env;

const DESC: &str = "fix \x1b]0;pwned\x07 it \x1b[2J now";
const KIND: &str = "bug\x1b[31m";
const TEAM: &str = "evil\nwork_999 forged row\x1b[2J";

#[test]
fn control_characters_are_escaped_in_every_human_view() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["claim", KIND, DESC, "high", TEAM])
        .env("AGENT_ID", "agent_1")
        .output()
        .unwrap();
    let claim = crate::common::succeeded(&out);
    assert!(!claim.contains('\x1b'), "{claim:?}");
    assert!(claim.contains("evil\\nwork_999"), "{claim}");
    let id = crate::common::first_work_id(&claim);
    for args in [
        &["list"][..],
        &["status"],
        &["dashboard", "--text"],
        &["pi-planning"],
        &["portfolio-kanban"],
        &["scrum-of-scrums"],
        &["system-demo"],
        &["progress", &id, "40"],
        &["heartbeat", "agent_1"],
        &["dashboard", "--once"],
        &["claude-priorities"],
        &["claude-team"],
    ] {
        let text = env.ok(args);
        assert!(!text.contains('\x1b'), "{args:?} printed ESC: {text:?}");
        assert!(!text.contains('\x07'), "{args:?} printed BEL: {text:?}");
        assert!(
            !text.lines().any(|l| l.starts_with("work_999")),
            "{args:?} printed a forged row: {text}"
        );
    }
    // A status with controls is not a status: refused, and said safely.
    let bad = env
        .cmd()
        .args(["progress", &id, "40", "in\x1b[2Jprogress"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(!bad.stderr.contains(&0x1b), "{bad:?}");
    let list = env.ok(&["list"]);
    assert_eq!(list.lines().count(), 3, "header, one row, count: {list}");
    assert!(list.contains("evil\\nwork_999"), "{list}");
    // --json keeps the exact text.
    let json: Value = serde_json::from_str(&env.ok(&["--json", "list"])).unwrap();
    assert_eq!(json[0]["description"], DESC);
    assert_eq!(json[0]["team"], TEAM);
    assert_eq!(json[0]["work_type"], KIND);
}

#[test]
fn huge_values_are_shortened_in_views_but_complete_in_show_and_json() {
    let env = Env::new();
    let id = env.claim(&["bug", "small"]);
    let huge = "x".repeat(5 * 1024 * 1024);
    let mut claims = env.json("work_claims.json");
    claims[0]["description"] = Value::String(huge.clone());
    std::fs::write(env.path("work_claims.json"), claims.to_string()).unwrap();
    for args in [
        &["dashboard", "--text"][..],
        &["scrum-of-scrums"],
        &["system-demo"],
    ] {
        let text = env.ok(args);
        assert!(text.len() < 20_000, "{args:?} printed {} bytes", text.len());
    }
    let dash = env.ok(&["dashboard", "--text"]);
    assert!(dash.contains(&format!("{}…", "x".repeat(199))), "{dash}");
    assert!(env.ok(&["show", &id]).contains(&huge));
    let json: Value = serde_json::from_str(&env.ok(&["--json", "show", &id])).unwrap();
    assert_eq!(
        json["claim"]["description"].as_str().map(str::len),
        Some(huge.len())
    );
}
