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

/// Bidirectional overrides, isolates and marks, and the Unicode line and
/// paragraph separators: each can make a row display reordered or split.
const BIDI: [char; 12] = [
    '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}', '\u{2028}', '\u{2029}', '\u{200f}',
];

#[test]
fn bidi_controls_and_line_separators_are_escaped_in_every_human_view() {
    let env = Env::new();
    let desc: String = BIDI.iter().map(|c| format!("x{c}")).collect();
    let team = "t\u{202e}maet";
    let out = env
        .cmd()
        .args(["add", "bug\u{2066}", &desc, "high", team])
        .output()
        .unwrap();
    let id = crate::common::first_work_id(&crate::common::succeeded(&out));
    env.ok(&["add", "bug", "another", "low"]);
    env.ok(&["add", "bug", "a third", "low"]);
    let mut views: Vec<Vec<&str>> = vec![
        vec!["ready"],
        vec!["list"],
        vec!["show", &id],
        vec!["status"],
        vec!["dashboard", "--text"],
        vec!["dashboard", "--once"],
        vec!["scrum-of-scrums"],
        vec!["portfolio-kanban"],
    ];
    let refused = env
        .cmd()
        .args(["claim", "--next"])
        .env("AGENT_ID", "a\u{2067}1")
        .output()
        .unwrap();
    // Refused or accepted, what it printed is escaped.
    let refused = format!(
        "{}{}",
        String::from_utf8_lossy(&refused.stdout),
        String::from_utf8_lossy(&refused.stderr)
    );
    let claimed = env
        .cmd()
        .args(["claim", "--next"])
        .env("AGENT_ID", "a1")
        .output()
        .unwrap();
    let claimed = crate::common::succeeded(&claimed);
    views.push(vec!["system-demo"]);
    views.push(vec!["watch", "--since", "0", "--no-follow"]);
    let mut seen = vec![
        ("claim --next".to_string(), claimed),
        ("a refused agent id".to_string(), refused),
    ];
    for args in &views {
        let out = env.cmd().args(args).output().unwrap();
        seen.push((args.join(" "), String::from_utf8_lossy(&out.stdout).into()));
    }
    for (args, text) in &seen {
        for c in BIDI {
            assert!(
                !text.contains(c),
                "{args} printed U+{:04X}: {text:?}",
                c as u32
            );
        }
    }
    let list = &seen[3].1;
    assert!(list.contains("\\u{202e}"), "{list}");
    let json: Value = serde_json::from_str(&env.ok(&["--json", "show", &id])).unwrap();
    assert_eq!(
        json["claim"]["description"],
        desc.as_str(),
        "--json stays exact"
    );
}
