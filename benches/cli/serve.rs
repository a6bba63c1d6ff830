//! `nexus serve` beside the CLI and `/bin/true`, in one run: a claim over a
//! keep-alive HTTP connection at 10,000 records, 100 concurrent clients x 100
//! claims, 100 event subscribers (each must get every event in order; the
//! time from a claim's answer to its event reaching a subscriber), and the
//! CPU an idle server with 10 subscribers uses.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{build_dataset, median, nexus, run_once};

/// A running `nexus serve` on a free port, stopped when dropped.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path) -> (Server, String) {
    start_on(dir, None)
}

/// [`start`] with the state in PostgreSQL at `store` when given.
fn start_on(dir: &Path, store: Option<&str>) -> (Server, String) {
    let token = String::from_utf8(
        Command::new(nexus())
            .args(["serve", "token", "create", "--scope", "write"])
            .env("COORDINATION_DIR", dir)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_string();
    (spawn_on(dir, store), token)
}

/// `nexus serve` on `dir`, once it says where it listens.
pub fn spawn(dir: &Path) -> Server {
    spawn_on(dir, None)
}

/// [`spawn`] with the state in PostgreSQL at `store` when given.
pub fn spawn_on(dir: &Path, store: Option<&str>) -> Server {
    let mut c = Command::new(nexus());
    if let Some(url) = store {
        c.env("NEXUS_STORE", url);
    }
    let mut child = c
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("COORDINATION_DIR", dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("the address")
        .to_string();
    Server { child, base }
}

/// An HTTP client with a bound on every request.
pub fn client() -> reqwest::blocking::Client {
    nexus::http::client(Duration::from_secs(60))
}

fn claim(c: &reqwest::blocking::Client, s: &Server, token: &str, agent: &str) -> Option<String> {
    let r = c
        .post(format!("{}/api/v1/work/claim", s.base))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(claim_body(agent))
        .send()
        .ok()?;
    if r.status().as_u16() != 201 {
        return None;
    }
    r.json::<Value>().ok()?["work_item_id"]
        .as_str()
        .map(str::to_string)
}

/// The CPU time (user and system) process `pid` has used, in seconds.
fn cpu_secs(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    let ticks = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    ticks / unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64
}

/// A runtime on the calling thread, for async clients.
fn current_thread() -> tokio::runtime::Runtime {
    let _ = rustls::crypto::ring::default_provider().install_default();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The JSON of a claim by `agent`, made once for many requests.
fn claim_body(agent: &str) -> Vec<u8> {
    let body = json!({"work_type": "bench", "description": "http claim", "agent_id": agent});
    serde_json::to_vec(&body).unwrap()
}

/// [`claim`] from an async client; `body` is the request's JSON, made once
/// by the caller ([`claim_body`]). Of the answer only the id is decoded: the clients share
/// the server's two cores, and what they spend is not the server's speed.
async fn claim_async(c: &reqwest::Client, url: &str, token: &str, body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Claimed {
        work_item_id: String,
    }
    let r = c
        .post(url)
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_vec())
        .send()
        .await
        .ok()?;
    if r.status().as_u16() != 201 {
        return None;
    }
    let bytes = r.bytes().await.ok()?;
    serde_json::from_slice::<Claimed>(&bytes)
        .ok()
        .map(|c| c.work_item_id)
}

/// Claims timed one after another on one keep-alive connection.
const CLAIMS: usize = 200;

/// Print the section; `cli_claim_ms` is the CLI's median at 10,000 records.
pub fn run(tmp: &Path, runs: usize, cli_claim_ms: Option<f64>) {
    println!("\n6. nexus serve, file store (one run; medians of {runs} unless said)");
    let dir = tmp.join("serve-10000");
    build_dataset(&dir, 10_000);
    let floor = median(
        (0..runs)
            .map(|_| run_once("/bin/true", &[], &dir).0)
            .collect(),
    );
    let cli = cli_claim_ms.unwrap_or_else(|| {
        median(
            (0..runs)
                .map(|_| run_once(nexus(), &["claim", "bench", "cli claim"], &dir).0)
                .collect(),
        )
    });
    let (s, token) = start(&dir);
    // An async client on this thread: reqwest's blocking client hands every
    // request to a runtime thread of its own and back, which is the client's
    // cost, not the server's.
    let rt = current_thread();
    let times: Vec<f64> = rt.block_on(async {
        let c = reqwest::Client::new();
        let url = format!("{}/api/v1/work/claim", s.base);
        let (warm, body) = (claim_body("agent_warm"), claim_body("agent_bench"));
        for _ in 0..3 {
            claim_async(&c, &url, &token, &warm).await;
        }
        let mut times = Vec::new();
        for _ in 0..CLAIMS {
            let t = Instant::now();
            assert!(claim_async(&c, &url, &token, &body).await.is_some());
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times
    });
    let http = median(times);
    println!(
        "claim at 10,000 records: HTTP {http:.2} ms (median of {CLAIMS} on one connection; target <= 1 ms {}), CLI {cli:.2} ms, /bin/true {floor:.2} ms",
        if http <= 1.0 { "✅" } else { "❌" }
    );
    drop(s);
    load(tmp);
    subscribers(tmp);
    idle(tmp);
}

/// 100 clients x 100 claims at once; every acknowledged claim must be stored.
fn load(tmp: &Path) {
    let dir = tmp.join("serve-load");
    std::fs::create_dir_all(&dir).unwrap();
    let stored = |dir: &Path| -> std::collections::HashSet<String> {
        let claims: Value =
            serde_json::from_slice(&std::fs::read(dir.join("work_claims.json")).unwrap()).unwrap();
        claims
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["work_item_id"].as_str().map(str::to_string))
            .collect()
    };
    load_on(&dir, None, "file store", 2.0, &|| stored(&dir));
}

/// The same load with the state in PostgreSQL at `url` (`stored` asks it
/// which claims it holds).
pub fn load_pg(tmp: &Path, url: &str, stored: &dyn Fn() -> std::collections::HashSet<String>) {
    let dir = tmp.join("serve-load-pg");
    std::fs::create_dir_all(&dir).unwrap();
    load_on(&dir, Some(url), "PostgreSQL", 5.0, stored);
}

fn load_on(
    dir: &Path,
    store: Option<&str>,
    what: &str,
    target: f64,
    stored: &dyn Fn() -> std::collections::HashSet<String>,
) {
    let (s, token) = start_on(dir, store);
    let (clients, each) = (100, 100);
    // Each client is its own keep-alive connection, all driven by one
    // thread: the clients cost the machine little beside the server.
    let rt = current_thread();
    let (start, cpu0) = (Instant::now(), cpu_secs(s.child.id()));
    let answers: Vec<Option<String>> = rt.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for i in 0..clients {
            let (url, token) = (format!("{}/api/v1/work/claim", s.base), token.clone());
            set.spawn(async move {
                let c = reqwest::Client::builder()
                    .timeout(Duration::from_secs(60))
                    .build()
                    .unwrap();
                let body = claim_body(&format!("agent_http_{i}"));
                let mut got = Vec::with_capacity(each);
                for _ in 0..each {
                    got.push(claim_async(&c, &url, &token, &body).await);
                }
                got
            });
        }
        set.join_all().await.into_iter().flatten().collect()
    });
    let secs = start.elapsed().as_secs_f64();
    let server_cpu = cpu_secs(s.child.id()) - cpu0;
    let acked: Vec<&String> = answers.iter().flatten().collect();
    let stored = stored();
    let lost = acked
        .iter()
        .filter(|id| !stored.contains(id.as_str()))
        .count();
    println!(
        "load ({what}): {clients} HTTP clients x {each} claims in {secs:.2} s (target <= {target} s {}, {:.0} claims/s): {} acknowledged, {} refused, {} stored, {lost} lost; nexus serve used {server_cpu:.2} s of CPU",
        if secs <= target { "✅" } else { "❌" },
        (clients * each) as f64 / secs,
        acked.len(),
        answers.len() - acked.len(),
        stored.len()
    );
}

/// 100 subscribers; 300 claims; each subscriber must see every event in
/// order; the delay from a claim's answer to its event at a subscriber.
fn subscribers(tmp: &Path) {
    let dir = tmp.join("serve-sse");
    std::fs::create_dir_all(&dir).unwrap();
    let (s, token) = start(&dir);
    let claims = 300;
    let answered: Arc<Mutex<std::collections::HashMap<String, Instant>>> = Arc::default();
    let subs: Vec<_> = (0..100)
        .map(|_| {
            let resp = client()
                .get(format!("{}/api/v1/events?since=0", s.base))
                .send()
                .unwrap();
            let answered = Arc::clone(&answered);
            std::thread::spawn(move || {
                let mut seqs = Vec::new();
                let mut delays = Vec::new();
                let mut reader = BufReader::new(resp);
                let mut line = String::new();
                while seqs.len() < 2 * claims {
                    line.clear();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        break;
                    }
                    let Some(data) = line.trim_end().strip_prefix("data:") else {
                        continue;
                    };
                    let e: Value = serde_json::from_str(data.trim()).unwrap();
                    let now = Instant::now();
                    seqs.push(e["seq"].as_u64().unwrap());
                    if e["event"] == "claimed" {
                        // The claim's answer may arrive after its event: wait for it.
                        let id = e["id"].as_str().unwrap().to_string();
                        let deadline = now + Duration::from_secs(5);
                        loop {
                            if let Some(t) = answered.lock().unwrap().get(&id) {
                                delays
                                    .push(now.saturating_duration_since(*t).as_secs_f64() * 1000.0);
                                break;
                            }
                            if Instant::now() > deadline {
                                break;
                            }
                            std::thread::sleep(Duration::from_micros(200));
                        }
                    }
                }
                (seqs, delays)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let c = client();
    for i in 0..claims {
        if let Some(id) = claim(&c, &s, &token, &format!("agent_sse_{i}")) {
            answered.lock().unwrap().insert(id, Instant::now());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let want: Vec<u64> = (1..=2 * claims as u64).collect();
    let mut complete = 0;
    let mut delays = Vec::new();
    for h in subs {
        let (seqs, d) = h.join().unwrap();
        complete += usize::from(seqs == want);
        delays.extend(d);
    }
    delays.sort_by(f64::total_cmp);
    let p99 = delays
        .get(delays.len() * 99 / 100)
        .copied()
        .unwrap_or(f64::NAN);
    println!(
        "events: 100 subscribers, {} events: {complete}/100 got every one in order; claim answer to delivery p99 {p99:.1} ms (target <= 50 ms {})",
        want.len(),
        if p99 <= 50.0 && complete == 100 {
            "✅"
        } else {
            "❌"
        }
    );
}

/// CPU of an idle server with 10 subscribers over 10 s.
fn idle(tmp: &Path) {
    let dir = tmp.join("serve-idle");
    std::fs::create_dir_all(&dir).unwrap();
    let (s, _) = start(&dir);
    let _subs: Vec<_> = (0..10)
        .map(|_| {
            client()
                .get(format!("{}/api/v1/events", s.base))
                .send()
                .unwrap()
        })
        .collect();
    std::thread::sleep(Duration::from_secs(1));
    let (t0, c0) = (Instant::now(), cpu_secs(s.child.id()));
    std::thread::sleep(Duration::from_secs(10));
    let cpu = (cpu_secs(s.child.id()) - c0) / t0.elapsed().as_secs_f64() * 100.0;
    println!(
        "idle: 10 subscribers connected, {cpu:.2} % of a core over 10 s (target < 1 % {})",
        if cpu < 1.0 { "✅" } else { "❌" }
    );
}
