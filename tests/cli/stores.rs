//! The command-level scenarios run against both stores, the directory and
//! PostgreSQL: the same arguments must give the same output lines, the same
//! `--json` objects and the same exit codes (ids, trace ids and the store's
//! name aside).

use std::collections::HashMap;
use std::process::Output;

use assert_cmd::Command;

use crate::common::{Env, first_work_id};
use crate::pg_server::PgServer;

/// A test environment on one of the two stores.
pub struct On {
    pub env: Env,
    /// The PostgreSQL URL, when the state lives there.
    pub store: Option<String>,
}

impl On {
    pub fn files() -> On {
        On {
            env: Env::empty(),
            store: None,
        }
    }

    /// A fresh database on `server`, and a working directory of its own
    /// that holds no state.
    pub fn pg(server: &PgServer) -> On {
        On {
            env: Env::new(),
            store: Some(server.new_db()),
        }
    }

    pub fn cmd(&self) -> Command {
        let mut c = self.env.cmd();
        if let Some(url) = &self.store {
            c.env("NEXUS_STORE", url);
        }
        c
    }

    /// What the output names the store by (the file, where a message names one).
    pub fn names(&self) -> Vec<String> {
        match &self.store {
            Some(url) => vec![url.replace("//nexus@", "//***@"), url.clone()],
            None => {
                let d = self.env.dir().display().to_string();
                vec![
                    format!("{d}/work_claims.json"),
                    format!("{d}/audit.jsonl"),
                    d,
                ]
            }
        }
    }

    pub fn run(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        let mut c = self.cmd();
        for (k, v) in vars {
            c.env(k, v);
        }
        c.args(args).output().unwrap()
    }
}

/// Replace what legitimately differs between two runs: the store's name,
/// and hex ids (trace and span ids).
fn normalise(text: &str, names: &[String]) -> String {
    let mut text = text.to_string();
    for name in names {
        text = text.replace(name.as_str(), "<store>");
    }
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if matches!(run.len(), 16 | 32 | 64) && run != &"0".repeat(64) {
            out.push_str("<hex>");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for ch in text.chars() {
        if ch.is_ascii_hexdigit() && ch.is_ascii_lowercase() || ch.is_ascii_digit() {
            run.push(ch);
        } else {
            flush(&mut run, &mut out);
            out.push(ch);
        }
    }
    flush(&mut run, &mut out);
    out
}

const T0: &str = "2026-01-10T10:00:00Z";
const LATER: &str = "2026-03-01T00:00:00Z";

/// The scenario: (label, args, agent, clock). `{x}` in args is the id
/// printed by the step labelled `x`.
const SCENARIO: &[(&str, &[&str], &str, &str)] = &[
    (
        "c1",
        &["claim", "bug_fix", "Fix login", "high", "backend"],
        "agent_1",
        T0,
    ),
    ("p", &["progress", "{c1}", "50"], "agent_1", T0),
    (
        "r",
        &["register", "agent_2", "backend", "80", "qa"],
        "agent_1",
        T0,
    ),
    (
        "a",
        &["add", "feature", "Backlog A", "high", "backend"],
        "agent_1",
        T0,
    ),
    (
        "b",
        &["add", "review", "Backlog B", "low", "backend"],
        "agent_1",
        T0,
    ),
    (
        "n",
        &["claim", "--next", "--team", "backend"],
        "agent_2",
        T0,
    ),
    ("rel", &["release", "{n}"], "agent_2", T0),
    ("hb", &["heartbeat"], "agent_2", T0),
    ("done", &["complete", "{c1}", "success", "8"], "agent_1", T0),
    (
        "again",
        &["complete", "{c1}", "success", "8"],
        "agent_1",
        T0,
    ),
    ("n2", &["claim", "--next"], "agent_2", T0),
    ("list", &["list"], "agent_1", T0),
    ("show", &["show", "{c1}"], "agent_1", T0),
    ("missing", &["show", "work_1"], "agent_1", T0),
    ("status", &["status"], "agent_1", T0),
    ("report", &["pi-planning"], "agent_1", T0),
    ("dash", &["dashboard", "--text"], "agent_1", T0),
    ("verify", &["audit", "verify"], "agent_1", T0),
    ("log", &["audit", "log"], "agent_1", T0),
    (
        "clean",
        &["cleanup", "--ttl", "24h", "--archive-after", "7d"],
        "agent_1",
        LATER,
    ),
    ("list2", &["list", "--status", "stale"], "agent_1", LATER),
    ("status2", &["status"], "agent_1", LATER),
];

/// Run the scenario; every step's exit code and normalised stdout and stderr.
fn play(on: &On, json: bool) -> Vec<(String, Option<i32>, String, String)> {
    let mut ids: HashMap<&str, String> = HashMap::new();
    let mut out = Vec::new();
    for (label, args, agent, now) in SCENARIO {
        let mut args: Vec<String> = args
            .iter()
            .map(
                |a| match a.strip_prefix('{').and_then(|a| a.strip_suffix('}')) {
                    Some(k) => ids[k].clone(),
                    None => a.to_string(),
                },
            )
            .collect();
        if json {
            args.push("--json".into());
        }
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = on.run(
            &argv,
            &[
                ("AGENT_ID", agent),
                ("NEXUS_NOW", now),
                ("NEXUS_FEATURES", "audit"),
            ],
        );
        let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
        if o.status.success() && matches!(*label, "c1" | "n") {
            let id = match serde_json::from_str::<serde_json::Value>(&stdout) {
                Ok(v) => v["work_item_id"].as_str().unwrap().to_string(),
                Err(_) => first_work_id(&stdout),
            };
            ids.insert(label, id);
        }
        out.push((
            label.to_string(),
            o.status.code(),
            normalise(&stdout, &on.names()),
            normalise(&String::from_utf8_lossy(&o.stderr), &on.names()),
        ));
    }
    out
}

fn same_on_both_stores(json: bool) {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let (files, pg) = (On::files(), On::pg(server));
    let (a, b) = (play(&files, json), play(&pg, json));
    for (f, p) in a.iter().zip(&b) {
        assert_eq!(f, p, "step {} differs between the stores", f.0);
    }
    let step = |l: &str| a.iter().find(|s| s.0 == l).unwrap();
    // The scenario did what it says (on both stores, as they are equal).
    assert_eq!(step("again").1, Some(1), "a completed item stays completed");
    assert_eq!(step("missing").1, Some(1));
    assert_eq!(step("clean").1, Some(0));
    if !json {
        assert!(
            step("done")
                .2
                .contains("📊 VELOCITY: Added 8 points to team backend")
        );
        assert!(step("n").2.contains("✅ SUCCESS: Claimed work item work_"));
        assert!(step("verify").2.contains("✅ AUDIT OK"));
        assert!(
            step("clean").2.contains("1 items did become stale"),
            "{}",
            step("clean").2
        );
    } else {
        let v: serde_json::Value = serde_json::from_str(&step("status2").2).unwrap();
        assert_eq!(v["archived"], 1, "{v}");
    }
}

#[test]
fn pg_the_core_commands_print_the_same_lines_on_both_stores() {
    same_on_both_stores(false);
}

#[test]
fn pg_the_core_commands_give_the_same_json_on_both_stores() {
    same_on_both_stores(true);
}
