//! The dashboard and the Scrum-at-Scale reports: legacy headings, real numbers.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::Env;

const REPORTS: [(&[&str], &[&str]); 9] = [
    (
        &["pi-planning"],
        &[
            "STARTING PI PLANNING SESSION",
            "PI OBJECTIVES",
            "TEAM CAPACITY PLANNING",
            "Business Value",
        ],
    ),
    (
        &["scrum-of-scrums"],
        &[
            "SCRUM OF SCRUMS COORDINATION",
            "TEAM UPDATES",
            "COORDINATION TEAM",
            "DEVELOPMENT TEAM",
            "PLATFORM TEAM",
        ],
    ),
    (
        &["innovation-planning", "ip"],
        &[
            "INNOVATION AND PLANNING",
            "ITERATION",
            "INNOVATION TIME",
            "PLANNING ACTIVITIES",
            "INNOVATION BACKLOG ITEMS",
            "Technical Debt",
            "ART: AI Self-Sustaining Agile Release Train",
        ],
    ),
    (
        &["system-demo"],
        &[
            "SYSTEM DEMO - INTEGRATED SOLUTION",
            "PI INCREMENT OBJECTIVES ACHIEVED",
            "FEATURES DEMONSTRATED",
            "ART METRICS SUMMARY",
            "Nanosecond-precision agent coordination",
            "PI Velocity:",
        ],
    ),
    (
        &["inspect-adapt", "ia"],
        &[
            "INSPECT AND ADAPT",
            "WORKSHOP",
            "PI RESULTS AND METRICS",
            "PROBLEM-SOLVING WORKSHOP",
            "IMPROVEMENT BACKLOG ITEMS",
            "Business Value Delivered",
            "Root cause analysis",
        ],
    ),
    (
        &["art-sync"],
        &[
            "ART SYNC - ALIGNMENT ACROSS TEAMS",
            "PROGRAM RISKS AND DEPENDENCIES",
            "CROSS-TEAM DEPENDENCIES",
            "ART HEALTH METRICS",
            "HIGH RISK",
            "Sprint Goal Achievement",
        ],
    ),
    (
        &["portfolio-kanban"],
        &[
            "PORTFOLIO KANBAN - EPIC FLOW",
            "PORTFOLIO VISION",
            "FUNNEL",
            "ANALYZING",
            "PORTFOLIO BACKLOG",
            "IMPLEMENTING",
            "DONE",
            "Autonomous AI Development Ecosystem",
        ],
    ),
    (
        &["coach-training"],
        &[
            "SCRUM AT SCALE COACH TRAINING",
            "TRAINING PROGRAM",
            "LEARNING OBJECTIVES",
            "PRACTICAL EXERCISES",
            "COACHING COMPETENCY AREAS",
            "Release Train Engineer",
        ],
    ),
    (
        &["value-stream", "vsm"],
        &[
            "VALUE STREAM MAPPING - END-TO-END FLOW",
            "From Concept to Production Deployment",
            "CURRENT STATE MAP",
            "CURRENT STATE METRICS",
            "FUTURE STATE VISION",
            "IMPROVEMENT OPPORTUNITIES",
            "Total Lead Time",
            "Process Efficiency",
        ],
    ),
];

fn run(env: &Env, args: &[&str], now: &str) -> String {
    crate::common::succeeded(&env.cmd().args(args).env("NEXUS_NOW", now).output().unwrap())
}

#[test]
fn every_report_and_alias_has_its_headings_in_an_empty_directory() {
    let env = Env::empty();
    for (names, phrases) in REPORTS {
        for name in names {
            let text = run(&env, &[name], "2026-11-25T12:00:00Z");
            let lines: Vec<&str> = text.lines().collect();
            assert!(lines[1].starts_with("===="), "{name}: no rule under title");
            for p in phrases {
                assert!(text.contains(p), "{name} lacks {p}:\n{text}");
            }
        }
    }
    assert!(env.files().is_empty(), "reports must not create files");
}

#[test]
fn pi_id_has_the_right_quarter() {
    let env = Env::empty();
    for (now, pi) in [
        ("2026-11-25T00:00:00Z", "PI_2026_Q4"),
        ("2027-01-01T00:00:00Z", "PI_2027_Q1"),
        ("2026-06-30T23:59:59Z", "PI_2026_Q2"),
        ("2026-07-01T00:00:00Z", "PI_2026_Q3"),
    ] {
        assert!(run(&env, &["pi-planning"], now).contains(pi), "{now}");
    }
}

#[test]
fn dashboard_counts_match_the_files() {
    let env = Env::with_fixtures();
    let claims = env.json("work_claims.json");
    let active = claims
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "active")
        .count();
    let agents = env.json("agent_status.json");
    let live = agents
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status"] == "active")
        .count();
    let velocity: u64 = env
        .read("velocity_log.txt")
        .lines()
        .filter_map(|l| l.split(" +").nth(1)?.split(' ').next()?.parse::<u64>().ok())
        .sum();
    let text = run(&env, &["dashboard"], "2026-11-25T00:00:00Z");
    for h in [
        "SCRUM AT SCALE DASHBOARD",
        "CURRENT PROGRAM INCREMENT",
        "AGENT TEAMS & STATUS",
        "ACTIVE WORK",
        "VELOCITY & METRICS",
    ] {
        assert!(text.contains(h), "{h}");
    }
    assert!(text.contains(&format!("Active Agents: {live}\n")), "{text}");
    assert!(
        text.contains(&format!("Active Work Items: {active}\n")),
        "{text}"
    );
    let in_flight = env
        .json("work_claims.json")
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            !["completed", "available", "pending", ""].contains(&c["status"].as_str().unwrap_or(""))
        })
        .count();
    assert!(
        text.contains(&format!("In flight: {in_flight} (")),
        "{text}"
    );
    assert!(
        text.contains(&format!("Current Sprint Velocity: {velocity} story points")),
        "{text}"
    );
    assert_eq!(
        text,
        run(&env, &["dashboard", "--text"], "2026-11-25T00:00:00Z")
    );
}

#[test]
fn reports_numbers_come_from_the_state() {
    let env = Env::with_fixtures();
    let now = "2026-11-25T00:00:00Z";
    let log = env.json("coordination_log.json");
    let points: f64 = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["velocity_points"].as_f64().unwrap())
        .sum();
    assert!(
        run(&env, &["system-demo"], now).contains(&format!("PI Velocity: {points} story points"))
    );

    let claims = env.json("work_claims.json");
    let arr = claims.as_array().unwrap();
    let bv = |p: &Value| match p.as_str() {
        Some("critical") => 50,
        Some("high") => 40,
        Some("medium") => 30,
        Some("low") => 20,
        _ => 10,
    };
    let delivered: u64 = arr
        .iter()
        .filter(|c| c["status"] == "completed")
        .map(|c| bv(&c["priority"]))
        .sum();
    let ia = run(&env, &["ia"], now);
    assert!(
        ia.contains(&format!("Business Value Delivered: {delivered} points")),
        "{ia}"
    );

    let done = arr.iter().filter(|c| c["status"] == "completed").count();
    let active = arr.iter().filter(|c| c["status"] == "active").count();
    let goal = (100.0 * done as f64 / (done + active) as f64).round();
    assert!(run(&env, &["art-sync"], now).contains(&format!("Sprint Goal Achievement: {goal}%")));

    // Every active item is older than a day by then: all are stale.
    let stale_line = format!("Root cause analysis: {active} items idle over 24h");
    assert!(ia.contains(&stale_line), "{ia}");

    let teams: BTreeSet<String> = arr
        .iter()
        .filter_map(|c| c["team"].as_str())
        .map(|t| t.replace('_', " ").to_uppercase())
        .collect();
    let sos = run(&env, &["scrum-of-scrums"], now);
    for t in teams {
        assert!(
            sos.contains(&format!("📋 {t}:")),
            "scrum-of-scrums lacks team {t}"
        );
    }
    let vsm = run(&env, &["vsm"], now);
    assert!(
        vsm.contains(&format!("from {done} completed items")),
        "{vsm}"
    );
    let kanban = run(&env, &["portfolio-kanban"], now);
    assert!(
        kanban.contains(&format!("DONE (completed): {done} items")),
        "{kanban}"
    );
    assert!(
        kanban.contains("FUNNEL (not yet claimed): 4 items"),
        "{kanban}"
    );
}

#[test]
fn reports_change_when_the_state_changes() {
    let env = Env::empty();
    let now = "2026-11-25T00:00:00Z";
    let empty = run(&env, &["system-demo"], now);
    assert!(empty.contains("PI Velocity: 0 story points"));
    let id = env.claim(&["feature", "ship it", "critical"]);
    env.ok(&["complete", &id, "success", "13"]);
    let demo = run(&env, &["system-demo"], now);
    assert!(demo.contains("PI Velocity: 13 story points"), "{demo}");
    assert!(
        demo.contains("[BV: 50] feature - 1 items COMPLETED"),
        "{demo}"
    );
    assert!(demo.contains("ship it"));
}

#[test]
fn read_commands_on_a_missing_directory_say_so() {
    let env = Env::new();
    let typo = env.tmp.path().join("coordinaton");
    let expected = format!(
        "❌ ERROR: no coordination state in {} (the directory does not exist; check --dir / COORDINATION_DIR)",
        typo.display()
    );
    for args in [
        &["status"][..],
        &["list"],
        &["dashboard", "--text"],
        &["dashboard", "--once"],
        &["pi-planning"],
        &["scrum-of-scrums"],
        &["vsm"],
        &["audit", "verify"],
        &["audit", "log"],
        &["show", "work_1"],
        &["claude-priorities"],
        &["claude-team"],
    ] {
        let out = env
            .cmd()
            .env("COORDINATION_DIR", &typo)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.trim_end(), expected, "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let out = env
            .cmd()
            .arg("--dir")
            .arg(&typo)
            .arg("--json")
            .args(args)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["kind"], "no_state", "{args:?}");
    }
    assert!(!typo.exists(), "nothing was created");
    // An existing, empty directory still shows zeros with exit 0.
    let env = Env::empty();
    let status = env.ok(&["status"]);
    assert!(!status.is_empty());
    assert!(env.ok(&["pi-planning"]).contains("PI OBJECTIVES"));
    // No trail yet (audit is off in development mode): said as such, never
    // an "OK" over nothing and never a broken trail.
    let out = env.ok(&["audit", "verify"]);
    assert!(
        out.starts_with("ℹ️ AUDIT: no trail yet")
            && out.contains("audit is off in development mode"),
        "{out}"
    );
    assert!(!out.contains("AUDIT OK"));
    // Once a head records lines, a missing trail is broken.
    std::fs::write(env.path("audit.head"), "{}").unwrap();
    env.cmd().args(["audit", "verify"]).assert().failure();
}
