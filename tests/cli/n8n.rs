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
            ("GET", "/api/v1/workflows?limit=1") => json!({"data": [], "nextCursor": null}),
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
            ("GET", "/api/v1/workflows?limit=100&active=true") => {
                json!({"data": [{"id": "7", "name": "seven", "active": true,
                                 "nodes": [webhook_node("nexus-events")]}], "nextCursor": null})
            }
            ("GET", "/api/v1/executions?limit=5&workflowId=7&status=error") => {
                json!({"data": [{"id": 42, "workflowId": "7", "status": "error", "startedAt": "2026-11-25T10:00:00Z"}],
                       "nextCursor": "a+b/c="})
            }
            ("GET", "/api/v1/executions?limit=5&workflowId=7&status=error&cursor=a%2Bb%2Fc%3D") => {
                json!({"data": [{"id": 43, "workflowId": "AbCdEfGhIjKlMnOp", "status": "success", "startedAt": "2026-11-25T09:00:00Z"}],
                       "nextCursor": null})
            }
            ("GET", "/api/v1/executions?limit=250") => many(0, "p/2="),
            ("GET", "/api/v1/executions?limit=250&cursor=p%2F2%3D") => many(250, "p3"),
            ("GET", u) if u.starts_with("/api/v1/executions?limit=20&workflowId=nope") => {
                json!({"data": [], "nextCursor": null})
            }
            ("GET", "/api/v1/tags?limit=100") => {
                json!({"data": [{"id": "t1", "name": "ops"}], "nextCursor": null})
            }
            ("POST", "/api/v1/tags") => json!({"id": "t2", "name": r.json()["name"]}),
            ("PUT", "/api/v1/workflows/new1/tags") => json!([]),
            ("POST", "/webhook/hook") | ("POST", "/webhook-test/hook") => {
                json!({"received": r.json()})
            }
            ("POST", "/webhook-test/missing") => {
                return (
                    404,
                    json!({"code": 404, "message": "The requested webhook \"POST missing\" is not registered.",
                           "hint": "Click the 'Execute workflow' button on the canvas, then try again."})
                    .to_string(),
                );
            }
            ("OPTIONS", "/webhook/hook") => return (204, String::new()),
            ("POST", "/events") => json!({}),
            _ => return (404, r#"{"message":"not found"}"#.into()),
        };
        (200, reply.to_string())
    })
}

/// A page of 250 executions numbered from `from`, and its cursor.
fn many(from: u32, cursor: &str) -> Value {
    let data: Vec<Value> = (from..from + 250)
        .map(|i| json!({"id": i.to_string(), "workflowId": "7", "status": "success"}))
        .collect();
    json!({"data": data, "nextCursor": cursor})
}

/// An n8n Webhook node serving POST /webhook/<path>.
fn webhook_node(path: &str) -> Value {
    json!({"id": "h", "name": "Webhook", "type": "n8n-nodes-base.webhook", "typeVersion": 2,
           "position": [0, 0], "parameters": {"path": path, "httpMethod": "POST"}})
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
    let exec: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.url.starts_with("/api/v1/executions"))
        .map(|r| r.url)
        .collect();
    // The second page is asked for, with the cursor URL-encoded.
    assert_eq!(
        exec,
        [
            "/api/v1/executions?limit=5&workflowId=7&status=error",
            "/api/v1/executions?limit=5&workflowId=7&status=error&cursor=a%2Bb%2Fc%3D"
        ]
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
        let text = std::fs::read_to_string(&path).unwrap();
        // n8n 2.x blocks `$env` in expressions and code by default.
        assert!(!text.contains("$env"), "{path:?} reads $env");
        let w: Value = serde_json::from_str(&text).unwrap();
        let nodes = w["nodes"].as_array().expect("nodes");
        for n in nodes {
            // Nodes n8n 2.x enables by default (no executeCommand, no file access).
            let kind = n["type"].as_str().unwrap();
            assert!(
                [
                    "n8n-nodes-base.webhook",
                    "n8n-nodes-base.scheduleTrigger",
                    "n8n-nodes-base.httpRequest",
                    "n8n-nodes-base.if",
                    "n8n-nodes-base.switch",
                    "n8n-nodes-base.set",
                    "n8n-nodes-base.code",
                    "n8n-nodes-base.noOp",
                ]
                .contains(&kind),
                "{path:?}: {kind}"
            );
            // nexus serve's API goes through an n8n credential, not a literal token.
            if let Some(url) = n["parameters"]["url"].as_str()
                && url.contains("nexus_url")
            {
                assert_eq!(n["parameters"]["genericAuthType"], "httpHeaderAuth");
            }
        }
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
    // The first claim enrols agent_e: it is registered too.
    assert_eq!(
        kinds,
        [
            "work.claimed",
            "agent.registered",
            "work.progress",
            "work.completed",
            "agent.registered"
        ]
    );
    assert_eq!(events[0]["work_item"]["work_item_id"], id.as_str());
    assert_eq!(events[0]["agent_id"], "agent_e");
    assert_eq!(events[0]["team"], "ops");
    assert_eq!(events[0]["trace_id"].as_str().unwrap().len(), 32);
    assert_eq!(events[1]["agent_id"], "agent_e");
    assert_eq!(events[1]["team"], "ops");
    assert_eq!(events[1]["trace_id"], events[0]["trace_id"]);
    assert_eq!(events[3]["work_item"]["status"], "completed");
    assert_eq!(events[4]["agent_id"], "agent_r");
    // An event about no work item has no work_item field, not a null one.
    for e in [&events[1], &events[4]] {
        assert!(e.get("work_item").is_none(), "{e}");
    }

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
            .env("NEXUS_N8N_EVENT_TIMEOUT_MS", "300")
            .env("NEXUS_N8N_TIMEOUT_MS", "60000")
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

/// A server that accepts connections and never answers.
fn silent() -> String {
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in silent.incoming() {
            held.push(s);
        }
    });
    url
}

#[test]
fn webhooks_never_get_the_api_key_only_their_own_auth() {
    let (env, server) = (Env::new(), n8n());
    let hook = format!("{}/events", server.url);
    let claim = |auth: Option<&str>| {
        let mut cmd = env.cmd();
        cmd.args(["claim", "bug", "keyless"])
            .env("AGENT_ID", "agent_k")
            .env("N8N_WEBHOOK_URL", &hook)
            .env("N8N_BASE_URL", &server.url)
            .env("N8N_API_KEY", "secret");
        if let Some(a) = auth {
            cmd.env("N8N_WEBHOOK_AUTH", a);
        }
        cmd.output().unwrap()
    };
    let trigger = |auth: Option<&str>| {
        let mut cmd = env.cmd();
        cmd.args(["n8n", "trigger", "hook"])
            .env("N8N_BASE_URL", &server.url)
            .env("N8N_API_KEY", "secret");
        if let Some(a) = auth {
            cmd.env("N8N_WEBHOOK_AUTH", a);
        }
        cmd.output().unwrap()
    };
    stdout(&claim(None));
    stdout(&trigger(None));
    let hooks = |from: usize| -> Vec<Recorded> {
        server.requests()[from..]
            .iter()
            .filter(|r| !r.url.starts_with("/api/"))
            .cloned()
            .collect()
    };
    let seen = hooks(0);
    assert_eq!(seen.len(), 3, "claimed, registered, triggered: {seen:?}");
    for r in &seen {
        assert!(
            r.headers.iter().all(|(k, v)| !v.contains("secret")
                && !k.eq_ignore_ascii_case("X-N8N-API-KEY")
                && !k.eq_ignore_ascii_case("Authorization")),
            "{} carried a credential: {:?}",
            r.url,
            r.headers
        );
    }
    // The webhook's own credentials, n8n's header auth and basic auth.
    for (auth, header, value) in [
        ("header:X-Hook-Token:tok:en", "X-Hook-Token", "tok:en"),
        ("basic:nexus:pw", "Authorization", "Basic bmV4dXM6cHc="),
    ] {
        let from = server.requests().len();
        stdout(&claim(Some(auth)));
        stdout(&trigger(Some(auth)));
        let seen = hooks(from);
        assert_eq!(seen.len(), 2, "{seen:?}");
        for r in &seen {
            assert_eq!(r.header(header), Some(value), "{}", r.url);
            assert_eq!(r.header("X-N8N-API-KEY"), None);
        }
    }
    // A malformed setting: trigger refuses it unprinted, the claim still
    // succeeds and sends nothing.
    let from = server.requests().len();
    let out = trigger(Some("token-s3cret"));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("N8N_WEBHOOK_AUTH must be") && !err.contains("s3cret"),
        "{err}"
    );
    let out = claim(Some("token-s3cret"));
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not delivered") && !err.contains("s3cret"),
        "{err}"
    );
    assert!(hooks(from).is_empty());
}

#[test]
fn api_calls_and_events_have_separate_bounds() {
    let env = Env::new();
    let url = silent();
    // A slow API allowed a minute does not make an event wait: events keep
    // their own default of 2 s.
    let start = Instant::now();
    let out = env
        .cmd()
        .args(["claim", "bug", "quick"])
        .env("N8N_WEBHOOK_URL", format!("{url}/events"))
        .env("NEXUS_N8N_TIMEOUT_MS", "60000")
        .output()
        .unwrap();
    assert!(out.status.success());
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(1900) && took < Duration::from_secs(6),
        "{took:?}"
    );
    // And a patient event bound does not stretch an API call.
    let start = Instant::now();
    let out = env
        .cmd()
        .args(["n8n", "list"])
        .env("N8N_BASE_URL", &url)
        .env("N8N_API_KEY", "secret")
        .env("NEXUS_N8N_TIMEOUT_MS", "300")
        .env("NEXUS_N8N_EVENT_TIMEOUT_MS", "60000")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(start.elapsed() < Duration::from_secs(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("timed out"));
}

#[test]
fn executions_fit_n8n_ids_and_an_unknown_workflow_is_an_error() {
    let (env, server) = (Env::new(), n8n());
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
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    // Every STATUS starts in the header's column, after a 16-character id.
    let col = lines[0].find("STATUS").unwrap();
    assert_eq!(&lines[1][col..col + 5], "error", "{out}");
    assert_eq!(&lines[2][col..col + 7], "success", "{out}");
    assert!(lines[2].contains("AbCdEfGhIjKlMnOp "), "{out}");
    // More than one page: the pages are followed up to the limit.
    let before = server.requests().len();
    let out = stdout(&run(
        &env,
        &server,
        "secret",
        &["n8n", "executions", "--limit", "300"],
    ));
    assert_eq!(out.lines().count(), 301);
    assert!(out.lines().last().unwrap().starts_with("299 "), "{out}");
    let urls: Vec<String> = server.requests()[before..]
        .iter()
        .map(|r| r.url.clone())
        .collect();
    assert_eq!(
        urls,
        [
            "/api/v1/executions?limit=250",
            "/api/v1/executions?limit=250&cursor=p%2F2%3D"
        ]
    );
    let out = run(
        &env,
        &server,
        "secret",
        &["n8n", "executions", "--workflow", "nope"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("workflow nope not found"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_base_url_with_api_v1_is_the_n8n_it_belongs_to() {
    let (env, server) = (Env::new(), n8n());
    let base = format!("{}/api/v1/", server.url);
    let out = env
        .cmd()
        .args(["n8n", "list"])
        .env("N8N_BASE_URL", &base)
        .env("N8N_API_KEY", "secret")
        .output()
        .unwrap();
    assert!(stdout(&out).contains("2 workflows"));
    let out = env
        .cmd()
        .args(["n8n", "trigger", "hook"])
        .env("N8N_BASE_URL", &base)
        .output()
        .unwrap();
    stdout(&out);
    let urls: Vec<String> = server.requests().into_iter().map(|r| r.url).collect();
    assert_eq!(
        urls,
        [
            "/api/v1/workflows?limit=100",
            "/api/v1/workflows?limit=100&cursor=page2",
            "/webhook/hook"
        ]
    );
}

#[test]
fn a_test_webhook_nobody_listens_on_keeps_n8n_s_hint() {
    let (env, server) = (Env::new(), n8n());
    let out = run(&env, &server, "", &["n8n", "trigger", "missing", "--test"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("webhook /webhook-test/missing not found")
            && err.contains("is not registered")
            && err.contains("'Execute workflow' button"),
        "{err}"
    );
    // n8n said nothing: the hint is nexus's own.
    let out = run(&env, &server, "", &["n8n", "trigger", "gone", "--test"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("press \"Execute workflow\""), "{err}");
}

#[test]
fn import_keeps_tags_names_what_it_drops_and_warns_of_a_taken_webhook_path() {
    let (env, server) = (Env::new(), n8n());
    let file = env.tmp.path().join("copy.json");
    let w = json!({"id": "7", "name": "copy", "active": true, "nodes": [webhook_node("nexus-events")],
                   "connections": {}, "tags": [{"id": "t1", "name": "ops"}, {"id": "x", "name": "nexus"}],
                   "description": "routes claims", "pinData": {"Webhook": [{"json": {}}]}});
    std::fs::write(&file, w.to_string()).unwrap();
    let out = stdout(&run(
        &env,
        &server,
        "secret",
        &["n8n", "import", file.to_str().unwrap()],
    ));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "✅ IMPORTED: workflow new1 (copy)");
    assert_eq!(lines[1], "  tags: ops, nexus");
    assert!(
        lines[2].starts_with(
            "⚠️ webhook POST /nexus-events is already served by active workflow 7 (seven)"
        ),
        "{out}"
    );
    assert!(
        lines[3].starts_with("⚠️ not imported: description, pinData"),
        "{out}"
    );
    let reqs = server.requests();
    let create = reqs
        .iter()
        .find(|r| r.method == "POST" && r.url == "/api/v1/workflows")
        .unwrap();
    assert!(create.json().get("tags").is_none());
    // ops exists (t1); nexus is created (t2); both are attached.
    let made = reqs
        .iter()
        .find(|r| r.url == "/api/v1/tags" && r.method == "POST")
        .unwrap();
    assert_eq!(made.json(), json!({"name": "nexus"}));
    let put = reqs.iter().find(|r| r.method == "PUT").unwrap();
    assert_eq!(put.url, "/api/v1/workflows/new1/tags");
    assert_eq!(put.json(), json!([{"id": "t1"}, {"id": "t2"}]));
    let v: Value = serde_json::from_str(&stdout(&run(
        &env,
        &server,
        "secret",
        &["--json", "n8n", "import", file.to_str().unwrap()],
    )))
    .unwrap();
    assert_eq!(v["dropped"], json!(["description", "pinData"]));
    assert_eq!(v["tags"], json!(["ops", "nexus"]));
}

#[test]
fn doctor_checks_the_api_key_and_the_webhook_registration() {
    let (env, server) = (Env::new(), n8n());
    let doctor = |key: &str, hook: &str| {
        let out = env
            .cmd()
            .arg("doctor")
            .env("N8N_BASE_URL", &server.url)
            .env("N8N_API_KEY", key)
            .env("N8N_WEBHOOK_URL", format!("{}{hook}", server.url))
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let out = doctor("secret", "/webhook/hook");
    assert!(
        out.contains("✅ n8n API: ") && out.contains("API key accepted"),
        "{out}"
    );
    assert!(
        out.contains("✅ n8n webhook: ") && out.contains("/webhook/hook registered"),
        "{out}"
    );
    let out = doctor("wrong", "/webhook/missing");
    assert!(
        out.contains("⚠️ n8n API: ") && out.contains("refused the API key (401)"),
        "{out}"
    );
    assert!(
        out.contains("⚠️ n8n webhook: ") && out.contains("is not registered (404)"),
        "{out}"
    );
    assert!(!out.contains("wrong"), "{out}");
    let probes: Vec<(String, String)> = server
        .requests()
        .into_iter()
        .map(|r| (r.method, r.url))
        .collect();
    assert!(probes.contains(&("GET".into(), "/api/v1/workflows?limit=1".into())));
    assert!(probes.contains(&("OPTIONS".into(), "/webhook/hook".into())));
    assert!(
        probes.iter().all(|(m, _)| m != "POST"),
        "no workflow started: {probes:?}"
    );
}
