//! Several machines, one PostgreSQL server: groups of processes, each group in
//! a working directory of its own with no shared files, all pointed at one
//! database. Claims are all stored with unique ids, `claim --next` hands each
//! item to exactly one taker, and one completion of an item wins.

use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::common::bin;
use crate::pg_server::PgServer;

/// `nexus args` on "host" `home` (its own directory, no shared state).
fn on_host(home: &Path, url: &str, agent: &str, args: &[&str]) -> Command {
    let mut c = Command::new(bin());
    c.args(args).env("AGENT_ID", agent);
    fleet_env(&mut c, home, url);
    c
}

/// What every process of a fleet here shares: its host's directory, the
/// server, and patience. A hundred processes connect at once while the rest
/// of the suite runs beside them, so a connection, like a lock, may wait
/// longer than the defaults allow; these tests are about what is stored,
/// not how fast.
fn fleet_env(c: &mut Command, home: &Path, url: &str) {
    c.current_dir(home)
        .env("COORDINATION_DIR", home.join("coordination"))
        .env("NEXUS_STORE", url)
        .env("NEXUS_LOCK_TIMEOUT_MS", "60000")
        .env("NEXUS_PG_CONNECT_TIMEOUT_MS", "60000")
        .env_remove("NEXUS_MODE")
        .env_remove("NEXUS_FEATURES")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
}

fn hosts(n: usize) -> Vec<tempfile::TempDir> {
    (0..n).map(|_| tempfile::tempdir().unwrap()).collect()
}

fn list(url: &str, home: &Path) -> Vec<Value> {
    let out = on_host(home, url, "reader", &["--json", "list"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// Run `script` in `procs` shells spread over `homes` (with `$NEXUS`, `$P`
/// the process and `$H` its host), each its own agent; the ids the claims
/// printed, after checking that none failed.
fn claim_loops(homes: &[tempfile::TempDir], url: &str, procs: usize, script: &str) -> Vec<String> {
    let children: Vec<Child> = (0..procs)
        .map(|p| {
            let home = homes[p % homes.len()].path();
            let mut c = Command::new("sh");
            c.args(["-c", script])
                .env("NEXUS", bin())
                .env("P", p.to_string())
                .env("H", (p % homes.len()).to_string())
                .env("AGENT_ID", format!("agent_{p}"));
            fleet_env(&mut c, home, url);
            c.spawn().unwrap()
        })
        .collect();
    let mut printed = Vec::new();
    for c in children {
        let out = c.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            !text.contains("FAILED"),
            "a claim failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for line in text.lines().filter(|l| l.starts_with("✅ SUCCESS")) {
            printed.push(crate::common::first_work_id(line));
        }
    }
    printed
}

#[test]
fn pg_a_hundred_processes_on_four_hosts_store_every_claim_with_unique_ids() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let url = server.new_db();
    let homes = hosts(4);
    // 100 processes (25 per host), each claiming 50 times in a row.
    let script = "i=0; while [ $i -lt 50 ]; do \"$NEXUS\" claim load \"p$P c$i\" medium team_$H || echo FAILED; i=$((i+1)); done";
    let printed = claim_loops(&homes, &url, 100, script);
    assert_eq!(printed.len(), 5000);
    let unique: HashSet<&String> = printed.iter().collect();
    assert_eq!(unique.len(), 5000, "ids must be unique");
    let stored = list(&url, homes[0].path());
    assert_eq!(stored.len(), 5000);
    let stored_ids: HashSet<String> = stored
        .iter()
        .map(|c| c["work_item_id"].as_str().unwrap().to_string())
        .collect();
    assert!(printed.iter().all(|id| stored_ids.contains(id)));
    for h in &homes {
        assert!(
            !h.path().join("coordination").exists(),
            "no host wrote files"
        );
    }
}

#[test]
fn pg_fifty_hosts_racing_claim_next_for_thirty_items_give_thirty_winners() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let url = server.new_db();
    let homes = hosts(5);
    for i in 0..30 {
        let out = on_host(
            homes[0].path(),
            &url,
            "lead",
            &["add", "task", &format!("item {i}")],
        )
        .output()
        .unwrap();
        assert!(out.status.success());
    }
    let children: Vec<Child> = (0..50)
        .map(|p| {
            on_host(
                homes[p % 5].path(),
                &url,
                &format!("agent_{p}"),
                &["--json", "claim", "--next"],
            )
            .spawn()
            .unwrap()
        })
        .collect();
    let (mut won, mut lost) = (Vec::new(), 0);
    for c in children {
        let out = c.wait_with_output().unwrap();
        match out.status.code() {
            Some(0) => {
                let v: Value = serde_json::from_slice(&out.stdout).unwrap();
                won.push(v["work_item_id"].as_str().unwrap().to_string());
            }
            Some(1) => {
                assert!(String::from_utf8_lossy(&out.stderr).contains("no available work item"));
                lost += 1;
            }
            other => panic!("exit {other:?}: {}", String::from_utf8_lossy(&out.stderr)),
        }
    }
    assert_eq!((won.len(), lost), (30, 20));
    assert_eq!(
        won.iter().collect::<HashSet<_>>().len(),
        30,
        "each item once"
    );
    let claims = list(&url, homes[1].path());
    let agents: HashSet<&str> = claims
        .iter()
        .map(|c| {
            assert_eq!(c["status"], "active");
            c["agent_id"].as_str().unwrap()
        })
        .collect();
    assert_eq!(agents.len(), 30);
}

#[test]
fn pg_twenty_hosts_completing_one_item_one_wins() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let url = server.new_db();
    let homes = hosts(4);
    let out = on_host(
        homes[0].path(),
        &url,
        "owner",
        &["--json", "claim", "fix", "the one"],
    )
    .output()
    .unwrap();
    let id = serde_json::from_slice::<Value>(&out.stdout).unwrap()["work_item_id"]
        .as_str()
        .unwrap()
        .to_string();
    let children: Vec<Child> = (0..20)
        .map(|p| {
            on_host(
                homes[p % 4].path(),
                &url,
                &format!("agent_{p}"),
                &["complete", &id, "success", "3"],
            )
            .spawn()
            .unwrap()
        })
        .collect();
    let codes: Vec<Option<i32>> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap().status.code())
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == Some(0)).count(),
        1,
        "{codes:?}"
    );
    assert_eq!(codes.iter().filter(|c| **c == Some(1)).count(), 19);
    let out = on_host(homes[1].path(), &url, "reader", &["--json", "status"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["velocity"].as_f64(),
        Some(3.0),
        "one completion counted: {v}"
    );
}

#[test]
fn pg_ten_hosts_retrying_one_request_store_one_claim() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let url = server.new_db();
    let homes = hosts(2);
    let args = [
        "--json",
        "--request-id",
        "req-42",
        "claim",
        "fix",
        "once only",
    ];
    let children: Vec<Child> = (0..10)
        .map(|p| {
            on_host(homes[p % 2].path(), &url, "agent_r", &args)
                .spawn()
                .unwrap()
        })
        .collect();
    let mut ids = HashSet::new();
    for c in children {
        let out = c.wait_with_output().unwrap();
        match out.status.code() {
            Some(0) => {
                let v: Value = serde_json::from_slice(&out.stdout).unwrap();
                ids.insert(v["work_item_id"].as_str().unwrap().to_string());
            }
            Some(1) => assert!(String::from_utf8_lossy(&out.stderr).contains("run it again")),
            other => panic!("exit {other:?}"),
        }
    }
    assert_eq!(ids.len(), 1, "every success names the one claim: {ids:?}");
    assert_eq!(list(&url, homes[0].path()).len(), 1, "one claim stored");
    let again = on_host(homes[1].path(), &url, "agent_r", &args)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert!(
        ids.contains(v["work_item_id"].as_str().unwrap()),
        "a retry returns it"
    );
}

#[test]
fn pg_the_queue_and_watch_work_across_hosts() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let url = server.new_db();
    let homes = hosts(2);
    let run = |home: &Path, agent: &str, args: &[&str]| {
        let out = on_host(home, &url, agent, args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let first = run(homes[0].path(), "a", &["add", "task", "first"]);
    let first = first
        .split_whitespace()
        .find(|w| w.starts_with("work_"))
        .unwrap();
    let second = run(
        homes[0].path(),
        "a",
        &["add", "task", "second", "--depends-on", first],
    );
    let second = second
        .split_whitespace()
        .find(|w| w.starts_with("work_"))
        .unwrap();
    // A blocked item ahead in the queue does not hide the ready one behind it.
    run(
        homes[0].path(),
        "a",
        &["add", "task", "third", "critical", "--depends-on", second],
    );
    let blocked = run(homes[1].path(), "b", &["--json", "blocked"]);
    assert!(blocked.contains(first), "{blocked}");
    let taken = run(homes[1].path(), "b", &["claim", "--next"]);
    assert!(taken.contains(first), "only the ready item: {taken}");
    run(homes[1].path(), "b", &["complete", first]);
    let feed = run(
        homes[0].path(),
        "a",
        &["--json", "watch", "--since", "0", "--no-follow"],
    );
    let events: Vec<Value> = feed
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "no gaps");
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert!(kinds.starts_with(&["added", "added"]), "{kinds:?}");
    assert!(
        kinds.contains(&"claimed") && kinds.contains(&"completed"),
        "{kinds:?}"
    );
    let after = run(
        homes[0].path(),
        "a",
        &["--json", "watch", "--since", "3", "--no-follow"],
    );
    assert_eq!(after.lines().count(), events.len() - 3, "--since resumes");
}

#[test]
fn pg_through_a_transaction_pooler_claims_are_stored_once_and_next_items_taken_once() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let Some(pooler) = crate::pg_pooler::Pooler::start(server.port, "nexus") else {
        return;
    };
    // The schema is created on first use through the pooler too.
    let url = pooler.url(&server.new_db());
    let homes = hosts(2);
    let run =
        |p: usize, args: &[&str]| on_host(homes[p % 2].path(), &url, &format!("agent_{p}"), args);
    let script =
        "for i in 1 2 3 4 5 6 7 8 9 10; do \"$NEXUS\" claim fix \"p$P $i\" || echo FAILED; done";
    let printed: HashSet<String> = claim_loops(&homes, &url, 20, script).into_iter().collect();
    assert_eq!(printed.len(), 200, "200 claims, unique ids");
    for i in 0..10 {
        assert!(
            run(0, &["add", "task", &format!("next {i}")])
                .output()
                .unwrap()
                .status
                .success()
        );
    }
    let takers: Vec<Child> = (0..20)
        .map(|p| run(p, &["--json", "claim", "--next"]).spawn().unwrap())
        .collect();
    let mut won = HashSet::new();
    for c in takers {
        let out = c.wait_with_output().unwrap();
        if out.status.success() {
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert!(
                won.insert(v["work_item_id"].as_str().unwrap().to_string()),
                "taken twice"
            );
        } else {
            assert_eq!(out.status.code(), Some(1));
        }
    }
    assert_eq!(won.len(), 10);
    let one = won.iter().next().unwrap();
    let owner = list(&url, homes[0].path())
        .into_iter()
        .find(|c| c["work_item_id"] == one.as_str())
        .unwrap()["agent_id"]
        .as_str()
        .unwrap()
        .to_string();
    let p: usize = owner.trim_start_matches("agent_").parse().unwrap();
    assert!(
        run(p, &["progress", one, "50"])
            .output()
            .unwrap()
            .status
            .success()
    );
    assert!(
        run(p, &["complete", one, "success", "3"])
            .output()
            .unwrap()
            .status
            .success()
    );
    let all = list(&url, homes[1].path());
    assert_eq!(all.len(), 210);
    let done = all
        .iter()
        .find(|c| c["work_item_id"] == one.as_str())
        .unwrap();
    assert_eq!(
        (done["status"].as_str(), done["progress"].as_i64()),
        (Some("completed"), Some(50))
    );
}
