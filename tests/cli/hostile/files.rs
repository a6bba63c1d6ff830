//! State files in a shared directory: links are never followed, modes are
//! kept, numbers come back as written.

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt, symlink};

use crate::common::Env;

#[test]
fn symlinked_state_files_are_refused_and_never_written_through() {
    for name in [
        ".nexus.index",
        "work_claims.json",
        "telemetry_spans.jsonl",
        "audit.jsonl",
        "events.jsonl",
        "agent_status.json",
    ] {
        let env = Env::new();
        env.ok(&["claim", "seed", "x"]);
        let outside = env.tmp.path().join("outside");
        fs::write(&outside, "precious\n").unwrap();
        let link = env.path(name);
        let _ = fs::remove_file(&link);
        symlink(&outside, &link).unwrap();
        let out = env
            .cmd()
            .args(["claim", "feat", "y"])
            .env("NEXUS_MODE", "staging")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("symbolic link") && err.contains(name),
            "{name}: {err}"
        );
        assert_eq!(
            fs::read_to_string(&outside).unwrap(),
            "precious\n",
            "{name}"
        );
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}

#[test]
fn a_rewrite_keeps_the_mode_of_the_file() {
    let env = Env::new();
    let id = env.claim(&["bug", "x"]);
    for name in ["work_claims.json", "agent_status.json"] {
        fs::set_permissions(env.path(name), fs::Permissions::from_mode(0o600)).unwrap();
    }
    env.ok(&["progress", &id, "50"]);
    env.ok(&["register", "agent_z", "t"]);
    env.ok(&["cleanup", "--archive-after", "0s"]);
    env.ok(&["complete", &id]);
    env.ok(&["cleanup", "--archive-after", "0s"]);
    for name in ["work_claims.json", "agent_status.json"] {
        let mode = fs::metadata(env.path(name)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{name}");
    }
}

#[test]
fn numbers_in_unknown_fields_come_back_as_written() {
    let env = Env::new();
    fs::create_dir_all(env.dir()).unwrap();
    fs::write(
        env.path("work_claims.json"),
        "[\n  {\n    \"work_item_id\": \"work_1\",\n    \"status\": \"active\",\n    \"huge\": 123456789012345678901234567890,\n    \"exact\": 0.1000000000000000055511151231257827\n  }\n]\n",
    )
    .unwrap();
    env.ok(&["progress", "work_1", "40"]);
    env.ok(&["complete", "work_1"]);
    let text = env.read("work_claims.json");
    assert!(
        text.contains("\"huge\": 123456789012345678901234567890"),
        "{text}"
    );
    assert!(
        text.contains("\"exact\": 0.1000000000000000055511151231257827"),
        "{text}"
    );
}

/// Run `args` with a deadline: a hang is a failure, never a stuck suite.
fn run_bounded(env: &Env, args: &[&str]) -> std::process::Output {
    env.cmd()
        .args(args)
        .env("NEXUS_LOCK_TIMEOUT_MS", "300")
        .timeout(std::time::Duration::from_secs(10))
        .output()
        .unwrap()
}

#[test]
fn a_state_file_replaced_by_a_fifo_is_not_a_file_at_once() {
    for name in [
        "work_claims.json",
        "agent_status.json",
        ".nexus.journal",
        ".nexus.index",
        ".nexus.lock",
    ] {
        let env = Env::new();
        env.ok(&["claim", "seed", "x"]);
        let path = env.path(name);
        let _ = fs::remove_file(&path);
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        for args in [&["claim", "feat", "y"][..], &["--json", "list"][..]] {
            let out = run_bounded(&env, args);
            if args[0] == "claim" || name == "work_claims.json" {
                assert_eq!(out.status.code(), Some(1), "{name} {args:?}: {out:?}");
                let text = format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
                assert!(text.contains(name), "{name} {args:?}: {text}");
            }
        }
        assert!(fs::symlink_metadata(&path).unwrap().file_type().is_fifo());
    }
}
