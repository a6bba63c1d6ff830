//! `nexus serve` driven by a real HTTP client on 127.0.0.1: the API gives
//! the CLI's files and JSON objects, errors their documented statuses, the
//! event stream every change once, MCP over HTTP the same tools, and the
//! guards and bounds hold.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{Env, bin, first_work_id};

/// A running `nexus serve` on a free port of 127.0.0.1.
pub struct Served {
    child: Child,
    pub base: String,
    log: std::path::PathBuf,
}

impl Served {
    pub fn start(env: &Env) -> Served {
        Served::start_with(env, &[])
    }

    pub fn start_with(env: &Env, extra: &[(&str, &str)]) -> Served {
        Served::spawn(env, extra, &[])
    }

    pub fn spawn(env: &Env, extra: &[(&str, &str)], args: &[&std::ffi::OsStr]) -> Served {
        Served::spawn_at(env, "127.0.0.1:0", extra, args)
    }

    /// Stop the server (SIGTERM), run `meanwhile`, and start it again on
    /// the same address.
    pub fn restart(&mut self, env: &Env, meanwhile: impl FnOnce()) {
        self.terminate(Duration::from_secs(15))
            .expect("serve did not stop on SIGTERM");
        meanwhile();
        let at = self.base.rsplit('/').next().unwrap().to_string();
        *self = Served::spawn_at(env, &at, &[], &[]);
    }

    fn spawn_at(
        env: &Env,
        listen: &str,
        extra: &[(&str, &str)],
        args: &[&std::ffi::OsStr],
    ) -> Served {
        let mut c = Command::new(bin());
        c.env_clear()
            .envs(crate::common::coverage_env())
            .env("COORDINATION_DIR", env.dir())
            .env("NEXUS_AI_PROVIDER", "offline")
            .env("PATH", "/usr/bin:/bin")
            .current_dir(env.tmp.path())
            .args(["serve", "--listen", listen])
            .args(args)
            .stdout(Stdio::piped());
        for (k, v) in extra {
            c.env(k, v);
        }
        // What it says on stderr is kept for the test to read (and shown
        // when the test fails).
        static LOGS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = LOGS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let log = env.tmp.path().join(format!("serve-{n}.stderr"));
        c.stderr(std::fs::File::create(&log).unwrap());
        // Owned at once, so that a failed check below still stops it.
        let mut served = Served {
            child: c.spawn().unwrap(),
            base: String::new(),
            log,
        };
        let mut line = String::new();
        BufReader::new(served.child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        served.base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://") || w.starts_with("https://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        assert!(line.starts_with("🌐 SERVING: http"), "{line}");
        assert!(served.base.contains("://127.0.0.1:"), "{line}");
        let store = extra
            .iter()
            .find(|(k, _)| *k == "NEXUS_STORE")
            .map_or(env.dir().display().to_string(), |_| "postgres://".into());
        assert!(line.contains(&store), "{line}");
        served
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// What the server has written to stderr so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGTERM, then the exit status (bounded).
    /// Kill the server (SIGKILL) and reap it.
    pub fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub fn stop(mut self) -> std::process::ExitStatus {
        self.terminate(Duration::from_secs(15))
            .expect("serve did not stop on SIGTERM")
    }

    /// SIGTERM, and its exit status if it ends `within`.
    fn terminate(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + within;
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return Some(s);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Served {
    /// SIGTERM first, so the server ends as in production (and writes its
    /// coverage profile); SIGKILL if it has not within a few seconds.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.terminate(Duration::from_secs(5));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("nexus serve said:\n{}", self.stderr());
        }
    }
}

pub fn client() -> reqwest::blocking::Client {
    nexus::http::client(Duration::from_secs(30))
}

/// A write token for the env's directory.
pub fn token(env: &Env, scope: &str) -> String {
    env.ok(&["serve", "token", "create", "--scope", scope])
        .trim()
        .to_string()
}

fn post(s: &Served, path: &str, token: &str, body: Value) -> (u16, Value) {
    let r = client()
        .post(s.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .unwrap();
    (r.status().as_u16(), r.json().unwrap_or(Value::Null))
}

fn get(s: &Served, path: &str) -> (u16, Value) {
    let r = client().get(s.url(path)).send().unwrap();
    (r.status().as_u16(), r.json().unwrap_or(Value::Null))
}

#[test]
fn claim_progress_complete_over_http_gives_the_cli_files_and_objects() {
    let env = Env::new();
    let w = token(&env, "write");
    let s = Served::start(&env);
    let (code, claimed) = post(
        &s,
        "/api/v1/work/claim",
        &w,
        json!({"work_type": "bug_fix", "description": "over http", "priority": "high", "team": "web_team", "agent_id": "agent_http"}),
    );
    assert_eq!(code, 201, "{claimed}");
    let id = claimed["work_item_id"].as_str().unwrap().to_string();
    let cli: Value = serde_json::from_str(&env.ok(&["--json", "show", &id])).unwrap();
    assert_eq!(claimed["claim"], cli["claim"]);
    for key in [
        "ok",
        "command",
        "work_item_id",
        "agent_id",
        "team",
        "claim",
        "agent",
        "trace_id",
    ] {
        assert!(claimed.get(key).is_some(), "no {key} in {claimed}");
    }
    let r = client()
        .post(s.url(&format!("/api/v1/work/{id}/progress")))
        .bearer_auth(&w)
        .header("X-Agent-Id", "agent_http")
        .json(&json!({"percent": 60}))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let progressed: Value = r.json().unwrap();
    assert_eq!(progressed["progress"], 60);
    let (code, done) = post(
        &s,
        &format!("/api/v1/work/{id}/complete"),
        &w,
        json!({"result": "shipped", "velocity_points": 8, "agent_id": "agent_http"}),
    );
    assert_eq!(code, 200, "{done}");
    assert_eq!(done["velocity_points"], 8);
    let claims = env.json("work_claims.json");
    let item = claims
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["work_item_id"] == id.as_str())
        .unwrap();
    assert_eq!(item["status"], "completed");
    assert_eq!(item["result"], "shipped");
    let log = std::fs::read_to_string(env.path("velocity_log.txt")).unwrap();
    assert!(log.contains("Team web_team +8 velocity points"), "{log}");
    // A CLI process beside the server works on the same state.
    let other = first_work_id(&env.ok(&["claim", "cli", "beside the server"]));
    let (code, shown) = get(&s, &format!("/api/v1/work/{other}"));
    assert_eq!(code, 200);
    assert_eq!(shown["claim"]["description"], "beside the server");
    let (_, page) = get(&s, "/api/v1/work?per_page=1&page=2&q=BESIDE");
    assert_eq!(page["total"], 1, "{page}");
    assert_eq!(page["items"].as_array().unwrap().len(), 0);
    let (_, page) = get(&s, "/api/v1/work?per_page=1&page=1&q=BESIDE");
    assert_eq!(page["items"][0]["work_item_id"], other.as_str());
    assert!(s.stop().success());
}

#[test]
fn bad_input_unknown_ids_leases_and_auth_get_their_statuses_and_change_nothing() {
    let env = Env::new();
    let w = token(&env, "write");
    let r = token(&env, "read");
    let s = Served::start(&env);
    let held = env
        .cmd()
        .env("AGENT_ID", "agent_a")
        .args(["claim", "bug", "held by a", "--lease", "10m"])
        .output()
        .unwrap();
    let id = first_work_id(&String::from_utf8_lossy(&held.stdout));
    let before = std::fs::read(env.path("work_claims.json")).unwrap();

    let (code, e) = post(
        &s,
        &format!("/api/v1/work/{id}/progress"),
        &w,
        json!({"percent": 250}),
    );
    assert_eq!(
        (code, e["kind"].as_str()),
        (400, Some("invalid_input")),
        "{e}"
    );
    let (code, e) = post(&s, "/api/v1/work/work_404/complete", &w, json!({}));
    assert_eq!((code, e["kind"].as_str()), (404, Some("not_found")), "{e}");
    let (code, e) = post(&s, "/api/v1/work/claim", &w, json!({"work_type": "x"}));
    assert_eq!(code, 400, "{e}");
    assert!(e["error"].as_str().unwrap().contains("description"), "{e}");
    let bad = client()
        .post(s.url("/api/v1/work/claim"))
        .bearer_auth(&w)
        .body("{not json")
        .send()
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);

    let (code, e) = post(
        &s,
        "/api/v1/work/claim",
        "",
        json!({"work_type": "x", "description": "y"}),
    );
    assert_eq!(code, 401, "{e}");
    let (code, e) = post(
        &s,
        "/api/v1/work/claim",
        "nxs_wrong",
        json!({"work_type": "x", "description": "y"}),
    );
    assert_eq!(code, 401, "{e}");
    let (code, e) = post(
        &s,
        "/api/v1/work/claim",
        &r,
        json!({"work_type": "x", "description": "y"}),
    );
    assert_eq!((code, e["kind"].as_str()), (403, Some("forbidden")), "{e}");
    let huge = "x".repeat(2 << 20);
    let big = client()
        .post(s.url("/api/v1/work/claim"))
        .bearer_auth(&w)
        .json(&json!({"work_type": "x", "description": huge}))
        .send()
        .unwrap();
    assert_eq!(big.status().as_u16(), 413);
    assert_eq!(std::fs::read(env.path("work_claims.json")).unwrap(), before);

    // Another agent's lease: lease_lost is a conflict.
    let (code, e) = post(
        &s,
        &format!("/api/v1/work/{id}/complete"),
        &w,
        json!({"agent_id": "agent_b"}),
    );
    assert_eq!(code, 409, "{e}");
    assert_eq!(std::fs::read(env.path("work_claims.json")).unwrap(), before);

    // A hostile description comes back as JSON-escaped data.
    let hostile = "<script>alert(1)</script>\u{202e}\"\n";
    let (code, c) = post(
        &s,
        "/api/v1/work/claim",
        &w,
        json!({"work_type": "x", "description": hostile}),
    );
    assert_eq!(code, 201);
    let raw = client()
        .get(s.url(&format!(
            "/api/v1/work/{}",
            c["work_item_id"].as_str().unwrap()
        )))
        .send()
        .unwrap();
    assert!(
        raw.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let text = raw.text().unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["claim"]["description"], hostile);
    assert!(!text.contains('\n'), "{text}");
    assert!(text.contains(r#"\"\n"#), "{text}");
}

#[test]
fn a_server_on_another_address_needs_tokens_and_reads_need_none_on_loopback() {
    let env = Env::new();
    env.ok(&["claim", "x", "y"]);
    let out = env
        .cmd()
        .args(["serve", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid listen '0.0.0.0:0'") && err.contains("token create"),
        "{err}"
    );
    let out = env
        .cmd()
        .args(["serve", "--listen", "nowhere"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));

    let s = Served::start(&env);
    let (code, status) = get(&s, "/api/v1/status");
    assert_eq!(code, 200);
    assert_eq!(status["command"], "status");
    let (code, _) = get(&s, "/healthz");
    assert_eq!(code, 200);
    let (code, ready) = get(&s, "/readyz");
    assert_eq!((code, ready["ok"].as_bool()), (200, Some(true)));
    let claims = std::fs::read(env.path("work_claims.json")).unwrap();
    std::fs::write(env.path("work_claims.json"), "[{broken").unwrap();
    let (code, ready) = get(&s, "/readyz");
    assert_eq!(
        (code, ready["kind"].as_str()),
        (503, Some("corrupt_file")),
        "{ready}"
    );
    let (code, _) = get(&s, "/healthz");
    assert_eq!(code, 200, "up, though not ready");
    std::fs::write(env.path("work_claims.json"), claims).unwrap();
    let (code, e) = get(&s, "/api/v1/nope");
    assert_eq!((code, e["kind"].as_str()), (404, Some("not_found")));
    let metrics = client()
        .get(s.url("/metrics"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(metrics.contains("nexus_http_requests_total{"), "{metrics}");
    assert!(
        metrics.contains("nexus_work_items{status=\"active\""),
        "{metrics}"
    );
    let (code, report) = get(&s, "/api/v1/reports/pi-planning");
    assert_eq!(code, 200);
    assert!(report["text"].as_str().unwrap().contains("PI"), "{report}");
    let (code, e) = get(&s, "/api/v1/reports/nope");
    assert_eq!(code, 400, "{e}");
    let (code, agents) = get(&s, "/api/v1/agents");
    assert_eq!((code, agents["count"].as_u64()), (200, Some(1)));
}

#[test]
fn the_openapi_document_covers_every_route_and_every_route_answers() {
    let env = Env::new();
    let s = Served::start(&env);
    let (code, doc) = get(&s, "/api/v1/openapi.json");
    assert_eq!(code, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let mut n = 0;
    for r in nexus::serve::api::routes() {
        let method = format!("{:?}", r.method).to_lowercase();
        let op = &paths[r.path][&method];
        assert!(op.is_object(), "{} {} missing", method, r.path);
        n += 1;
        let url = s.url(
            &r.path
                .replace("{id}", "work_1")
                .replace("{other}", "work_2")
                .replace("{name}", "dashboard"),
        );
        let resp = match r.method {
            nexus::serve::api::Method::Get => client().get(url),
            nexus::serve::api::Method::Post => client().post(url),
            nexus::serve::api::Method::Delete => client().delete(url),
        }
        .send()
        .unwrap();
        let status = resp.status().as_u16();
        let body: Value = resp.json().unwrap_or(Value::Null);
        assert_ne!(status, 405, "{} {}", method, r.path);
        assert!(
            !body["error"]
                .as_str()
                .unwrap_or("")
                .starts_with("no such route"),
            "{} {} is not routed",
            method,
            r.path
        );
    }
    let ops: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(ops, n, "the document has operations the server does not");
    let claim = &paths["/api/v1/work/claim"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    assert_eq!(claim["required"], json!(["work_type", "description"]));
}

/// Reads SSE events (id, data) from a streaming response until `n` arrive.
fn read_events(resp: reqwest::blocking::Response, n: usize) -> Vec<(u64, Value)> {
    let mut reader = BufReader::new(resp);
    let mut out = Vec::new();
    let (mut id, mut data) = (None, None);
    let mut line = String::new();
    while out.len() < n {
        line.clear();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        let l = line.trim_end();
        if let Some(v) = l.strip_prefix("id:") {
            id = v.trim().parse().ok();
        } else if let Some(v) = l.strip_prefix("data:") {
            data = serde_json::from_str(v.trim()).ok();
        } else if l.is_empty()
            && let (Some(i), Some(d)) = (id.take(), data.take())
        {
            out.push((i, d));
        }
    }
    out
}

#[test]
fn the_event_stream_carries_cli_and_http_changes_in_order_and_resumes_without_gap() {
    let env = Env::new();
    let w = token(&env, "write");
    env.ok(&["claim", "first", "before the server"]);
    let s = Served::start(&env);
    let stream = client()
        .get(s.url("/api/v1/events?since=0"))
        .timeout(Duration::from_secs(30))
        .send()
        .unwrap();
    assert!(
        stream.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    // Each claim is two events (claimed, and the agent registered).
    let id = first_work_id(&env.ok(&["claim", "cli", "by the cli"]));
    post(
        &s,
        &format!("/api/v1/work/{id}/progress"),
        &w,
        json!({"percent": 10}),
    );
    let events = read_events(stream, 5);
    let seqs: Vec<u64> = events.iter().map(|e| e.0).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5], "{events:?}");
    assert_eq!(events[2].1["id"], id.as_str());
    assert_eq!(events[4].1["event"], "progressed", "{:?}", events[4].1);
    assert!(events.iter().all(|(i, d)| d["seq"] == *i));

    // Resume after 4: exactly 5 and what came after.
    env.ok(&["claim", "more", "after the first reader"]);
    let resumed = client()
        .get(s.url("/api/v1/events"))
        .header("Last-Event-ID", "4")
        .timeout(Duration::from_secs(30))
        .send()
        .unwrap();
    let again: Vec<u64> = read_events(resumed, 3).iter().map(|e| e.0).collect();
    assert_eq!(again, [5, 6, 7]);
}

#[test]
fn twenty_subscribers_see_every_event_of_twenty_writers() {
    let env = Env::new();
    let w = token(&env, "write");
    let s = Served::start(&env);
    let (writers, each) = (20, 5);
    let subscribers: Vec<_> = (0..20)
        .map(|_| {
            let resp = client()
                .get(s.url("/api/v1/events?since=0"))
                .timeout(Duration::from_secs(120))
                .send()
                .unwrap();
            std::thread::spawn(move || read_events(resp, 2 * writers * each))
        })
        .collect();
    let url = s.url("/api/v1/work/claim");
    let handles: Vec<_> = (0..writers)
        .map(|i| {
            let (url, w) = (url.clone(), w.clone());
            std::thread::spawn(move || {
                for j in 0..each {
                    let r = client()
                        .post(&url)
                        .bearer_auth(&w)
                        .json(&json!({"work_type": "load", "description": format!("{i}-{j}"), "agent_id": format!("agent_{i}")}))
                        .send()
                        .unwrap();
                    assert_eq!(r.status().as_u16(), 201);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    // Each claim by a new agent is two events.
    let want: Vec<u64> = (1..=(2 * writers * each) as u64).collect();
    for sub in subscribers {
        let got: Vec<u64> = sub.join().unwrap().iter().map(|e| e.0).collect();
        assert_eq!(got, want);
    }
    let claims = env.json("work_claims.json");
    assert_eq!(claims.as_array().unwrap().len(), writers * each);
}

/// 8 clients each claiming up to `each` items (the body of client `i`'s
/// `j`th claim: `body(i, j)`) until `s` is killed (SIGKILL) after `wait`;
/// the ids acknowledged.
pub fn claims_until_killed(
    s: &mut Served,
    w: &str,
    each: usize,
    wait: Duration,
    body: fn(usize, usize) -> Value,
) -> Vec<String> {
    let url = s.url("/api/v1/work/claim");
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let (url, w) = (url.clone(), w.to_string());
            std::thread::spawn(move || {
                let c = client();
                let mut acked = Vec::new();
                for j in 0..each {
                    let Ok(r) = c.post(&url).bearer_auth(&w).json(&body(i, j)).send() else {
                        break;
                    };
                    if r.status().as_u16() != 201 {
                        break;
                    }
                    let Ok(v) = r.json::<Value>() else { break };
                    acked.push(v["work_item_id"].as_str().unwrap().to_string());
                }
                acked
            })
        })
        .collect();
    std::thread::sleep(wait);
    s.kill();
    handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect()
}

#[test]
fn sigkill_during_a_load_run_keeps_every_acknowledged_claim() {
    let env = Env::new();
    let w = token(&env, "write");
    let mut s = Served::start(&env);
    let acked = claims_until_killed(
        &mut s,
        &w,
        200,
        Duration::from_millis(700),
        |i, j| json!({"work_type": "load", "description": format!("{i}-{j}")}),
    );
    assert!(!acked.is_empty());
    // The next command replays any journalled step; every acknowledged claim is there.
    env.ok(&["status"]);
    let claims = env.json("work_claims.json");
    let stored: std::collections::HashSet<&str> = claims
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["work_item_id"].as_str())
        .collect();
    for id in &acked {
        assert!(stored.contains(id.as_str()), "{id} acknowledged but lost");
    }
    let doctor = env.cmd().arg("doctor").output().unwrap();
    assert!(
        doctor.status.success(),
        "{}",
        String::from_utf8_lossy(&doctor.stdout)
    );
}

#[test]
fn sigterm_stops_the_server_and_its_streams() {
    let env = Env::new();
    let s = Served::start(&env);
    let stream = client()
        .get(s.url("/api/v1/events"))
        .timeout(Duration::from_secs(30))
        .send()
        .unwrap();
    let started = Instant::now();
    let status = s.stop();
    assert!(status.success(), "{status:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let mut rest = String::new();
    let _ = BufReader::new(stream).read_to_string(&mut rest);
}

#[tokio::test(flavor = "multi_thread")]
async fn mcp_over_http_serves_the_same_tools_behind_the_same_tokens() {
    use rmcp::ServiceExt;
    use rmcp::model::CallToolRequestParams;
    use rmcp::transport::StreamableHttpClientTransport;
    use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
    let env = Env::new();
    let w = token(&env, "write");
    let r = token(&env, "read");
    let served = Served::start(&env);
    let uri = served.url("/mcp");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let connect = |token: Option<String>| {
        let mut cfg = StreamableHttpClientTransportConfig::with_uri(uri.clone());
        if let Some(t) = token {
            cfg = cfg.auth_header(t);
        }
        ().serve(StreamableHttpClientTransport::from_config(cfg))
    };
    let writer = connect(Some(w)).await.unwrap();
    let tools = writer.list_tools(None).await.unwrap();
    assert_eq!(tools.tools.len(), nexus::commands::TABLE.len());
    let args = json!({"work_type": "mcp", "description": "over http", "agent_id": "agent_mcp"});
    let done = writer
        .call_tool(
            CallToolRequestParams::new("claim").with_arguments(args.as_object().unwrap().clone()),
        )
        .await
        .unwrap();
    assert_eq!(done.is_error, Some(false), "{done:?}");
    let id = done.structured_content.unwrap()["work_item_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        std::fs::read_to_string(env.path("work_claims.json"))
            .unwrap()
            .contains(&id)
    );
    writer.cancel().await.unwrap();

    // A read token lists and reads, but cannot change state.
    let reader = connect(Some(r)).await.unwrap();
    let shown = reader
        .call_tool(
            CallToolRequestParams::new("show")
                .with_arguments(json!({"work_id": id}).as_object().unwrap().clone()),
        )
        .await
        .unwrap();
    assert_eq!(shown.is_error, Some(false));
    let refused = reader
        .call_tool(
            CallToolRequestParams::new("claim").with_arguments(args.as_object().unwrap().clone()),
        )
        .await
        .unwrap();
    assert_eq!(refused.is_error, Some(true));
    reader.cancel().await.unwrap();

    // No token on loopback: reads only; a wrong token: refused outright.
    let anonymous = connect(None).await.unwrap();
    let refused = anonymous
        .call_tool(
            CallToolRequestParams::new("claim").with_arguments(args.as_object().unwrap().clone()),
        )
        .await
        .unwrap();
    assert_eq!(refused.is_error, Some(true));
    anonymous.cancel().await.unwrap();
    assert!(connect(Some("nxs_wrong".into())).await.is_err());
    drop(served);
}

/// The same API and event stream over the PostgreSQL store, beside a CLI
/// process on the same database.
#[test]
fn pg_serve_answers_over_postgres_and_streams_its_events() {
    let Some(server) = crate::pg_server::PgServer::shared() else {
        return;
    };
    let url = server.new_db();
    let env = Env::new();
    let w = token(&env, "write");
    let s = Served::start_with(&env, &[("NEXUS_STORE", url.as_str())]);
    let stream = client()
        .get(s.url("/api/v1/events?since=0"))
        .timeout(Duration::from_secs(30))
        .send()
        .unwrap();
    let (code, claimed) = post(
        &s,
        "/api/v1/work/claim",
        &w,
        json!({"work_type": "pg", "description": "over http on postgres", "agent_id": "agent_pg"}),
    );
    assert_eq!(code, 201, "{claimed}");
    let id = claimed["work_item_id"].as_str().unwrap().to_string();
    let cli = env
        .cmd()
        .env("NEXUS_STORE", &url)
        .args(["--json", "show", &id])
        .output()
        .unwrap();
    let shown: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(shown["claim"], claimed["claim"]);
    let by_cli = first_work_id(&String::from_utf8_lossy(
        &env.cmd()
            .env("NEXUS_STORE", &url)
            .args(["claim", "pg", "by the cli"])
            .output()
            .unwrap()
            .stdout,
    ));
    let events = read_events(stream, 4);
    let ids: Vec<&str> = events.iter().filter_map(|e| e.1["id"].as_str()).collect();
    assert_eq!(events.iter().map(|e| e.0).collect::<Vec<_>>(), [1, 2, 3, 4]);
    assert!(
        ids.contains(&id.as_str()) && ids.contains(&by_cli.as_str()),
        "{ids:?}"
    );
    let (code, ready) = get(&s, "/readyz");
    assert_eq!((code, ready["ok"].as_bool()), (200, Some(true)));
    assert!(
        !env.dir().join("work_claims.json").exists(),
        "the server wrote no files"
    );
    // Its warm connections close cleanly when it stops.
    let log = s.log.clone();
    assert!(s.stop().success());
    let said = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(!said.contains("panicked"), "{said}");
}

#[test]
fn tls_serves_https_with_the_given_certificate_and_refuses_a_bad_key_unprinted() {
    let env = Env::empty();
    let (cert, key) = (
        env.tmp.path().join("cert.pem"),
        env.tmp.path().join("key.pem"),
    );
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args(["-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"])
        .args(["-addext", "subjectAltName=IP:127.0.0.1"])
        .args(["-addext", "basicConstraints=critical,CA:FALSE", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output();
    if !made.as_ref().is_ok_and(|o| o.status.success()) {
        assert!(std::env::var_os("CI").is_none(), "openssl is needed in CI");
        println!("SKIPPED: openssl is not installed");
        return;
    }
    let read = token(&env, "read");
    let s = Served::spawn(
        &env,
        &[],
        &[
            "--tls-cert".as_ref(),
            cert.as_os_str(),
            "--tls-key".as_ref(),
            key.as_os_str(),
        ],
    );
    assert!(s.base.starts_with("https://127.0.0.1:"), "{}", s.base);
    let pem = std::fs::read(&cert).unwrap();
    let tls = nexus::http::builder(Duration::from_secs(10))
        .tls_certs_only([reqwest::Certificate::from_pem(&pem).unwrap()])
        .build()
        .unwrap();
    let r = tls.get(s.url("/healthz")).send().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    // Signed in over HTTPS, the browser's cookie is Secure.
    let no_redirect = nexus::http::builder(Duration::from_secs(10))
        .tls_certs_only([reqwest::Certificate::from_pem(&pem).unwrap()])
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let signed = no_redirect
        .post(s.url("/login"))
        .header("Origin", s.base.clone())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("token={read}"))
        .send()
        .unwrap();
    let cookie = signed.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.ends_with("; Secure"),
        "{cookie}"
    );
    let plain = client()
        .get(s.url("/healthz").replacen("https://", "http://", 1))
        .send();
    assert!(plain.is_err() || plain.unwrap().status().as_u16() != 200);
    assert!(s.stop().success());

    // A key file that is not a key: named, refused, its contents never shown.
    std::fs::write(&key, "not-a-key SECRET-MATERIAL\n").unwrap();
    let out = env
        .cmd()
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid tls-key") && !err.contains("SECRET"),
        "{err}"
    );
}

#[test]
fn priority_changes_over_http_as_on_the_command_line() {
    let env = Env::new();
    let w = token(&env, "write");
    let id = first_work_id(&env.ok(&["add", "chore", "reorder me", "low"]));
    let s = Served::start(&env);
    let path = format!("/api/v1/work/{id}/priority");
    let (code, v) = post(&s, &path, &w, json!({"priority": "critical"}));
    assert_eq!(code, 200, "{v}");
    assert_eq!(
        (v["priority"].as_str(), v["previous"].as_str()),
        (Some("critical"), Some("low"))
    );
    let shown: Value = serde_json::from_str(&env.ok(&["--json", "show", &id])).unwrap();
    assert_eq!(shown["claim"]["priority"], "critical");
    let before = env.files();
    let (code, v) = post(&s, &path, &w, json!({"priority": "urgent"}));
    assert_eq!(code, 400, "{v}");
    assert_eq!(v["kind"], "invalid_input", "{v}");
    assert_eq!(env.files(), before);
}

#[test]
fn each_request_is_its_own_trace_whatever_the_servers_trace_variables_say() {
    let env = Env::new();
    let w = token(&env, "write");
    let pinned = "0af7651916cd43dd8448eb211c80319c";
    let s = Served::start_with(&env, &[("FORCE_TRACE_ID", pinned), ("TRACEPARENT", "")]);
    let body = json!({"work_type": "bug", "description": "traced"});
    let (_, a) = post(&s, "/api/v1/work/claim", &w, body.clone());
    let (_, b) = post(&s, "/api/v1/work/claim", &w, body.clone());
    let (a, b) = (
        a["trace_id"].as_str().unwrap(),
        b["trace_id"].as_str().unwrap(),
    );
    assert_ne!(
        a, pinned,
        "a request without traceparent starts a new trace"
    );
    assert_ne!(a, b, "two requests, two traces");
    let r = client()
        .post(s.url("/api/v1/work/claim"))
        .bearer_auth(&w)
        .header(
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        )
        .json(&body)
        .send()
        .unwrap();
    let v: Value = r.json().unwrap();
    assert_eq!(v["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736", "{v}");
}
