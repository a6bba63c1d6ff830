//! Command-line benchmark: nexus against `/bin/true` and, when given, the
//! legacy coordination_helper.sh, measured side by side in one run.
//!
//! cargo bench --bench cli -- [--legacy PATH] [--runs N] [--skip-load] [--pg URL]
//!
//! Prints median milliseconds of claim, progress and complete on claims files
//! of 1,000 and 10,000 records built from the legacy fixtures, the ratios, and
//! a load run of 100 processes x 100 claims into one directory.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::{Value, json};

#[path = "cli/pg.rs"]
mod pg;

const NEXUS: &str = env!("CARGO_BIN_EXE_nexus");

struct Opts {
    legacy: Option<PathBuf>,
    runs: usize,
    load: bool,
    /// A PostgreSQL database URL: also measure the PostgreSQL store.
    pg: Option<String>,
}

fn opts() -> Opts {
    let mut o = Opts {
        legacy: None,
        runs: 21,
        load: true,
        pg: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--legacy" => o.legacy = args.next().map(PathBuf::from),
            "--runs" => o.runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(o.runs),
            "--skip-load" => o.load = false,
            "--pg" => o.pg = args.next(),
            _ => {} // cargo passes --bench
        }
    }
    o
}

/// A claims file of `n` records made from the fixture records, every id
/// unique, with one active item per planned progress/complete run.
fn build_dataset(dir: &Path, n: usize) -> Vec<String> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/legacy");
    let base: Vec<Value> =
        serde_json::from_slice(&std::fs::read(fixtures.join("work_claims.json")).unwrap()).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    let mut records = Vec::with_capacity(n);
    let mut active = Vec::new();
    for i in 0..n {
        let mut r = base[i % base.len()].clone();
        let id = format!("work_{}", 1_700_000_000_000_000_000u128 + i as u128);
        r["work_item_id"] = json!(id);
        if i % 2 == 0 {
            r["status"] = json!("active");
            active.push(id);
        }
        records.push(r);
    }
    let mut text = serde_json::to_vec_pretty(&records).unwrap();
    text.push(b'\n');
    std::fs::write(dir.join("work_claims.json"), text).unwrap();
    for f in [
        "agent_status.json",
        "coordination_log.json",
        "velocity_log.txt",
    ] {
        std::fs::copy(fixtures.join(f), dir.join(f)).unwrap();
    }
    active
}

/// Milliseconds of one run of `program args` with COORDINATION_DIR = dir.
fn time_once(program: &str, args: &[&str], dir: &Path) -> f64 {
    let start = Instant::now();
    let status = Command::new(program)
        .args(args)
        .env("COORDINATION_DIR", dir)
        .env("AGENT_ID", "agent_bench")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("cannot run benchmark program");
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    assert!(
        status.success() || program.ends_with(".sh"),
        "{program} {args:?} failed"
    );
    ms
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median of `runs` runs of one operation; `target(i)` gives the work id.
fn bench_op(program: &str, op: &str, dir: &Path, ids: &[String], runs: usize) -> f64 {
    let mut times = Vec::new();
    // One warm-up run (page cache, nexus's index of the file).
    for i in 0..=runs {
        let id = &ids[i % ids.len()];
        let args: Vec<&str> = match op {
            "claim" => vec!["claim", "bench", "benchmark claim", "medium", "bench_team"],
            "progress" => vec!["progress", id, "50"],
            _ => vec!["complete", id, "success", "3"],
        };
        let ms = time_once(program, &args, dir);
        if i > 0 {
            times.push(ms);
        }
    }
    median(times)
}

fn main() {
    let o = opts();
    let tmp = tempfile::tempdir().unwrap();
    println!(
        "nexus CLI benchmark: median ms over {} runs (lower is better)\n",
        o.runs
    );
    let header = match &o.legacy {
        Some(_) => format!(
            "{:<10} {:>7} {:>10} {:>10} {:>10} {:>12} {:>12}",
            "op", "records", "/bin/true", "nexus", "legacy", "nexus/true", "legacy/nexus"
        ),
        None => format!(
            "{:<10} {:>7} {:>10} {:>10} {:>12}",
            "op", "records", "/bin/true", "nexus", "nexus/true"
        ),
    };
    println!("{header}");
    let mut figures = Vec::new();
    for n in [1_000, 10_000] {
        for op in ["claim", "progress", "complete"] {
            let nexus_dir = tmp.path().join(format!("nexus-{n}-{op}"));
            let ids = build_dataset(&nexus_dir, n);
            let t_true = bench_op("/bin/true", op, &nexus_dir, &ids, o.runs);
            let t_nexus = bench_op(NEXUS, op, &nexus_dir, &ids[1..], o.runs);
            figures.push((op, n, t_nexus));
            match &o.legacy {
                Some(script) => {
                    let legacy_dir = tmp.path().join(format!("legacy-{n}-{op}"));
                    let ids = build_dataset(&legacy_dir, n);
                    let runs = o.runs.min(7);
                    let t_legacy =
                        bench_op(script.to_str().unwrap(), op, &legacy_dir, &ids[1..], runs);
                    println!(
                        "{op:<10} {n:>7} {t_true:>10.2} {t_nexus:>10.2} {t_legacy:>10.1} {:>11.1}x {:>11.0}x",
                        t_nexus / t_true,
                        t_legacy / t_nexus
                    );
                }
                None => println!(
                    "{op:<10} {n:>7} {t_true:>10.2} {t_nexus:>10.2} {:>11.1}x",
                    t_nexus / t_true
                ),
            }
        }
    }
    if o.load {
        load_run(&tmp.path().join("load"));
    }
    if let Some(url) = &o.pg {
        pg::run(url, tmp.path(), o.runs, &figures, o.load);
    }
}

/// 100 processes x 100 claims into one directory: none lost, none failed.
fn load_run(dir: &Path) {
    let (procs, each) = (100, 100);
    std::fs::create_dir_all(dir).unwrap();
    let script = format!(
        "i=0; while [ $i -lt {each} ]; do '{NEXUS}' claim load \"item $i\" >> \"$OUT\" || echo FAILED >> \"$OUT\"; i=$((i+1)); done"
    );
    let start = Instant::now();
    let children: Vec<_> = (0..procs)
        .map(|p| {
            Command::new("sh")
                .arg("-c")
                .arg(&script)
                .env("COORDINATION_DIR", dir)
                .env("AGENT_ID", format!("agent_load_{p}"))
                .env("NEXUS_LOCK_TIMEOUT_MS", "30000")
                .env("OUT", dir.join(format!("out-{p}.txt")))
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
    let claims: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir.join("work_claims.json")).unwrap()).unwrap();
    let stored: HashSet<String> = claims
        .iter()
        .filter_map(|c| c["work_item_id"].as_str().map(str::to_string))
        .collect();
    let lost = printed.iter().filter(|id| !stored.contains(*id)).count();
    println!(
        "\nload: {procs} processes x {each} claims in {secs:.1} s ({:.0} claims/s): {} succeeded, {failed} failed, {} stored, {} unique ids, {lost} lost",
        (procs * each) as f64 / secs,
        printed.len(),
        claims.len(),
        stored.len()
    );
}
