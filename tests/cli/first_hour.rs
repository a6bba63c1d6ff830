//! What a new user meets in the first hour, from the README: the store a
//! `--dir` names, typos in directories, commands and filters, counts in the
//! right number, and who holds an item.

use crate::common::{Env, succeeded};

#[test]
fn an_explicit_dir_wins_over_nexus_store() {
    let env = Env::empty();
    // A server that is not there: with --dir it is never contacted.
    let out = env
        .cmd()
        .env("NEXUS_STORE", "postgres://nexus@127.0.0.1:1/nexus")
        .args(["--dir"])
        .arg(env.dir())
        .args(["claim", "bug", "into the directory"])
        .output()
        .unwrap();
    succeeded(&out);
    assert_eq!(env.json("work_claims.json").as_array().unwrap().len(), 1);
    for cmd in ["status", "doctor"] {
        let out = env
            .cmd()
            .env("NEXUS_STORE", "postgres://nexus@127.0.0.1:1/nexus")
            .arg("--dir")
            .arg(env.dir())
            .arg(cmd)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let first = text.lines().next().unwrap_or("");
        assert!(
            first.contains(&env.dir().display().to_string()),
            "{cmd}: {first}"
        );
    }
}

#[test]
fn a_dir_is_created_only_under_an_existing_parent_and_said_once() {
    let env = Env::new();
    let out = env
        .cmd()
        .arg("--dir")
        .arg(env.dir())
        .args(["claim", "bug", "x"])
        .output()
        .unwrap();
    succeeded(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err, format!("created {}\n", env.dir().display()));
    let again = env
        .cmd()
        .arg("--dir")
        .arg(env.dir())
        .args(["claim", "bug", "y"])
        .output()
        .unwrap();
    succeeded(&again);
    assert!(again.stderr.is_empty());
    let typo = env.tmp.path().join("cordination/team/coordination");
    let out = env
        .cmd()
        .arg("--dir")
        .arg(&typo)
        .args(["claim", "bug", "z"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("❌ ERROR: cannot create directory") && err.contains("does not exist"),
        "{err}"
    );
    assert!(!env.tmp.path().join("cordination").exists());
}

#[test]
fn a_mistyped_command_suggests_the_nearest_first() {
    let env = Env::empty();
    let out = env.cmd().arg("clam").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("tip: did you mean 'claim'?"), "{err}");
}

#[test]
fn unknown_list_filters_name_the_known_values() {
    let env = Env::new();
    let id = env.claim(&["bug", "x"]);
    env.ok(&["progress", &id, "10", "testing"]);
    let out = env
        .cmd()
        .args(["list", "--status", "actve"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("'actve'") && err.contains("active, in_progress") && err.contains("testing"),
        "{err}"
    );
    // A custom status in the state is a known one.
    assert!(
        env.ok(&["list", "--status", "testing"])
            .contains("1 item\n")
    );
    assert!(
        env.ok(&["list", "--status", "blocked"])
            .contains("0 items\n")
    );
    let out = env
        .cmd()
        .args(["list", "--priority", "urgent"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("critical, high, medium, low"));
}

#[test]
fn counts_of_one_are_singular() {
    let env = Env::new();
    let a = env.ok(&["--json", "add", "bug", "first"]);
    let a: serde_json::Value = serde_json::from_str(&a).unwrap();
    let a = a["work_item_id"].as_str().unwrap().to_string();
    env.ok(&["add", "bug", "second", "--depends-on", &a]);
    assert!(
        env.ok(&["ready"])
            .starts_with("✅ READY: 1 item, in claim order")
    );
    assert!(
        env.ok(&["blocked"])
            .starts_with("⛔ BLOCKED: 1 item waits on others")
    );
    assert!(env.ok(&["doctor"]).contains("work_claims.json: 2 records"));
    let one = Env::new();
    one.claim(&["bug", "x"]);
    assert!(
        one.ok(&["doctor"])
            .contains("agent_status.json: 1 record\n")
    );
}

#[test]
fn a_write_by_an_agent_that_never_held_the_item_names_the_holder() {
    let env = Env::new();
    env.ok(&["add", "bug", "x"]);
    let out = env
        .cmd()
        .env("AGENT_ID", "alice")
        .args(["--json", "claim", "--next"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = v["work_item_id"].as_str().unwrap().to_string();
    for args in [vec!["release", id.as_str()], vec!["complete", id.as_str()]] {
        let out = env
            .cmd()
            .env("AGENT_ID", "bob")
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("work item {id} is held by alice"))
                && err.contains("agent bob never held it"),
            "{err}"
        );
        assert!(!err.contains("lease lost"), "{err}");
    }
}

#[test]
fn a_named_ai_provider_without_its_key_says_it_fell_back() {
    let env = Env::with_fixtures();
    let out = env
        .cmd()
        .env("NEXUS_AI_PROVIDER", "anthropic")
        .arg("claude-priorities")
        .output()
        .unwrap();
    let text = succeeded(&out);
    let first = text.lines().next().unwrap();
    assert!(
        first.contains("anthropic provider unavailable: ANTHROPIC_API_KEY is not set; fell back to the offline analysis"),
        "{first}"
    );
}
