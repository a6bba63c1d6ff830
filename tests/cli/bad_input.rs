//! Bad input: a one-line error naming the value, exit 1, and not one byte changed.

use std::fs;

use crate::common::Env;

/// Run nexus, expect exit 1 with an error line containing `needle`, and no file changed.
fn refused(env: &Env, args: &[&str], needle: &str) {
    let before = env.files();
    let out = env.cmd().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
    assert!(stderr.starts_with("❌ ERROR: "), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(needle), "{args:?}: {stderr} lacks {needle}");
    assert!(
        out.stdout.is_empty(),
        "{args:?} printed {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(before == env.files(), "{args:?} changed files");
}

#[test]
fn invalid_values_on_legacy_data() {
    let env = Env::with_fixtures();
    let active = "work_1750056186171644000";
    let done = "work_1734567890123456000";
    refused(&env, &["progress", "work_404", "50"], "work_404 not found");
    refused(&env, &["progress", active, "101"], "'101'");
    refused(&env, &["progress", active, "-5"], "'-5'");
    refused(&env, &["progress", active, "abc"], "'abc'");
    refused(&env, &["progress", active, "100.5"], "'100.5'");
    refused(&env, &["progress", active, "1e2"], "'1e2'");
    refused(
        &env,
        &["progress", active, "50", "done\x1b[2J"],
        "must not contain control characters",
    );
    refused(&env, &["register", "agent_x", "team", "500"], "'500'");
    refused(&env, &["register", "agent_x", "team", "1.5"], "'1.5'");
    refused(&env, &["complete", "work_404"], "work_404 not found");
    refused(&env, &["complete", active, "success", "five"], "'five'");
    refused(&env, &["complete", active, "success", "-1"], "'-1'");
    refused(&env, &["complete", done], "already completed");
    refused(&env, &["register", "agent_x", "team", "lots"], "'lots'");
    refused(&env, &["progress", "", "50"], "No work item ID specified");
    refused(&env, &["complete"], "No work item ID specified");
}

#[test]
fn missing_claims_file_is_reported_before_unknown_id() {
    let env = Env::new();
    refused(
        &env,
        &["progress", "work_1", "50"],
        "Work claims file not found",
    );
    refused(&env, &["complete", "work_1"], "Work claims file not found");
}

#[test]
fn corrupt_files_are_never_overwritten() {
    let cases: [(&str, &str); 4] = [
        ("work_claims.json", ""),
        ("work_claims.json", "[{\"work_item_id\": \"work_1\", "),
        ("work_claims.json", "{\"not\": \"an array\"}"),
        ("coordination_log.json", "[{]"),
    ];
    for (file, content) in cases {
        let env = Env::with_fixtures();
        fs::write(env.path(file), content).unwrap();
        let needle = file;
        refused(&env, &["complete", "work_1750056186171644000"], needle);
        if file == "work_claims.json" {
            refused(&env, &["claim", "bug", "x"], needle);
            refused(&env, &["progress", "work_1750056186171644000", "5"], needle);
            refused(&env, &["dashboard"], needle);
        }
    }
    let env = Env::with_fixtures();
    fs::write(env.path("agent_status.json"), "[oops").unwrap();
    refused(
        &env,
        &["claim", "bug", "x"],
        "agent_status.json does not parse at line 1, column 2",
    );
    refused(&env, &["register", "a"], "agent_status.json");
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    for args in [
        &["frobnicate"][..],
        &["claim"],
        &["claim", "--bogus", "a", "b"],
        &[],
        &["dashboard", "--refresh-ms", "1"],
        &["audit"],
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with("❌ ERROR: "), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert!(!env.dir().exists());
}

#[test]
fn a_missing_percent_is_a_usage_error_like_the_others() {
    let env = Env::with_fixtures();
    let active = "work_1750056186171644000";
    let before = env.files();
    let out = env.cmd().args(["progress", active]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("❌ ERROR: progress needs a percent"),
        "{stderr}"
    );
    assert!(before == env.files());
    let out = env
        .cmd()
        .args(["--json", "progress", active])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "usage");
    assert_eq!(v["ok"], false);
}

#[test]
fn clap_errors_under_json_print_one_json_object() {
    let env = Env::new();
    for args in [
        &["--json", "frobnicate"][..],
        &["claim", "--json"],
        &["--json", "register"],
        &["--json", "list", "--bogus"],
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(stdout.lines().count(), 1, "{stdout}");
        let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(v["ok"], false);
        assert_eq!(v["kind"], "usage");
        let error = v["error"].as_str().unwrap();
        assert!(!error.is_empty() && !error.contains('\n'), "{error}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            stderr.lines().next(),
            Some(format!("❌ ERROR: {error}").as_str())
        );
    }
    let out = env.cmd().args(["--json", "claim"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("<WORK_TYPE>, <DESCRIPTION>"),
        "{v}"
    );
}
