//! `nexus mcp` driven by rmcp's own client over the child's stdin/stdout.

use std::process::{Child, Stdio};
use std::time::Duration;

use rmcp::model::{CallToolRequestParams, CallToolResult, ClientConfig, ProtocolVersion};
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use rmcp::{ClientHandler, ClientLifecycleMode, ClientServiceExt, RoleClient, ServiceExt};
use serde_json::{Value, json};

use crate::common::{Env, bin, first_work_id};
use crate::mock_http::MockServer;

/// A client that opens with the given protocol revision.
#[derive(Clone)]
struct Agent {
    version: ProtocolVersion,
}

impl ClientHandler for Agent {
    fn get_info(&self) -> ClientConfig {
        let mut info = ClientConfig::default();
        info.protocol_version = self.version.clone();
        info
    }
}

type Session = RunningService<RoleClient, Agent>;

/// `nexus mcp` on the env's directory, in a clean environment.
fn server(env: &Env, agent: Option<&str>) -> std::process::Command {
    let mut c = std::process::Command::new(bin());
    c.env_clear()
        .envs(crate::common::coverage_env())
        .arg("mcp")
        .arg("--dir")
        .arg(env.dir())
        .env("NEXUS_AI_PROVIDER", "offline")
        .env("NEXUS_LOCK_TIMEOUT_MS", "60000")
        .current_dir(env.tmp.path());
    if let Some(a) = agent {
        c.env("AGENT_ID", a);
    }
    c
}

async fn connect(env: &Env, agent: Option<&str>, version: ProtocolVersion) -> Session {
    start(server(env, agent), version).await
}

async fn start(cmd: std::process::Command, version: ProtocolVersion) -> Session {
    let child = TokioChildProcess::new(tokio::process::Command::from(cmd)).unwrap();
    Agent { version }.serve(child).await.unwrap()
}

async fn call(s: &Session, tool: &'static str, args: Value) -> CallToolResult {
    let Value::Object(map) = args else {
        panic!("arguments must be an object")
    };
    let params = CallToolRequestParams::new(tool).with_arguments(map);
    tokio::time::timeout(Duration::from_secs(60), s.call_tool(params))
        .await
        .expect("tool call timed out")
        .unwrap()
}

/// The text blocks of a result.
fn texts(r: &CallToolResult) -> Vec<String> {
    r.content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect()
}

/// The structured content of a successful call.
fn ok(r: CallToolResult) -> Value {
    assert_eq!(r.is_error, Some(false), "{:?}", texts(&r));
    r.structured_content.expect("structured content")
}

/// The `nexus --json <args>` output of the CLI on the same directory.
fn cli_json(env: &Env, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&env.ok(&all)).unwrap()
}

#[tokio::test]
async fn an_agent_claims_reports_and_completes_through_the_tools() {
    let env = Env::empty();
    let s = connect(&env, Some("agent_mcp_1"), ProtocolVersion::V_2025_11_25).await;

    let info = s.peer_info().expect("server info");
    let dir = env.dir().display().to_string();
    assert!(
        info.instructions.as_deref().unwrap_or("").contains(&dir),
        "instructions must name {dir}: {:?}",
        info.instructions
    );

    let tools = s.list_tools(None).await.unwrap();
    let bytes = serde_json::to_string(&tools).unwrap().len();
    println!(
        "tools/list: {} tools, {bytes} bytes, about {} tokens",
        tools.tools.len(),
        bytes / 4
    );
    assert!(bytes / 4 < 2000, "tools/list is {bytes} bytes");
    // The README's figure is the measured one (within 0.1 kB).
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let said = readme
        .split("the whole `tools/list` answer is about ")
        .nth(1)
        .and_then(|r| r.split(" kB").next())
        .and_then(|n| n.parse::<f64>().ok())
        .expect("README gives the tools/list size in kB");
    assert!(
        (said * 1000.0 - bytes as f64).abs() <= 100.0,
        "README says {said} kB, tools/list is {bytes} bytes"
    );
    let mut names: Vec<&str> = tools.tools.iter().map(|t| t.name.as_ref()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "add",
            "agents",
            "blocked",
            "claim",
            "complete",
            "dep_add",
            "dep_rm",
            "heartbeat",
            "list",
            "next",
            "priority",
            "progress",
            "ready",
            "release",
            "show",
            "status"
        ]
    );
    let claim_tool = tools.tools.iter().find(|t| t.name == "claim").unwrap();
    let props = claim_tool.input_schema["properties"].as_object().unwrap();
    for arg in [
        "work_type",
        "description",
        "priority",
        "team",
        "request_id",
        "lease",
    ] {
        assert!(props.contains_key(arg), "claim lacks {arg}");
    }
    // The same argument types as the CLI: next takes a lease, add dependencies.
    let props = |name: &str| {
        let t = tools.tools.iter().find(|t| t.name == name).unwrap();
        t.input_schema["properties"].as_object().unwrap().clone()
    };
    assert!(props("next").contains_key("lease"));
    assert!(props("add").contains_key("depends_on"));

    let claimed = call(
        &s,
        "claim",
        json!({"work_type": "bug_fix", "description": "Fix login timeout", "priority": "high", "team": "backend_team"}),
    )
    .await;
    let summary = texts(&claimed).last().unwrap().clone();
    let claimed = ok(claimed);
    let id = claimed["work_item_id"].as_str().unwrap().to_string();
    assert_eq!(claimed["command"], "claim");
    assert_eq!(claimed["agent_id"], "agent_mcp_1");
    assert_eq!(
        summary,
        format!("claimed {id} for team backend_team as agent agent_mcp_1")
    );

    let progressed = ok(call(
        &s,
        "progress",
        json!({"work_id": id, "percent": 60, "status": "review"}),
    )
    .await);
    assert_eq!(progressed["progress"], 60);
    assert_eq!(progressed["status"], "review");

    let done = ok(call(
        &s,
        "complete",
        json!({"work_id": id, "result": "fixed", "velocity_points": 8}),
    )
    .await);
    assert_eq!(done["velocity_points"], 8);
    assert_eq!(done["team"], "backend_team");

    // `show` answers exactly what `nexus --json show` prints.
    let shown = ok(call(&s, "show", json!({"work_id": id})).await);
    assert_eq!(shown, cli_json(&env, &["show", &id]));
    s.cancel().await.unwrap();

    let claims = env.json("work_claims.json");
    let item = claims
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["work_item_id"] == id.as_str())
        .unwrap();
    assert_eq!(item["status"], "completed");
    assert_eq!(item["result"], "fixed");
    assert_eq!(item["agent_id"], "agent_mcp_1");
    let log = env.json("coordination_log.json");
    let entries: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["work_item_id"] == id.as_str())
        .collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["velocity_points"], 8);
    assert_eq!(
        env.read("velocity_log.txt")
            .lines()
            .filter(|l| l.ends_with("Team backend_team +8 velocity points"))
            .count(),
        1
    );
}

#[tokio::test]
async fn next_takes_the_backlog_item_and_list_pages() {
    let env = Env::empty();
    for i in 0..3 {
        env.ok(&["add", "chore", &format!("task {i}"), "low", "ops_team"]);
    }
    let urgent = first_work_id(&env.ok(&["add", "bug", "urgent", "critical", "ops_team"]));
    let s = connect(&env, None, ProtocolVersion::V_2025_11_25).await;

    let taken = ok(call(
        &s,
        "next",
        json!({"team": "ops_team", "agent_id": "agent_n"}),
    )
    .await);
    assert_eq!(taken["work_item_id"], urgent.as_str());
    assert_eq!(taken["agent_id"], "agent_n");

    let page = call(
        &s,
        "list",
        json!({"team": "ops_team", "offset": 1, "limit": 2}),
    )
    .await;
    let summary = texts(&page).last().unwrap().clone();
    assert_eq!(summary, "2 of 4 items from offset 1; next offset 3");
    // An older revision carries the array as text: structured content must be an object there.
    let listed: Value = serde_json::from_str(&texts(&page)[0]).unwrap();
    let all = cli_json(&env, &["list", "--team", "ops_team"]);
    assert_eq!(listed, json!(all.as_array().unwrap()[1..3]));

    // Agent ids are what the legacy stored (spaces too), without control characters.
    let bad = call(&s, "next", json!({"agent_id": "has\u{1b}escape"})).await;
    assert_eq!(bad.is_error, Some(true));
    assert!(texts(&bad)[0].starts_with("❌ ERROR: invalid agent_id 'has"));
    s.cancel().await.unwrap();
}

/// The tools take the CLI's argument types: a lease on `next`, dependencies
/// on `add`, the dependency commands, and `ready`/`blocked`.
#[tokio::test]
async fn tools_take_leases_and_dependencies_as_the_cli_does() {
    let env = Env::empty();
    let s = connect(&env, None, ProtocolVersion::V_2025_11_25).await;
    let first = ok(call(
        &s,
        "add",
        json!({"work_type": "build", "description": "base"}),
    )
    .await);
    let base = first["work_item_id"].as_str().unwrap().to_string();
    let second = ok(call(
        &s,
        "add",
        json!({"work_type": "build", "description": "on top", "depends_on": [base]}),
    )
    .await);
    let top = second["work_item_id"].as_str().unwrap().to_string();
    assert_eq!(second["claim"]["depends_on"], json!([base]));
    let blocked = ok(call(&s, "blocked", json!({})).await);
    assert_eq!(blocked["items"][0]["work_item_id"], top.as_str());

    let taken = ok(call(&s, "next", json!({"lease": "90s", "agent_id": "agent_l"})).await);
    assert_eq!(taken["work_item_id"], base.as_str());
    let claim = &taken["claim"];
    let (from, until) = (
        chrono::DateTime::parse_from_rfc3339(claim["claimed_at"].as_str().unwrap()).unwrap(),
        chrono::DateTime::parse_from_rfc3339(claim["lease_expires_at"].as_str().unwrap()).unwrap(),
    );
    assert_eq!((until - from).num_seconds(), 90, "{claim}");

    let removed = ok(call(&s, "dep_rm", json!({"work_id": top, "on": base})).await);
    assert_eq!(removed["depends_on"], json!([]));
    let ready = ok(call(&s, "ready", json!({})).await);
    assert_eq!(ready["items"][0]["work_item_id"], top.as_str());
    let missing = call(&s, "add", json!({"work_type": "x"})).await;
    assert_eq!(missing.is_error, Some(true));
    assert!(
        texts(&missing)[0].starts_with("❌ ERROR: invalid arguments of 'add'"),
        "{:?}",
        texts(&missing)
    );
    s.cancel().await.unwrap();
}

#[tokio::test]
async fn both_protocol_revisions_connect() {
    let env = Env::empty();
    let dir = env.dir().display().to_string();

    let old = connect(&env, None, ProtocolVersion::V_2025_11_25).await;
    let info = old.peer_info().unwrap();
    assert_eq!(info.protocol_version, ProtocolVersion::V_2025_11_25);
    assert!(info.instructions.as_deref().unwrap().contains(&dir));
    assert_eq!(
        ok(call(&old, "status", json!({})).await)["command"],
        "status"
    );
    old.cancel().await.unwrap();

    // A client that still opens with initialize while asking for 2026-07-28
    // gets the newest revision that has the handshake.
    let asked_new = connect(&env, None, ProtocolVersion::V_2026_07_28).await;
    let info = asked_new.peer_info().unwrap();
    assert_eq!(info.protocol_version, ProtocolVersion::V_2025_11_25);
    let status = call(&asked_new, "status", json!({})).await;
    assert_eq!(
        texts(&status).last().unwrap(),
        "items: 0; stale: 0; offline agents: 0"
    );
    asked_new.cancel().await.unwrap();

    // 2026-07-28 has no initialize: the client discovers, then sends
    // self-contained requests.
    let child = TokioChildProcess::new(tokio::process::Command::from(server(&env, None))).unwrap();
    let new = Agent {
        version: ProtocolVersion::V_2026_07_28,
    }
    .serve_with_lifecycle(
        child,
        ClientLifecycleMode::Discover {
            preferred_versions: vec![ProtocolVersion::V_2026_07_28],
        },
    )
    .await
    .unwrap();
    let info = new.peer_info().unwrap();
    assert_eq!(info.protocol_version, ProtocolVersion::V_2026_07_28);
    assert!(info.instructions.as_deref().unwrap().contains(&dir));
    assert_eq!(
        new.list_tools(None).await.unwrap().tools.len(),
        nexus::commands::TABLE.len()
    );
    let added = ok(call(&new, "add", json!({"work_type": "doc", "description": "d"})).await);
    assert_eq!(added["command"], "add");
    // This revision allows an array as structured content.
    let listed = ok(call(&new, "list", json!({})).await);
    assert_eq!(listed, cli_json(&env, &["list"]));
    new.cancel().await.unwrap();
}

#[tokio::test]
async fn a_retried_complete_acts_once_and_bad_input_reads_as_the_cli() {
    let env = Env::empty();
    let id = env.claim(&["bug_fix", "retry me"]);
    let s = connect(&env, None, ProtocolVersion::V_2025_11_25).await;

    let args = json!({"work_id": id, "velocity_points": 3, "request_id": "retry-7"});
    let first = ok(call(&s, "complete", args.clone()).await);
    let again = ok(call(&s, "complete", args).await);
    assert_eq!(first["completion"], again["completion"]);
    assert_eq!(first["work_item_id"], again["work_item_id"]);
    let log = env.json("coordination_log.json");
    assert_eq!(
        log.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["work_item_id"] == id.as_str())
            .count(),
        1
    );
    assert_eq!(env.read("velocity_log.txt").lines().count(), 1);

    let other = env.claim(&["bug_fix", "progress me"]);
    for (percent, word) in [(json!(250), "250"), (json!("half"), "half")] {
        let bad = call(
            &s,
            "progress",
            json!({"work_id": other, "percent": percent}),
        )
        .await;
        assert_eq!(bad.is_error, Some(true));
        let out = env.cmd().args(["progress", &other, word]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let cli_line = String::from_utf8(out.stderr).unwrap();
        assert_eq!(texts(&bad), [cli_line.trim_end()]);
        assert_eq!(bad.structured_content.unwrap()["kind"], "invalid_input");
    }

    let missing = call(&s, "show", json!({"work_id": "work_404"})).await;
    assert_eq!(missing.is_error, Some(true));
    assert!(texts(&missing)[0].starts_with("❌ ERROR: work item work_404 not found in "));
    s.cancel().await.unwrap();
}

#[tokio::test]
async fn mcp_calls_among_twenty_cli_claims_lose_nothing() {
    let env = Env::empty();
    let s = connect(&env, Some("agent_mcp"), ProtocolVersion::V_2025_11_25).await;
    let children: Vec<Child> = (0..20)
        .map(|i| {
            std::process::Command::new(bin())
                .env_clear()
                .envs(crate::common::coverage_env())
                .args(["claim", "race", &format!("cli {i}")])
                .env("COORDINATION_DIR", env.dir())
                .env("NEXUS_LOCK_TIMEOUT_MS", "60000")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut ids = Vec::new();
    for i in 0..5 {
        let r = ok(call(
            &s,
            "claim",
            json!({"work_type": "race", "description": format!("mcp {i}")}),
        )
        .await);
        ids.push(r["work_item_id"].as_str().unwrap().to_string());
    }
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    s.cancel().await.unwrap();
    let claims = env.json("work_claims.json");
    let claims = claims.as_array().unwrap();
    assert_eq!(claims.len(), 25);
    let descriptions: std::collections::HashSet<&str> = claims
        .iter()
        .map(|c| c["description"].as_str().unwrap())
        .collect();
    assert_eq!(descriptions.len(), 25);
    for id in &ids {
        assert!(claims.iter().any(|c| c["work_item_id"] == id.as_str()));
    }
}

#[tokio::test]
async fn the_server_exits_zero_when_stdin_closes() {
    let env = Env::empty();
    let mut child = tokio::process::Command::from(server(&env, None))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let transport = (child.stdout.take().unwrap(), child.stdin.take().unwrap());
    let s = Agent {
        version: ProtocolVersion::V_2025_11_25,
    }
    .serve(transport)
    .await
    .unwrap();
    assert_eq!(ok(call(&s, "status", json!({})).await)["ok"], true);
    // Dropping the session closes the child's stdin.
    s.cancel().await.unwrap();
    let out = tokio::time::timeout(Duration::from_secs(20), child.wait_with_output())
        .await
        .expect("the server must exit once stdin closes")
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty(), "{:?}", out.stdout);

    // Closed before any message: nothing to serve, still a clean exit, and
    // stdout stays the protocol's even with --json.
    let out = server(&env, None)
        .arg("--json")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[tokio::test]
async fn a_tool_call_posts_the_webhook_event_off_the_runtime_thread() {
    let env = Env::empty();
    let hook = MockServer::start(|_| (200, "{}".into()));
    let mut cmd = server(&env, Some("agent_hook"));
    cmd.env("N8N_WEBHOOK_URL", format!("{}/webhook/nexus", hook.url));
    let s = start(cmd, ProtocolVersion::V_2025_11_25).await;
    let claimed = ok(call(
        &s,
        "claim",
        json!({"work_type": "hook", "description": "d"}),
    )
    .await);
    s.cancel().await.unwrap();
    let seen = hook.requests.lock().unwrap().clone();
    // The claim, and the enrolment of the new agent.
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0].url, "/webhook/nexus");
    assert_eq!(
        seen[0].json()["work_item"]["work_item_id"],
        claimed["work_item_id"]
    );
    assert_eq!(seen[1].json()["event"], "agent.registered");
}

#[tokio::test]
async fn a_missing_directory_is_named_and_the_first_claim_creates_it() {
    let env = Env::new();
    let s = connect(&env, None, ProtocolVersion::V_2025_11_25).await;
    let said = s.peer_info().unwrap().instructions.clone().unwrap();
    assert!(said.contains("does not exist yet"), "{said}");
    let absent = call(&s, "status", json!({})).await;
    assert!(texts(&absent)[0].starts_with("❌ ERROR: no coordination state in "));

    let claimed = ok(call(
        &s,
        "claim",
        json!({"work_type": "t", "description": "d", "agent_id": "agent_r"}),
    )
    .await);
    let id = claimed["work_item_id"].as_str().unwrap();
    let released = ok(call(&s, "release", json!({"work_id": id, "agent_id": "agent_r"})).await);
    assert_eq!(released["claim"]["status"], "available");
    s.cancel().await.unwrap();
    let claims = env.json("work_claims.json");
    assert_eq!(claims[0]["work_item_id"], id);
    assert_eq!(claims[0]["status"], "available");
}

#[test]
fn a_malformed_or_oversized_message_gets_a_json_rpc_error_at_once() {
    use std::io::{BufRead, BufReader, Write};
    let env = Env::empty();
    let mut child = server(&env, None)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let _ = tx.send(line.unwrap());
        }
    });
    let answer = |rx: &std::sync::mpsc::Receiver<String>| -> Value {
        let line = rx.recv_timeout(Duration::from_secs(10)).expect("an answer");
        serde_json::from_str(&line).unwrap()
    };
    stdin
        .write_all(b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\"\n")
        .unwrap();
    let v = answer(&rx);
    assert_eq!(v["error"]["code"], -32700, "{v}");
    assert!(v["id"].is_null());
    let mut big = vec![b' '; 17 << 20];
    big.push(b'\n');
    stdin.write_all(&big).unwrap();
    let v = answer(&rx);
    assert_eq!(v["error"]["code"], -32600, "{v}");
    // The server still serves.
    stdin
        .write_all(b"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}\n")
        .unwrap();
    let v = answer(&rx);
    assert_eq!(v["id"], 7, "{v}");
    drop(stdin);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "exits when stdin closes"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
