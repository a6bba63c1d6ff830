//! Group commit on PostgreSQL when things go wrong: a batch whose `COMMIT`
//! answer is lost is settled by asking the server (stored: success), and a
//! step that waits for a lock another process holds does not hold up the
//! steps of other agents behind it for longer than the store's patience.

use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::thread;
use std::time::{Duration, Instant};

use nexus::store::pg::{Lanes, PgStore};
use nexus::store::{Step, Store};
use serde_json::json;

use crate::pg_server::PgServer;

/// A TCP proxy to `port` that, on the first round trip carrying event
/// lines and `COMMIT`, passes it on to the server (which commits) and cuts
/// the client off before the answer; it keeps accepting connections, so
/// the server can be asked what happened.
fn cut_once_proxy(port: u16) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let own = listener.local_addr().unwrap().port();
    let cut = Arc::new(AtomicBool::new(false));
    thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { return };
            let server = TcpStream::connect(("127.0.0.1", port)).unwrap();
            crate::pg_outcome::pipe(client, server, Arc::clone(&cut));
        }
    });
    own
}

fn step(agent: &str) -> Step {
    Step {
        audit: true,
        agent: Some(agent.to_string()),
        ..Step::quiet("claim", "2026-03-01T00:00:00Z")
    }
}

fn claims(url: &str) -> i64 {
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    c.query_one("SELECT count(*) FROM nexus_claims", &[])
        .unwrap()
        .get(0)
}

#[test]
fn a_batch_whose_commit_answer_is_lost_is_answered_as_stored() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let url = server.new_db();
    let open = |u: &str| PgStore::new(u, Duration::from_secs(3), Duration::from_secs(5));
    open(&url).init().unwrap();
    let via = url.replace(
        &format!(":{}/", server.port),
        &format!(":{}/", cut_once_proxy(server.port)),
    );
    let grouped = open(&via).grouped(&Arc::new(Lanes::default()), 4);
    let answer = grouped.update(&step("agent_a"), |st| {
        st.insert_claim(json!({"work_item_id": "work_1", "status": "available"}));
        Ok(())
    });
    assert_eq!(claims(&url), 1, "the server committed the batch");
    assert!(answer.is_ok(), "stored, but answered {answer:?}");
}

#[test]
fn steps_behind_one_waiting_for_a_lock_run_within_the_stores_patience() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let url = server.new_db();
    let lock = Duration::from_millis(1000);
    PgStore::new(&url, Duration::from_secs(3), lock)
        .init()
        .unwrap();
    let lanes = Arc::new(Lanes::default());
    let store = PgStore::new(&url, Duration::from_secs(3), lock).grouped(&lanes, 8);
    let lane = |agent: &str| lanes.index(Some(agent));
    let busy = "agent_x";
    let other = (0..)
        .map(|i| format!("agent_{i}"))
        .find(|a| lane(a) == lane(busy))
        .unwrap();
    // Another process holds agent_x's record.
    let mut holder = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    holder
        .batch_execute("BEGIN; SELECT pg_advisory_xact_lock(hashtext('nexus agent agent_x'))")
        .unwrap();
    thread::scope(|s| {
        let waiting: Vec<_> = (0..4)
            .map(|_| {
                let store = &store;
                s.spawn(move || {
                    (0..2)
                        .map(|_| {
                            let t = Instant::now();
                            let r = store.update(&step(busy), |st| {
                                st.agent(busy)?;
                                Ok(())
                            });
                            (r.map_err(|e| e.is_conflict()), t.elapsed())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        thread::sleep(Duration::from_millis(300));
        let t = Instant::now();
        let r = store.update(&step(&other), |st| {
            st.insert_claim(json!({"work_item_id": "work_9", "status": "available"}));
            Ok(())
        });
        let took = t.elapsed();
        assert!(r.is_ok(), "{r:?}");
        assert!(took < lock, "an unrelated step waited {took:?}");
        // The waiting steps end as lock timeouts (conflicts), each within
        // its patience and its own lock wait.
        for (r, took) in waiting.into_iter().flat_map(|h| h.join().unwrap()) {
            assert_eq!(r, Err(true));
            assert!(took < lock * 2, "a step waited {took:?}");
        }
    });
    holder.batch_execute("ROLLBACK").unwrap();
    assert_eq!(claims(&url), 1);
}
