//! `nexus serve` on PostgreSQL commits concurrent requests in groups: one
//! transaction holds the steps of several requests, every acknowledged
//! claim is stored once with its own audit and event lines, a step failing
//! (or panicking) beside others leaves no trace, and a CLI process writing
//! at the same time loses nothing.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Duration;

use nexus::store::pg::{Lanes, PgStore};
use nexus::store::{State, Step, Store};
use serde_json::{Value, json};

use crate::common::{Env, first_work_id, succeeded};
use crate::pg_server::PgServer;
use crate::serve::{Served, claims_until_killed, client, token};
use crate::serve_group::{http_claims, refused_requests};

/// A directory whose steps are audited (the staging mode), and a new
/// database; `None` when no PostgreSQL server can be started here.
fn audited_db() -> Option<(Env, String)> {
    let server = PgServer::shared()?;
    let env = Env::empty();
    std::fs::write(env.path("nexus.toml"), "mode = \"staging\"\n").unwrap();
    Some((env, server.new_db()))
}

fn db(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}

/// The ids of the live claims, each once.
fn stored(url: &str) -> HashSet<String> {
    let ids: Vec<String> = db(url)
        .query("SELECT work_item_id FROM nexus_claims", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let set: HashSet<String> = ids.iter().cloned().collect();
    assert_eq!(set.len(), ids.len(), "an id is stored twice");
    set
}

/// How many transactions wrote the event lines (a step's rows are written
/// from a savepoint, its event lines by the transaction itself).
fn transactions(url: &str) -> i64 {
    db(url)
        .query_one(
            "SELECT count(DISTINCT xmin::text)::bigint FROM nexus_events",
            &[],
        )
        .unwrap()
        .get(0)
}

/// The trail verifies (with the CLI), every claim in `ids` has exactly one
/// audit line, and the events are numbered 1..n; the audit lines.
fn trail_whole(env: &Env, url: &str, ids: &HashSet<String>) -> Vec<String> {
    succeeded(
        &env.cmd()
            .env("NEXUS_STORE", url)
            .args(["audit", "verify"])
            .output()
            .unwrap(),
    );
    let mut c = db(url);
    let audit: Vec<String> = c
        .query("SELECT line FROM nexus_audit ORDER BY seq", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    for id in ids {
        let named = format!("\"work_item\":\"{id}\"");
        let n = audit.iter().filter(|l| l.contains(&named)).count();
        assert_eq!(n, 1, "audit lines of {id}");
    }
    let seqs: Vec<i64> = c
        .query("SELECT seq FROM nexus_events ORDER BY seq", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>());
    audit
}

#[test]
fn concurrent_http_claims_on_postgres_share_transactions_and_keep_their_own_lines() {
    let Some((env, url)) = audited_db() else {
        return;
    };
    let w = token(&env, "write");
    let s = Served::start_with(&env, &[("NEXUS_STORE", url.as_str())]);
    let acked: HashSet<String> = http_claims(&s, &w, 16, 15).into_iter().collect();
    assert_eq!(acked.len(), 16 * 15);
    assert_eq!(stored(&url), acked);
    let r = client().get(s.url("/api/v1/audit/verify")).send().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    // Each claim: the claim, and its agent's record (16 new agents).
    assert_eq!(trail_whole(&env, &url, &acked).len(), 2 * 16 * 15);
    // Requests arriving together shared transactions.
    let txs = transactions(&url);
    assert!(txs < acked.len() as i64, "{txs} transactions for {acked:?}");
    assert!(s.stop().success());
}

#[test]
fn on_postgres_failing_requests_change_nothing_and_a_cli_writer_loses_nothing() {
    let Some((env, url)) = audited_db() else {
        return;
    };
    let with_pg = |args: &[&str]| {
        let out = env
            .cmd()
            .env("NEXUS_STORE", &url)
            .env("AGENT_ID", "agent_cli")
            .args(args)
            .output()
            .unwrap();
        succeeded(&out)
    };
    let done = first_work_id(&with_pg(&["claim", "feat", "done"]));
    with_pg(&["complete", &done]);
    let lines_before = trail_whole(&env, &url, &HashSet::new()).len();
    let w = token(&env, "write");
    let s = Served::start_with(&env, &[("NEXUS_STORE", url.as_str())]);
    let (http, cli) = std::thread::scope(|scope| {
        let failing: Vec<_> = (0..4)
            .map(|i| {
                let (s, w, done) = (&s, &w, &done);
                scope.spawn(move || refused_requests(s, w, done, i))
            })
            .collect();
        let cli = scope.spawn(|| {
            (0..10)
                .map(|i| first_work_id(&with_pg(&["claim", "cli", &format!("cli {i}")])))
                .collect::<Vec<_>>()
        });
        let http = http_claims(&s, &w, 8, 15);
        for f in failing {
            f.join().unwrap();
        }
        (http, cli.join().unwrap())
    });
    let ids: HashSet<String> = http.iter().chain(&cli).cloned().collect();
    assert_eq!(ids.len(), 8 * 15 + 10);
    let mut all = ids.clone();
    all.insert(done.clone());
    assert_eq!(stored(&url), all);
    let audit = trail_whole(&env, &url, &ids);
    // Nothing recorded for the failed requests: only claims were added,
    // each with its agent's record (8 HTTP agents, the CLI's known).
    let added = &audit[lines_before..];
    for line in added {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["command"], "claim", "{line}");
    }
    assert_eq!(added.len(), 2 * 8 * 15 + 2 * 10);
}

/// A step of the test's own by agent `t`, audited.
fn step(n: usize, t: usize) -> Step {
    Step {
        audit: true,
        agent: Some(format!("agent_{t}")),
        ..Step::quiet(&format!("step_{n}"), "2026-03-01T00:00:00Z")
    }
}

/// Insert claim `k` and touch agent `t`; then fail, panic or end well.
fn act(st: &mut dyn State, k: usize, t: usize) -> nexus::error::Result<()> {
    st.insert_claim(json!({"work_item_id": format!("work_{k}"), "status": "available", "priority": "high", "team": "t"}));
    let name = format!("agent_{t}");
    let mut a = st.agent(&name)?.unwrap_or(json!({"agent_id": name}));
    a["seen"] = json!(k);
    st.put_agent(a, false)?;
    match k % 7 {
        3 => Err(nexus::error::NexusError::Usage(format!("step {k} fails"))),
        5 => panic!("step {k} panics after its writes"),
        _ => Ok(()),
    }
}

#[test]
fn a_step_failing_or_panicking_in_a_postgres_batch_leaves_no_trace() {
    let Some((env, url)) = audited_db() else {
        return;
    };
    let open = || PgStore::new(&url, Duration::from_secs(10), Duration::from_secs(10));
    open().init().unwrap();
    // One store for every thread, as a server has: its batches run in
    // lanes by agent, several at once.
    let store = open().grouped(&Arc::new(Lanes::default()), 4);
    let kept: Vec<String> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..6)
            .map(|t| {
                let store = &store;
                scope.spawn(move || {
                    let mut kept = Vec::new();
                    for i in 0..14 {
                        let k = t * 100 + i;
                        let ran = catch_unwind(AssertUnwindSafe(|| {
                            store.update(&step(k, t), |st| act(st, k, t))
                        }));
                        match (k % 7, ran) {
                            (3, Ok(Err(_))) | (5, Err(_)) => {}
                            (_, Ok(Ok(()))) => kept.push(format!("work_{k}")),
                            (_, other) => panic!("step {k}: {:?}", other.map(|r| r.is_ok())),
                        }
                    }
                    kept
                })
            })
            .collect();
        threads
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let kept: HashSet<String> = kept.into_iter().collect();
    assert_eq!(kept.len(), 6 * 10);
    assert_eq!(stored(&url), kept);
    // Two changes each (the claim, the agent), their own audit lines.
    let audit = trail_whole(&env, &url, &kept);
    assert_eq!(audit.len(), 2 * kept.len());
    let agents: i64 = db(&url)
        .query_one("SELECT count(*) FROM nexus_agents", &[])
        .unwrap()
        .get(0);
    assert_eq!(agents, 6);
    assert!(transactions(&url) < kept.len() as i64);
}

#[test]
fn a_write_refused_after_its_step_ended_fails_its_batch_and_stores_none_of_it() {
    let Some((env, url)) = audited_db() else {
        return;
    };
    let open = || PgStore::new(&url, Duration::from_secs(10), Duration::from_secs(10));
    open().init().unwrap();
    // The server refuses the claims whose number ends in 7, when the
    // deferred insert reaches it: after the step's operation succeeded.
    db(&url)
        .batch_execute(
            "CREATE FUNCTION refuse_sevens() RETURNS trigger AS $$
             BEGIN
               IF NEW.work_item_id LIKE '%7' THEN RAISE EXCEPTION 'no sevens'; END IF;
               RETURN NEW;
             END $$ LANGUAGE plpgsql;
             CREATE TRIGGER refuse_sevens BEFORE INSERT ON nexus_claims
               FOR EACH ROW EXECUTE FUNCTION refuse_sevens();",
        )
        .unwrap();
    let store = open().grouped(&Arc::new(Lanes::default()), 4);
    let answers: Vec<(usize, bool)> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..6)
            .map(|t| {
                let store = &store;
                scope.spawn(move || {
                    (0..20)
                        .map(|i| {
                            let k = t * 100 + i;
                            let ran = store.update(&step(k, t), |st| {
                                st.insert_claim(json!({"work_item_id": format!("work_{k}"), "status": "available"}));
                                Ok(())
                            });
                            (k, ran.is_ok())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        threads
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let ok: HashSet<String> = (answers.iter())
        .filter(|a| a.1)
        .map(|a| format!("work_{}", a.0))
        .collect();
    for (k, fine) in &answers {
        assert!(!(k % 10 == 7 && *fine), "work_{k} was acknowledged");
    }
    assert!(!ok.is_empty());
    // Batches held several steps.
    assert!(transactions(&url) < ok.len() as i64);
    // Exactly the acknowledged steps are stored, with whole trails.
    assert_eq!(stored(&url), ok);
    assert_eq!(trail_whole(&env, &url, &ok).len(), ok.len());
}

#[test]
fn sigkill_of_a_server_on_postgres_keeps_every_acknowledged_claim_and_no_half_step() {
    let Some((env, url)) = audited_db() else {
        return;
    };
    let w = token(&env, "write");
    let mut s = Served::start_with(&env, &[("NEXUS_STORE", url.as_str())]);
    let acked: HashSet<String> =
        claims_until_killed(&mut s, &w, 300, Duration::from_millis(1500), |i, j| {
            json!({"work_type": "load", "description": format!("{i}-{j}"), "agent_id": format!("agent_{i}")})
        })
        .into_iter()
        .collect();
    assert!(
        !acked.is_empty() && acked.len() < 8 * 300,
        "{}",
        acked.len()
    );
    let stored = stored(&url);
    for id in &acked {
        assert!(stored.contains(id), "{id} acknowledged but lost");
    }
    // Whole steps only: each stored claim with its two audit lines (the
    // claim, its agent) and two events, the chain and numbering whole.
    let audit = trail_whole(&env, &url, &stored);
    assert_eq!(audit.len(), 2 * stored.len());
    let events: i64 = db(&url)
        .query_one("SELECT count(*) FROM nexus_events", &[])
        .unwrap()
        .get(0);
    assert_eq!(events as usize, audit.len());
}
