//! Command-line benchmark: nexus against `/bin/true` and, when given, the
//! legacy coordination_helper.sh, measured side by side in one run.
//!
//! cargo bench --bench cli -- [--legacy PATH] [--runs N] [--skip-load] [--graph-only]
//!
//! Prints median milliseconds of claim, progress and complete on claims files
//! of 1,000 and 10,000 records built from the legacy fixtures, the ratios, a
//! load run of 100 processes x 100 claims into one directory, and `ready` and
//! `claim --next` on a work graph of 10,000 items and 20,000 dependency edges
//! (`--graph-only` runs just that section).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::{Value, json};

const NEXUS: &str = env!("CARGO_BIN_EXE_nexus");

struct Opts {
    legacy: Option<PathBuf>,
    runs: usize,
    load: bool,
    graph_only: bool,
}

fn opts() -> Opts {
    let mut o = Opts {
        legacy: None,
        runs: 21,
        load: true,
        graph_only: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--legacy" => o.legacy = args.next().map(PathBuf::from),
            "--runs" => o.runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(o.runs),
            "--skip-load" => o.load = false,
            "--graph-only" => o.graph_only = true,
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
    if o.graph_only {
        graph_section(&tmp.path().join("graph"), o.runs);
        return;
    }
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
    for n in [1_000, 10_000] {
        for op in ["claim", "progress", "complete"] {
            let nexus_dir = tmp.path().join(format!("nexus-{n}-{op}"));
            let ids = build_dataset(&nexus_dir, n);
            let t_true = bench_op("/bin/true", op, &nexus_dir, &ids, o.runs);
            let t_nexus = bench_op(NEXUS, op, &nexus_dir, &ids[1..], o.runs);
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
    graph_section(&tmp.path().join("graph"), o.runs);
    if o.load {
        load_run(&tmp.path().join("load"));
    }
}

/// A work graph of `n` items: each depends on the item before it or one of
/// the 100 before that, and on one anywhere earlier (picked by a hash of its
/// number); the first 30 % are completed, the rest available, so most of the
/// backlog waits and the ready items are few, as in a real plan.
/// Returns the number of edges.
fn build_graph(dir: &Path, n: usize) -> usize {
    std::fs::create_dir_all(dir).unwrap();
    let id = |i: usize| format!("work_{}", 1_700_000_000_000_000_000u128 + i as u128);
    let hash = |i: usize, k: u64| ((i as u64 + 1).wrapping_mul(k) >> 33) as usize;
    let mut edges = 0;
    let records: Vec<Value> = (0..n)
        .map(|i| {
            let mut deps: Vec<String> = Vec::new();
            if i > 0 {
                let near = i - 1 - hash(i, 0x9E37_79B9_7F4A_7C15) % i.min(100);
                let far = hash(i, 0xC2B2_AE3D_27D4_EB4F) % i;
                for pick in [near, far] {
                    if !deps.contains(&id(pick)) {
                        deps.push(id(pick));
                    }
                }
            }
            edges += deps.len();
            let done = i < n * 3 / 10;
            let priority = ["critical", "high", "medium", "low"][i % 4];
            json!({
                "work_item_id": id(i),
                "agent_id": if done { json!("agent_done") } else { Value::Null },
                "claimed_at": Value::Null,
                "work_type": "task",
                "priority": priority,
                "description": format!("graph item {i}"),
                "status": if done { "completed" } else { "available" },
                "team": "graph_team",
                "created_at": format!("2026-01-01T00:{:02}:{:02}Z", (i / 60) % 60, i % 60),
                "depends_on": deps,
            })
        })
        .collect();
    let mut text = serde_json::to_vec_pretty(&records).unwrap();
    text.push(b'\n');
    std::fs::write(dir.join("work_claims.json"), text).unwrap();
    edges
}

/// `ready` and `claim --next` on a graph of 10,000 items.
fn graph_section(dir: &Path, runs: usize) {
    let n = 10_000;
    let edges = build_graph(dir, n);
    println!("\ngraph: {n} items, {edges} dependency edges, 30 % completed");
    println!(
        "{:<12} {:>10} {:>10} {:>12}",
        "op", "/bin/true", "nexus", "nexus/true"
    );
    // `list` (a plain read of the same file) and `progress` (a plain write)
    // are the floors the two graph commands stand on.
    let item = format!("work_{}", 1_700_000_000_000_000_000u128 + 9_999);
    for (op, args) in [
        ("list", vec!["list", "--status", "none"]),
        ("ready", vec!["ready"]),
        ("progress", vec!["progress", item.as_str(), "10"]),
        ("claim-next", vec!["claim", "--next"]),
    ] {
        let time = |program: &str| {
            let times: Vec<f64> = (0..=runs)
                .map(|_| time_once(program, &args, dir))
                .skip(1)
                .collect();
            median(times)
        };
        let (t_true, t_nexus) = (time("/bin/true"), time(NEXUS));
        println!(
            "{op:<12} {t_true:>10.2} {t_nexus:>10.2} {:>11.1}x",
            t_nexus / t_true
        );
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
