//! Operating a fleet: audit trail, modes, cleanup and archive, the backlog,
//! heartbeats, inspection and doctor.

use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::common::{Env, bin, first_work_id};

const NOW: &str = "2026-11-25T12:00:00Z";

fn staged(env: &Env, args: &[&str]) -> std::process::Output {
    env.cmd()
        .args(args)
        .env("NEXUS_MODE", "staging")
        .env("AGENT_ID", "agent_ops")
        .output()
        .unwrap()
}

fn ok(out: std::process::Output) -> String {
    crate::common::succeeded(&out)
}

#[test]
fn every_mutation_is_audited_and_the_chain_verifies_until_edited() {
    let env = Env::new();
    let id = first_work_id(&ok(staged(&env, &["claim", "bug", "audited", "high"])));
    ok(staged(&env, &["progress", &id, "40"]));
    ok(staged(&env, &["complete", &id, "done", "3"]));
    ok(staged(&env, &["register", "agent_two", "ops"]));
    ok(staged(&env, &["heartbeat", "agent_two"]));
    let backlog = first_work_id(&ok(staged(&env, &["add", "task", "from backlog"])));
    ok(staged(&env, &["claim", "--next"]));
    ok(staged(&env, &["release", &backlog]));
    let lines: Vec<Value> = env
        .read("audit.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let commands: Vec<&str> = lines
        .iter()
        .map(|l| l["command"].as_str().unwrap())
        .collect();
    for c in [
        "claim",
        "progress",
        "complete",
        "register",
        "heartbeat",
        "add",
        "release",
    ] {
        assert!(commands.contains(&c), "no audit line for {c}: {commands:?}");
    }
    let seqs: Vec<u64> = lines.iter().map(|l| l["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=lines.len() as u64).collect::<Vec<_>>());
    let progress = lines.iter().find(|l| l["command"] == "progress").unwrap();
    assert_eq!(progress["work_item"], id.as_str());
    assert_eq!(progress["changes"]["progress"]["before"], Value::Null);
    assert_eq!(progress["changes"]["progress"]["after"], 40);
    assert_eq!(progress["agent"], "agent_ops");
    assert_eq!(progress["trace_id"].as_str().unwrap().len(), 32);
    assert!(ok(staged(&env, &["audit", "verify"])).contains(&format!("{} lines", lines.len())));
    let log = ok(staged(&env, &["audit", "log", "--item", &id]));
    assert_eq!(
        log.lines().filter(|l| l.starts_with('#')).count(),
        3,
        "{log}"
    );
    let show = ok(staged(&env, &["show", &id]));
    assert!(
        show.contains("History (3 audit lines)") && show.contains("\"result\": \"done\""),
        "{show}"
    );

    // Edit line 3: verify names it.
    let text = env.read("audit.jsonl");
    let mut edited: Vec<String> = text.lines().map(str::to_string).collect();
    edited[2] = edited[2].replacen("\"after\":40", "\"after\":41", 1);
    assert_ne!(edited[2], text.lines().nth(2).unwrap());
    std::fs::write(env.path("audit.jsonl"), edited.join("\n") + "\n").unwrap();
    let out = staged(&env, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("broken at line 3"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Development mode keeps no audit trail by default; +audit turns it on.
    let dev = Env::new();
    dev.claim(&["a", "b"]);
    assert!(!dev.path("audit.jsonl").exists());
    dev.cmd()
        .args(["claim", "a", "b"])
        .env("NEXUS_FEATURES", "+audit")
        .assert()
        .success();
    assert_eq!(
        dev.read("audit.jsonl").lines().count(),
        2,
        "claim line and agent line"
    );
}

#[test]
fn cleanup_dry_run_changes_nothing_and_the_real_run_archives_exactly_the_old_items() {
    let env = Env::with_fixtures();
    let before = env.files();
    let out = ok(env
        .cmd()
        .args([
            "cleanup",
            "--ttl",
            "24h",
            "--archive-after",
            "7d",
            "--dry-run",
        ])
        .env("NEXUS_NOW", NOW)
        .output()
        .unwrap());
    assert!(out.contains("dry run, nothing changed"));
    assert!(before == env.files(), "dry run wrote something");

    let claims = env.json("work_claims.json");
    let all: BTreeSet<String> = claims
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["work_item_id"].as_str().unwrap().to_string())
        .collect();
    let cutoff: chrono::DateTime<chrono::Utc> = "2026-11-18T12:00:00Z".parse().unwrap();
    let old_done: BTreeSet<String> = claims
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["status"] == "completed"
                && c["completed_at"]
                    .as_str()
                    .and_then(|t| t.parse::<chrono::DateTime<chrono::Utc>>().ok())
                    .is_some_and(|t| t < cutoff)
        })
        .map(|c| c["work_item_id"].as_str().unwrap().to_string())
        .collect();
    let active = claims
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "active")
        .count();
    let out = ok(env
        .cmd()
        .args(["cleanup"])
        .env("NEXUS_NOW", NOW)
        .output()
        .unwrap());
    assert!(
        out.contains(&format!("{active} items did become stale")),
        "{out}"
    );
    let archived: BTreeSet<String> = env
        .read("work_claims_archive.jsonl")
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["work_item_id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(archived, old_done);
    let hot = env.json("work_claims.json");
    let hot_ids: BTreeSet<String> = hot
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["work_item_id"].as_str().unwrap().to_string())
        .collect();
    assert!(hot_ids.is_disjoint(&archived));
    assert_eq!(
        hot_ids.union(&archived).cloned().collect::<BTreeSet<_>>(),
        all,
        "every record is kept"
    );
    assert_eq!(
        hot.as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] == "stale")
            .count(),
        active
    );
    assert_eq!(std::fs::read_dir(env.path("backups")).unwrap().count(), 1);
    // Archived items stay findable.
    let one = archived.iter().next().unwrap();
    assert!(env.ok(&["show", one]).contains(one.as_str()));
    let listed: Vec<Value> =
        serde_json::from_str(&env.ok(&["--json", "list", "--status", "completed"])).unwrap();
    assert!(listed.len() >= archived.len());
    assert!(
        env.ok(&["status"])
            .contains(&format!("archived: {}", archived.len()))
    );
}

#[test]
fn claim_next_from_twenty_processes_on_ten_items_gives_ten_distinct_winners() {
    let env = Env::new();
    for i in 0..10 {
        env.ok(&[
            "add",
            "task",
            &format!("item {i}"),
            if i % 2 == 0 { "high" } else { "low" },
        ]);
    }
    let children: Vec<Child> = (0..20)
        .map(|i| {
            Command::new(bin())
                .args(["claim", "--next"])
                .env("COORDINATION_DIR", env.dir())
                .env("AGENT_ID", format!("agent_{i}"))
                .env("NEXUS_LOCK_TIMEOUT_MS", "30000")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let (mut won, mut empty) = (BTreeSet::new(), 0);
    for c in children {
        let out = c.wait_with_output().unwrap();
        match out.status.code() {
            Some(0) => assert!(
                won.insert(first_work_id(&String::from_utf8(out.stdout).unwrap())),
                "an item was claimed twice"
            ),
            Some(1) => {
                assert!(String::from_utf8_lossy(&out.stderr).contains("no available work item"));
                empty += 1;
            }
            other => panic!(
                "unexpected exit {other:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }
    assert_eq!((won.len(), empty), (10, 10));
    let claims = env.json("work_claims.json");
    let agents: BTreeSet<&str> = claims
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["agent_id"].as_str().unwrap())
        .collect();
    assert_eq!(agents.len(), 10, "ten different agents hold the ten items");
    assert!(
        claims
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "active")
    );
}

#[test]
fn backlog_order_release_and_heartbeat() {
    let env = Env::new();
    let low = first_work_id(&env.ok(&["add", "t", "low one", "low", "alpha"]));
    let crit = first_work_id(&env.ok(&["add", "t", "critical one", "critical", "beta"]));
    let out = env
        .cmd()
        .args(["claim", "--next", "--team", "alpha"])
        .env("AGENT_ID", "a1")
        .output()
        .unwrap();
    assert_eq!(
        first_work_id(&String::from_utf8(out.stdout).unwrap()),
        low,
        "team filter"
    );
    env.cmd()
        .args(["add", "t", "high one", "high", "beta"])
        .assert()
        .success();
    let out = env
        .cmd()
        .args(["claim", "--next"])
        .env("AGENT_ID", "a2")
        .output()
        .unwrap();
    assert_eq!(
        first_work_id(&String::from_utf8(out.stdout).unwrap()),
        crit,
        "critical first"
    );
    env.ok(&["release", &crit]);
    let c = env
        .json("work_claims.json")
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["work_item_id"] == crit.as_str())
        .cloned()
        .unwrap();
    assert_eq!(
        (c["status"].as_str(), c["agent_id"].is_null()),
        (Some("available"), true)
    );
    let out = env.cmd().args(["release", &crit]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "only claimed items can be released"
    );

    let out = env.cmd().args(["heartbeat", "ghost"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("not registered"));
    env.cmd()
        .args(["heartbeat"])
        .env("AGENT_ID", "a1")
        .env("NEXUS_NOW", "2030-01-01T00:00:00Z")
        .assert()
        .success();
    let a = env.json("agent_status.json");
    let a1 = a
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["agent_id"] == "a1")
        .unwrap();
    assert_eq!(a1["last_heartbeat"], "2030-01-01T00:00:00Z");
    let status = String::from_utf8(
        env.cmd()
            .arg("status")
            .env("NEXUS_NOW", "2030-01-01T00:10:00Z")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(status.contains("offline agents: 1 of 2"), "{status}");
    let listed: Vec<Value> = serde_json::from_str(&env.ok(&[
        "--json",
        "list",
        "--team",
        "beta",
        "--status",
        "available",
    ]))
    .unwrap();
    assert_eq!(listed.len(), 2);
}

#[test]
fn production_mode_is_strict() {
    let env = Env::new();
    let before = env.files();
    let out = env
        .cmd()
        .args(["claim", "bug", "x", "urgent"])
        .env("NEXUS_MODE", "production")
        .env("AGENT_ID", "a")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid priority 'urgent'"));
    let out = env
        .cmd()
        .args(["claim", "bug", "x", "high"])
        .env("NEXUS_MODE", "production")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("AGENT_ID"));
    assert!(before == env.files());
    env.cmd()
        .args(["claim", "bug", "x", "high"])
        .env("NEXUS_MODE", "production")
        .env("AGENT_ID", "a")
        .assert()
        .success();
    assert!(env.path("audit.jsonl").exists());
    let mode = String::from_utf8(
        env.cmd()
            .arg("mode")
            .env("NEXUS_MODE", "production")
            .env("NEXUS_FEATURES", "-doctor_strict")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        mode.contains("MODE: production")
            && mode.contains("override: -doctor_strict (NEXUS_FEATURES)"),
        "{mode}"
    );
    std::fs::write(
        env.path("nexus.toml"),
        "mode = \"staging\"\nfeatures = \"-audit\"\n",
    )
    .unwrap();
    let mode = env.ok(&["mode"]);
    assert!(
        mode.contains("MODE: staging") && mode.contains("· audit"),
        "{mode}"
    );
    let bad = env
        .cmd()
        .arg("mode")
        .env("NEXUS_FEATURES", "+teleport")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    // Under the shim in production, an unknown command is an error, not help.
    let shim = Command::new(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("coordination/coordination_helper.sh"),
    )
    .arg("no-such-command")
    .env("NEXUS_BIN", bin())
    .env("NEXUS_MODE", "production")
    .output()
    .unwrap();
    assert_eq!(shim.status.code(), Some(2));
}

#[test]
fn doctor_repairs_a_torn_claims_file_keeping_every_complete_record() {
    let env = Env::with_fixtures();
    let full = env.read("work_claims.json");
    let records: Vec<Value> = serde_json::from_str(&full).unwrap();
    let torn = &full[..full.len() / 2];
    std::fs::write(env.path("work_claims.json"), torn).unwrap();
    let before = env.files();
    let out = env.cmd().arg("doctor").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("❌ work_claims.json: does not parse at line"),
        "{text}"
    );
    assert!(
        text.contains("would keep the") && text.contains("backups/"),
        "{text}"
    );
    assert_eq!(before, env.files(), "doctor without --fix changes nothing");
    let out = env.cmd().args(["doctor", "--fix"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let kept: Vec<Value> = serde_json::from_str(&env.read("work_claims.json")).unwrap();
    assert!(!kept.is_empty() && kept.len() < records.len());
    assert_eq!(
        kept[..],
        records[..kept.len()],
        "complete records kept as they were"
    );
    let saved: Vec<_> = std::fs::read_dir(env.path("backups"))
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("work_claims_damaged_")
        })
        .collect();
    assert_eq!(saved.len(), 1);
    assert_eq!(
        std::fs::read_to_string(saved[0].path()).unwrap(),
        torn,
        "saved whole"
    );

    let env = Env::with_fixtures();
    std::fs::write(env.path("work_claims.json.lock"), "999999999\n").unwrap();
    std::fs::write(env.path(".nexus-tmp-work_claims.json.1.0"), "junk").unwrap();
    let report = env.ok(&["doctor"]);
    assert!(
        report.contains("stale (dead pid 999999999)") && report.contains("1 left over"),
        "{report}"
    );
    assert!(report.contains("spread over several lines"), "{report}");
    let fixed = env.ok(&["doctor", "--fix"]);
    assert!(
        fixed.contains("fixed: remove the stale marker")
            && fixed.contains("fixed: rewrite it one span per line"),
        "{fixed}"
    );
    assert!(!env.path("work_claims.json.lock").exists());
    for line in env.read("telemetry_spans.jsonl").lines() {
        serde_json::from_str::<Value>(line).unwrap();
    }
    assert_eq!(std::fs::read_dir(env.path("backups")).unwrap().count(), 1);
    assert!(env.ok(&["doctor"]).contains("one per line"));
    // Production fails on warnings.
    let out = env
        .cmd()
        .arg("doctor")
        .env("NEXUS_MODE", "production")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "production expects exporters: a warning fails"
    );
}

#[test]
fn an_append_after_a_torn_last_line_starts_on_a_fresh_line() {
    use std::io::Write;
    let env = Env::new();
    let first = env.claim(&["bug", "one"]);
    env.ok(&["complete", &first]);
    env.ok(&["cleanup", "--archive-after", "0s"]);
    let torn = |name: &str, tail: &str| {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(env.path(name))
            .unwrap();
        f.write_all(tail.as_bytes()).unwrap();
    };
    torn("work_claims_archive.jsonl", "{\"work_item_id\": \"work_9");
    torn("events.jsonl", "{\"seq\": 4");
    torn("telemetry_spans.jsonl", "{\"trace_id\": \"ab");
    torn("velocity_log.txt", "2026-01-01T00:00:00Z: Team x +");
    let second = env.claim(&["bug", "two"]);
    env.ok(&["complete", &second, "success", "7"]);
    let cleaned = env.ok(&["cleanup", "--archive-after", "0s"]);
    assert!(cleaned.contains(&second), "{cleaned}");
    let shown = env.ok(&["--json", "show", &second]);
    let shown: Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown["claim"]["status"], "completed", "{shown}");
    for (name, tail) in [
        ("work_claims_archive.jsonl", "{\"work_item_id\": \"work_9"),
        ("events.jsonl", "{\"seq\": 4"),
        ("telemetry_spans.jsonl", "{\"trace_id\": \"ab"),
    ] {
        let text = env.read(name);
        let last = text.lines().last().unwrap();
        serde_json::from_str::<Value>(last).unwrap_or_else(|e| panic!("{name}: {last}: {e}"));
        assert!(
            text.lines().any(|l| l == tail),
            "{name}: the torn line stays alone on its line: {text}"
        );
    }
    let velocity = env.read("velocity_log.txt");
    assert!(
        velocity
            .lines()
            .any(|l| l.ends_with(": Team autonomous_team +7 velocity points")),
        "{velocity}"
    );
    let events: Vec<Value> = env
        .read("events.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "no gap");
}
