//! One command, one step: stopped at any write (an I/O error or a crash),
//! every state-changing command leaves the directory exactly as it was
//! before or exactly as a clean run leaves it after, and the exit code says
//! which; real SIGKILLs never split a completion; a full disk changes
//! nothing; routine cleanups and repairs never corrupt a file.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

use crate::common::{Env, first_work_id, succeeded};

const THEN: &str = "2026-01-01T00:00:00Z";
const NOW: &str = "2026-03-01T00:00:00Z";
const TRACE: &str = "0123456789abcdef0123456789abcdef";

/// Files that are the mechanism, not the state: the journal (the redo log),
/// the lock files, and the index (a cache that is trusted only while its
/// fingerprint matches the file).
const MECHANISM: &[&str] = &[
    ".nexus.journal",
    ".nexus.lock",
    ".nexus.index",
    ".nexus.warned-exporters",
    "work_claims.json.lock",
];

/// Every file under `dir` (recursively) with its bytes; span durations are
/// zeroed since they measure the run itself.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if MECHANISM.contains(&name.as_str()) {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let mut bytes = fs::read(&path).unwrap();
                if name == "telemetry_spans.jsonl" {
                    bytes = zero_durations(&bytes);
                }
                out.insert(name, bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn zero_durations(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    let mut rest = text.as_ref();
    while let Some(i) = rest.find("\"duration_ms\":") {
        let (head, tail) = rest.split_at(i + 14);
        out.push_str(head);
        out.push('0');
        rest = tail.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out.into_bytes()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

fn nexus(env: &Env, dir: &Path, mode: &str, args: &[&str]) -> assert_cmd::Command {
    let mut c = env.cmd();
    c.env("COORDINATION_DIR", dir)
        .env("NEXUS_MODE", mode)
        .env("NEXUS_NOW", NOW)
        .env("FORCE_TRACE_ID", TRACE)
        .env("AGENT_ID", "agent_one")
        .env("NEXUS_LOCK_TIMEOUT_MS", "2000")
        .args(args);
    c
}

/// A directory with claims in every state, agents, completions and spans.
fn base(env: &Env, mode: &str) -> (PathBuf, String) {
    let dir = env.tmp.path().join(format!("base-{mode}"));
    let run = |args: &[&str]| {
        let mut c = nexus(env, &dir, mode, args);
        c.env("NEXUS_NOW", THEN);
        succeeded(&c.output().unwrap())
    };
    let active = first_work_id(&run(&["claim", "feature", "active one", "high", "t1"]));
    run(&["progress", &active, "50"]);
    let done = first_work_id(&run(&["claim", "bug", "done one", "low", "t1"]));
    run(&["complete", &done, "success", "2"]);
    run(&["add", "chore", "backlog one", "critical", "t2"]);
    run(&["register", "agent_two", "t2", "50", "review"]);
    (dir, active)
}

/// Stop `args` at each of its write points in turn, failing the write or
/// killing the process there, and check before-or-after every time.
fn each_write_point(mode: &str) {
    let env = Env::new();
    let (base_dir, active) = base(&env, mode);
    let commands: Vec<Vec<String>> = [
        vec!["claim", "feature", "new one", "high", "t1"],
        vec!["claim", "--next"],
        vec!["add", "bug", "later", "low"],
        vec!["progress", &active, "70"],
        vec!["complete", &active, "success", "3"],
        vec!["release", &active],
        vec!["register", "agent_three", "t3"],
        vec!["heartbeat", "agent_two"],
        vec!["cleanup", "--archive-after", "1d"],
    ]
    .iter()
    .map(|c| c.iter().map(|s| s.to_string()).collect())
    .collect();
    let before = tree(&base_dir);
    let mut runs = 0;
    for (k, cmd) in commands.iter().enumerate() {
        let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
        let clean = env.tmp.path().join(format!("clean-{k}"));
        copy_dir(&base_dir, &clean);
        succeeded(&nexus(&env, &clean, mode, &args).output().unwrap());
        let after = tree(&clean);
        assert_ne!(before, after, "{args:?} changes something");
        for n in 1.. {
            let mut reached = false;
            for kind in ["fail", "crash"] {
                let d = env.tmp.path().join(format!("f-{k}-{n}-{kind}"));
                copy_dir(&base_dir, &d);
                let out = nexus(&env, &d, mode, &args)
                    .env("NEXUS_FAULT", format!("{kind}:{n}"))
                    .output()
                    .unwrap();
                runs += 1;
                let stderr = String::from_utf8_lossy(&out.stderr);
                if !stderr.contains("nexus-fault:") {
                    assert!(out.status.success(), "{args:?} {stderr}");
                    assert!(tree(&d) == after, "{args:?}: clean run differs");
                    continue;
                }
                reached = true;
                let what = format!("{args:?} {mode} {kind} at write {n}: {stderr}");
                if kind == "fail" {
                    let now = tree(&d);
                    match out.status.code() {
                        Some(0) => assert!(now == after, "exit 0 but not after: {what}"),
                        _ => assert!(now == before, "exit != 0 but not before: {what}"),
                    }
                }
                // Readers see a whole step even before any recovery.
                let list = nexus(&env, &d, mode, &["list", "--json"]).output().unwrap();
                assert!(list.status.success(), "list after {what}");
                // The next writer recovers; the state is then before or after.
                let fix = nexus(&env, &d, mode, &["doctor", "--fix"])
                    .output()
                    .unwrap();
                assert!(fix.status.success(), "doctor after {what}: {:?}", fix);
                let now = tree(&d);
                assert!(
                    now == before || now == after,
                    "neither before nor after: {what}"
                );
                let next = nexus(&env, &d, mode, &["claim", "x", "next"])
                    .output()
                    .unwrap();
                assert!(next.status.success(), "next command after {what}");
                fs::remove_dir_all(&d).unwrap();
            }
            if !reached {
                break;
            }
        }
    }
    eprintln!("{mode}: {runs} interrupted runs checked");
}

#[test]
fn every_write_point_leaves_before_or_after_in_development() {
    each_write_point("development");
}

#[test]
fn every_write_point_leaves_before_or_after_with_the_audit_trail() {
    each_write_point("staging");
}

#[test]
fn archiving_every_item_then_claiming_keeps_the_file_valid() {
    let env = Env::new();
    let id = env.claim(&["feat", "one"]);
    env.ok(&["complete", &id]);
    env.ok(&["cleanup", "--archive-after", "0s"]);
    assert_eq!(env.read("work_claims.json"), "[]\n");
    let two = env.claim(&["feat", "two"]);
    let claims = env.json("work_claims.json");
    assert_eq!(claims.as_array().unwrap().len(), 1);
    assert_eq!(claims[0]["work_item_id"], two.as_str());
    env.ok(&["list"]);
    env.ok(&["status"]);
    env.ok(&["progress", &two, "20"]);
    env.ok(&["complete", &two]);
    env.ok(&["doctor"]);
    assert_eq!(env.json("work_claims.json")[0]["status"], "completed");
}

#[test]
fn killed_completions_are_never_split_and_can_be_retried() {
    let env = Env::new();
    let ids: Vec<String> = (0..40)
        .map(|i| env.claim(&["kill", &format!("item {i}")]))
        .collect();
    for (i, id) in ids.iter().enumerate() {
        let mut child = StdCommand::new(crate::common::bin())
            .env("COORDINATION_DIR", env.dir())
            .env_remove("AGENT_ID")
            .env_remove("AGENT_TEAM")
            .args(["complete", id])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(500 * (i as u64 % 30)));
        let _ = child.kill();
        let _ = child.wait();
    }
    // The first writer after the kills finishes whatever was committed.
    let fix = env.cmd().args(["doctor", "--fix"]).output().unwrap();
    assert!(
        fix.status.success(),
        "{}",
        String::from_utf8_lossy(&fix.stdout)
    );
    let claims = env.json("work_claims.json");
    let log = env.json("coordination_log.json");
    let velocity = fs::read_to_string(env.path("velocity_log.txt")).unwrap_or_default();
    assert_eq!(log.as_array().unwrap().len(), velocity.lines().count());
    for id in &ids {
        let c = claims
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["work_item_id"] == id.as_str())
            .unwrap();
        let logged = log
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["work_item_id"] == id.as_str())
            .count();
        if c["status"] == "completed" {
            assert_eq!(logged, 1, "{id}: completed, logged once");
        } else {
            assert_eq!(logged, 0, "{id}: not completed, not logged");
            env.ok(&["complete", id]);
        }
    }
    let log = env.json("coordination_log.json");
    assert_eq!(log.as_array().unwrap().len(), ids.len());
    let velocity = env.read("velocity_log.txt");
    assert_eq!(velocity.lines().count(), ids.len());
}

#[test]
fn repairs_take_the_lock_and_lose_no_concurrent_span() {
    let env = Env::new();
    env.ok(&["claim", "seed", "x"]);
    // A spans file doctor --fix rewrites: many lines and one bad one.
    let mut spans = env.read("telemetry_spans.jsonl");
    let line = spans.clone();
    for _ in 0..3000 {
        spans.push_str(&line);
    }
    spans.push_str("{\"broken\": \n");
    fs::write(env.path("telemetry_spans.jsonl"), &spans).unwrap();
    let before = spans.lines().count() - 1;
    let bin = crate::common::bin();
    let claimers: Vec<_> = (0..20)
        .map(|i| {
            let mut c = StdCommand::new(&bin);
            c.env("COORDINATION_DIR", env.dir())
                .env("NEXUS_AI_PROVIDER", "offline")
                .env("AGENT_ID", format!("agent_{i}"))
                .env("NEXUS_LOCK_TIMEOUT_MS", "60000")
                .args(["claim", "race", "x"])
                .stdout(Stdio::null());
            c.spawn().unwrap()
        })
        .collect();
    let fix = env
        .cmd()
        .args(["doctor", "--fix"])
        .env("NEXUS_LOCK_TIMEOUT_MS", "60000")
        .output()
        .unwrap();
    for mut c in claimers {
        assert!(
            c.wait().unwrap().success(),
            "a claim failed beside doctor --fix"
        );
    }
    assert!(fix.status.success(), "{fix:?}");
    let lines = crate::common::span_lines(&env);
    assert_eq!(lines.len(), before + 20, "every concurrent span kept");
    assert_eq!(env.json("work_claims.json").as_array().unwrap().len(), 21);
}

/// A small tmpfs of our own, or `None` (with a message) where mounting is
/// not allowed.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        fs::create_dir_all(at).unwrap();
        let ok = StdCommand::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!(
                "SKIPPED: cannot mount a tmpfs here (needs root); the ENOSPC test did not run"
            );
        }
        ok.then(|| Tmpfs(at.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = StdCommand::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_changes_nothing_when_a_command_fails() {
    let env = Env::new();
    let Some(fs_) = Tmpfs::mount(&env.tmp.path().join("small"), "256k") else {
        return;
    };
    let dir = fs_.0.join("coordination");
    let run = |args: &[&str]| {
        let mut c = env.cmd();
        c.env("COORDINATION_DIR", &dir)
            .env("NEXUS_MODE", "staging")
            .env("AGENT_ID", "agent_full")
            .args(args);
        c.output().unwrap()
    };
    let first = first_work_id(&succeeded(&run(&["claim", "seed", "x"])));
    let filler = fs_.0.join("filler");
    let mut failures = 0;
    // Leave less and less room; every command either succeeds or changes nothing.
    for free_kb in (0..24).rev() {
        let _ = fs::remove_file(&filler);
        let st = nix_free_bytes(&fs_.0);
        let keep = (free_kb as u64) * 1024;
        let size = st.saturating_sub(keep);
        fs::write(&filler, vec![0u8; size as usize]).ok();
        for args in [
            vec!["claim", "feat", "a description that takes some room"],
            vec!["progress", first.as_str(), "40"],
            vec!["add", "bug", "backlog"],
            vec!["register", "agent_new", "t"],
        ] {
            let before = tree(&dir);
            let out = run(&args);
            if out.status.success() {
                assert!(tree(&dir) != before, "{args:?} succeeded without a change");
            } else {
                failures += 1;
                assert!(
                    tree(&dir) == before,
                    "{args:?} failed ({}) but changed files",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    }
    assert!(failures > 0, "the disk never filled up");
    let _ = fs::remove_file(&filler);
    succeeded(&run(&["claim", "after", "space"]));
    succeeded(&run(&["audit", "verify"]));
    succeeded(&run(&["doctor"]));
}

/// Free bytes of the file system holding `path`.
fn nix_free_bytes(path: &Path) -> u64 {
    let out = StdCommand::new("df")
        .args(["-B1", "--output=avail"])
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(0)
}

/// Flip one byte of a file.
fn flip(path: &Path, at: u64) {
    let mut bytes = fs::read(path).unwrap();
    bytes[at as usize] ^= 0x5a;
    fs::write(path, bytes).unwrap();
}

#[test]
fn a_damaged_journal_is_refused_never_replayed_in_part() {
    let env = Env::new();
    for i in 0..6 {
        env.ok(&["claim", "x", &format!("item {i}")]);
    }
    let journal = env.path(".nexus.journal");
    let len = fs::metadata(&journal).unwrap().len();
    // As after a restart (another boot id in the header), with a byte of an
    // applied record in the middle damaged.
    flip(&journal, 20);
    flip(&journal, len / 2);
    assert_eq!(env.json("work_claims.json").as_array().unwrap().len(), 6);
    let out = env.cmd().args(["claim", "x", "after"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(".nexus.journal is damaged") && err.contains("nexus doctor"),
        "{err}"
    );
    assert_eq!(
        env.json("work_claims.json").as_array().unwrap().len(),
        6,
        "nothing undone"
    );
    let report = env.cmd().arg("doctor").output().unwrap();
    assert_eq!(report.status.code(), Some(1));
    let fixed = env.ok(&["doctor", "--fix"]);
    assert!(
        fixed.contains("fixed: move it to backups/journal_damaged_"),
        "{fixed}"
    );
    env.ok(&["claim", "x", "after"]);
    assert_eq!(env.json("work_claims.json").as_array().unwrap().len(), 7);
    assert!(
        fs::read_dir(env.path("backups"))
            .unwrap()
            .flatten()
            .any(|e| e
                .file_name()
                .to_string_lossy()
                .starts_with("journal_damaged_"))
    );
}

#[test]
fn a_committed_step_behind_a_damaged_earlier_record_is_not_dropped() {
    let env = Env::new();
    let id = env.claim(&["x", "one"]);
    env.ok(&["claim", "x", "two"]);
    // Kill a complete after its commit point, so its step waits in the journal.
    let mut committed = false;
    for n in 1..60 {
        let d = env.tmp.path().join(format!("try-{n}"));
        copy_dir(&env.dir(), &d);
        let out = nexus(&env, &d, "development", &["complete", &id])
            .env("NEXUS_NOW", THEN)
            .env("NEXUS_FAULT", format!("crash:{n}"))
            .output()
            .unwrap();
        let report = nexus(&env, &d, "development", &["doctor"])
            .output()
            .unwrap();
        if String::from_utf8_lossy(&report.stdout).contains("left a committed step")
            && out.status.code().is_none()
        {
            // Damage an earlier, applied record: recovery must not cut the
            // journal there and drop the committed step after it.
            flip(&d.join(".nexus.journal"), 64 + 70);
            let next = nexus(&env, &d, "development", &["claim", "x", "three"])
                .output()
                .unwrap();
            assert_eq!(next.status.code(), Some(1), "refused, not continued");
            let log = fs::read_to_string(d.join("coordination_log.json")).unwrap_or_default();
            let claims = fs::read_to_string(d.join("work_claims.json")).unwrap();
            assert!(
                !claims.contains("\"three\""),
                "nothing written after the damage"
            );
            let _ = log;
            committed = true;
            break;
        }
    }
    assert!(committed, "no crash left a committed step");
}

#[test]
fn backups_and_the_lock_file_are_never_followed_out_of_the_directory() {
    let env = Env::new();
    let id = env.claim(&["x", "one"]);
    env.ok(&["complete", &id]);
    let outside = env.tmp.path().join("outside");
    fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, env.path("backups")).unwrap();
    let out = env
        .cmd()
        .args(["cleanup", "--archive-after", "0s"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
    assert_eq!(
        fs::read_dir(&outside).unwrap().count(),
        0,
        "nothing written outside"
    );

    let env = Env::new();
    env.ok(&["claim", "x", "one"]);
    let dangling = env.tmp.path().join("dangling_lock");
    fs::remove_file(env.path(".nexus.lock")).unwrap();
    std::os::unix::fs::symlink(&dangling, env.path(".nexus.lock")).unwrap();
    let out = env.cmd().args(["claim", "x", "two"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!dangling.exists(), "the link was not followed");
}

#[test]
fn a_failed_cleanup_leaves_no_new_directory() {
    let env = Env::new();
    let id = env.claim(&["x", "one"]);
    env.ok(&["complete", &id]);
    for n in 1..6 {
        let out = env
            .cmd()
            .args(["cleanup", "--archive-after", "0s"])
            .env("NEXUS_FAULT", format!("fail:{n}"))
            .output()
            .unwrap();
        if out.status.success() {
            break;
        }
        assert!(!env.path("backups").exists(), "fail:{n} left backups/");
    }
}

#[test]
fn a_failed_flush_at_a_checkpoint_keeps_the_journal_and_replays_it() {
    // Find the first flush of the checkpoint that ends a claim.
    let mut found = false;
    for n in 1..60 {
        let env = Env::new();
        env.ok(&["claim", "x", "one"]);
        let before = fs::read(env.path("work_claims.json")).unwrap();
        let out = env
            .cmd()
            .args(["claim", "x", "two"])
            .env("NEXUS_CHECKPOINT_BYTES", "1")
            .env("NEXUS_FAULT", format!("fail:{n}"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() || !err.contains("(fsync)") {
            continue;
        }
        found = true;
        let two = crate::common::first_work_id(&String::from_utf8_lossy(&out.stdout));
        assert!(
            fs::metadata(env.path(".nexus.journal")).unwrap().len() > 64,
            "the journal is kept"
        );
        // The kernel dropped the pages the failed flush was writing.
        fs::write(env.path("work_claims.json"), &before).unwrap();
        env.cmd()
            .args(["claim", "x", "three"])
            .env("NEXUS_CHECKPOINT_BYTES", "1")
            .assert()
            .success();
        let claims = env.json("work_claims.json");
        let ids: Vec<&str> = claims
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["work_item_id"].as_str())
            .collect();
        assert_eq!(ids.len(), 3, "{ids:?}");
        assert!(ids.contains(&two.as_str()), "the committed claim came back");
        break;
    }
    assert!(found, "no checkpoint flush was reached");
}
