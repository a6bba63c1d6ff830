//! Drive the live dashboard as a person would: in a real terminal under tmux.

use std::ffi::OsString;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::common::{Env, bin};

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Capture the pane until `needle` shows up (or time runs out).
fn wait_for(session: &str, needle: &str) -> String {
    wait_until(session, |s| s.contains(needle))
}

/// The screen once `done` holds for it (a frame is drawn in pieces, so wait
/// for everything a check needs), or as it is after 20 s on a busy machine.
fn wait_until(session: &str, done: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let screen = tmux(&["capture-pane", "-p", "-t", session]);
        if done(&screen) || Instant::now() > deadline {
            return screen;
        }
        sleep(Duration::from_millis(100));
    }
}

#[test]
fn live_dashboard_in_tmux_follows_changes_and_quits_cleanly() {
    if Command::new("tmux").arg("-V").output().is_err() {
        assert!(
            !tmux_required(
                std::env::var_os("CI"),
                std::env::var_os("NEXUS_REQUIRE_TMUX")
            ),
            "tmux is not installed but CI or NEXUS_REQUIRE_TMUX is set: the live dashboard \
             test needs it (scripts/test.sh installs it: apt-get install tmux)"
        );
        eprintln!("tmux not installed: scripts/test.sh installs it; skipping here");
        return;
    }
    let env = Env::with_fixtures();
    let session = format!("nexus-test-{}", std::process::id());
    let socket_dir = env.tmp.path().join("tmux");
    std::fs::create_dir_all(&socket_dir).unwrap();
    let marker = env.tmp.path().join("exited");
    let cmd = format!(
        "COORDINATION_DIR='{}' '{}' dashboard --refresh-ms 100; echo $? > '{}'",
        env.dir().display(),
        bin().display(),
        marker.display()
    );
    let _guard = Kill(session.clone());
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "120",
        "-y",
        "36",
        &cmd,
    ]);
    let screen = wait_for(&session, "Active work (");
    assert!(
        screen.contains("Active work ("),
        "dashboard did not start:\n{screen}"
    );

    // Another process claims: the dashboard shows it within a second or so.
    let id = env.claim(&["tmux", "claimed while watching", "critical"]);
    let screen = wait_for(&session, &id);
    assert!(screen.contains(&id), "new claim not shown:\n{screen}");

    // Filter to the new item, open it, close it, quit.
    tmux(&["send-keys", "-t", &session, "/", "watching", "Enter"]);
    let screen = wait_for(&session, "Active work (1)");
    assert!(screen.contains("Active work (1)"), "{screen}");
    tmux(&["send-keys", "-t", &session, "Enter"]);
    let screen = wait_until(&session, |s| {
        s.contains("Esc to close") && s.contains("\"description\": \"claimed while watching\"")
    });
    assert!(screen.contains("Esc to close"), "{screen}");
    assert!(screen.contains("claimed while watching"), "{screen}");
    tmux(&["send-keys", "-t", &session, "Escape"]);
    tmux(&["send-keys", "-t", &session, "q"]);
    // The shell creates the marker, then writes the status into it: wait
    // for the status itself.
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::fs::read_to_string(&marker)
        .unwrap_or_default()
        .trim()
        .is_empty()
        && Instant::now() < deadline
    {
        sleep(Duration::from_millis(100));
    }
    assert_eq!(
        std::fs::read_to_string(&marker).unwrap_or_default().trim(),
        "0",
        "dashboard did not exit 0"
    );
}

/// In CI (or when asked) a missing tmux is a failure, not a silent skip.
fn tmux_required(ci: Option<OsString>, require: Option<OsString>) -> bool {
    [ci, require]
        .into_iter()
        .any(|v| v.is_some_and(|x| !x.is_empty()))
}

#[test]
fn a_missing_tmux_fails_in_ci_or_when_required() {
    let set = || Some(OsString::from("true"));
    assert!(tmux_required(set(), None));
    assert!(tmux_required(None, Some(OsString::from("1"))));
    assert!(!tmux_required(None, None));
    assert!(!tmux_required(Some(OsString::new()), None));
}

struct Kill(String);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .output();
    }
}
