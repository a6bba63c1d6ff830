//! `doctor --fix` heals the common faults unaided: each fault is injected
//! alone into a copy of the legacy fixtures, then one `doctor --fix` runs,
//! then a claim must succeed, every file must parse, and no complete record
//! may be lost.

use std::fs;
use std::process::{Command as StdCommand, Stdio};

use serde_json::Value;

use crate::common::{Env, bin};

const ARRAYS: [&str; 3] = [
    "work_claims.json",
    "agent_status.json",
    "coordination_log.json",
];

fn records(env: &Env, name: &str) -> Vec<Value> {
    serde_json::from_str(&env.read(name)).unwrap_or_else(|e| panic!("{name} does not parse: {e}"))
}

/// Cut the last `n` bytes off a file (a writer that died mid-write).
fn tear(env: &Env, name: &str, n: usize) {
    let text = env.read(name);
    fs::write(env.path(name), &text[..text.len() - n]).unwrap();
}

/// A fault, and the records of each array file a repair may keep (fewer
/// than the fixture only where the fault tore a record).
struct Fault {
    name: &'static str,
    inject: fn(&Env),
}

fn faults() -> Vec<Fault> {
    vec![
        Fault {
            name: "lock marker holding a zombie's pid",
            inject: |env| {
                // A child never waited for stays a zombie while we live.
                let child = StdCommand::new("true").spawn().unwrap();
                std::thread::sleep(std::time::Duration::from_millis(200));
                fs::write(
                    env.path("work_claims.json.lock"),
                    format!("{}\n", child.id()),
                )
                .unwrap();
                std::mem::forget(child);
            },
        },
        Fault {
            name: "lock marker that is a directory",
            inject: |env| fs::create_dir(env.path("work_claims.json.lock")).unwrap(),
        },
        Fault {
            name: "work_claims.json torn (last 200 bytes)",
            inject: |env| tear(env, "work_claims.json", 200),
        },
        Fault {
            name: "coordination_log.json torn",
            inject: |env| tear(env, "coordination_log.json", 150),
        },
        Fault {
            name: "agent_status.json torn",
            inject: |env| tear(env, "agent_status.json", 120),
        },
        Fault {
            name: "lock marker with a dead pid",
            inject: |env| fs::write(env.path("work_claims.json.lock"), "999999999\n").unwrap(),
        },
        Fault {
            name: "empty lock marker",
            inject: |env| {
                fs::write(env.path("work_claims.json.lock"), "").unwrap();
                std::thread::sleep(std::time::Duration::from_millis(300));
            },
        },
        Fault {
            name: "stray temp files",
            inject: |env| {
                fs::write(env.path(".nexus-tmp-work_claims.json.99.0"), "junk").unwrap();
                fs::write(env.path(".nexus-tmp-agent_status.json.99.1"), "[").unwrap();
            },
        },
        Fault {
            name: "a bad line in the spans file",
            inject: |env| {
                let mut s = env.read("telemetry_spans.jsonl");
                s.push_str("{\"broken\": tru\n");
                fs::write(env.path("telemetry_spans.jsonl"), s).unwrap();
            },
        },
        Fault {
            name: "garbage .nexus.index",
            inject: |env| fs::write(env.path(".nexus.index"), "\u{0}garbage{").unwrap(),
        },
        Fault {
            name: ".nexus.lock that is a directory",
            inject: |env| fs::create_dir(env.path(".nexus.lock")).unwrap(),
        },
        Fault {
            name: "an active claim whose agent is not registered",
            inject: |env| {
                let claims = records(env, "work_claims.json");
                let agent = claims
                    .iter()
                    .rev()
                    .find(|c| c["status"] == "active")
                    .and_then(|c| c["agent_id"].as_str())
                    .unwrap()
                    .to_string();
                let agents: Vec<Value> = records(env, "agent_status.json")
                    .into_iter()
                    .filter(|a| a["agent_id"] != agent.as_str())
                    .collect();
                let text = serde_json::to_string_pretty(&agents).unwrap();
                fs::write(env.path("agent_status.json"), text + "\n").unwrap();
            },
        },
        Fault {
            name: "a torn last line of the archive",
            inject: |env| {
                fs::write(
                    env.path("work_claims_archive.jsonl"),
                    "{\"work_item_id\": \"work_1\", \"status\": \"completed\"}\n{\"work_item_id\": \"wo",
                )
                .unwrap();
            },
        },
        Fault {
            name: "an interrupted step in the journal",
            inject: |env| {
                // Kill a claim at each write in turn until one dies after
                // its commit point: doctor then reports a step to finish.
                for n in 1..60 {
                    let mut c = env.cmd();
                    let _ = c
                        .args(["claim", "crash", "mid-step"])
                        .env("NEXUS_FAULT", format!("crash:{n}"))
                        .output()
                        .unwrap();
                    let report = env.cmd().arg("doctor").output().unwrap();
                    if String::from_utf8_lossy(&report.stdout).contains("left a committed step") {
                        return;
                    }
                }
                panic!("no crash left a committed step");
            },
        },
    ]
}

#[test]
fn one_doctor_fix_heals_every_fault_of_the_catalogue() {
    let mut healed = Vec::new();
    for fault in faults() {
        let env = Env::with_fixtures();
        let before: Vec<Vec<Value>> = ARRAYS.iter().map(|n| records(&env, n)).collect();
        (fault.inject)(&env);
        let fix = env
            .cmd()
            .args(["doctor", "--fix"])
            .env("NEXUS_LOCK_TIMEOUT_MS", "2000")
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&fix.stdout).into_owned();
        assert!(
            fix.status.success(),
            "{}: doctor --fix failed:\n{report}",
            fault.name
        );
        // A claim succeeds at once, without waiting out a lock.
        let started = std::time::Instant::now();
        let claim = env
            .cmd()
            .args(["claim", "after", "repair"])
            .output()
            .unwrap();
        assert!(
            claim.status.success(),
            "{}: claim after the repair failed: {}",
            fault.name,
            String::from_utf8_lossy(&claim.stderr)
        );
        assert!(
            started.elapsed().as_secs() < 3,
            "{}: the claim waited",
            fault.name
        );
        // Every file parses, and every complete record is still there.
        for (name, old) in ARRAYS.iter().zip(&before) {
            let now = records(&env, name);
            let torn = fault.name.starts_with(name);
            let kept = old.iter().filter(|r| now.contains(r)).count();
            let lost = old.len() - kept;
            if torn {
                assert!(lost <= 1, "{}: {name} lost {lost} records", fault.name);
            } else if *name != "agent_status.json" {
                assert_eq!(lost, 0, "{}: {name} lost records", fault.name);
            }
        }
        for line in env.read("telemetry_spans.jsonl").lines() {
            serde_json::from_str::<Value>(line)
                .unwrap_or_else(|e| panic!("{}: bad span line {line}: {e}", fault.name));
        }
        if env.path("work_claims_archive.jsonl").exists() {
            for line in env.read("work_claims_archive.jsonl").lines() {
                serde_json::from_str::<Value>(line).unwrap();
            }
        }
        let again = env.cmd().arg("doctor").output().unwrap();
        assert!(
            again.status.success(),
            "{}: doctor still unhappy",
            fault.name
        );
        healed.push(fault.name);
    }
    eprintln!(
        "doctor --fix healed {} of {} faults",
        healed.len(),
        faults().len()
    );
}

#[test]
fn missing_agents_are_registered_back_and_damage_elsewhere_is_only_reported() {
    let env = Env::with_fixtures();
    let claims = records(&env, "work_claims.json");
    let active = claims
        .iter()
        .rev()
        .find(|c| c["status"] == "active")
        .unwrap();
    let agent = active["agent_id"].as_str().unwrap();
    fs::write(env.path("agent_status.json"), "[]\n").unwrap();
    let out = env.ok(&["--json", "doctor"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let check = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "agent_status.json" && c["level"] == "warn")
        .expect("missing agents reported");
    assert!(
        check["fix"]
            .as_str()
            .unwrap()
            .contains("register them back")
    );
    assert_eq!(check["fixed"], false);
    env.ok(&["doctor", "--fix"]);
    let agents = records(&env, "agent_status.json");
    let back = agents.iter().find(|a| a["agent_id"] == agent).unwrap();
    assert_eq!(back["team"], active["team"]);

    // Damage in the middle of a file cannot be repaired without losing
    // complete records: reported with what to do, the file left alone.
    let env = Env::with_fixtures();
    let text = env
        .read("coordination_log.json")
        .replacen("\"result\"", "\"result\" ::", 1);
    fs::write(env.path("coordination_log.json"), &text).unwrap();
    let out = env.cmd().args(["doctor", "--fix"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("not a torn end") && report.contains("backups/"),
        "{report}"
    );
    assert_eq!(env.read("coordination_log.json"), text, "left as it was");
    // A broken audit chain is reported, never rewritten.
    let env = Env::new();
    let run = |args: &[&str]| {
        StdCommand::new(bin())
            .env("COORDINATION_DIR", env.dir())
            .env("NEXUS_MODE", "staging")
            .args(args)
            .stdout(Stdio::piped())
            .output()
            .unwrap()
    };
    assert!(run(&["claim", "a", "b"]).status.success());
    let trail = env
        .read("audit.jsonl")
        .replacen("\"claim\"", "\"forged\"", 1);
    fs::write(env.path("audit.jsonl"), &trail).unwrap();
    let out = run(&["doctor", "--fix"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("never rewritten"));
    assert_eq!(env.read("audit.jsonl"), trail);
}

#[test]
fn a_file_missing_only_its_closing_bracket_keeps_every_record() {
    for name in ARRAYS {
        let env = Env::with_fixtures();
        let all = records(&env, name);
        tear(&env, name, 3); // "\n]\n"
        env.ok(&["doctor", "--fix"]);
        // The same run also registers the agents that hold items without
        // being registered: they come after the records kept.
        let after = records(&env, name);
        assert_eq!(after[..all.len()], all[..], "{name}: every record kept");
        if name != "agent_status.json" {
            assert_eq!(after.len(), all.len(), "{name}");
        }
    }
}

#[test]
fn doctor_reports_state_files_that_are_not_files_and_a_write_that_fails() {
    for name in [".nexus.journal", "events.jsonl", "velocity_log.txt"] {
        let env = Env::with_fixtures();
        let seed = env.claim(&["x", "seed"]);
        let path = env.path(name);
        let _ = fs::remove_file(&path);
        fs::create_dir(&path).unwrap();
        let complete = env.cmd().args(["complete", &seed]).output().unwrap();
        assert_eq!(complete.status.code(), Some(1), "{name}: writes fail");
        let out = env.cmd().args(["--json", "doctor"]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}: {out:?}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v["errors"].as_u64().unwrap() >= 1, "{name}: {v}");
        let named = v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["level"] == "error" && c["name"] == name);
        assert!(named, "{name}: {v}");
        assert!(path.is_dir(), "doctor moves nothing away");
    }
    // A write that fails (a full disk, a read-only mount) is an error.
    let env = Env::with_fixtures();
    let out = env
        .cmd()
        .args(["--json", "doctor"])
        .env("NEXUS_FAULT", "fail:1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let write = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "write")
        .cloned()
        .unwrap();
    assert_eq!(write["level"], "error", "{v}");
    let names: Vec<String> = fs::read_dir(env.dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with(".nexus-tmp-")),
        "{names:?}"
    );
    let healthy = env.cmd().args(["--json", "doctor"]).output().unwrap();
    let v: Value = serde_json::from_slice(&healthy.stdout).unwrap();
    assert!(
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "write" && c["level"] == "ok"),
        "{v}"
    );
}

/// A claims file torn in its last record, and an agent holding an item
/// without being registered.
fn torn_with_orphan(env: &Env) {
    for (agent, what) in [("agent_orphan", "held"), ("agent_torn", "torn")] {
        let out = env
            .cmd()
            .args(["claim", "bug", what])
            .env("AGENT_ID", agent)
            .output();
        crate::common::succeeded(&out.unwrap());
    }
    let agents: Vec<Value> = records(env, "agent_status.json")
        .into_iter()
        .filter(|a| a["agent_id"] != "agent_orphan")
        .collect();
    let text = serde_json::to_string_pretty(&agents).unwrap();
    fs::write(env.path("agent_status.json"), text + "\n").unwrap();
    let claims = env.read("work_claims.json");
    let cut = claims.rfind("\"torn\"").unwrap();
    fs::write(env.path("work_claims.json"), &claims[..cut]).unwrap();
}

fn registered(env: &Env, agent: &str) -> bool {
    records(env, "agent_status.json")
        .iter()
        .any(|a| a["agent_id"] == agent)
}

#[test]
fn one_fix_repairs_a_torn_file_and_the_orphan_it_hid_in_one_step() {
    let env = Env::new();
    torn_with_orphan(&env);
    let fix = crate::common::succeeded(&env.cmd().args(["doctor", "--fix"]).output().unwrap());
    assert!(
        fix.contains("1 agent(s) hold active items but are not registered: agent_orphan"),
        "{fix}"
    );
    assert!(fix.contains("fixed: register them back"), "{fix}");
    assert!(registered(&env, "agent_orphan"));
    let again = crate::common::succeeded(&env.cmd().arg("doctor").output().unwrap());
    assert!(
        again.contains("0 errors, 0 warnings"),
        "nothing left for a second run:\n{again}"
    );

    // Interrupted at any write, the fix is all or nothing: once a writer
    // has finished or dropped the step, the claims file is repaired
    // exactly when the orphan is registered back.
    let mut crashed = 0;
    for n in 1..40 {
        let env = Env::new();
        torn_with_orphan(&env);
        let out = env
            .cmd()
            .args(["doctor", "--fix"])
            .env("NEXUS_FAULT", format!("crash:{n}"))
            .output()
            .unwrap();
        if out.status.success() {
            break;
        }
        crashed += 1;
        // Any writer finishes a committed step or drops an uncommitted one.
        env.ok(&["register", "agent_probe"]);
        let repaired = serde_json::from_str::<Value>(&env.read("work_claims.json")).is_ok();
        assert_eq!(
            repaired,
            registered(&env, "agent_orphan"),
            "crash at write {n}"
        );
        env.ok(&["doctor", "--fix"]);
        assert!(
            registered(&env, "agent_orphan"),
            "crash at write {n}: then fixed"
        );
    }
    assert!(crashed > 2, "the fix has several writes to crash at");
}
