//! The legacy project's callers, run as they call: free-form statuses,
//! their agent ids, trace ids and numbers, and DEPLOYMENT_ENV, through the
//! shim where they use it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{Env, bin, first_work_id, span_lines, succeeded};

fn shim_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("coordination/coordination_helper.sh")
}

/// The shim, executed with `vars` set, the way caller scripts run it.
pub fn shim(env: &Env, vars: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(shim_path());
    for v in [
        "AGENT_ID",
        "TRACE_ID",
        "FORCE_TRACE_ID",
        "OTEL_TRACE_ID",
        "NEXUS_STORE",
    ] {
        cmd.env_remove(v);
    }
    cmd.args(args)
        .env("NEXUS_BIN", bin())
        .env("COORDINATION_DIR", env.dir())
        .env("NEXUS_AI_PROVIDER", "offline")
        .envs(vars.iter().copied())
        .current_dir(env.tmp.path())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn free_form_progress_statuses_are_stored_as_given_and_count_in_flight() {
    let env = Env::new();
    let id = first_work_id(&stdout(&shim(
        &env,
        &[("AGENT_ID", "progress_agent")],
        &["claim", "progress_test", "Test progress update"],
    )));
    for status in [
        "testing",
        "analysis",
        "design",
        "implementation",
        "testing_fixes",
        "trace_validation_in_progress",
        "comprehensive_validation_step_3",
    ] {
        let out = shim(&env, &[], &["progress", &id, "75", status]);
        assert_eq!(out.status.code(), Some(0), "{status}");
        assert!(
            stdout(&out).contains(&format!("📈 PROGRESS: Updated {id} to 75% ({status})")),
            "{}",
            stdout(&out)
        );
        assert_eq!(env.json("work_claims.json")[0]["status"], status);
    }
    let dash = env.ok(&["dashboard", "--text"]);
    // The legacy count (status `active` only) stays on the line callers
    // parse; the item still counts as in flight.
    assert!(dash.contains("Active Work Items: 0\n"), "{dash}");
    assert!(dash.contains("In flight: 1 ("), "{dash}");
    let listed = env.ok(&["list", "--json"]);
    assert!(
        listed.contains("comprehensive_validation_step_3"),
        "{listed}"
    );
    // Completed stays terminal, and statuses with control characters are refused.
    let bad = env
        .cmd()
        .args(["progress", &id, "80", "a\nb"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    env.ok(&["complete", &id]);
    let again = env
        .cmd()
        .args(["progress", &id, "90", "testing"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(env.json("work_claims.json")[0]["status"], "completed");
}

#[test]
fn deployment_env_only_labels_spans() {
    for label in ["testing", "production", "e2e-staging"] {
        let env = Env::new();
        let out = env
            .cmd()
            .env("DEPLOYMENT_ENV", label)
            .args(["claim", "bug", "no AGENT_ID", "whatever_priority"])
            .output()
            .unwrap();
        let text = succeeded(&out);
        first_work_id(&text);
        let span = &span_lines(&env)[0];
        assert_eq!(
            span["resource_attributes"]["deployment.environment"], label,
            "{span}"
        );
        let mode = env.ok(&["mode", "--json"]);
        assert!(mode.contains("\"development\""), "{label}: {mode}");
    }
}

#[test]
fn agent_ids_the_legacy_stored_are_accepted_and_the_work_id_comes_first() {
    for agent in [
        "network_agent_1",
        "framework_bot",
        "Agent Smith",
        "agent_müller",
    ] {
        let env = Env::new();
        let out = shim(&env, &[("AGENT_ID", agent)], &["claim", "bug", "fix it"]);
        let text = succeeded(&out);
        let id = first_work_id(&text);
        let claims = env.json("work_claims.json");
        assert_eq!(claims[0]["work_item_id"], id.as_str(), "{text}");
        assert_eq!(claims[0]["agent_id"], agent);
        let agents = env.json("agent_status.json");
        assert_eq!(agents[0]["agent_id"], agent);
    }
}

#[test]
fn read_only_commands_ignore_an_agent_id_they_cannot_use() {
    let env = Env::empty();
    for args in [
        &["help"][..],
        &["dashboard", "--text"],
        &["pi-planning"],
        &["generate-id"],
        &["claude-dashboard"],
    ] {
        let out = env
            .cmd()
            .env("AGENT_ID", "bad\u{1b}id")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
    }
    let out = env
        .cmd()
        .env("AGENT_ID", "bad\u{1b}id")
        .args(["claim", "bug", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid AGENT_ID"));
    assert!(!env.path("work_claims.json").exists());
}

#[test]
fn trace_variables_never_refuse_a_command() {
    let env = Env::new();
    let upper = "0AF76519-16CD-43DD-8448-EB211C80319C";
    let out = env
        .cmd()
        .env("TRACE_ID", upper)
        .args(["claim", "bug", "uuid trace"])
        .output()
        .unwrap();
    let text = succeeded(&out);
    assert!(
        text.contains("🔍 Trace ID: 0af7651916cd43dd8448eb211c80319c"),
        "{text}"
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (var, value) in [
        ("FORCE_TRACE_ID", "e2e_test_trace"),
        ("TRACE_ID", "null"),
        ("OTEL_TRACE_ID", "abc"),
    ] {
        let out = env
            .cmd()
            .env(var, value)
            .args(["claim", "bug", "bad trace"])
            .output()
            .unwrap();
        let text = succeeded(&out);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(var) && err.contains("WARNING"), "{err}");
        let trace = text.lines().next().unwrap().rsplit(' ').next().unwrap();
        assert_eq!(trace.len(), 32, "{text}");
        assert_eq!(span_lines(&env).last().unwrap()["trace_id"], trace);
    }
}

#[test]
fn decimal_progress_is_stored_and_echoed_as_passed() {
    let env = Env::new();
    let id = env.claim(&["bug", "decimals"]);
    for (given, stored) in [
        ("33.5", serde_json::json!(33.5)),
        (" 50", serde_json::json!(50)),
        ("100", serde_json::json!(100)),
    ] {
        let out = shim(&env, &[], &["progress", &id, given]);
        assert!(
            stdout(&out).contains(&format!(
                "📈 PROGRESS: Updated {id} to {given}% (in_progress)"
            )),
            "{}",
            stdout(&out)
        );
        assert_eq!(env.json("work_claims.json")[0]["progress"], stored);
    }
    for bad in ["100.5", "-1", "abc", "1e2"] {
        let out = env.cmd().args(["progress", &id, bad]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{bad}");
        assert_eq!(env.json("work_claims.json")[0]["progress"], 100);
    }
}

#[test]
fn an_empty_work_type_is_claimed_but_no_arguments_is_a_usage_error() {
    let env = Env::new();
    let id = first_work_id(&stdout(&shim(&env, &[], &["claim", "", "no type"])));
    let claims = env.json("work_claims.json");
    assert_eq!(claims[0]["work_item_id"], id.as_str());
    assert_eq!(claims[0]["work_type"], "");
    let out = env.cmd().arg("claim").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(env.json("work_claims.json").as_array().unwrap().len(), 1);
}

/// Source the shim from `shell` running `script` after it, in `dir`.
fn sourced(shell: &str, script: &str, dir: &Path) -> Output {
    let body = format!(". '{}'\n{script}", shim_path().display());
    Command::new(shell)
        .args(["-c", &body])
        .env("NEXUS_BIN", bin())
        .env("COORDINATION_DIR", dir)
        .env("NEXUS_AI_PROVIDER", "offline")
        .env_remove("AGENT_ID")
        .output()
        .unwrap()
}

#[test]
fn a_sourced_shim_defines_the_legacy_functions_and_returns_to_its_caller() {
    for shell in ["bash", "sh"] {
        let env = Env::new();
        let script = r#"set -eu
echo "sourced into $COORDINATION_DIR"
id=$(AGENT_ID=network_agent_1 claim_work deploy "Deploy chapter" high deploy_team | grep -o 'work_[0-9]*' | head -1)
update_progress "$id" 33.5 testing
register_agent_in_team grafana_agent observability_team 80 dashboards
run_pi_planning | grep -q 'PI OBJECTIVES'
show_scrum_dashboard | grep 'Active Work Items'
claude_analyze_work_priorities >/dev/null
complete_work "$id" success 3
for f in claim_work update_progress complete_work register_agent_in_team generate_agent_id \
    show_scrum_dashboard run_pi_planning scrum_of_scrums run_innovation_planning run_system_demo \
    inspect_and_adapt art_sync portfolio_kanban coach_training value_stream_mapping \
    claude_analyze_work_priorities claude_optimize_assignments claude_health_analysis \
    claude_team_analysis show_claude_intelligence_dashboard claim_work_with_intelligence \
    claude_realtime_coordination_stream claude_pipe_analyzer claude_enhanced_analysis \
    generate_trace_id create_otel_context log_telemetry_span cleanup_stale_work_items; do
    command -v "$f" >/dev/null || { echo "missing $f"; exit 1; }
done
echo "caller still here: $(generate_agent_id | grep -c '^agent_[0-9]*$')""#;
        let out = sourced(shell, script, &env.dir());
        let text = stdout(&out);
        assert!(
            out.status.success(),
            "{shell}: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.starts_with(&format!("sourced into {}\n", env.dir().display())),
            "{text}"
        );
        assert!(
            text.contains("(testing)") && text.contains("Active Work Items: 0"),
            "{text}"
        );
        assert!(text.ends_with("caller still here: 1\n"), "{shell}: {text}");
        let claims = env.json("work_claims.json");
        assert_eq!(claims[0]["agent_id"], "network_agent_1");
        assert_eq!(claims[0]["status"], "completed");
        assert!(env.path("claude_priority_analysis.json").exists());
        let agents = env.json("agent_status.json");
        assert!(
            agents
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["agent_id"] == "grafana_agent")
        );
    }
}

#[test]
fn a_symlinked_shim_uses_the_directory_of_the_real_one() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("agent_coordination");
    let scripts = tmp.path().join("beamops/v3/scripts");
    std::fs::create_dir_all(&real).unwrap();
    std::fs::create_dir_all(&scripts).unwrap();
    std::fs::copy(shim_path(), real.join("coordination_helper.sh")).unwrap();
    std::os::unix::fs::symlink(
        "../../../agent_coordination/coordination_helper.sh",
        scripts.join("coordination_helper.sh"),
    )
    .unwrap();
    let out = Command::new(scripts.join("coordination_helper.sh"))
        .args(["claim", "deploy", "through a link"])
        .env("NEXUS_BIN", bin())
        .env_remove("COORDINATION_DIR")
        .env_remove("AGENT_ID")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    let id = first_work_id(&succeeded(&out));
    let claims = std::fs::read_to_string(real.join("work_claims.json")).unwrap();
    assert!(claims.contains(&id), "{claims}");
    assert!(!scripts.join("work_claims.json").exists());
}

#[test]
fn status_through_the_shim_exits_0_with_faults_as_warnings() {
    let env = Env::new();
    // A missing directory, then a torn claims file: the legacy printed its
    // help and exited 0, and Docker healthchecks rely on it.
    let out = shim(&env, &[], &["status"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout(&out).starts_with("📊 STATUS"), "{}", stdout(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("⚠️ WARNING: ") && err.lines().count() == 1,
        "{err}"
    );
    std::fs::create_dir_all(env.dir()).unwrap();
    std::fs::write(env.path("work_claims.json"), "[{\"work_item_id\": ").unwrap();
    let out = shim(&env, &[], &["status"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("work_claims.json"));
    // A healthy directory: the report, no warning.
    std::fs::write(env.path("work_claims.json"), "[]").unwrap();
    let out = shim(&env, &[], &["status"]);
    assert!(out.status.success() && out.stderr.is_empty(), "{out:?}");
    assert!(stdout(&out).contains("STATUS of"));
    // Straight nexus keeps failing on the torn file.
    std::fs::write(env.path("work_claims.json"), "[{").unwrap();
    assert_eq!(
        env.cmd().arg("status").output().unwrap().status.code(),
        Some(1)
    );
}

/// Put an executable `ttl_validation.sh` with `body` in the directory.
fn ttl_hook(env: &Env, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(env.dir()).unwrap();
    let path = env.path("ttl_validation.sh");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn claim_runs_the_ttl_validation_hook_outside_the_lock() {
    let env = Env::new();
    // The hook sees no lock held, records its calls, says work_1 on stdout.
    ttl_hook(
        &env,
        r#"[ -e "$COORDINATION_DIR/work_claims.json.lock" ] && echo locked >> "$COORDINATION_DIR/hook.log"
echo "$1" >> "$COORDINATION_DIR/hook.log"; echo "stale work_1"; exit 0"#,
    );
    let out = env
        .cmd()
        .args(["claim", "bug", "with hook"])
        .output()
        .unwrap();
    let text = succeeded(&out);
    assert_eq!(env.read("hook.log"), "auto-cleanup\nvalidate\n");
    assert_eq!(
        env.json("work_claims.json")[0]["work_item_id"],
        first_work_id(&text).as_str()
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("stale work_1"));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("WARNING"));
}

#[test]
fn a_failing_or_hanging_ttl_hook_is_only_a_warning() {
    let env = Env::new();
    ttl_hook(&env, r#"[ "$1" = validate ] && exit 3; exit 0"#);
    let out = env.cmd().args(["claim", "bug", "x"]).output().unwrap();
    succeeded(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("⚠️ WARNING:") && err.contains("ttl_validation.sh validate failed"),
        "{err}"
    );
    ttl_hook(&env, "sleep 30");
    let started = std::time::Instant::now();
    let out = env
        .cmd()
        .env("NEXUS_TTL_HOOK_TIMEOUT_MS", "300")
        .args(["claim", "bug", "y"])
        .output()
        .unwrap();
    succeeded(&out);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert!(String::from_utf8_lossy(&out.stderr).contains("was stopped"));
    assert_eq!(env.json("work_claims.json").as_array().unwrap().len(), 2);
}

#[test]
fn offline_priorities_write_the_shape_the_legacy_callers_read() {
    let env = Env::with_fixtures();
    env.ok(&["claude-analyze-priorities"]);
    let path = env.path("claude_priority_analysis.json");
    // What the callers run on the file.
    let jq = |filter: &str| {
        let out = Command::new("jq")
            .args(["-r", filter])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{filter}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let work_type = jq(".recommendations[0].work_type");
    let types = env.read("work_claims.json");
    assert!(
        types.contains(&format!("\"work_type\": \"{work_type}\"")),
        "{work_type}"
    );
    assert_eq!(jq(".recommendations | type"), "array");
    assert_eq!(jq(".recommendations[0].priority_score | type"), "number");
    assert_eq!(jq(".recommendations[0].reasoning | type"), "string");
    let confidence: f64 = jq(".confidence // 0.5").parse().unwrap();
    assert!((0.0..=1.0).contains(&confidence), "{confidence}");
    assert_eq!(jq(".recommendations_by_horizon.immediate | type"), "array");
}
