//! `--pg URL`: the same operations against the PostgreSQL store, printed
//! beside the file store's figures of the same run: straight to the server,
//! and through a pooler (PgBouncer in transaction mode, started by the
//! benchmark on 127.0.0.1 when `/usr/sbin/pgbouncer` exists), the recipe for
//! many short processes. URL names a
//! database on 127.0.0.1 the benchmark may create others next to
//! (`nexus_bench_*`, dropped first); `--pg auto` starts a throwaway server
//! (Debian's binaries, commits durable: `fsync` on) for the run.

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use super::{build_dataset, median, nexus};

#[allow(dead_code)]
#[path = "../../tests/cli/pg_pooler.rs"]
mod pg_pooler;
#[allow(dead_code)]
#[path = "../../tests/cli/pg_server.rs"]
mod pg_server;

/// The user and port of a URL `postgres://user[:pw]@host:port/db`.
fn user_and_port(url: &str) -> (String, u16) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (who, at) = rest.split_once('@').unwrap_or(("postgres", rest));
    let user = who.split(':').next().unwrap_or("postgres").to_string();
    let host = at.split('/').next().unwrap_or(at);
    let port = host.rsplit_once(':').and_then(|(_, p)| p.parse().ok());
    (user, port.unwrap_or(5432))
}

/// A fresh database holding the dataset of `dir`; returns its URL.
fn database(admin: &str, name: &str, dir: Option<&Path>) -> String {
    let mut c = postgres::Client::connect(admin, postgres::NoTls).expect("--pg: cannot connect");
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
    let url = format!("{base}/{name}");
    let mut init = Command::new(nexus());
    init.env("NEXUS_STORE", &url).stdout(Stdio::null());
    match dir {
        Some(d) => init.args(["store", "import", "--from"]).arg(d),
        None => init.args(["store", "init"]),
    };
    assert!(init.status().unwrap().success(), "cannot set up {name}");
    url
}

fn time_once(url: &str, args: &[&str]) -> f64 {
    let start = Instant::now();
    let status = Command::new(nexus())
        .args(args)
        .env("NEXUS_STORE", url)
        .env("AGENT_ID", "agent_bench")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    assert!(status.success(), "nexus {args:?} failed on PostgreSQL");
    ms
}

/// Print the PostgreSQL medians beside the file store's (`files`: op,
/// records, ms): straight and through a pooler, then the load runs.
pub fn run(arg: &str, tmp: &Path, runs: usize, files: &[(&str, usize, f64)], load: bool) {
    let server = match arg {
        "auto" => match pg_server::PgServer::start_durable() {
            Some(s) => Some(s),
            None => return,
        },
        _ => None,
    };
    let admin = server
        .as_ref()
        .map_or(arg.to_string(), |s| s.url("postgres"));
    let (user, port) = user_and_port(&admin);
    let pooler = pg_pooler::Pooler::start(port, &user);
    let pooled = |url: &str| pooler.as_ref().map(|p| p.url(url));
    println!(
        "\n5. PostgreSQL store ({}), durable commits:",
        nexus::redact::redact_url(&admin)
    );
    println!(
        "{:<10} {:>7} {:>10} {:>10} {:>10}  target",
        "op", "records", "files", "straight", "pooled"
    );
    for (op, n, t_files) in files {
        let dir = tmp.join(format!("pg-{n}-{op}"));
        let ids = build_dataset(&dir, *n);
        let url = database(&admin, &format!("nexus_bench_{n}_{op}"), Some(&dir));
        let column = |url: &str, from: usize| {
            let mut times = Vec::new();
            for i in 0..=runs {
                let id = &ids[1 + (from + i) % (ids.len() - 1)];
                let args: Vec<&str> = match *op {
                    "claim" => vec!["claim", "bench", "benchmark claim", "medium", "bench_team"],
                    "progress" => vec!["progress", id, "50"],
                    _ => vec!["complete", id, "success", "3"],
                };
                let ms = time_once(url, &args);
                if i > 0 {
                    times.push(ms);
                }
            }
            median(times)
        };
        let straight = column(&url, 0);
        let through = pooled(&url).map(|u| column(&u, runs + 1));
        let through = through.map_or("-".to_string(), |t| format!("{t:.2}"));
        let target = if *op == "claim" { "<= 5 ms" } else { "" };
        println!("{op:<10} {n:>7} {t_files:>10.2} {straight:>10.2} {through:>10}  {target}");
    }
    // As many items as the file figures' largest claims file (100,000
    // unless --quick), or 100,000 when there are none (--pg-only).
    let items = files.iter().map(|f| f.1).max().unwrap_or(100_000);
    web_after_changes(&admin, tmp, items, runs);
    if load {
        load_run(&admin, tmp, "straight to the server", |u| u.to_string());
        if pooler.is_some() {
            load_run(&admin, tmp, "through the pooler", |u| pooled(u).unwrap());
        }
        // The same 10,000 claims through one nexus serve, with its warm
        // connections, from 100 HTTP clients.
        let url = database(&admin, "nexus_bench_load_serve", None);
        let stored = || {
            let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            c.query("SELECT work_item_id FROM nexus_claims", &[])
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect()
        };
        super::serve::load_pg(tmp, &url, &stored);
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let txs: i64 = c
            .query_one(
                "SELECT count(DISTINCT xmin::text)::bigint FROM nexus_events",
                &[],
            )
            .unwrap()
            .get(0);
        println!("  (the server's steps were committed in {txs} transactions)");
    }
}

/// 100 processes x 100 claims into one database, reached at `via(url)`.
fn load_run(admin: &str, tmp: &Path, how: &str, via: impl Fn(&str) -> String) {
    let (procs, each) = (100, 100);
    let tag: String = how
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(12)
        .collect();
    let url = database(admin, &format!("nexus_bench_load_{tag}"), None);
    let dir = tmp.join(format!("pg-load-{tag}"));
    std::fs::create_dir_all(&dir).unwrap();
    let nexus = nexus();
    let script = format!(
        "i=0; while [ $i -lt {each} ]; do '{nexus}' claim load \"item $i\" >> \"$OUT\" || echo FAILED >> \"$OUT\"; i=$((i+1)); done"
    );
    let start = Instant::now();
    let children: Vec<_> = (0..procs)
        .map(|p| {
            Command::new("sh")
                .arg("-c")
                .arg(&script)
                .env("NEXUS_STORE", via(&url))
                .env("AGENT_ID", format!("agent_load_{p}"))
                .env("NEXUS_LOCK_TIMEOUT_MS", "30000")
                .env("OUT", dir.join(format!("out-{p}.txt")))
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        c.wait().unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    let mut printed = HashSet::new();
    let mut failed = 0;
    for p in 0..procs {
        let out = std::fs::read_to_string(dir.join(format!("out-{p}.txt"))).unwrap_or_default();
        failed += out.lines().filter(|l| *l == "FAILED").count();
        for l in out.lines() {
            if let Some(rest) = l.strip_prefix("✅ SUCCESS: Claimed work item ") {
                printed.insert(rest.split_whitespace().next().unwrap().to_string());
            }
        }
    }
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let stored: HashSet<String> = c
        .query("SELECT work_item_id FROM nexus_claims", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let lost = printed.iter().filter(|id| !stored.contains(*id)).count();
    println!(
        "load {how}: {procs} processes x {each} claims (one AGENT_ID each) in {secs:.1} s (target <= 20 s, {:.0} claims/s): {} succeeded, {failed} refused, {} stored, {lost} lost",
        (procs * each) as f64 / secs,
        printed.len(),
        stored.len()
    );
}

/// `nexus serve`'s Work page on a database of `n` items, quiet and just
/// after each of `runs` CLI claims (the server catches up with the claim's
/// events before it answers).
fn web_after_changes(admin: &str, tmp: &Path, n: usize, runs: usize) {
    let dir = tmp.join("pg-web");
    build_dataset(&dir, n);
    let url = database(admin, "nexus_bench_web", Some(&dir));
    let server = super::serve::spawn_on(&dir, Some(&url));
    let http = super::serve::client();
    let get = || {
        let start = Instant::now();
        let page = http.get(format!("{}/work", server.base)).send().unwrap();
        assert!(page.status().is_success(), "GET /work: {}", page.status());
        page.bytes().unwrap();
        start.elapsed().as_secs_f64() * 1000.0
    };
    get();
    let quiet = median((0..runs).map(|_| get()).collect());
    let after: Vec<f64> = (0..runs)
        .map(|i| {
            time_once(
                &url,
                &["claim", "bench", &format!("web {i}"), "low", "bench_team"],
            );
            get()
        })
        .collect();
    let metrics = (http.get(format!("{}/metrics", server.base)).send())
        .unwrap()
        .text()
        .unwrap();
    let reads = metrics
        .lines()
        .find_map(|l| l.strip_prefix("nexus_state_reads_total "))
        .unwrap_or("?")
        .trim()
        .to_string();
    let max = after.iter().copied().fold(0.0, f64::max);
    println!(
        "serve's Work page at {n} items: {quiet:.1} ms quiet, {:.1} ms median ({max:.1} max) \
         just after each of {runs} CLI claims; state read whole {reads} time(s)",
        median(after)
    );
}
