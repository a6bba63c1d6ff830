//! Ids from the environment and agent ids are validated before anything is
//! written, so the printed trace id and the first `work_<n>` can be trusted.

use crate::common::{Env, first_work_id};

/// Run `args` with `vars`: exit 1, the expected error line, nothing written.
fn refused(vars: &[(&str, &str)], args: &[&str], expected: &str) {
    let env = Env::new();
    let mut c = env.cmd();
    c.args(args);
    for (k, v) in vars {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{vars:?} {args:?}: {err}");
    assert!(err.contains(expected), "{vars:?}: {err}");
    assert!(
        !err.contains('\n') || err.lines().count() == 1,
        "one line: {err:?}"
    );
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        !env.dir().exists(),
        "{vars:?} {args:?} wrote to the directory"
    );
}

/// Run `claim` with `vars`: it succeeds with a fresh trace (not `bad`) and
/// one warning line naming `var`.
fn fresh_trace(var: &str, bad: &str) {
    let env = Env::new();
    let out = env
        .cmd()
        .env(var, bad)
        .args(["claim", "bug", "x"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{var}={bad}: {err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!("⚠️ WARNING: ignoring {var}=")),
        "{err}"
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let trace = text
        .lines()
        .next()
        .unwrap()
        .strip_prefix("🔍 Trace ID: ")
        .unwrap();
    assert!(trace.len() == 32 && !bad.contains(trace), "{text}");
    let span = &crate::common::span_lines(&env)[0];
    assert_eq!(span["trace_id"], trace);
}

#[test]
fn trace_and_span_ids_that_are_not_w3c_ids_start_a_fresh_trace() {
    let zero = "0".repeat(32);
    for var in [
        "FORCE_TRACE_ID",
        "COORDINATION_TRACE_ID",
        "TRACE_ID",
        "OTEL_TRACE_ID",
    ] {
        fresh_trace(var, &zero);
        fresh_trace(var, "4bf92f3577b34da6a3ce929d0e0e473");
        fresh_trace(var, "work_7");
    }
    fresh_trace("OTEL_PARENT_SPAN_ID", "0000000000000000");
    fresh_trace("TRACEPARENT", "00-work_7-00f067aa0ba902b7-01");
    fresh_trace(
        "TRACEPARENT",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
    );
    // An uppercase id is the same id: used, lowercased, without a warning.
    let env = Env::new();
    let out = env
        .cmd()
        .env("TRACE_ID", "4BF92F3577B34DA6A3CE929D0E0E4736")
        .args(["claim", "bug", "x"])
        .output()
        .unwrap();
    assert!(out.stderr.is_empty());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("🔍 Trace ID: 4bf92f3577b34da6a3ce929d0e0e4736\n"));
}

#[test]
fn agent_ids_with_control_characters_are_refused() {
    let claim = ["claim", "bug", "x"];
    refused(
        &[(
            "AGENT_ID",
            "bob\n✅ SUCCESS: Claimed work item work_1 for team x",
        )],
        &claim,
        "invalid AGENT_ID 'bob\\n✅ SUCCESS",
    );
    refused(
        &[],
        &["register", "x\x1b[2J"],
        "invalid agent id 'x\\x1b[2J'",
    );
    refused(&[], &["heartbeat", "a\tb"], "invalid agent id 'a\\tb'");
}

#[test]
fn agent_ids_with_work_in_them_never_come_before_the_new_id() {
    // `grep -o 'work_[0-9]*' | head -1` must still print the new id.
    for agent in ["homework_bob", "bob_work_42", "work_9", &"a".repeat(300)] {
        let env = Env::new();
        let out = env
            .cmd()
            .env("AGENT_ID", agent)
            .args(["claim", "bug", "x"])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let id = first_work_id(&text);
        assert_eq!(env.json("work_claims.json")[0]["work_item_id"], id.as_str());
        assert_eq!(env.json("work_claims.json")[0]["agent_id"], agent);
    }
}

#[test]
fn the_first_work_id_in_claim_output_is_the_new_one() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["--json", "claim", "bug", "see work_1 and work_2"])
        .env("AGENT_ID", "home.work-bob")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = json["work_item_id"].as_str().unwrap().to_string();
    let text = env
        .cmd()
        .args(["claim", "bug", "work_3 first?"])
        .env("AGENT_ID", "home.work-bob")
        .env("FORCE_TRACE_ID", "0af7651916cd43dd8448eb211c80319c")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let second = first_work_id(&text);
    assert_ne!(second, id);
    assert!(env.read("work_claims.json").contains(&second));
}
