//! The work graph and claim leases: dependencies refused when unknown or
//! cyclic, a ready queue that real processes drain exactly once in dependency
//! order, leases that expire on the test clock and fence the old holder, and
//! the dashboard's view of all of it.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Output;

use chrono::{DateTime, Utc};
use nexus::tui::{App, Key, render_text};
use serde_json::Value;

use crate::common::{Env, bin, file_store, first_work_id, succeeded};

const T0: &str = "2030-01-01T00:00:00Z";

/// `nexus` at the pinned time `at`, as agent `agent` (when given).
fn at(env: &Env, when: &str, agent: Option<&str>, args: &[&str]) -> Output {
    let mut c = env.cmd();
    c.env("NEXUS_NOW", when).args(args);
    if let Some(a) = agent {
        c.env("AGENT_ID", a);
    }
    c.output().unwrap()
}

fn add(env: &Env, desc: &str, priority: &str, deps: &[&str]) -> String {
    let mut args = vec!["add", "task", desc, priority];
    let joined = deps.join(",");
    if !deps.is_empty() {
        args.extend(["--depends-on", joined.as_str()]);
    }
    first_work_id(&env.ok(&args))
}

fn events(env: &Env) -> Vec<Value> {
    env.read("events.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn claim_of(env: &Env, id: &str) -> Value {
    env.json("work_claims.json")
        .as_array()
        .unwrap()
        .iter()
        .rfind(|c| c["work_item_id"] == id)
        .cloned()
        .unwrap()
}

#[test]
fn cycles_and_unknown_dependencies_are_refused_and_change_no_byte() {
    let env = Env::new();
    let a = add(&env, "a", "high", &[]);
    let b = add(&env, "b", "high", &[&a]);
    let c = add(&env, "c", "high", &[&b]);
    let before = env.files();
    let refused = |args: &[&str], kind: &str| {
        let out = env.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        let json = env.cmd().arg("--json").args(args).output().unwrap();
        let v: Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(v["kind"], kind, "{v}");
        err
    };
    let direct = refused(&["dep", "add", &a, "--on", &b], "dependency_cycle");
    assert!(direct.contains(&format!("{a} -> {b} -> {a}")), "{direct}");
    let three = refused(&["dep", "add", &a, "--on", &c], "dependency_cycle");
    assert!(
        three.contains(&format!("{a} -> {c} -> {b} -> {a}")),
        "{three}"
    );
    let own = refused(&["dep", "add", &a, "--on", &a], "dependency_cycle");
    assert!(own.contains(&format!("{a} -> {a}")), "{own}");
    let unknown = refused(
        &["dep", "add", &c, "--on", "work_404"],
        "unknown_dependency",
    );
    assert!(unknown.contains("work_404"), "{unknown}");
    refused(
        &[
            "add",
            "t",
            "d",
            "low",
            "--depends-on",
            &format!("{a},work_404"),
        ],
        "unknown_dependency",
    );
    assert_eq!(env.files(), before, "a refusal changes nothing");

    env.ok(&["dep", "rm", &c, "--on", &b]);
    env.ok(&["dep", "add", &a, "--on", &c]);
    assert_eq!(claim_of(&env, &a)["depends_on"], serde_json::json!([c]));
    let last = events(&env).pop().unwrap();
    assert_eq!(
        (last["event"].as_str(), last["id"].as_str()),
        (Some("dependency_changed"), Some(a.as_str()))
    );
}

#[test]
fn ready_and_blocked_list_the_queue_in_claim_order() {
    let env = Env::new();
    let a = add(&env, "a", "low", &[]);
    let b = add(&env, "b", "critical", &[&a]);
    let c = add(&env, "c", "high", &[]);
    let ids = |args: &[&str]| -> Vec<String> {
        let v: Value = serde_json::from_str(&env.ok(args)).unwrap();
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["work_item_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&["--json", "ready"]), [c.clone(), a.clone()]);
    let blocked: Value = serde_json::from_str(&env.ok(&["--json", "blocked"])).unwrap();
    assert_eq!(blocked["items"][0]["work_item_id"], b.as_str());
    assert_eq!(
        blocked["items"][0]["waits_on"][0]["work_item_id"],
        a.as_str()
    );
    let human = env.ok(&["blocked"]);
    assert!(
        human.contains(&format!("waits on {a} (available)")),
        "{human}"
    );
    let got = first_work_id(&succeeded(&at(&env, T0, Some("x"), &["claim", "--next"])));
    assert_eq!(got, c, "the ready item of the highest priority");
    let got = first_work_id(&succeeded(&at(&env, T0, Some("x"), &["claim", "--next"])));
    assert_eq!(got, a, "b waits on a");
    let out = at(&env, T0, Some("y"), &["claim", "--next"]);
    assert_eq!(out.status.code(), Some(1), "nothing else is ready");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no available work item is ready: 1 wait on dependencies"),
        "{err}"
    );
    succeeded(&at(&env, T0, Some("x"), &["complete", &a]));
    assert_eq!(ids(&["--json", "ready"]), [b]);
    assert!(ids(&["--json", "blocked"]).is_empty());
}

/// Archived records are history: nothing the archive holds is listed or
/// counted as blocked, whatever status another tool left on it, and an item
/// that waits only on an archived id is ready, as `claim --next` sees it.
#[test]
fn blocked_leaves_out_what_the_archive_holds() {
    let env = Env::new();
    let base = add(&env, "foundation", "high", &[]);
    let roof = add(&env, "roof", "low", &[&base]);
    let gone = add(&env, "archived by another tool", "medium", &[]);
    let after = add(&env, "waits on the archived one", "medium", &[&gone]);
    // Another tool moved `gone` to the archive with a status of its own,
    // beside older records that once waited on `base`.
    let live: Vec<Value> = (env.json("work_claims.json").as_array().unwrap().iter())
        .filter(|c| c["work_item_id"] != gone.as_str())
        .cloned()
        .collect();
    std::fs::write(
        env.path("work_claims.json"),
        serde_json::to_vec_pretty(&live).unwrap(),
    )
    .unwrap();
    let archived = [
        serde_json::json!({"work_item_id": gone, "status": "archived", "priority": "medium"}),
        serde_json::json!({"work_item_id": "work_old_archived", "status": "archived",
                           "priority": "high", "depends_on": [base]}),
        serde_json::json!({"work_item_id": "work_old_done", "status": "completed",
                           "priority": "high", "depends_on": [base]}),
    ];
    let lines: String = archived.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(env.path("work_claims_archive.jsonl"), lines).unwrap();
    let ids = |args: &[&str]| -> Vec<String> {
        let v: Value = serde_json::from_str(&env.ok(args)).unwrap();
        (v["items"].as_array().unwrap().iter())
            .map(|i| i["work_item_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&["--json", "blocked"]), [roof]);
    assert_eq!(ids(&["--json", "ready"]), [base, after]);
    let human = env.ok(&["blocked"]);
    assert!(
        human.starts_with("⛔ BLOCKED: 1 item waits on others"),
        "{human}"
    );
    assert!(!human.contains("work_old"), "{human}");
    let report = env.ok(&["dashboard", "--text"]);
    assert!(report.contains("Queue: 2 ready, 1 blocked"), "{report}");
}

#[test]
fn fifty_processes_drain_a_thirty_item_graph_exactly_once_in_dependency_order() {
    let env = Env::new();
    let mut ids: Vec<String> = Vec::new();
    for i in 0..30usize {
        let mut deps: Vec<&str> = Vec::new();
        if i % 3 != 0 {
            deps.push(&ids[i - 1]);
        }
        if i >= 4 && i % 2 == 0 {
            deps.push(&ids[i / 2]);
        }
        let p = ["critical", "high", "medium", "low"][i % 4];
        let id = add(&env, &format!("item {i}"), p, &deps);
        ids.push(id);
    }
    let workers: Vec<_> = (0..50)
        .map(|w| {
            let (dir, cwd) = (env.dir(), env.tmp.path().to_path_buf());
            let run = move |args: &[&str]| {
                std::process::Command::new(bin())
                    .env_clear()
                    .envs(crate::common::coverage_env())
                    .env("COORDINATION_DIR", &dir)
                    .env("AGENT_ID", format!("agent_{w}"))
                    .env("NEXUS_LOCK_TIMEOUT_MS", "60000")
                    .env("NEXUS_AI_PROVIDER", "offline")
                    .current_dir(&cwd)
                    .args(args)
                    .output()
                    .unwrap()
            };
            std::thread::spawn(move || {
                let mut done = Vec::new();
                loop {
                    let out = run(&["claim", "--next"]);
                    if out.status.code() == Some(1) {
                        let err = String::from_utf8_lossy(&out.stderr);
                        assert!(err.contains("no available work item"), "{err}");
                        return done;
                    }
                    let id = first_work_id(&succeeded(&out));
                    succeeded(&run(&["complete", &id]));
                    done.push(id);
                }
            })
        })
        .collect();
    let mut all: Vec<String> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let ev = events(&env);
    let seqs: Vec<u64> = ev.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "no gaps");
    // A worker stops at the first empty answer while others still work: the
    // rest of the graph is drained by the workers still running, so every
    // item must have been taken by someone.
    all.sort();
    let mut expected = ids.clone();
    expected.sort();
    let claims = env.json("work_claims.json");
    let open: Vec<&Value> = claims
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "completed")
        .collect();
    let taken: BTreeSet<&String> = all.iter().collect();
    assert_eq!(taken.len(), all.len(), "an item was handed out twice");
    let mut seq_of = BTreeMap::new();
    for e in &ev {
        if e["record"] == "claim" {
            let key = (e["id"].as_str().unwrap(), e["event"].as_str().unwrap());
            assert!(
                seq_of.insert(key, e["seq"].as_u64().unwrap()).is_none(),
                "{key:?} twice"
            );
        }
    }
    for (i, id) in ids.iter().enumerate() {
        let Some(claimed) = seq_of.get(&(id.as_str(), "claimed")) else {
            assert!(open.iter().any(|c| c["work_item_id"] == id.as_str()));
            continue;
        };
        for dep in claim_of(&env, id)["depends_on"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let done = seq_of[&(dep.as_str().unwrap(), "completed")];
            assert!(done < *claimed, "item {i} claimed before its dependency");
        }
    }
    assert_eq!(all, expected, "every item completed exactly once");
    assert!(open.is_empty());
}

#[test]
fn an_expired_lease_goes_to_the_next_agent_and_fences_the_old_holder() {
    let env = Env::new();
    let id = add(&env, "long job", "high", &[]);
    let out = succeeded(&at(
        &env,
        T0,
        Some("a"),
        &["claim", "--next", "--lease", "10m"],
    ));
    assert!(
        out.contains("🔒 LEASE: generation 1 until 2030-01-01T00:10:00Z"),
        "{out}"
    );
    // progress renews: at 5m the lease runs to 15m.
    succeeded(&at(
        &env,
        "2030-01-01T00:05:00Z",
        Some("a"),
        &["progress", &id, "40"],
    ));
    assert_eq!(
        claim_of(&env, &id)["lease_expires_at"],
        "2030-01-01T00:15:00Z"
    );
    let early = at(
        &env,
        "2030-01-01T00:14:00Z",
        Some("b"),
        &["claim", "--next"],
    );
    assert_eq!(early.status.code(), Some(1), "still held");
    // heartbeat renews too.
    succeeded(&at(&env, "2030-01-01T00:14:00Z", Some("a"), &["heartbeat"]));
    assert_eq!(
        claim_of(&env, &id)["lease_expires_at"],
        "2030-01-01T00:24:00Z"
    );

    let late = "2030-01-01T00:30:00Z";
    let dry = String::from_utf8(at(&env, late, None, &["cleanup", "--dry-run"]).stdout).unwrap();
    assert!(
        dry.contains(&format!(
            "⏰ expired: {id} held by a until 2030-01-01T00:24:00Z"
        )),
        "{dry}"
    );
    let text = String::from_utf8(at(&env, late, None, &["dashboard", "--text"]).stdout).unwrap();
    assert!(
        text.contains(&format!(
            "⏰ lease expired: {id} held by a since 2030-01-01T00:24:00Z"
        )),
        "{text}"
    );
    let doctor = String::from_utf8(at(&env, late, None, &["doctor"]).stdout).unwrap();
    assert!(
        doctor.contains("1 item(s) in flight with an expired lease"),
        "{doctor}"
    );
    let ready: Value =
        serde_json::from_slice(&at(&env, late, None, &["--json", "ready"]).stdout).unwrap();
    assert_eq!(ready["items"][0]["work_item_id"], id.as_str());

    let taken = succeeded(&at(&env, late, Some("b"), &["claim", "--next"]));
    assert_eq!(first_work_id(&taken), id);
    assert_eq!(claim_of(&env, &id)["lease_generation"], 2);
    assert_eq!(
        events(&env)
            .iter()
            .rev()
            .find(|e| e["id"] == id.as_str())
            .unwrap()["event"],
        "expired"
    );

    let before = env.files();
    for args in [
        vec!["complete", &id],
        vec!["progress", &id, "90"],
        vec!["release", &id],
    ] {
        let out = at(&env, late, Some("a"), &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("lease lost on work item {id}: it is now held by b under lease generation 2, not by a")),
            "{err}"
        );
    }
    let stale_token = at(
        &env,
        late,
        None,
        &["complete", &id, "--lease-generation", "1"],
    );
    assert_eq!(stale_token.status.code(), Some(1));
    let json = at(&env, late, Some("a"), &["--json", "complete", &id]);
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["kind"], "lease_lost", "{v}");
    assert_eq!(env.files(), before, "the old holder changed nothing");

    succeeded(&at(
        &env,
        late,
        None,
        &["complete", &id, "success", "8", "--lease-generation", "2"],
    ));
    let velocity = env.read("velocity_log.txt");
    assert_eq!(
        velocity.matches("+8 velocity points").count(),
        1,
        "{velocity}"
    );
    let log = env.json("coordination_log.json");
    assert_eq!(log.as_array().unwrap().len(), 1, "one completion");
    let agents = env.json("agent_status.json");
    for a in agents.as_array().unwrap() {
        assert_eq!(a["current_workload"], 0, "{a}");
    }
}

#[test]
fn legacy_claims_keep_no_lease_and_claim_next_honours_request_ids() {
    let env = Env::new();
    let legacy = env.claim(&["bug", "no lease"]);
    let c = claim_of(&env, &legacy);
    assert!(c.get("lease_expires_at").is_none() && c.get("lease_generation").is_none());
    succeeded(&at(
        &env,
        "2099-01-01T00:00:00Z",
        Some("z"),
        &["complete", &legacy],
    ));

    let id = add(&env, "x", "low", &[]);
    add(&env, "y", "low", &[]);
    let first = succeeded(&at(
        &env,
        T0,
        Some("a"),
        &["claim", "--next", "--request-id", "r1"],
    ));
    let again = succeeded(&at(
        &env,
        T0,
        Some("a"),
        &["claim", "--next", "--request-id", "r1"],
    ));
    assert_eq!(first_work_id(&first), id);
    assert_eq!(first_work_id(&again), id, "a retry takes nothing new");
    assert_eq!(claim_of(&env, &id)["claim_request_id"], "r1");
    let bad = env
        .cmd()
        .args(["claim", "--next", "--lease", "0s"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let bad = env
        .cmd()
        .env("NEXUS_LEASE_TTL", "soon")
        .args(["ready"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&bad.stderr).contains("NEXUS_LEASE_TTL"));
}

#[test]
fn doctor_fix_releases_expired_leases_to_the_backlog() {
    let env = Env::new();
    let id = add(&env, "x", "low", &[]);
    succeeded(&at(&env, T0, Some("a"), &["claim", "--next"]));
    let late = "2030-01-02T00:00:00Z";
    succeeded(&at(&env, late, None, &["doctor", "--fix"]));
    let c = claim_of(&env, &id);
    assert_eq!(
        (c["status"].as_str(), c["agent_id"].is_null()),
        (Some("available"), true)
    );
    assert_eq!(env.json("agent_status.json")[0]["current_workload"], 0);
    let out = at(&env, late, Some("a"), &["complete", &id]);
    assert_eq!(out.status.code(), Some(1), "the old holder stays fenced");
    let before = env.files();
    for args in [
        vec!["progress", &id, "90", "--lease-generation", "1"],
        vec!["complete", &id, "success", "8", "--lease-generation", "1"],
    ] {
        let out = at(&env, late, None, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("lease lost"), "{err}");
    }
    assert_eq!(env.files(), before, "the old generation changed nothing");
}

#[test]
fn release_takes_the_item_off_its_holders_workload() {
    let env = Env::new();
    let id = add(&env, "x", "low", &[]);
    succeeded(&at(&env, T0, Some("a"), &["claim", "--next"]));
    let load = |env: &Env| env.json("agent_status.json")[0]["current_workload"].clone();
    assert_eq!(load(&env), 1);
    succeeded(&at(&env, T0, Some("a"), &["release", &id]));
    assert_eq!(load(&env), 0);
    succeeded(&at(&env, T0, Some("a"), &["claim", "--next"]));
    assert_eq!(load(&env), 1);
}

#[test]
fn the_dashboard_shows_blocked_items_expired_leases_and_the_chain() {
    let env = Env::new();
    let a = add(&env, "first step", "low", &[]);
    let b = add(&env, "second step", "medium", &[&a]);
    let c = add(&env, "the goal", "critical", &[&b]);
    succeeded(&at(&env, T0, Some("x"), &["claim", "--next"]));
    let now: DateTime<Utc> = "2030-01-01T01:00:00Z".parse().unwrap();
    let mut app = App::new(file_store(&env.dir()), "development".into(), now);
    app.reload(now);
    let screen = render_text(&app, 120, 30);
    assert!(
        screen.contains("Active work (1) · 2 blocked · 1 lease expired"),
        "{screen}"
    );
    assert!(
        screen.contains("expired") && screen.contains("blocked"),
        "{screen}"
    );
    // The goal is critical: the first row; its detail shows the chain.
    app.on_key(Key::Enter);
    let detail = render_text(&app, 120, 40);
    assert!(detail.contains("Depends on (2 in its chain)"), "{detail}");
    assert!(
        detail.contains(&format!("{b} (available) second step")),
        "{detail}"
    );
    assert!(
        detail.contains(&format!("{a} (active) first step")),
        "{detail}"
    );
    assert!(screen.contains(&c[c.len() - 6..]), "{screen}");
}

/// At 120 columns the work panel shows what an item is and who holds it,
/// the ready backlog after the work in flight, and the header counts it.
#[test]
fn the_dashboard_at_120_columns_shows_descriptions_agents_and_the_ready_backlog() {
    let env = Env::new();
    let ready = add(&env, "waiting to be taken", "low", &[]);
    succeeded(&at(
        &env,
        T0,
        Some("network_agent_with_a_long_name"),
        &["claim", "feature", "Add the CSV export", "high"],
    ));
    let now: DateTime<Utc> = "2030-01-01T00:10:00Z".parse().unwrap();
    let mut app = App::new(file_store(&env.dir()), "development".into(), now);
    app.reload(now);
    let screen = render_text(&app, 120, 30);
    assert!(screen.contains("backlog 1 (1 ready)"), "{screen}");
    assert!(screen.contains("Active work (1) · 1 ready"), "{screen}");
    assert!(screen.contains("Add the CSV"), "{screen}");
    assert!(
        screen.contains(&ready),
        "the ready item is listed: {screen}"
    );
    assert!(
        screen.contains("…long_name"),
        "the agent, its end shown: {screen}"
    );
    let rows: Vec<&str> = screen.lines().collect();
    let (held, waiting) = (
        rows.iter().position(|l| l.contains("Add the CSV")).unwrap(),
        rows.iter().position(|l| l.contains(&ready)).unwrap(),
    );
    assert!(held < waiting, "in flight first: {screen}");
}
