//! `nexus serve` commits concurrent requests in groups on the file store:
//! every acknowledged claim is stored once with its own audit lines, a
//! request that fails beside others changes nothing, and a CLI process
//! writing at the same time loses nothing.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::common::{Env, first_work_id, succeeded};
use crate::serve::{Served, client, token};

/// A directory whose steps are audited (the staging mode).
fn audited() -> Env {
    let env = Env::empty();
    std::fs::write(env.path("nexus.toml"), "mode = \"staging\"\n").unwrap();
    env
}

/// `clients` keep-alive clients claiming `each` items at once, each as its
/// own agent; the ids acknowledged (201).
pub fn http_claims(s: &Served, w: &str, clients: usize, each: usize) -> Vec<String> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|i| {
                scope.spawn(move || {
                    let c = client();
                    (0..each)
                        .map(|j| {
                            let r = c
                                .post(s.url("/api/v1/work/claim"))
                                .bearer_auth(w)
                                .json(&json!({"work_type": "load", "description": format!("{i}-{j}"), "agent_id": format!("agent_{i}")}))
                                .send()
                                .unwrap();
                            assert_eq!(r.status().as_u16(), 201);
                            let v: Value = r.json().unwrap();
                            v["work_item_id"].as_str().unwrap().to_string()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

/// 15 requests that must fail and change nothing: completing `done` (a
/// completed item: 409) when `i` is even, else progress on an unknown item
/// (404).
pub fn refused_requests(s: &Served, w: &str, done: &str, i: usize) {
    let c = client();
    for _ in 0..15 {
        let (path, body, want) = match i % 2 {
            0 => (format!("/api/v1/work/{done}/complete"), json!({}), 409),
            _ => (
                "/api/v1/work/work_999/progress".into(),
                json!({"percent": 50}),
                404,
            ),
        };
        let r = c.post(s.url(&path)).bearer_auth(w).json(&body);
        let r = r.send().unwrap();
        assert_eq!(r.status().as_u16(), want, "{path}");
    }
}

/// The ids in the claims file, each once.
fn stored(env: &Env) -> HashSet<String> {
    let claims = env.json("work_claims.json");
    let ids: Vec<String> = claims
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["work_item_id"].as_str().unwrap().to_string())
        .collect();
    let set: HashSet<String> = ids.iter().cloned().collect();
    assert_eq!(set.len(), ids.len(), "an id is stored twice");
    set
}

/// The trail verifies (over HTTP and with the CLI), every claim in `ids`
/// has exactly one audit line, and the events are numbered 1..n.
fn trail_whole(env: &Env, s: &Served, ids: &HashSet<String>) {
    let r = client().get(s.url("/api/v1/audit/verify")).send().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    succeeded(&env.cmd().args(["audit", "verify"]).output().unwrap());
    let audit = env.read("audit.jsonl");
    for id in ids {
        let line = format!("\"work_item\":\"{id}\"");
        assert_eq!(audit.matches(&line).count(), 1, "audit lines of {id}");
    }
    let seqs: Vec<u64> = env
        .read("events.jsonl")
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["seq"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>());
}

#[test]
fn concurrent_http_claims_are_each_stored_once_with_their_audit_lines() {
    let env = audited();
    let w = token(&env, "write");
    let s = Served::start(&env);
    let acked: HashSet<String> = http_claims(&s, &w, 16, 15).into_iter().collect();
    assert_eq!(acked.len(), 16 * 15);
    assert_eq!(stored(&env), acked);
    trail_whole(&env, &s, &acked);
    // Each claim: the claim, and its agent's record (16 new agents).
    let lines = env.read("audit.jsonl").lines().count();
    assert_eq!(lines, 2 * 16 * 15);
    // Each claim's span names its own item, though it shared a batch.
    let named: Vec<String> = env
        .read("telemetry_spans.jsonl")
        .lines()
        .filter_map(|l| {
            let span: Value = serde_json::from_str(l).unwrap();
            span["span_attributes"]["s2s.work_item_id"]
                .as_str()
                .map(str::to_string)
        })
        .collect();
    assert_eq!(named.len(), acked.len());
    assert_eq!(named.into_iter().collect::<HashSet<_>>(), acked);
}

#[test]
fn requests_failing_beside_others_change_nothing_and_the_others_are_stored() {
    let env = audited();
    let done = env.claim(&["feat", "done"]);
    env.ok(&["complete", &done]);
    let before = env.json("work_claims.json")[0].clone();
    let trail_before = env.read("audit.jsonl");
    let w = token(&env, "write");
    let s = Served::start(&env);
    let acked = std::thread::scope(|scope| {
        let failing: Vec<_> = (0..4)
            .map(|i| {
                let (s, w, done) = (&s, &w, &done);
                scope.spawn(move || refused_requests(s, w, done, i))
            })
            .collect();
        let acked = http_claims(&s, &w, 8, 15);
        for f in failing {
            f.join().unwrap();
        }
        acked
    });
    let acked: HashSet<String> = acked.into_iter().collect();
    assert_eq!(acked.len(), 8 * 15);
    let mut ids = acked.clone();
    ids.insert(done.clone());
    assert_eq!(stored(&env), ids);
    assert_eq!(env.json("work_claims.json")[0], before);
    trail_whole(&env, &s, &acked);
    // Nothing recorded for the failed requests: after the CLI's lines,
    // only the HTTP claims' (each claim with its agent).
    let trail = env.read("audit.jsonl");
    let added = trail.strip_prefix(&trail_before).unwrap();
    for line in added.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["command"], "claim", "{line}");
    }
    assert_eq!(added.lines().count(), 2 * 8 * 15);
}

#[test]
fn a_cli_writer_beside_http_writers_loses_nothing() {
    let env = audited();
    let w = token(&env, "write");
    let s = Served::start(&env);
    let (http, cli) = std::thread::scope(|scope| {
        let cli = scope.spawn(|| {
            (0..15)
                .map(|i| {
                    let out = env
                        .cmd()
                        .env("AGENT_ID", "agent_cli")
                        .args(["claim", "cli", &format!("cli {i}")])
                        .output()
                        .unwrap();
                    first_work_id(&succeeded(&out))
                })
                .collect::<Vec<_>>()
        });
        let http = http_claims(&s, &w, 8, 15);
        (http, cli.join().unwrap())
    });
    let ids: HashSet<String> = http.into_iter().chain(cli).collect();
    assert_eq!(ids.len(), 8 * 15 + 15);
    assert_eq!(stored(&env), ids);
    trail_whole(&env, &s, &ids);
}
