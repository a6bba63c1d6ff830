//! The state `nexus serve` keeps in memory for its pages and the API's list:
//! a change made by a CLI process beside the server shows in the very next
//! read, and after a mixed series of changes (claims, progress, completion,
//! release, items added with dependencies, archiving, a file another tool
//! rewrote) the copy agrees with a fresh read of the files; on PostgreSQL
//! the same, the copy following the numbered events there.

use std::path::Path;

use serde_json::Value;

use crate::common::Env;
use crate::serve::{Served, client};

fn get(s: &Served, path: &str) -> String {
    let r = client().get(s.url(path)).send().unwrap();
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.text().unwrap()
}

/// Every item as the server's API lists it (from its memory).
fn served_items(s: &Served) -> Vec<Value> {
    let v: Value = serde_json::from_str(&get(s, "/api/v1/work?per_page=500")).unwrap();
    v["items"].as_array().unwrap().clone()
}

/// Every item as a CLI process reads it from the store now (the files, or
/// the database at `store`).
fn read_items(env: &Env, store: Option<&str>) -> Vec<Value> {
    serde_json::from_str(&run_on(env, store, "agent_reader", &["--json", "list"])).unwrap()
}

/// The live part of a page without its relative times (which move with
/// the clock, not with the state).
fn region(page: &str) -> String {
    let start = page.find("<div id=\"region\"").expect("a live region");
    let end = page.rfind("</main>").unwrap();
    crate::web::timeless(&page[start..end])
}

/// The status as the server answers it (from its memory) and as a CLI
/// process reads it, without the trace that differs.
fn served_status(s: &Served) -> Value {
    without_trace(serde_json::from_str(&get(s, "/api/v1/status")).unwrap())
}

fn read_status(env: &Env, store: Option<&str>) -> Value {
    let out = run_on(env, store, "agent_reader", &["--json", "status"]);
    without_trace(serde_json::from_str(&out).unwrap())
}

/// A report's figures as the server answers them and as a CLI process
/// reads them, without those that move with the clock.
fn served_report(s: &Served, name: &str) -> Value {
    let path = format!("/api/v1/reports/{name}");
    timeless(serde_json::from_str(&get(s, &path)).unwrap())
}

fn read_report(env: &Env, store: Option<&str>, name: &str) -> Value {
    timeless(serde_json::from_str(&run_on(env, store, "agent_reader", &["--json", name])).unwrap())
}

fn timeless(mut v: Value) -> Value {
    let mut metrics = v["metrics"].take();
    if let Some(m) = metrics.as_object_mut() {
        m.retain(|k, _| k != "now" && !k.ends_with("_hours") && k != "sprints_observed");
    }
    metrics
}

fn without_trace(mut v: Value) -> Value {
    if let Some(m) = v.as_object_mut() {
        m.retain(|k, _| !k.starts_with("trace"));
    }
    v
}

fn run(env: &Env, agent: &str, args: &[&str]) -> String {
    run_on(env, None, agent, args)
}

/// A CLI step on the files, or on the database at `store`.
fn run_on(env: &Env, store: Option<&str>, agent: &str, args: &[&str]) -> String {
    let mut cmd = env.cmd();
    if let Some(url) = store {
        cmd.env("NEXUS_STORE", url);
    }
    let out = cmd.env("AGENT_ID", agent).args(args).output().unwrap();
    crate::common::succeeded(&out)
}

#[test]
fn a_cli_change_beside_the_server_shows_in_the_next_page_and_api_read() {
    let env = Env::new();
    env.ok(&["add", "chore", "already there", "low", "ops_team"]);
    let s = Served::start(&env);
    // The first read fills the server's memory.
    assert!(get(&s, "/work").contains("already there"));
    let id = crate::common::first_work_id(&run(
        &env,
        "agent_cli",
        &["claim", "bug", "made by the cli", "high", "web_team"],
    ));
    // No wait: the read right after the CLI exits shows it.
    let work = get(&s, &format!("/work?q={id}"));
    assert!(work.contains("made by the cli"), "{work}");
    assert!(work.contains("1 items"), "{work}");
    let api: Value = serde_json::from_str(&get(&s, &format!("/api/v1/work?q={id}"))).unwrap();
    assert_eq!(api["total"], 1, "{api}");
    assert_eq!(api["items"][0]["status"], "active", "{api}");
    run(&env, "agent_cli", &["progress", &id, "40"]);
    let api: Value = serde_json::from_str(&get(&s, &format!("/api/v1/work?q={id}"))).unwrap();
    assert_eq!(api["items"][0]["progress"], 40, "{api}");
    let fleet = get(&s, "/");
    assert!(fleet.contains("web_team"), "{fleet}");
    run(&env, "agent_cli", &["complete", &id, "success", "5"]);
    let done = get(&s, "/work?status=completed");
    assert!(done.contains(&id), "{done}");
}

#[test]
fn the_copy_in_memory_agrees_with_a_fresh_read_after_mixed_changes() {
    let env = Env::new();
    env.ok(&["add", "chore", "seed", "medium", "ops_team"]);
    let s = Served::start(&env);
    mixed_changes(&env, None, &s);
    // Another tool rewrites the claims file (as jq would): no event names
    // it, yet the next read shows it.
    let mut claims = env.json("work_claims.json");
    for c in claims.as_array_mut().unwrap() {
        let edited = format!("{} (edited)", c["description"].as_str().unwrap());
        c["description"] = Value::String(edited);
    }
    std::fs::write(
        env.path("work_claims.json"),
        serde_json::to_string_pretty(&claims).unwrap(),
    )
    .unwrap();
    let items = served_items(&s);
    for c in claims.as_array().unwrap() {
        assert!(items.contains(c), "{c} not in {items:?}");
    }
    assert_eq!(items, read_items(&env, None));
    // The pages agree with those of a server that reads everything afresh.
    let fresh = Served::start(&env);
    for path in [
        "/",
        "/work",
        "/work?sort=age&dir=desc",
        "/work?status=active",
    ] {
        assert_eq!(region(&get(&s, path)), region(&get(&fresh, path)), "{path}");
    }
}

/// Claims, progress, items with dependencies, a completion, a release, an
/// archive, an agent registered and a claim after it, made by CLI processes
/// beside the server `s` on the store (the files, or the database at
/// `store`): after each, the server's items, status and a report agree with
/// a fresh read, and it read the state whole only at the start and for
/// the archive.
fn mixed_changes(env: &Env, store: Option<&str>, s: &Served) {
    assert_eq!(served_items(s), read_items(env, store));
    let first = |out: String| crate::common::first_work_id(&out);
    let a = first(run_on(
        env,
        store,
        "agent_a",
        &["claim", "feature", "a", "high", "t1"],
    ));
    let b = first(run_on(
        env,
        store,
        "agent_b",
        &["claim", "bug", "b", "low", "t2"],
    ));
    let after = format!("{a},{b}");
    let steps: Vec<(&str, Vec<&str>)> = vec![
        ("agent_a", vec!["progress", &a, "40"]),
        (
            "agent_a",
            vec!["add", "task", "waits on a", "high", "--depends-on", &a],
        ),
        (
            "agent_a",
            vec![
                "add",
                "task",
                "waits on both",
                "low",
                "--depends-on",
                &after,
            ],
        ),
        ("agent_b", vec!["complete", &b, "success", "3"]),
        ("agent_a", vec!["release", &a]),
        ("agent_a", vec!["cleanup", "--archive-after", "0s"]),
        ("agent_c", vec!["register", "agent_c", "t3"]),
        (
            "agent_c",
            vec!["claim", "docs", "after the archive", "critical", "t3"],
        ),
    ];
    assert_eq!(served_items(s), read_items(env, store), "after two claims");
    for (i, (agent, args)) in steps.iter().enumerate() {
        run_on(env, store, agent, args);
        assert_eq!(served_items(s), read_items(env, store), "after {args:?}");
        assert_eq!(served_status(s), read_status(env, store), "after {args:?}");
        assert_eq!(
            served_report(s, "system-demo"),
            read_report(env, store, "system-demo"),
            "after {args:?}"
        );
        // Read whole at the start, and again only for the archive (its
        // events cannot tell what is left).
        let archived = steps[..=i].iter().any(|(_, a)| a[0] == "cleanup");
        assert_eq!(
            reads_and_items(s).0,
            1 + u64::from(archived),
            "after {args:?}"
        );
    }
}

/// The `nexus_state_reads` counter of `/metrics`, and the work items it counts.
fn reads_and_items(s: &Served) -> (u64, String) {
    let text = get(s, "/metrics");
    let reads = text
        .lines()
        .find_map(|l| l.strip_prefix("nexus_state_reads_total "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no state reads in {text}"));
    let items = text
        .lines()
        .filter(|l| l.starts_with("nexus_work_items{"))
        .collect::<Vec<_>>()
        .join("\n");
    (reads, items)
}

#[test]
fn the_copy_is_read_whole_once_and_then_only_when_the_events_cannot_tell() {
    let env = Env::new();
    env.ok(&["add", "chore", "already there", "low", "ops_team"]);
    let s = Served::start(&env);
    let (reads, items) = reads_and_items(&s);
    assert_eq!(reads, 1);
    assert!(
        items.contains(r#"status="available",team="ops_team"} 1"#),
        "{items}"
    );
    for i in 0..3 {
        run(
            &env,
            "agent_cli",
            &["claim", "bug", &format!("cli {i}"), "high", "web_team"],
        );
    }
    get(&s, "/work");
    let (reads, items) = reads_and_items(&s);
    assert_eq!(reads, 1, "CLI changes are caught up from their events");
    assert!(
        items.contains(r#"status="active",team="web_team"} 3"#),
        "{items}"
    );
    // Another tool rewrites the claims file: the events cannot tell.
    let mut claims = env.json("work_claims.json");
    claims[0]["description"] = Value::from("edited by hand");
    std::fs::write(
        env.path("work_claims.json"),
        serde_json::to_string(&claims).unwrap(),
    )
    .unwrap();
    assert!(get(&s, "/work").contains("edited by hand"));
    assert_eq!(reads_and_items(&s).0, 2);
}

#[test]
fn on_postgresql_the_copy_follows_the_events_and_agrees_with_a_fresh_read() {
    let Some(server) = crate::pg_server::PgServer::shared() else {
        return;
    };
    let url = server.new_db();
    let store = Some(url.as_str());
    let env = Env::new();
    run_on(
        &env,
        store,
        "agent_a",
        &["add", "chore", "seed", "medium", "ops_team"],
    );
    let s = Served::start_with(&env, &[("NEXUS_STORE", url.as_str())]);
    mixed_changes(&env, store, &s);
    // Emptied events (numbered from 1 again) cannot tell what changed: the
    // next read is whole, and shows the claim made after.
    let mut db = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    db.batch_execute("TRUNCATE nexus_events").unwrap();
    let after = crate::common::first_work_id(&run_on(
        &env,
        store,
        "agent_d",
        &["claim", "docs", "after the events went", "low", "t4"],
    ));
    assert!(
        served_items(&s)
            .iter()
            .any(|i| i["work_item_id"] == after.as_str())
    );
    assert_eq!(reads_and_items(&s).0, 3);
    // Emptied again and written past the copy's mark: the mark's event is
    // not the one the copy saw, and the next read is whole again.
    db.batch_execute("TRUNCATE nexus_events").unwrap();
    let claims: Vec<String> = (0..3)
        .map(|i| {
            let desc = format!("refilled {i}");
            crate::common::first_work_id(&run_on(
                &env,
                store,
                "agent_d",
                &["claim", "docs", &desc, "low", "t4"],
            ))
        })
        .collect();
    let items = served_items(&s);
    for id in &claims {
        assert!(
            items.iter().any(|i| i["work_item_id"] == id.as_str()),
            "{id}"
        );
    }
    assert_eq!(reads_and_items(&s).0, 4);
    assert_eq!(items, read_items(&env, store));
    // The pages agree with those of a server that reads everything afresh.
    let fresh = Served::start_with(&env, &[("NEXUS_STORE", url.as_str())]);
    for path in ["/", "/work", "/work?sort=age&dir=desc"] {
        assert_eq!(region(&get(&s, path)), region(&get(&fresh, path)), "{path}");
    }
}

#[test]
fn on_postgresql_an_import_into_the_followed_store_shows_in_the_pages() {
    let Some(server) = crate::pg_server::PgServer::shared() else {
        return;
    };
    let url = server.new_db();
    let store = Some(url.as_str());
    let env = Env::new();
    let s = Served::start_with(&env, &[("NEXUS_STORE", url.as_str())]);
    assert_eq!(served_items(&s), Vec::<Value>::new());
    // The legacy files carry no events: nothing in the events names what
    // the import wrote, and the copy must still see it.
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/legacy");
    run_on(
        &env,
        store,
        "agent_a",
        &["store", "import", "--from", from.to_str().unwrap()],
    );
    let items = served_items(&s);
    assert!(!items.is_empty());
    assert_eq!(items, read_items(&env, store));
    // Then it follows the events again: one claim, no whole read.
    let reads = reads_and_items(&s).0;
    let id = crate::common::first_work_id(&run_on(
        &env,
        store,
        "agent_b",
        &["claim", "docs", "after the import", "low", "t1"],
    ));
    let items = served_items(&s);
    assert!(items.iter().any(|i| i["work_item_id"] == id.as_str()));
    assert_eq!(reads_and_items(&s).0, reads);
}
