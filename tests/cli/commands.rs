//! Every command of the contract, its output lines and the records it writes.

use serde_json::Value;

use crate::common::{Env, first_work_id, keys, span_lines};

const CLAIM_KEYS: [&str; 11] = [
    "work_item_id",
    "agent_id",
    "reactor_id",
    "claimed_at",
    "estimated_duration",
    "work_type",
    "priority",
    "description",
    "status",
    "team",
    "telemetry",
];

#[test]
fn claim_prints_legacy_lines_and_writes_record_in_key_order() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["claim", "bug_fix", "Fix the login", "high", "backend_team"])
        .env("AGENT_ID", "agent_7")
        .env("FORCE_TRACE_ID", "0af7651916cd43dd8448eb211c80319c")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let id = first_work_id(&stdout);
    assert_eq!(lines.len(), 4, "{stdout}");
    assert_eq!(lines[0], "🔍 Trace ID: 0af7651916cd43dd8448eb211c80319c");
    assert_eq!(lines[1], format!("🤖 Agent agent_7 claiming work: {id}"));
    assert_eq!(
        lines[2],
        format!("✅ SUCCESS: Claimed work item {id} for team backend_team")
    );
    assert_eq!(
        lines[3],
        "🔧 REGISTERED: Agent agent_7 in team backend_team with 100% capacity"
    );

    let claims = env.json("work_claims.json");
    let c = &claims[0];
    assert_eq!(keys(c), CLAIM_KEYS);
    assert_eq!(c["work_item_id"], id.as_str());
    assert_eq!(c["agent_id"], "agent_7");
    assert_eq!(c["reactor_id"], "shell_agent");
    assert_eq!(c["estimated_duration"], "30m");
    assert_eq!(c["status"], "active");
    assert_eq!(c["priority"], "high");
    assert_eq!(
        keys(&c["telemetry"]),
        ["trace_id", "span_id", "operation", "service"]
    );
    assert_eq!(
        c["telemetry"]["trace_id"],
        "0af7651916cd43dd8448eb211c80319c"
    );
    assert_eq!(c["telemetry"]["operation"], "s2s.work.claim");
    assert_eq!(c["telemetry"]["service"], "s2s-coordination");
    let claimed_at = c["claimed_at"].as_str().unwrap();
    assert_eq!(claimed_at.len(), 20);
    assert!(claimed_at.ends_with('Z'));

    let agents = env.json("agent_status.json");
    assert_eq!(agents[0]["agent_id"], "agent_7");
    assert_eq!(agents[0]["team"], "backend_team");
    assert_eq!(
        keys(&agents[0]),
        [
            "agent_id",
            "team",
            "status",
            "capacity",
            "current_workload",
            "specialization",
            "last_heartbeat",
            "performance_metrics"
        ]
    );

    let spans = span_lines(&env);
    assert_eq!(spans.len(), 1);
    let s = &spans[0];
    assert_eq!(s["trace_id"], "0af7651916cd43dd8448eb211c80319c");
    assert_eq!(s["span_id"], c["telemetry"]["span_id"]);
    assert_eq!(s["operation_name"], "s2s.work.claim");
    assert_eq!(s["status"], "ok");
    assert_eq!(s["span_attributes"]["s2s.work_item_id"], id.as_str());
    assert_eq!(s["span_attributes"]["s2s.agent_id"], "agent_7");
    assert_eq!(s["span_attributes"]["s2s.team"], "backend_team");
    assert_eq!(s["forced_trace_context"]["trace_forced"], true);
}

#[test]
fn claim_defaults_and_empty_strings_mean_default() {
    let env = Env::new();
    let out = env.ok(&["claim", "feature", "x", "", ""]);
    assert!(out.contains("for team autonomous_team"), "{out}");
    let c = &env.json("work_claims.json")[0];
    assert_eq!(c["priority"], "medium");
    assert_eq!(c["team"], "autonomous_team");
    assert!(c["agent_id"].as_str().unwrap().starts_with("agent_"));
    assert_eq!(env.json("agent_status.json")[0]["capacity"], 100);
}

#[test]
fn tricky_descriptions_are_stored_exactly() {
    let env = Env::new();
    let texts = [
        r#"He said "hi" \ and \n left"#,
        "multi\nline\ttabbed",
        "unicode ✓ 日本語 🚀",
        "$(rm -rf /) `id` ; | & > < * ?",
    ];
    for t in texts {
        env.claim(&["bug", t]);
    }
    let claims = env.json("work_claims.json");
    for (i, t) in texts.iter().enumerate() {
        assert_eq!(claims[i]["description"], *t);
    }
}

#[test]
fn claims_append_at_the_end_with_unique_increasing_ids() {
    let env = Env::with_fixtures();
    let before = env.json("work_claims.json").as_array().unwrap().len();
    let a = env.claim(&["a", "first"]);
    let b = env.claim(&["b", "second"]);
    let claims = env.json("work_claims.json");
    let arr = claims.as_array().unwrap();
    assert_eq!(arr.len(), before + 2);
    assert_eq!(arr[before]["work_item_id"], a.as_str());
    assert_eq!(arr[before + 1]["work_item_id"], b.as_str());
    assert_ne!(a, b);
    // The appended file is line for line what a full pretty rewrite gives,
    // but for the spaces after a new record's closing brace (its room to
    // grow in place).
    let pretty = serde_json::to_string_pretty(&claims).unwrap() + "\n";
    let text = env.read("work_claims.json");
    let roomy: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_end_matches(',').ends_with(' '))
        .collect();
    assert_eq!(roomy.len(), 2, "the two new records have room");
    assert!(roomy.iter().all(|l| l.trim_end_matches(',').trim() == "}"));
    let trimmed: String = text
        .lines()
        .map(|l| match l.strip_suffix(',') {
            Some(l) => format!("{},\n", l.trim_end()),
            None => format!("{}\n", l.trim_end()),
        })
        .collect();
    assert_eq!(trimmed, pretty);
}

#[test]
fn progress_updates_fields_and_prints_lines() {
    let env = Env::new();
    let id = env.claim(&["bug", "x"]);
    let out = env
        .cmd()
        .args(["progress", &id, "75"])
        .env("TRACE_ID", "11111111111111111111111111111111")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        format!(
            "🔍 Trace ID: 11111111111111111111111111111111\n📈 PROGRESS: Updated {id} to 75% (in_progress)\n"
        )
    );
    let c = &env.json("work_claims.json")[0];
    assert_eq!(c["status"], "in_progress");
    assert_eq!(c["progress"], 75);
    assert!(c["last_update"].is_string());
    assert_eq!(
        c["telemetry"]["last_progress_trace_id"],
        "11111111111111111111111111111111"
    );
    let mut k = keys(c);
    assert_eq!(k.split_off(11), ["progress", "last_update"]);
    env.ok(&["progress", &id, "90", "review"]);
    assert_eq!(env.json("work_claims.json")[0]["status"], "review");
    let spans = span_lines(&env);
    assert_eq!(spans[1]["operation_name"], "s2s.work.progress");
    assert_eq!(spans[1]["span_attributes"]["s2s.progress_percent"], 75);
}

#[test]
fn progress_and_complete_default_to_current_work_item() {
    let env = Env::new();
    let id = env.claim(&["bug", "x"]);
    let out = env
        .cmd()
        .args(["progress", "", "40"])
        .env("CURRENT_WORK_ITEM", &id)
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = env
        .cmd()
        .args(["progress", "60"])
        .env("CURRENT_WORK_ITEM", &id)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("Updated {id} to 60%")));
    let out = env
        .cmd()
        .arg("complete")
        .env("CURRENT_WORK_ITEM", &id)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(env.json("work_claims.json")[0]["status"], "completed");
}

#[test]
fn complete_writes_claim_log_velocity_and_lines() {
    let env = Env::new();
    let id = env
        .cmd()
        .args(["claim", "bug", "x"])
        .env("AGENT_ID", "agent_1")
        .output()
        .unwrap();
    let id = first_work_id(&String::from_utf8(id.stdout).unwrap());
    let out = env
        .cmd()
        .args(["complete", &id, "merged", "8"])
        .env("AGENT_TEAM", "platform_team")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!(
            "✅ COMPLETED: Released claim for {id} (merged) - 8 velocity points\n📊 VELOCITY: Added 8 points to team platform_team velocity\n"
        )
    );
    let c = &env.json("work_claims.json")[0];
    assert_eq!(c["status"], "completed");
    assert_eq!(c["result"], "merged");
    let mut k = keys(c);
    assert_eq!(k.split_off(11), ["completed_at", "result"]);
    let log = env.json("coordination_log.json");
    assert_eq!(
        keys(&log[0]),
        [
            "work_item_id",
            "completed_at",
            "agent_id",
            "result",
            "velocity_points",
            "team"
        ]
    );
    assert_eq!(
        log[0]["team"], "platform_team",
        "the credited team is named"
    );
    assert_eq!(log[0]["work_item_id"], id.as_str());
    assert_eq!(log[0]["agent_id"], "agent_1");
    assert_eq!(log[0]["velocity_points"], 8);
    let v = env.read("velocity_log.txt");
    assert!(
        v.ends_with(": Team platform_team +8 velocity points\n"),
        "{v}"
    );
    assert_eq!(span_lines(&env)[1]["operation_name"], "s2s.work.complete");
    env.ok(&["complete", &env.claim(&["b", "y"])]);
    assert!(
        env.read("velocity_log.txt")
            .ends_with("Team autonomous_team +5 velocity points\n")
    );
}

#[test]
fn register_replaces_and_moves_agent_to_the_end() {
    let env = Env::new();
    let out = env.ok(&["register", "agent_a", "platform_team", "80", "infra"]);
    assert_eq!(
        out,
        "🔧 REGISTERED: Agent agent_a in team platform_team with 80% capacity\n"
    );
    env.ok(&["register", "agent_b"]);
    env.ok(&["register", "agent_a", "", "60"]);
    let agents = env.json("agent_status.json");
    let arr = agents.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[1]["agent_id"], "agent_a");
    assert_eq!(arr[1]["team"], "autonomous_team");
    assert_eq!(arr[1]["capacity"], 60);
    assert_eq!(arr[0]["specialization"], "general_development");
    // A claim by a registered agent keeps its capacity.
    let out = env
        .cmd()
        .args(["claim", "x", "y"])
        .env("AGENT_ID", "agent_b")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("with 100% capacity"));
}

#[test]
fn generate_id_help_and_version() {
    let env = Env::new();
    let id = env.ok(&["generate-id"]);
    assert!(
        id.starts_with("agent_") && id.trim()[6..].chars().all(|c| c.is_ascii_digit()),
        "{id}"
    );
    let help = env.ok(&["help"]);
    for needle in [
        "SCRUM AT SCALE AGENT COORDINATION HELPER",
        "Usage:",
        "Work Management Commands:",
        "claim",
        "progress",
        "complete",
        "register",
        "dashboard",
        "generate-id",
        "pi-planning",
        "scrum-of-scrums",
        "innovation-planning | ip",
        "system-demo",
        "inspect-adapt | ia",
        "art-sync",
        "portfolio-kanban",
        "coach-training",
        "value-stream | vsm",
    ] {
        assert!(help.contains(needle), "help lacks {needle}");
    }
    assert!(env.ok(&["--version"]).starts_with("nexus "));
    assert!(env.ok(&["claim", "--help"]).contains("Example:"));
    assert!(
        !env.dir().exists(),
        "read-only commands must not create the directory"
    );
}

#[test]
fn json_flag_prints_one_object_before_or_after_subcommand() {
    let env = Env::new();
    let out = env.ok(&["--json", "claim", "bug", "x"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(out.lines().count(), 1);
    assert_eq!(v["ok"], true);
    let id = v["work_item_id"].as_str().unwrap().to_string();
    assert_eq!(v["claim"]["work_item_id"], id.as_str());
    assert!(v["traceparent"].as_str().unwrap().starts_with("00-"));
    let v: Value = serde_json::from_str(&env.ok(&["progress", &id, "10", "--json"])).unwrap();
    assert_eq!(v["progress"], 10);
    let v: Value = serde_json::from_str(&env.ok(&["complete", &id, "--json"])).unwrap();
    assert_eq!(v["completion"]["velocity_points"], 5);
    let v: Value = serde_json::from_str(&env.ok(&["pi-planning", "--json"])).unwrap();
    assert_eq!(v["metrics"]["completed"], 1);
    let out = env
        .cmd()
        .args(["--json", "complete", &id])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["kind"], "already_completed");
}

#[test]
fn trace_context_from_traceparent_and_parent_span() {
    let env = Env::new();
    env.cmd()
        .args(["claim", "a", "b"])
        .env(
            "TRACEPARENT",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        )
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "Trace ID: 4bf92f3577b34da6a3ce929d0e0e4736",
        ));
    let s = &span_lines(&env)[0];
    assert_eq!(s["parent_span_id"], "00f067aa0ba902b7");
    env.cmd()
        .args(["register", "a"])
        .env("OTEL_TRACE_ID", "abcdef0123456789abcdef0123456789")
        .env("OTEL_PARENT_SPAN_ID", "0123456789abcdef")
        .assert()
        .success();
    let s = &span_lines(&env)[1];
    assert_eq!(
        (s["trace_id"].as_str(), s["parent_span_id"].as_str()),
        (
            Some("abcdef0123456789abcdef0123456789"),
            Some("0123456789abcdef")
        )
    );
}

#[test]
fn dir_flag_wins_and_nearest_coordination_dir_is_found() {
    let env = Env::new();
    let other = env.tmp.path().join("elsewhere");
    env.ok(&["--dir", other.to_str().unwrap(), "claim", "a", "b"]);
    assert!(other.join("work_claims.json").exists());
    assert!(!env.dir().exists());
    // Without flag or variable, an ancestor's coordination/ is found.
    env.ok(&["register", "x"]);
    std::fs::write(env.path("work_claims.json"), "[]").unwrap();
    let sub = env.tmp.path().join("a/b");
    std::fs::create_dir_all(&sub).unwrap();
    env.cmd()
        .env_remove("COORDINATION_DIR")
        .current_dir(&sub)
        .args(["claim", "a", "b"])
        .assert()
        .success();
    assert_eq!(env.json("work_claims.json").as_array().unwrap().len(), 1);
}

#[test]
fn an_agent_claiming_in_a_loop_keeps_one_record_with_its_workload() {
    let env = Env::new();
    let claim = |team: &str| {
        env.cmd()
            .args(["claim", "loop", "x", "", team])
            .env("AGENT_ID", "agent_loop")
            .assert()
            .success();
    };
    claim("t1");
    claim("t1");
    claim("t1");
    let agents = env.json("agent_status.json");
    assert_eq!(agents.as_array().unwrap().len(), 1, "one record per agent");
    assert_eq!(agents[0]["current_workload"], 3);
    assert_eq!(env.json("work_claims.json").as_array().unwrap().len(), 3);
    claim("t2");
    let agents = env.json("agent_status.json");
    assert_eq!(agents[0]["team"], "t2", "a team change is written");
    // A stale heartbeat is refreshed by the next claim.
    env.cmd()
        .args(["claim", "loop", "x", "", "t2"])
        .env("AGENT_ID", "agent_loop")
        .env("NEXUS_NOW", "2099-01-01T00:00:00Z")
        .assert()
        .success();
    assert_eq!(
        env.json("agent_status.json")[0]["last_heartbeat"],
        "2099-01-01T00:00:00Z"
    );
}

#[test]
fn a_request_id_makes_claim_add_and_complete_safe_to_retry() {
    let env = Env::new();
    let first = env.ok(&["claim", "bug", "retry me", "--request-id", "req-1"]);
    let again = env.ok(&["claim", "bug", "retry me", "--request-id", "req-1"]);
    assert_eq!(first_work_id(&first), first_work_id(&again));
    let id = first_work_id(&first);
    let added = env.ok(&["add", "chore", "later", "--request-id", "req-2"]);
    assert_eq!(
        added,
        env.ok(&["add", "chore", "later", "--request-id", "req-2"])
    );
    assert_eq!(env.json("work_claims.json").as_array().unwrap().len(), 2);
    let done = env.ok(&["complete", &id, "--request-id", "req-3"]);
    assert_eq!(done, env.ok(&["complete", &id, "--request-id", "req-3"]));
    assert_eq!(
        env.json("coordination_log.json").as_array().unwrap().len(),
        1
    );
    assert_eq!(env.read("velocity_log.txt").lines().count(), 1);
    // Without the same request id, completing twice is still refused.
    env.cmd()
        .args(["complete", &id, "--request-id", "req-4"])
        .assert()
        .code(1);
}

#[test]
fn every_change_takes_a_request_id_and_a_retry_is_answered_as_before() {
    let env = Env::new();
    let as_agent = |agent: &str, args: &[&str]| run_as(&env, agent, args);
    let id = first_work_id(&crate::common::succeeded(&as_agent(
        "agent_a",
        &["claim", "bug", "retry the rest"],
    )));
    let dep = env.claim(&["bug", "a dependency"]);
    env.ok(&["dep", "add", &id, "--on", &dep]);
    let steps: [&[&str]; 3] = [
        &["progress", &id, "40", "--request-id", "P1"],
        &["dep", "rm", &id, "--on", &dep, "--request-id", "D1"],
        &["release", &id, "--request-id", "L1"],
    ];
    for args in steps {
        let first = crate::common::succeeded(&as_agent("agent_a", args));
        let events = env.read("events.jsonl");
        let again = crate::common::succeeded(&as_agent("agent_a", args));
        assert_eq!(
            first
                .lines()
                .filter(|l| !l.contains("Trace ID"))
                .collect::<Vec<_>>(),
            again
                .lines()
                .filter(|l| !l.contains("Trace ID"))
                .collect::<Vec<_>>(),
            "{args:?}"
        );
        assert_eq!(env.read("events.jsonl"), events, "{args:?}: acted twice");
    }
    let item = env.json("work_claims.json")[0].clone();
    assert_eq!(item["status"], "available", "{item}");
    assert_eq!(item["depends_on"], serde_json::json!([]), "{item}");
    // Another agent's release with the same id is a clash, not a replay.
    let before = env.files();
    let out = as_agent("agent_b", &["--json", "release", &id, "--request-id", "L1"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "request_id_clash", "{v}");
    assert_eq!(env.files(), before, "a clash changes nothing");
    // Without a request id, releasing twice is still refused.
    let out = as_agent("agent_a", &["release", &id]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

#[test]
fn an_archived_item_answers_as_completed_and_a_retry_as_before() {
    let env = Env::new();
    let id = env.claim(&["bug", "archive me"]);
    let done = env.ok(&["complete", &id, "success", "3", "--request-id", "req-9"]);
    env.ok(&["cleanup", "--archive-after", "0s"]);
    assert!(env.read("work_claims_archive.jsonl").contains(&id));
    assert_eq!(
        done,
        env.ok(&["complete", &id, "success", "3", "--request-id", "req-9"]),
        "a retry returns the original result"
    );
    let before = env.files();
    for args in [
        vec!["--json", "progress", &id, "50"],
        vec!["--json", "complete", &id],
    ] {
        let out = env.cmd().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["kind"], "already_completed", "{args:?}: {v}");
    }
    assert_eq!(env.files(), before, "nothing written");
    assert_eq!(env.read("velocity_log.txt").lines().count(), 1);
}

#[test]
fn a_request_id_is_scoped_by_agent_and_command() {
    let env = Env::new();
    let as_agent = |agent: &str, args: &[&str]| run_as(&env, agent, args);
    let first = crate::common::succeeded(&as_agent(
        "agent_a",
        &["claim", "bug", "mine", "--request-id", "R"],
    ));
    let id = first_work_id(&first);
    // The same agent's retry is answered as the first time.
    let again = crate::common::succeeded(&as_agent(
        "agent_a",
        &["claim", "bug", "mine", "--request-id", "R"],
    ));
    assert_eq!(first_work_id(&again), id);
    let before = env.files();
    let clashes = [
        as_agent(
            "agent_b",
            &["--json", "claim", "bug", "mine", "--request-id", "R"],
        ),
        as_agent(
            "agent_a",
            &["--json", "add", "bug", "later", "--request-id", "R"],
        ),
        as_agent(
            "agent_a",
            &["--json", "claim", "--next", "--request-id", "R"],
        ),
    ];
    for out in clashes {
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["kind"], "request_id_clash", "{v}");
    }
    assert_eq!(env.files(), before, "a clash changes nothing");
    let agents = env.json("agent_status.json");
    assert_eq!(
        agents.as_array().unwrap().len(),
        1,
        "agent_b registered nowhere"
    );

    // An added item's request id does not claim it.
    let added = env.ok(&["add", "chore", "queued", "--request-id", "Q"]);
    let queued = first_work_id(&added);
    let out = as_agent(
        "agent_c",
        &["--json", "claim", "bug", "x", "--request-id", "Q"],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let item = env
        .json("work_claims.json")
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["work_item_id"] == queued.as_str())
        .cloned()
        .unwrap();
    assert_eq!(item["status"], "available");
    assert_eq!(
        added,
        env.ok(&["add", "chore", "queued", "--request-id", "Q"])
    );
}

#[test]
fn priority_moves_an_item_in_the_queue_and_refuses_what_it_cannot_mean() {
    let env = Env::new();
    let low = first_work_id(&env.ok(&["add", "chore", "first but low", "low"]));
    let high = first_work_id(&env.ok(&["add", "chore", "second, high", "high"]));
    let out = env.ok(&["priority", &low, "critical"]);
    assert!(
        out.contains(&format!("PRIORITY: {low} is now critical (was low)")),
        "{out}"
    );
    let next = env.ok(&["claim", "--next"]);
    assert!(
        next.contains(&low),
        "the critical item is taken first: {next}"
    );
    let before = env.files();
    for (args, kind) in [
        (
            vec!["--json", "priority", high.as_str(), "urgent"],
            "invalid_input",
        ),
        (vec!["--json", "priority", "work_nope", "high"], "not_found"),
    ] {
        let out = env.cmd().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["kind"], kind, "{args:?}: {v}");
    }
    assert_eq!(env.files(), before, "a refusal changes nothing");
    env.ok(&["complete", &low]);
    let out = env
        .cmd()
        .args(["--json", "priority", &low, "low"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "already_completed", "{v}");
}

/// `nexus args` as `agent`.
fn run_as(env: &Env, agent: &str, args: &[&str]) -> std::process::Output {
    env.cmd()
        .args(args)
        .env("AGENT_ID", agent)
        .output()
        .unwrap()
}
