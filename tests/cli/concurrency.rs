//! Real processes racing on one directory: nothing lost, nothing applied twice.

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::common::{Env, bin, first_work_id};

fn spawn(env: &Env, args: &[&str]) -> Child {
    Command::new(bin())
        .args(args)
        .env("COORDINATION_DIR", env.dir())
        .env("NEXUS_LOCK_TIMEOUT_MS", "60000")
        .env_remove("AGENT_ID")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn ids(env: &Env) -> Vec<String> {
    env.json("work_claims.json")
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["work_item_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn fifty_parallel_claims_all_succeed_and_persist() {
    let env = Env::with_fixtures();
    let before = ids(&env).len();
    let children: Vec<Child> = (0..50)
        .map(|i| spawn(&env, &["claim", "race", &format!("claim {i}")]))
        .collect();
    let mut printed = HashSet::new();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        printed.insert(first_work_id(&String::from_utf8(out.stdout).unwrap()));
    }
    assert_eq!(printed.len(), 50, "ids must be unique");
    let all = ids(&env);
    assert_eq!(all.len(), before + 50);
    let stored: HashSet<String> = all.into_iter().collect();
    assert!(printed.is_subset(&stored));
    let spans = env.read("telemetry_spans.jsonl");
    assert_eq!(
        spans
            .lines()
            .filter(|l| l.contains("\"s2s.work.claim\",\"span_kind\""))
            .count(),
        50
    );
}

#[test]
fn hundred_parallel_progress_updates_on_distinct_items_all_persist() {
    let env = Env::new();
    let ids: Vec<String> = (0..100)
        .map(|i| env.claim(&["p", &format!("item {i}")]))
        .collect();
    let children: Vec<Child> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| spawn(&env, &["progress", id, &(i % 101).to_string()]))
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let claims = env.json("work_claims.json");
    for (i, id) in ids.iter().enumerate() {
        let c = claims
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["work_item_id"] == id.as_str())
            .unwrap();
        assert_eq!(c["progress"], Value::from(i % 101), "{id}");
        assert_eq!(c["status"], "in_progress");
    }
}

#[test]
fn twenty_parallel_completes_of_one_item_exactly_one_wins() {
    let env = Env::new();
    let id = env.claim(&["c", "contended"]);
    let children: Vec<Child> = (0..20).map(|_| spawn(&env, &["complete", &id])).collect();
    let mut wins = 0;
    for c in children {
        let out = c.wait_with_output().unwrap();
        match out.status.code() {
            Some(0) => wins += 1,
            Some(1) => assert!(String::from_utf8_lossy(&out.stderr).contains("already completed")),
            other => panic!("unexpected exit {other:?}"),
        }
    }
    assert_eq!(wins, 1);
    assert_eq!(
        env.json("coordination_log.json").as_array().unwrap().len(),
        1
    );
    assert_eq!(env.read("velocity_log.txt").lines().count(), 1);
}

#[test]
fn killed_claim_loop_leaves_valid_file_with_every_printed_claim() {
    let env = Env::with_fixtures();
    let script = format!(
        "while true; do '{}' claim killed 'loop item' || exit 9; done",
        bin().display()
    );
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .env("COORDINATION_DIR", env.dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    // SIGKILL the whole loop, including the nexus process in flight.
    unsafe_kill_group(&child);
    child.kill().ok();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let succeeded: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("✅ SUCCESS: Claimed work item "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert!(
        succeeded.len() > 3,
        "loop made too few claims: {}",
        succeeded.len()
    );
    let stored: HashSet<String> = ids(&env).into_iter().collect();
    for id in &succeeded {
        assert!(
            stored.contains(id),
            "{id} printed SUCCESS but is not in the file"
        );
    }
    // The next command succeeds and leaves no temp files behind.
    env.claim(&["after", "kill"]);
    let strays: Vec<_> = std::fs::read_dir(env.dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".nexus-tmp"))
        .collect();
    assert!(strays.is_empty());
    assert!(!env.path("work_claims.json.lock").exists());
}

/// Kill the shell's children too: find them by parent pid and SIGKILL them.
fn unsafe_kill_group(child: &Child) {
    let pid = child.id().to_string();
    let _ = Command::new("pkill").args(["-KILL", "-P", &pid]).status();
    let _ = Command::new("kill").args(["-KILL", &pid]).status();
}

/// The legacy default: no AGENT_ID, so every claim registers a new agent.
/// 20 processes at a time, 1,000 claims, the default lock wait: all stored.
#[test]
fn a_thousand_claims_without_agent_id_from_twenty_workers_all_succeed() {
    let env = Env::new();
    let workers: Vec<_> = (0..20)
        .map(|w| {
            let dir = env.dir().to_path_buf();
            std::thread::spawn(move || {
                let mut printed = Vec::new();
                for i in 0..50 {
                    let out = Command::new(bin())
                        .args(["claim", "load", &format!("w{w} c{i}")])
                        .env("COORDINATION_DIR", &dir)
                        .env_remove("AGENT_ID")
                        .env_remove("NEXUS_LOCK_TIMEOUT_MS")
                        .output()
                        .unwrap();
                    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
                    assert!(
                        out.status.success(),
                        "{}{}",
                        stdout,
                        String::from_utf8_lossy(&out.stderr)
                    );
                    printed.push(first_work_id(&stdout));
                }
                printed
            })
        })
        .collect();
    let printed: HashSet<String> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert_eq!(printed.len(), 1000, "ids must be unique");
    let stored: HashSet<String> = ids(&env).into_iter().collect();
    assert_eq!(stored, printed);
    // One agent per claim, each once, in a file that parses.
    let agents = env.json("agent_status.json");
    let agents = agents.as_array().unwrap();
    assert_eq!(agents.len(), 1000);
    let unique: HashSet<&str> = agents
        .iter()
        .map(|a| a["agent_id"].as_str().unwrap())
        .collect();
    assert_eq!(unique.len(), 1000);
    let claims = env.json("work_claims.json");
    let holders: HashSet<&str> = claims
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["agent_id"].as_str().unwrap())
        .collect();
    assert_eq!(holders, unique, "each claim's agent is registered");
}
