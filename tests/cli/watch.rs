//! `nexus watch`: follows the changes other processes make, in order and
//! without gaps, resumes with `--since`, and ends cleanly when its reader
//! goes away or on Ctrl-C.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{Env, bin, first_work_id};

fn spawn_watch(env: &Env, args: &[&str]) -> Child {
    Command::new(bin())
        .arg("watch")
        .args(args)
        .env("COORDINATION_DIR", env.dir())
        .env_remove("NEXUS_NOW")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The lines of the child's stdout, as they come.
fn lines(child: &mut Child) -> Receiver<String> {
    let out = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for l in BufReader::new(out).lines() {
            if tx.send(l.unwrap()).is_err() {
                break;
            }
        }
    });
    rx
}

fn take(rx: &Receiver<String>, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            rx.recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| panic!("line {i} of {n} never came"))
        })
        .collect()
}

/// Wait up to 5 s for the child to exit; its exit code.
fn exits(child: &mut Child) -> Option<i32> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("watch did not end");
}

#[test]
fn watch_sees_other_processes_changes_in_order_and_resumes_with_since() {
    let env = Env::empty();
    let mut w = spawn_watch(&env, &["--json", "--since", "0"]);
    let rx = lines(&mut w);
    let a = first_work_id(&env.ok(&["add", "t", "first", "high"]));
    let b = first_work_id(&env.ok(&["add", "t", "second", "low", "--depends-on", &a]));
    env.ok(&["dep", "rm", &b, "--on", &a]);
    let agent = |args: &[&str]| {
        env.cmd()
            .env("AGENT_ID", "w1")
            .args(args)
            .assert()
            .success();
    };
    agent(&["claim", "--next"]);
    agent(&["progress", &a, "50"]);
    agent(&["release", &a]);
    agent(&["claim", "--next"]);
    agent(&["complete", &a]);
    let expected = [
        ("added", a.as_str()),
        ("added", &b),
        ("dependency_changed", &b),
        ("claimed", &a),
        ("registered", "w1"),
        ("progressed", &a),
        ("released", &a),
        ("agent_updated", "w1"),
        ("claimed", &a),
        ("agent_updated", "w1"),
        ("completed", &a),
        ("agent_updated", "w1"),
    ];
    let got: Vec<Value> = take(&rx, expected.len())
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let seqs: Vec<u64> = got.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=expected.len() as u64).collect::<Vec<_>>());
    let names: Vec<(&str, &str)> = got
        .iter()
        .map(|e| (e["event"].as_str().unwrap(), e["id"].as_str().unwrap()))
        .collect();
    assert_eq!(names, expected);
    let _ = w.kill();
    let _ = w.wait();

    // A consumer that saw up to seq 8 resumes and misses nothing.
    let rest = env.ok(&["watch", "--since", "8", "--no-follow"]);
    let rest: Vec<&str> = rest.lines().collect();
    assert_eq!(rest.len(), 4, "{rest:?}");
    assert!(
        rest[0].starts_with("#9 ") && rest[0].contains(" claimed "),
        "{rest:?}"
    );
    assert!(rest[3].starts_with("#12 "), "{rest:?}");
    // --team filters; nothing new without --since.
    let none = env.ok(&["watch", "--team", "nobody", "--since", "0", "--no-follow"]);
    assert_eq!(none, "");
    assert_eq!(env.ok(&["watch", "--no-follow"]), "");
}

#[test]
fn watch_starts_at_the_end_and_prints_escaped_human_lines() {
    let env = Env::empty();
    env.ok(&["add", "t", "before the watch"]);
    let mut w = spawn_watch(&env, &[]);
    let rx = lines(&mut w);
    // It starts at the end of the file: the event before it is never shown.
    // Add until it has started and shows one (it gives no other sign).
    let mut got = None;
    for _ in 0..50 {
        env.ok(&["add", "t", "d", "high", "red\u{1b}[31mteam"]);
        if let Ok(l) = rx.recv_timeout(Duration::from_millis(400)) {
            got = Some(vec![l]);
            break;
        }
    }
    let got = got.expect("watch printed nothing");
    assert!(!got[0].starts_with("#1 "), "{got:?}");
    assert!(got[0].contains("added"), "{got:?}");
    assert!(got[0].contains("team=red\\x1b[31mteam"), "{got:?}");
    assert!(!got[0].contains('\u{1b}'));
    // Ctrl-C ends it cleanly.
    unsafe { libc::kill(w.id() as i32, libc::SIGINT) };
    assert_eq!(exits(&mut w), Some(0));
}

#[test]
fn watch_ends_when_its_reader_goes_away() {
    let env = Env::empty();
    let mut w = spawn_watch(&env, &["--since", "0"]);
    drop(w.stdout.take());
    assert_eq!(exits(&mut w), Some(0), "idle, with nothing to write");
    let mut w = spawn_watch(&env, &["--since", "0"]);
    let rx = lines(&mut w);
    env.ok(&["add", "t", "one"]);
    take(&rx, 1);
    drop(rx);
    env.ok(&["add", "t", "two"]);
    assert_eq!(exits(&mut w), Some(0), "after a write to a closed pipe");
}
