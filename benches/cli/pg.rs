//! `--pg URL`: the same operations against the PostgreSQL store, printed
//! beside the file store's figures of the same run. URL names a database the
//! benchmark may create others next to (`nexus_bench_*`, dropped first).

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use super::{NEXUS, build_dataset, median};

/// A fresh database holding the dataset of `dir`; returns its URL.
fn database(admin: &str, name: &str, dir: Option<&Path>) -> String {
    let mut c = postgres::Client::connect(admin, postgres::NoTls).expect("--pg: cannot connect");
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
    let url = format!("{base}/{name}");
    let mut init = Command::new(NEXUS);
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
    let status = Command::new(NEXUS)
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
/// records, ms), then the load run.
pub fn run(admin: &str, tmp: &Path, runs: usize, files: &[(&str, usize, f64)], load: bool) {
    println!("\nPostgreSQL store ({}):", redact(admin));
    println!(
        "{:<10} {:>7} {:>10} {:>10}",
        "op", "records", "files", "postgres"
    );
    for (op, n, t_files) in files {
        let dir = tmp.join(format!("pg-{n}-{op}"));
        let ids = build_dataset(&dir, *n);
        let url = database(admin, &format!("nexus_bench_{n}_{op}"), Some(&dir));
        let mut times = Vec::new();
        for i in 0..=runs {
            let id = &ids[1 + i % (ids.len() - 1)];
            let args: Vec<&str> = match *op {
                "claim" => vec!["claim", "bench", "benchmark claim", "medium", "bench_team"],
                "progress" => vec!["progress", id, "50"],
                _ => vec!["complete", id, "success", "3"],
            };
            let ms = time_once(&url, &args);
            if i > 0 {
                times.push(ms);
            }
        }
        println!("{op:<10} {n:>7} {t_files:>10.2} {:>10.2}", median(times));
    }
    if load {
        load_run(admin, tmp);
    }
}

fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}***{}", &url[..s + 3], &url[at..]),
        _ => url.to_string(),
    }
}

/// 100 processes x 100 claims into one database.
fn load_run(admin: &str, tmp: &Path) {
    let (procs, each) = (100, 100);
    let url = database(admin, "nexus_bench_load", None);
    let dir = tmp.join("pg-load");
    std::fs::create_dir_all(&dir).unwrap();
    let script = format!(
        "i=0; while [ $i -lt {each} ]; do '{NEXUS}' claim load \"item $i\" >> \"$OUT\" || echo FAILED >> \"$OUT\"; i=$((i+1)); done"
    );
    let start = Instant::now();
    let children: Vec<_> = (0..procs)
        .map(|p| {
            Command::new("sh")
                .arg("-c")
                .arg(&script)
                .env("NEXUS_STORE", &url)
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
        "load (postgres): {procs} processes x {each} claims in {secs:.1} s ({:.0} claims/s): {} succeeded, {failed} failed, {} stored, {lost} lost",
        (procs * each) as f64 / secs,
        printed.len(),
        stored.len()
    );
}
