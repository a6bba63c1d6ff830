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

#[test]
fn bad_trace_and_span_ids_are_refused() {
    let claim = ["claim", "bug", "x"];
    refused(
        &[("FORCE_TRACE_ID", "work_7")],
        &claim,
        "❌ ERROR: invalid FORCE_TRACE_ID 'work_7': must be 32 hex digits, not all zero",
    );
    let zero = "0".repeat(32);
    for var in [
        "FORCE_TRACE_ID",
        "COORDINATION_TRACE_ID",
        "TRACE_ID",
        "OTEL_TRACE_ID",
    ] {
        refused(&[(var, &zero)], &claim, &format!("invalid {var} '{zero}'"));
        refused(&[(var, "4BF92F3577B34DA6A3CE929D0E0E4736")], &claim, var);
        refused(&[(var, "4bf92f3577b34da6a3ce929d0e0e473")], &claim, var);
    }
    refused(
        &[("OTEL_PARENT_SPAN_ID", "0000000000000000")],
        &claim,
        "invalid OTEL_PARENT_SPAN_ID '0000000000000000': must be 16 hex digits, not all zero",
    );
    refused(
        &[("TRACEPARENT", "00-work_7-00f067aa0ba902b7-01")],
        &claim,
        "invalid TRACEPARENT",
    );
    refused(
        &[(
            "TRACEPARENT",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        )],
        &claim,
        "invalid TRACEPARENT",
    );
}

#[test]
fn bad_agent_ids_are_refused() {
    let claim = ["claim", "bug", "x"];
    refused(
        &[("AGENT_ID", "bob_work_42")],
        &claim,
        "invalid AGENT_ID 'bob_work_42'",
    );
    refused(
        &[(
            "AGENT_ID",
            "bob\n✅ SUCCESS: Claimed work item work_1 for team x",
        )],
        &claim,
        "invalid AGENT_ID 'bob\\n✅ SUCCESS",
    );
    refused(
        &[("AGENT_ID", &"a".repeat(129))],
        &claim,
        "invalid AGENT_ID",
    );
    refused(&[("AGENT_ID", "a b")], &["list"], "invalid AGENT_ID 'a b'");
    refused(
        &[],
        &["register", "bob_work_42"],
        "invalid agent id 'bob_work_42'",
    );
    refused(
        &[],
        &["register", "x\x1b[2J"],
        "invalid agent id 'x\\x1b[2J'",
    );
    refused(&[], &["heartbeat", "work_9"], "invalid agent id 'work_9'");
    // `grep -o 'work_[0-9]*'` would print a bare `work_` from this one.
    refused(
        &[("AGENT_ID", "homework_bob")],
        &claim,
        "must not contain work_",
    );
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
