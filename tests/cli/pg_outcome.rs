//! Bounds on PostgreSQL: each statement is bounded, and a commit whose
//! answer is lost: the step may be stored, and nexus says it
//! cannot know (exit 3, `outcome_unknown`) instead of a failure that makes a
//! "safe" retry act twice; a retry with the same request id returns the
//! stored result.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use serde_json::Value;

use crate::common::{Env, first_work_id, succeeded};
use crate::pg_server::PgServer;

/// A TCP proxy to `port` that, on the first step's final batch (its event
/// lines and `COMMIT`), cuts the client off before the answer, passes the
/// batch on to the server, and from then on accepts no connection: the
/// server commits, and nobody can ask it whether it did.
fn lossy_proxy(port: u16) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let own = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let cut = Arc::new(AtomicBool::new(false));
    thread::spawn(move || {
        while !cut.load(Ordering::SeqCst) {
            match listener.accept() {
                Ok((client, _)) => {
                    client.set_nonblocking(false).unwrap();
                    let server = TcpStream::connect(("127.0.0.1", port)).unwrap();
                    pipe(client, server, cut.clone());
                }
                Err(_) => thread::sleep(Duration::from_millis(5)),
            }
        }
    });
    own
}

/// Carry `client`'s bytes to `server` and back; the first time a step's
/// final round trip (its event lines and `COMMIT`) passes, pass it on to the
/// server, cut the client off before the answer and set `cut`.
pub fn pipe(client: TcpStream, server: TcpStream, cut: Arc<AtomicBool>) {
    let (mut from_server, mut to_client) =
        (server.try_clone().unwrap(), client.try_clone().unwrap());
    thread::spawn(move || {
        let _ = std::io::copy(&mut from_server, &mut to_client);
    });
    let (mut from_client, mut to_server) = (client, server);
    thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = match from_client.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            let chunk = &buf[..n];
            let text = String::from_utf8_lossy(chunk);
            if text.contains("nexus_events")
                && text.contains("COMMIT")
                && !cut.swap(true, Ordering::SeqCst)
            {
                let _ = from_client.shutdown(Shutdown::Both);
                let _ = to_server.write_all(chunk);
                thread::sleep(Duration::from_secs(2));
                return;
            }
            if to_server.write_all(chunk).is_err() {
                return;
            }
        }
    });
}

#[test]
fn pg_a_lost_commit_answer_is_outcome_unknown_and_a_retry_with_the_request_id_is_safe() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let url = server.new_db();
    let env = Env::new();
    let run = |store: &str, args: &[&str]| {
        env.cmd()
            .args(args)
            .env("NEXUS_STORE", store)
            .env("NEXUS_PG_CONNECT_TIMEOUT_MS", "1000")
            .env("AGENT_ID", "agent_a")
            .output()
            .unwrap()
    };
    succeeded(&run(&url, &["store", "init"]));
    let through = url.replace(
        &format!(":{}/", server.port),
        &format!(":{}/", lossy_proxy(server.port)),
    );
    let lost = run(
        &through,
        &["--json", "claim", "bug", "once", "--request-id", "R1"],
    );
    assert_eq!(lost.status.code(), Some(3), "{lost:?}");
    let v: Value = serde_json::from_slice(&lost.stdout).unwrap();
    assert_eq!(v["kind"], "outcome_unknown", "{v}");
    let err = String::from_utf8_lossy(&lost.stderr);
    assert!(err.contains("--request-id R1"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    let listed: Value =
        serde_json::from_slice(&succeeded(&run(&url, &["--json", "list"])).into_bytes()).unwrap();
    assert_eq!(
        listed.as_array().unwrap().len(),
        1,
        "the step was stored: {listed}"
    );
    let stored = listed[0]["work_item_id"].as_str().unwrap().to_string();
    let again = succeeded(&run(&url, &["claim", "bug", "once", "--request-id", "R1"]));
    assert_eq!(
        first_work_id(&again),
        stored,
        "the retry returns the stored claim"
    );
    let listed: Value =
        serde_json::from_slice(&succeeded(&run(&url, &["--json", "list"])).into_bytes()).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1, "claimed once");

    // A release whose answer is lost: its retry is answered as stored.
    let through = url.replace(
        &format!(":{}/", server.port),
        &format!(":{}/", lossy_proxy(server.port)),
    );
    let lost = run(&through, &["release", &stored, "--request-id", "R2"]);
    assert_eq!(lost.status.code(), Some(3), "{lost:?}");
    let again = succeeded(&run(&url, &["release", &stored, "--request-id", "R2"]));
    assert!(again.contains("RELEASED"), "{again}");
    let shown: Value =
        serde_json::from_slice(&succeeded(&run(&url, &["--json", "show", &stored])).into_bytes())
            .unwrap();
    assert_eq!(shown["claim"]["status"], "available", "{shown}");
}

#[test]
fn pg_a_statement_that_runs_past_its_bound_is_cancelled_within_it() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let url = server.new_db();
    let env = Env::new();
    let run = |args: &[&str]| {
        env.cmd()
            .args(args)
            .env("NEXUS_STORE", &url)
            .env("NEXUS_LOCK_TIMEOUT_MS", "20000")
            .env("NEXUS_PG_STATEMENT_TIMEOUT_MS", "500")
            .output()
            .unwrap()
    };
    succeeded(&run(&["store", "init"]));
    let mut holder = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    holder
        .batch_execute("BEGIN; LOCK TABLE nexus_claims IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let started = std::time::Instant::now();
    let out = run(&["claim", "bug", "blocked"]);
    let took = started.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(took < Duration::from_secs(8), "took {took:?}: {err}");
    assert!(err.contains("NEXUS_PG_STATEMENT_TIMEOUT_MS"), "{err}");
    holder.batch_execute("ROLLBACK").unwrap();
    succeeded(&run(&["claim", "bug", "free"]));
}

/// A TCP proxy to `port` that goes silent, without closing anything, once
/// the client sends a chunk holding `needle` (passed on to the server when
/// `pass`): no byte moves either way after it, as behind a stuck load
/// balancer. The sockets stay open until the test ends.
fn silent_proxy(port: u16, needle: &'static str, pass: bool) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let own = listener.local_addr().unwrap().port();
    let silent = Arc::new(AtomicBool::new(false));
    thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let server = TcpStream::connect(("127.0.0.1", port)).unwrap();
            let (mut from_server, mut to_client) =
                (server.try_clone().unwrap(), client.try_clone().unwrap());
            let quiet = silent.clone();
            thread::spawn(move || {
                let mut buf = vec![0u8; 1 << 16];
                while let Ok(n @ 1..) = from_server.read(&mut buf) {
                    if quiet.load(Ordering::SeqCst) {
                        thread::sleep(Duration::from_secs(60));
                        return;
                    }
                    let _ = to_client.write_all(&buf[..n]);
                }
            });
            let (mut from_client, mut to_server) = (client, server);
            let quiet = silent.clone();
            thread::spawn(move || {
                let mut buf = vec![0u8; 1 << 16];
                while let Ok(n @ 1..) = from_client.read(&mut buf) {
                    let hit = String::from_utf8_lossy(&buf[..n]).contains(needle);
                    if quiet.load(Ordering::SeqCst) || (hit && !pass) {
                        quiet.store(true, Ordering::SeqCst);
                        thread::sleep(Duration::from_secs(60));
                        return;
                    }
                    // Silent before the chunk goes on: the server's answer
                    // to it must not slip back while this thread writes.
                    if hit {
                        quiet.store(true, Ordering::SeqCst);
                    }
                    let _ = to_server.write_all(&buf[..n]);
                }
            });
        }
    });
    own
}

#[test]
fn pg_a_silent_network_path_ends_the_command_within_its_bound() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let url = server.new_db();
    let env = Env::new();
    let run = |store: &str, args: &[&str]| {
        env.cmd()
            .args(args)
            .env("NEXUS_STORE", store)
            .env("NEXUS_PG_CONNECT_TIMEOUT_MS", "1000")
            .env("NEXUS_PG_STATEMENT_TIMEOUT_MS", "500")
            .env("NEXUS_LOCK_TIMEOUT_MS", "3000")
            .env("AGENT_ID", "agent_a")
            .output()
            .unwrap()
    };
    succeeded(&run(&url, &["store", "init"]));
    let via = |needle, pass| {
        url.replace(
            &format!(":{}/", server.port),
            &format!(":{}/", silent_proxy(server.port, needle, pass)),
        )
    };
    // Silent before the step began: nothing was changed, exit 1.
    let started = std::time::Instant::now();
    let out = run(&via("BEGIN", false), &["claim", "bug", "never"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("network path is silent; nothing was changed"),
        "{err}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );

    // Silent in the middle of the step (its first answer came back, its
    // rows are locked): the server ends the idle transaction, so the same
    // agent's next command is not stuck behind its locks.
    let out = run(&via("nexus_events", false), &["claim", "bug", "held"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    succeeded(&run(&url, &["claim", "bug", "right after"]));

    // The COMMIT went through, its answer did not: outcome unknown, and the
    // retry with the request id is answered with the stored claim.
    let out = run(
        &via("COMMIT", true),
        &["--json", "claim", "bug", "once", "--request-id", "S1"],
    );
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "outcome_unknown", "{v}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--request-id S1"), "{err}");
    let again = succeeded(&run(&url, &["claim", "bug", "once", "--request-id", "S1"]));
    let listed: Value =
        serde_json::from_slice(&succeeded(&run(&url, &["--json", "list"])).into_bytes()).unwrap();
    let onces: Vec<&Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["description"] == "once")
        .collect();
    assert_eq!(onces.len(), 1, "claimed once: {listed}");
    assert_eq!(
        first_work_id(&again),
        onces[0]["work_item_id"].as_str().unwrap()
    );
}
