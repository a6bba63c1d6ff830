//! `nexus n8n` against a mock n8n on 127.0.0.1, and events on mutations.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::Env;
use crate::mock_http::{MockServer, Recorded};

fn n8n() -> MockServer {
    MockServer::start(|r: &Recorded| {
        if r.url.starts_with("/api/") && r.header("X-N8N-API-KEY") != Some("secret") {
            return (401, r#"{"message":"unauthorized"}"#.into());
        }
        let reply = match (r.method.as_str(), r.url.as_str()) {
            ("GET", "/api/v1/workflows?limit=100") => {
                json!({"data": [{"id": "1", "name": "first", "active": true}], "nextCursor": "page2"})
            }
            ("GET", "/api/v1/workflows?limit=100&cursor=page2") => {
                json!({"data": [{"id": "2", "name": "second", "active": false}], "nextCursor": null})
            }
            ("GET", "/api/v1/workflows/7") => {
                json!({"id": "7", "name": "seven", "active": false, "nodes": [], "connections": {}})
            }
            ("POST", "/api/v1/workflows") => json!({"id": "new1", "name": r.json()["name"]}),
            ("POST", "/api/v1/workflows/7/activate") => {
                json!({"id": "7", "name": "seven", "active": true})
            }
            ("POST", "/api/v1/workflows/7/deactivate") => {
                json!({"id": "7", "name": "seven", "active": false})
            }
            ("GET", u) if u.starts_with("/api/v1/executions") => {
                json!({"data": [{"id": 42, "workflowId": "7", "status": "error", "startedAt": "2026-11-25T10:00:00Z"}]})
            }
            ("POST", "/webhook/hook") | ("POST", "/webhook-test/hook") => {
                json!({"received": r.json()})
            }
            ("POST", "/events") => json!({}),
            _ => return (404, r#"{"message":"not found"}"#.into()),
        };
        (200, reply.to_string())
    })
}

fn run(env: &Env, server: &MockServer, key: &str, args: &[&str]) -> std::process::Output {
    env.cmd()
        .args(args)
        .env("N8N_BASE_URL", &server.url)
        .env("N8N_API_KEY", key)
        .env("NEXUS_N8N_TIMEOUT_MS", "2000")
        .output()
        .unwrap()
}

use crate::common::succeeded as stdout;

#[test]
fn list_follows_pagination_and_sends_the_key() {
    let (env, server) = (Env::new(), n8n());
    let out = stdout(&run(&env, &server, "secret", &["n8n", "list"]));
    assert!(out.contains("first") && out.contains("second"), "{out}");
    assert!(out.contains("2 workflows"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert!(
        reqs.iter()
            .all(|r| r.header("X-N8N-API-KEY") == Some("secret"))
    );
    let v: Value = serde_json::from_str(&stdout(&run(
        &env,
        &server,
        "secret",
        &["--json", "n8n", "list"],
    )))
    .unwrap();
    assert_eq!(v["workflows"].as_array().unwrap().len(), 2);
}

#[test]
fn export_import_activate_deactivate_executions_and_trigger() {
    let (env, server) = (Env::new(), n8n());
    let out = stdout(&run(&env, &server, "secret", &["n8n", "export", "7"]));
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap()["name"],
        "seven"
    );
    let file = env.tmp.path().join("seven.json");
    let out = stdout(&run(
        &env,
        &server,
        "secret",
        &["n8n", "export", "7", "-o", file.to_str().unwrap()],
    ));
    assert!(out.contains("EXPORTED"));
    // The exported file imports again: id and active are dropped from the body.
    let out = stdout(&run(
        &env,
        &server,
        "secret",
        &["n8n", "import", file.to_str().unwrap()],
    ));
    assert_eq!(out, "✅ IMPORTED: workflow new1 (seven)\n");
    let create = server
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    let body = create.json();
    assert_eq!(body["name"], "seven");
    assert!(
        body.get("id").is_none() && body.get("active").is_none(),
        "{body}"
    );
    assert_eq!(body["settings"], json!({}));
    assert!(
        stdout(&run(&env, &server, "secret", &["n8n", "activate", "7"]))
            .contains("ACTIVATED: workflow 7")
    );
    assert!(
        stdout(&run(&env, &server, "secret", &["n8n", "deactivate", "7"]))
            .contains("DEACTIVATED: workflow 7")
    );
    let out = stdout(&run(
        &env,
        &server,
        "secret",
        &[
            "n8n",
            "executions",
            "--workflow",
            "7",
            "--status",
            "error",
            "--limit",
            "5",
        ],
    ));
    assert!(out.contains("42") && out.contains("error"), "{out}");
    let exec = server
        .requests()
        .into_iter()
        .find(|r| r.url.starts_with("/api/v1/executions"))
        .unwrap();
    assert_eq!(
        exec.url,
        "/api/v1/executions?limit=5&workflowId=7&status=error"
    );
    let out = stdout(&run(
        &env,
        &server,
        "",
        &["n8n", "trigger", "hook", "--data", r#"{"ping":1}"#],
    ));
    assert!(out.contains("\"ping\": 1"), "{out}");
    stdout(&run(
        &env,
        &server,
        "",
        &["n8n", "trigger", "hook", "--test"],
    ));
    let hooks: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.url.contains("webhook"))
        .map(|r| r.url)
        .collect();
    assert_eq!(hooks, ["/webhook/hook", "/webhook-test/hook"]);
}

#[test]
fn shipped_templates_import_and_have_the_n8n_shape() {
    let (env, server) = (Env::new(), n8n());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/n8n");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        count += 1;
        let w: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let nodes = w["nodes"].as_array().expect("nodes");
        let names: Vec<&str> = nodes.iter().map(|n| n["name"].as_str().unwrap()).collect();
        for n in nodes {
            for key in [
                "id",
                "name",
                "type",
                "typeVersion",
                "position",
                "parameters",
            ] {
                assert!(n.get(key).is_some(), "{path:?}: node lacks {key}");
            }
            assert!(n["type"].as_str().unwrap().starts_with("n8n-nodes-base."));
        }
        for (from, outputs) in w["connections"].as_object().unwrap() {
            assert!(
                names.contains(&from.as_str()),
                "{path:?}: connection from unknown {from}"
            );
            for target in outputs["main"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|o| o.as_array().unwrap())
            {
                assert!(
                    names.contains(&target["node"].as_str().unwrap()),
                    "{path:?}: bad target"
                );
            }
        }
        let out = stdout(&run(
            &env,
            &server,
            "secret",
            &["n8n", "import", path.to_str().unwrap()],
        ));
        assert!(out.contains(w["name"].as_str().unwrap()));
    }
    assert_eq!(count, 3);
}

#[test]
fn errors_are_clear_and_exit_1() {
    let (env, server) = (Env::new(), n8n());
    let out = run(&env, &server, "wrong", &["n8n", "list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("refused the API key") && err.contains("N8N_API_KEY"),
        "{err}"
    );
    let out = run(&env, &server, "secret", &["n8n", "export", "404"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("workflow 404 not found"));
    let dead = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let out = env
        .cmd()
        .args(["n8n", "list"])
        .env("N8N_BASE_URL", format!("http://{dead}"))
        .env("N8N_API_KEY", "secret")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot reach n8n"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Without a key the API is not even tried: the key is what is missing.
    let before = server.requests().len();
    let out = env
        .cmd()
        .args(["n8n", "list"])
        .env("N8N_BASE_URL", &server.url)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("❌ ERROR: N8N_API_KEY is not set"), "{err}");
    assert_eq!(server.requests().len(), before, "no request sent");
    let out = env
        .cmd()
        .args(["n8n", "list"])
        .env_remove("N8N_BASE_URL")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("N8N_BASE_URL is not set"));
    let out = run(
        &env,
        &server,
        "secret",
        &["n8n", "trigger", "hook", "--data", "{oops"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--data"));
}

#[test]
fn mutations_post_events_and_an_unreachable_webhook_does_not_fail_them() {
    let (env, server) = (Env::new(), n8n());
    let hook = format!("{}/events", server.url);
    let out = env
        .cmd()
        .args(["claim", "bug", "evented", "critical", "ops"])
        .env("N8N_WEBHOOK_URL", &hook)
        .env("AGENT_ID", "agent_e")
        .output()
        .unwrap();
    let id = crate::common::first_work_id(&String::from_utf8(out.stdout).unwrap());
    env.cmd()
        .args(["progress", &id, "50"])
        .env("N8N_WEBHOOK_URL", &hook)
        .assert()
        .success();
    env.cmd()
        .args(["complete", &id])
        .env("N8N_WEBHOOK_URL", &hook)
        .assert()
        .success();
    env.cmd()
        .args(["register", "agent_r"])
        .env("N8N_WEBHOOK_URL", &hook)
        .assert()
        .success();
    let events: Vec<Value> = server
        .requests()
        .iter()
        .filter(|r| r.url == "/events")
        .map(Recorded::json)
        .collect();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "work.claimed",
            "work.progress",
            "work.completed",
            "agent.registered"
        ]
    );
    assert_eq!(events[0]["work_item"]["work_item_id"], id.as_str());
    assert_eq!(events[0]["agent_id"], "agent_e");
    assert_eq!(events[0]["team"], "ops");
    assert_eq!(events[0]["trace_id"].as_str().unwrap().len(), 32);
    assert_eq!(events[2]["work_item"]["status"], "completed");

    // A dead webhook and a silent one: the claim still succeeds, within the bound.
    let dead = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_url = format!("http://{}/x", silent.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in silent.incoming() {
            held.push(s);
        }
    });
    for url in [format!("http://{dead}/x"), silent_url] {
        let start = Instant::now();
        let out = env
            .cmd()
            .args(["claim", "bug", "no hook"])
            .env("N8N_WEBHOOK_URL", &url)
            .env("NEXUS_N8N_TIMEOUT_MS", "300")
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "{url} held the claim"
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("not delivered"));
    }
}

#[test]
fn every_mutating_command_posts_its_event_and_prints_its_traceparent() {
    let hook = MockServer::start(|_: &Recorded| (200, "{}".into()));
    let env = Env::new();
    let run = |args: &[&str]| {
        let out = env
            .cmd()
            .args(args)
            .arg("--print-traceparent")
            .env("N8N_WEBHOOK_URL", format!("{}/events", hook.url))
            .env("AGENT_ID", "agent_table")
            .output()
            .unwrap();
        crate::common::succeeded(&out)
    };
    let id = crate::common::first_work_id(&run(&["claim", "bug", "one"]));
    run(&["add", "chore", "later"]);
    let table: Vec<(Vec<&str>, &str)> = vec![
        (vec!["progress", &id, "30"], "work.progress"),
        (vec!["release", &id], "work.released"),
        (vec!["claim", "--next"], "work.claimed"),
        (vec!["heartbeat"], "agent.heartbeat"),
        (vec!["register", "agent_two"], "agent.registered"),
        (vec!["complete", &id], "work.completed"),
        (vec!["cleanup", "--archive-after", "0s"], "work.cleanup"),
        (vec!["claim", "bug", "two"], "work.claimed"),
    ];
    for (args, event) in &table {
        let before = hook.requests().len();
        let out = run(args);
        let tp = out
            .lines()
            .find_map(|l| l.strip_prefix("TRACEPARENT="))
            .unwrap_or_else(|| panic!("{args:?} printed no TRACEPARENT:\n{out}"));
        assert_eq!(tp.len(), 55, "{args:?}: {tp}");
        let got = hook.requests();
        assert_eq!(got.len(), before + 1, "{args:?} posted one event");
        let body = got.last().unwrap().json();
        assert_eq!(body["event"], *event, "{args:?}");
        assert_eq!(body["trace_id"].as_str().unwrap(), &tp[3..35], "{args:?}");
    }
}
