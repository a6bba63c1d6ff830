//! The PostgreSQL store when things go wrong (a server killed mid-load, down,
//! silent, or newer than the binary, a lock held elsewhere), moving the legacy files in and out,
//! and the wake-up a dashboard gets on every change.

use std::collections::{HashMap, HashSet};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{Env, fixtures};
use crate::pg_server::PgServer;
use crate::stores::On;

fn json_of(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn pg_a_server_killed_during_a_load_run_leaves_every_command_whole() {
    // A server of its own: killing the shared one would fail the other tests.
    let Some(server) = PgServer::start_new() else {
        return;
    };
    let on = Arc::new(On::pg(&server));
    // (description, exit code, printed id, finished after the restart)
    let results = Arc::new(Mutex::new(Vec::new()));
    let (stop, restarted) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let workers: Vec<_> = (0..8)
        .map(|t| {
            let (on, results, stop, restarted) =
                (on.clone(), results.clone(), stop.clone(), restarted.clone());
            thread::spawn(move || {
                let mut i = 0;
                while !stop.load(Ordering::Acquire) {
                    let desc = format!("t{t}-{i}");
                    let out = on.run(
                        &["--json", "claim", "load", &desc],
                        &[
                            ("AGENT_ID", &format!("agent_{t}")),
                            ("NEXUS_LOCK_TIMEOUT_MS", "20000"),
                        ],
                    );
                    let id = serde_json::from_slice::<Value>(&out.stdout)
                        .ok()
                        .and_then(|v| v["work_item_id"].as_str().map(str::to_string));
                    let after = restarted.load(Ordering::Acquire);
                    results
                        .lock()
                        .unwrap()
                        .push((desc, out.status.code(), id, after));
                    i += 1;
                }
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(1500));
    server.kill();
    thread::sleep(Duration::from_millis(700));
    server.start();
    restarted.store(true, Ordering::Release);
    thread::sleep(Duration::from_millis(1500));
    stop.store(true, Ordering::Release);
    for w in workers {
        w.join().unwrap();
    }
    let stored: HashMap<String, String> = json_of(&on.run(&["--json", "list"], &[]))
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["description"].as_str().unwrap().to_string(),
                c["work_item_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let results = results.lock().unwrap();
    let (mut ok, mut failed, mut ok_after) = (0, 0, 0);
    for (desc, code, id, after) in results.iter() {
        match code {
            Some(0) => {
                ok += 1;
                ok_after += usize::from(*after);
                assert_eq!(
                    stored.get(desc),
                    id.as_ref(),
                    "{desc} printed success: stored"
                );
            }
            Some(1) => {
                failed += 1;
                assert!(!stored.contains_key(desc), "{desc} failed: not stored");
            }
            other => panic!("{desc} ended with {other:?}"),
        }
    }
    assert_eq!(
        stored.len(),
        ok,
        "nothing stored that did not print success"
    );
    assert!(
        failed > 0,
        "the server was down for a while: some commands failed"
    );
    assert!(ok_after > 0, "commands succeed again after the restart");
    let unique: HashSet<&String> = stored.values().collect();
    assert_eq!(unique.len(), stored.len(), "ids stay unique");
}

#[test]
fn pg_a_server_that_is_down_or_silent_fails_in_one_line_within_the_timeout() {
    let env = Env::new();
    let free = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // Accepts connections but never answers: only the timeout ends the wait.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    for port in [free, silent_port] {
        let started = Instant::now();
        let out = env
            .cmd()
            .env(
                "NEXUS_STORE",
                format!("postgres://nexus:secret@127.0.0.1:{port}/db"),
            )
            .env("NEXUS_PG_CONNECT_TIMEOUT_MS", "800")
            .args(["claim", "fix", "it"])
            .output()
            .unwrap();
        let took = started.elapsed();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(took < Duration::from_millis(2500), "took {took:?}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("PostgreSQL store postgres://***@127.0.0.1")
                && err.contains("cannot connect"),
            "{err}"
        );
        assert!(
            !err.contains("secret"),
            "the password is never printed: {err}"
        );
        assert!(!env.dir().exists(), "no directory written");
    }
    drop(silent);
}

#[test]
fn pg_a_schema_newer_than_the_binary_is_refused() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let on = On::pg(server);
    let init = on.run(&["store", "init"], &[]);
    assert!(String::from_utf8_lossy(&init.stdout).contains("created schema version 1"));
    let again = on.run(&["store", "init"], &[]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("is current"));
    let mut c = postgres::Client::connect(on.store.as_ref().unwrap(), postgres::NoTls).unwrap();
    c.batch_execute("UPDATE nexus_meta SET value = '99' WHERE key = 'schema_version'")
        .unwrap();
    let out = on.run(&["list"], &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("schema is version 99, newer than this nexus understands (1)"),
        "{err}"
    );
}

/// The records of a legacy array file, each as its exact JSON text.
fn records(dir: &std::path::Path, name: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap();
    v.as_array().unwrap().iter().map(Value::to_string).collect()
}

#[test]
fn pg_import_then_export_reproduces_the_legacy_files_record_for_record() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let on = On::pg(server);
    let from = fixtures();
    let out = json_of(&on.run(
        &[
            "--json",
            "store",
            "import",
            "--from",
            from.to_str().unwrap(),
        ],
        &[],
    ));
    assert!(out["counts"]["claims"].as_u64().unwrap() > 0, "{out}");
    let again = on.run(&["store", "import", "--from", from.to_str().unwrap()], &[]);
    assert_eq!(again.status.code(), Some(1), "a second import is refused");
    let to = tempfile::tempdir().unwrap();
    let dir = to.path().join("exported");
    json_of(&on.run(
        &["--json", "store", "export", "--to", dir.to_str().unwrap()],
        &[],
    ));
    for name in [
        "work_claims.json",
        "agent_status.json",
        "coordination_log.json",
    ] {
        assert_eq!(records(&from, name), records(&dir, name), "{name}");
    }
    let lines = |d: &std::path::Path| -> Vec<String> {
        std::fs::read_to_string(d.join("velocity_log.txt"))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect()
    };
    assert_eq!(lines(&from), lines(&dir));
    let spans = |d: &std::path::Path| -> Vec<String> {
        nexus::store::SpanRead::read(d)
            .unwrap()
            .spans
            .iter()
            .map(Value::to_string)
            .collect()
    };
    assert_eq!(spans(&from), spans(&dir));
    // The same reports from the store and from the exported files.
    let report = |args: &[&str], vars: &[(&str, &str)]| {
        let o = on.run(args, vars);
        assert!(o.status.success());
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let now = [("NEXUS_NOW", "2026-01-10T10:00:00Z")];
    let on_pg = report(&["scrum-of-scrums"], &now);
    let on_files = Env::new()
        .cmd()
        .env("NEXUS_NOW", "2026-01-10T10:00:00Z")
        .args(["--dir", dir.to_str().unwrap(), "scrum-of-scrums"])
        .output()
        .unwrap();
    assert_eq!(on_pg, String::from_utf8_lossy(&on_files.stdout));
}

#[test]
fn pg_a_dashboard_is_woken_by_a_change_and_sees_it_by_polling_too() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let on = On::pg(server);
    assert!(on.run(&["store", "init"], &[]).status.success());
    let store = nexus::store::pg::PgStore::new(
        on.store.as_ref().unwrap(),
        Duration::from_secs(3),
        Duration::from_secs(5),
    );
    let mut watch = nexus::store::pg::Watch::start(&store);
    let wait_woken = |watch: &nexus::store::pg::Watch| {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if watch.woken() {
                return true;
            }
            thread::sleep(Duration::from_millis(10));
        }
        false
    };
    assert!(wait_woken(&watch), "listening");
    assert!(!watch.poll(&store), "the first look is the baseline");
    assert!(
        on.run(&["claim", "fix", "it"], &[("AGENT_ID", "a1")])
            .status
            .success()
    );
    assert!(wait_woken(&watch), "the claim woke the watcher");
    assert!(watch.poll(&store), "and the event number moved");
    assert!(!watch.poll(&store));
}

/// Kills the tmux session when the test ends, also on panic.
struct Session(String);

impl Drop for Session {
    fn drop(&mut self) {
        let _ = std::process::Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .output();
    }
}

fn capture_until(session: &str, needle: &str, within: Duration) -> String {
    let deadline = Instant::now() + within;
    loop {
        let out = std::process::Command::new("tmux")
            .args(["capture-pane", "-p", "-t", session])
            .output()
            .unwrap();
        let screen = String::from_utf8_lossy(&out.stdout).into_owned();
        if screen.contains(needle) || Instant::now() > deadline {
            return screen;
        }
        thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn pg_the_live_dashboard_shows_a_change_on_notify_long_before_its_refresh() {
    if std::process::Command::new("tmux")
        .arg("-V")
        .output()
        .is_err()
    {
        eprintln!("tmux not installed: scripts/test.sh installs it; skipping here");
        return;
    }
    let Some(server) = PgServer::shared() else {
        return;
    };
    let on = On::pg(server);
    assert!(on.run(&["store", "init"], &[]).status.success());
    let session = Session(format!("nexus-pg-{}", std::process::id()));
    // A refresh of a minute: only the notification can show the claim in time.
    let cmd = format!(
        "NEXUS_STORE='{}' '{}' dashboard --refresh-ms 60000",
        on.store.as_ref().unwrap(),
        crate::common::bin().display()
    );
    let started = std::process::Command::new("tmux")
        .args([
            "new-session",
            "-d",
            "-s",
            &session.0,
            "-x",
            "160",
            "-y",
            "36",
            &cmd,
        ])
        .status()
        .unwrap();
    assert!(started.success());
    let screen = capture_until(&session.0, "Active work (", Duration::from_secs(10));
    assert!(
        screen.contains("postgres://***@127.0.0.1"),
        "the header names the store:\n{screen}"
    );
    let out = json_of(&on.run(
        &["--json", "claim", "live", "seen at once", "critical"],
        &[],
    ));
    let id = out["work_item_id"].as_str().unwrap().to_string();
    let screen = capture_until(&session.0, &id, Duration::from_secs(10));
    assert!(screen.contains(&id), "the claim is not shown:\n{screen}");
}

#[test]
fn pg_the_store_flag_wins_over_the_variable_and_doctor_names_the_store() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let on = On::pg(server);
    let url = on.store.clone().unwrap();
    let env = Env::new();
    // NEXUS_STORE names a server that is not there; --store the real one.
    let out = env
        .cmd()
        .env("NEXUS_STORE", "postgres://nexus@127.0.0.1:1/nowhere")
        .args(["--store", &url, "--json", "claim", "fix", "it"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = json_of(&on.run(&["--json", "list"], &[]));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let doctor = on.run(&["doctor"], &[]);
    let text = String::from_utf8_lossy(&doctor.stdout);
    assert!(doctor.status.success(), "{text}");
    assert!(
        text.starts_with("🩺 DOCTOR: postgres://***@127.0.0.1"),
        "{text}"
    );
    assert!(
        text.contains("✅ store: PostgreSQL") && text.contains("1 claims"),
        "{text}"
    );
    let bad = env
        .cmd()
        .env("NEXUS_STORE", "mysql://root:pw@db/x")
        .args(["list"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        err.contains("invalid store") && !err.contains(":pw@"),
        "{err}"
    );
}

#[test]
fn pg_a_step_behind_a_held_lock_fails_as_a_conflict_within_the_lock_timeout() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let on = On::pg(server);
    json_of(&on.run(&["--json", "claim", "first", "d"], &[("AGENT_ID", "a1")]));
    // Another session holds the lock every step with changes takes last.
    let mut holder =
        postgres::Client::connect(on.store.as_ref().unwrap(), postgres::NoTls).unwrap();
    holder
        .batch_execute("SELECT pg_advisory_lock(28280, 3)")
        .unwrap();
    let start = Instant::now();
    let out = on.run(
        &["claim", "second", "d"],
        &[("AGENT_ID", "a1"), ("NEXUS_LOCK_TIMEOUT_MS", "300")],
    );
    let took = start.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("within 300 ms"), "{err}");
    assert!(took < Duration::from_secs(3), "{took:?}");
    holder
        .batch_execute("SELECT pg_advisory_unlock(28280, 3)")
        .unwrap();
    let list = json_of(&on.run(&["--json", "list"], &[]));
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "nothing of the refused step"
    );
    // Another session holds the agent's lock, which a claim takes as it
    // begins: the same conflict, in the same words.
    holder
        .batch_execute("BEGIN; SELECT pg_advisory_xact_lock(hashtext('nexus agent a1'))")
        .unwrap();
    let out = on.run(
        &["claim", "third", "d"],
        &[("AGENT_ID", "a1"), ("NEXUS_LOCK_TIMEOUT_MS", "300")],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("within 300 ms"), "{err}");
    holder.batch_execute("ROLLBACK").unwrap();
    let third = on.run(&["claim", "third", "d"], &[("AGENT_ID", "a1")]);
    assert!(third.status.success());
}
