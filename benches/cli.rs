//! Command-line benchmark: nexus against `/bin/true` and, when given, the
//! legacy coordination_helper.sh, measured side by side in one run, each
//! figure printed next to its target.
//!
//! cargo bench --bench cli -- [--legacy PATH] [--runs N] [--skip-load] [--quick] [--graph-only] [--serve-only] [--web-only [--soak MINUTES] [--tab-floor MINUTES]] [--pg URL|auto [--pg-only]]
//!
//! 1. claim, progress and complete on claims files of 10,000 and 100,000
//!    records built from the legacy fixtures: median ms, peak memory;
//! 2. the readers (list, status, dashboard --text, a report) and every
//!    offline analysis at 100,000 records, on the file as jq wrote it and
//!    as nexus keeps it after a first write: ms and peak memory; then the
//!    live dashboard's reload after a change;
//! 3. two load runs of 100 processes x 100 claims into one directory: with
//!    no AGENT_ID (every claim registers a new agent, the legacy default)
//!    and with one AGENT_ID per process.
//!
//! 4. `ready` and `claim --next` on a work graph of 10,000 items and 20,000
//!    dependency edges (`--graph-only` runs just that section).
//!
//! 5. with `--pg URL` (a database on 127.0.0.1 nexus may create databases
//!    from) or `--pg auto` (a throwaway server started for the run), the
//!    PostgreSQL store beside the files, straight to the server and through
//!    a pooler (PgBouncer, when installed): medians; `nexus serve`'s Work
//!    page at 100,000 items quiet and just after CLI claims; then the load
//!    runs (the CLI straight and pooled, and 100 HTTP clients through one
//!    `nexus serve`).
//!
//! 6. `nexus serve` (`--serve-only`), and 7. its web pages at 100,000 items
//!    (`--web-only`): server time beside a static file, page weight, first
//!    contentful paint and a CLI claim reaching an open page in Chromium;
//!    with `--soak 10`, in a browser of its own, the open Work page's
//!    memory while 10,000 claims happen over 10 minutes (1,000 a minute);
//!    with `--tab-floor 4`, what a quiet Work page's tab grows by over 4
//!    minutes: the page alone, then with a script adding one bare row every
//!    5 s, then every second.
//!
//! `--quick` uses 1,000 and 10,000 records and 20 x 50 load runs.
//! `NEXUS_BENCH_BIN=PATH` measures another build of nexus in place of this
//! one (two builds side by side, or one with symbols under a profiler).

// Only the library is held to reading settings through its config;
// the benchmark reads its own switches.
#![allow(clippy::disallowed_methods)]

use std::collections::HashSet;
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::{Value, json};

#[path = "cli/graph.rs"]
mod graph;
#[path = "cli/pg.rs"]
mod pg;
#[path = "cli/readers.rs"]
mod readers;
#[path = "cli/serve.rs"]
mod serve;
#[path = "cli/tab.rs"]
mod tab;
#[path = "cli/web.rs"]
mod web;

/// The nexus measured: this build's, or another one named by
/// `NEXUS_BENCH_BIN` (to set two builds side by side, or one with symbols
/// under a profiler).
fn nexus() -> &'static str {
    static BIN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        std::env::var("NEXUS_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_nexus").into())
    })
}

struct Opts {
    legacy: Option<PathBuf>,
    runs: usize,
    load: bool,
    quick: bool,
    graph_only: bool,
    pg_only: bool,
    serve_only: bool,
    web_only: bool,
    /// Minutes of the web pages' memory soak (none: not run).
    soak: Option<u64>,
    /// Minutes of each run of the tab's floor (none: not run).
    tab_floor: Option<u64>,
    /// A PostgreSQL database URL: also measure the PostgreSQL store.
    pg: Option<String>,
}

/// The whole minutes after `flag`, or a stop naming the flag.
fn minutes(value: Option<String>, flag: &str) -> u64 {
    let value = value.unwrap_or_default();
    value
        .parse()
        .unwrap_or_else(|_| panic!("{flag} takes whole minutes, not {value:?}"))
}

fn opts() -> Opts {
    let mut o = Opts {
        legacy: None,
        runs: 15,
        load: true,
        quick: false,
        graph_only: false,
        pg_only: false,
        serve_only: false,
        web_only: false,
        soak: None,
        tab_floor: None,
        pg: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--legacy" => o.legacy = args.next().map(PathBuf::from),
            "--runs" => o.runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(o.runs),
            "--skip-load" => o.load = false,
            "--quick" => o.quick = true,
            "--graph-only" => o.graph_only = true,
            "--pg-only" => o.pg_only = true,
            "--serve-only" => o.serve_only = true,
            "--web-only" => o.web_only = true,
            "--soak" => o.soak = Some(minutes(args.next(), "--soak")),
            "--tab-floor" => o.tab_floor = Some(minutes(args.next(), "--tab-floor")),
            "--pg" => o.pg = args.next(),
            _ => {} // cargo passes --bench
        }
    }
    o
}

/// A claims file of `n` records made from the fixture records, every id
/// unique, every other one active. Returns the active ids.
fn build_dataset(dir: &Path, n: usize) -> Vec<String> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/legacy");
    let base: Vec<Value> =
        serde_json::from_slice(&std::fs::read(fixtures.join("work_claims.json")).unwrap()).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    // Written one record at a time, in the layout jq (and nexus) write, so
    // this process stays small: a child forked from it starts with its
    // memory, which would show in the child's peak.
    let mut out =
        std::io::BufWriter::new(std::fs::File::create(dir.join("work_claims.json")).unwrap());
    let mut active = Vec::new();
    out.write_all(b"[\n").unwrap();
    for i in 0..n {
        let mut r = base[i % base.len()].clone();
        let id = format!("work_{}", 1_700_000_000_000_000_000u128 + i as u128);
        r["work_item_id"] = json!(id);
        if i % 2 == 0 {
            r["status"] = json!("active");
            active.push(id);
        }
        let text = serde_json::to_string_pretty(&r)
            .unwrap()
            .replace('\n', "\n  ");
        let sep = if i + 1 < n { ",\n" } else { "\n" };
        write!(out, "  {text}{sep}").unwrap();
    }
    out.write_all(b"]\n").unwrap();
    out.flush().unwrap();
    drop(out);
    for f in [
        "agent_status.json",
        "coordination_log.json",
        "velocity_log.txt",
    ] {
        std::fs::copy(fixtures.join(f), dir.join(f)).unwrap();
    }
    active
}

/// One run of `program args` with COORDINATION_DIR = dir: milliseconds and
/// the child's peak resident memory in KiB (from wait4's rusage).
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives its rusage
fn run_once(program: &str, args: &[&str], dir: &Path) -> (f64, i64) {
    let start = Instant::now();
    let child = Command::new(program)
        .args(args)
        .env("COORDINATION_DIR", dir)
        .env("AGENT_ID", "agent_bench")
        .env("NEXUS_AI_PROVIDER", "offline")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot run benchmark program");
    let mut status = 0;
    // SAFETY: plain wait4 on our own child; rusage is plain data.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let ok = std::process::ExitStatus::from_raw(status).success();
    assert!(ok || program.ends_with(".sh"), "{program} {args:?} failed");
    (ms, usage.ru_maxrss)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median ms and largest peak KiB of `runs` runs of one operation, after
/// a first run (page cache; nexus's index of the file, and the room it
/// gives the open records of a file another tool wrote), whose ms and KiB
/// come last.
fn bench_op(
    program: &str,
    op: &str,
    dir: &Path,
    ids: &[String],
    runs: usize,
) -> (f64, i64, (f64, i64)) {
    let mut times = Vec::new();
    let mut peak = 0;
    let mut first = (0.0, 0);
    for i in 0..=runs {
        let id = &ids[i % ids.len()];
        let args: Vec<&str> = match op {
            "claim" => vec!["claim", "bench", "benchmark claim", "medium", "bench_team"],
            "progress" => vec!["progress", id, "50"],
            _ => vec!["complete", id, "success", "3"],
        };
        let (ms, kb) = run_once(program, &args, dir);
        if i > 0 {
            times.push(ms);
            peak = peak.max(kb);
        } else {
            first = (ms, kb);
        }
    }
    (median(times), peak, first)
}

/// The write figures; returns (op, records, nexus median ms) of each.
fn writes(o: &Opts, tmp: &Path) -> Vec<(&'static str, usize, f64)> {
    let mut figures = Vec::new();
    let sizes = if o.quick {
        [1_000, 10_000]
    } else {
        [10_000, 100_000]
    };
    println!("\n1. writes: median ms over {} runs, peak memory", o.runs);
    let legacy = if o.legacy.is_some() {
        "  legacy ms  legacy/nexus"
    } else {
        ""
    };
    println!(
        "{:<9} {:>7} {:>9} {:>9} {:>10} {:>8} {:>10} {:>15}{legacy}",
        "op",
        "records",
        "true ms",
        "nexus ms",
        "nexus/true",
        "peak MB",
        "target ms",
        "first ms / MB"
    );
    for n in sizes {
        for op in ["claim", "progress", "complete"] {
            let dir = tmp.join(format!("nexus-{n}-{op}"));
            let ids = build_dataset(&dir, n);
            let (t_true, ..) = bench_op("/bin/true", op, &dir, &ids, o.runs);
            let (t_nexus, kb, (first_ms, first_kb)) =
                bench_op(nexus(), op, &dir, &ids[1..], o.runs);
            let target = match (n, op) {
                (10_000, _) | (1_000, _) | (_, "claim") => 5,
                _ => 40,
            };
            let mut line = format!(
                "{op:<9} {n:>7} {t_true:>9.2} {t_nexus:>9.2} {:>9.1}x {:>8.1} {:>10} {:>15}",
                t_nexus / t_true,
                kb as f64 / 1024.0,
                format!("<= {target}"),
                format!("{first_ms:.0} / {:.0}", first_kb as f64 / 1024.0),
            );
            if let Some(script) = &o.legacy {
                let legacy_dir = tmp.join(format!("legacy-{n}-{op}"));
                let ids = build_dataset(&legacy_dir, n);
                let runs = o.runs.min(5);
                let (t_legacy, ..) =
                    bench_op(script.to_str().unwrap(), op, &legacy_dir, &ids[1..], runs);
                line.push_str(&format!(" {t_legacy:>10.1} {:>12.0}x", t_legacy / t_nexus));
            }
            println!("{line}");
            figures.push((op, n, t_nexus));
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    figures
}

/// `procs` processes x `each` claims into one directory: none lost, none
/// refused. `fixed_agent`: one AGENT_ID per process, else none (every claim
/// registers a new agent, the legacy default).
fn load_run(dir: &Path, procs: usize, each: usize, fixed_agent: bool, target_s: u32) {
    std::fs::create_dir_all(dir).unwrap();
    let nexus = nexus();
    let script = format!(
        "i=0; while [ $i -lt {each} ]; do '{nexus}' claim load \"item $i\" >> \"$OUT\" 2>> \"$ERR\" || echo FAILED >> \"$OUT\"; i=$((i+1)); done"
    );
    let start = Instant::now();
    let children: Vec<_> = (0..procs)
        .map(|p| {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg(&script)
                .env("COORDINATION_DIR", dir)
                .env_remove("AGENT_ID")
                .env("OUT", dir.join(format!("out-{p}.txt")))
                .env("ERR", dir.join(format!("err-{p}.txt")));
            if fixed_agent {
                c.env("AGENT_ID", format!("agent_load_{p}"));
            }
            c.spawn().unwrap()
        })
        .collect();
    for mut c in children {
        c.wait().unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    let mut printed = HashSet::new();
    let (mut failed, mut refused) = (0, 0);
    for p in 0..procs {
        let out = std::fs::read_to_string(dir.join(format!("out-{p}.txt"))).unwrap_or_default();
        let err = std::fs::read_to_string(dir.join(format!("err-{p}.txt"))).unwrap_or_default();
        failed += out.lines().filter(|l| *l == "FAILED").count();
        refused += err.lines().filter(|l| l.contains("CONFLICT")).count();
        for l in out.lines() {
            if let Some(rest) = l.strip_prefix("✅ SUCCESS: Claimed work item ") {
                printed.insert(rest.split_whitespace().next().unwrap().to_string());
            }
        }
    }
    let claims: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir.join("work_claims.json")).unwrap()).unwrap();
    let agents: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir.join("agent_status.json")).unwrap()).unwrap();
    let stored: HashSet<String> = claims
        .iter()
        .filter_map(|c| c["work_item_id"].as_str().map(str::to_string))
        .collect();
    let lost = printed.iter().filter(|id| !stored.contains(*id)).count();
    println!(
        "{procs} x {each}, {:<19} {secs:>6.1} s (target <= {target_s} s) {:>5.0} claims/s: {} succeeded, {failed} failed ({refused} CONFLICT), {} stored, {} agents, {lost} lost",
        if fixed_agent {
            "one AGENT_ID each:"
        } else {
            "no AGENT_ID:"
        },
        (procs * each) as f64 / secs,
        printed.len(),
        stored.len(),
        agents.len()
    );
}

/// The load runs' shell loops starting `/bin/true` instead of nexus: what
/// the harness itself costs.
fn loops_floor(procs: usize, each: usize) {
    let script = format!(
        "i=0; while [ $i -lt {each} ]; do /bin/true claim load \"item $i\"; i=$((i+1)); done"
    );
    let start = Instant::now();
    let children: Vec<_> = (0..procs)
        .map(|_| Command::new("sh").arg("-c").arg(&script).spawn().unwrap())
        .collect();
    for mut c in children {
        c.wait().unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    println!("{procs} x {each}, the same loops starting /bin/true: {secs:.1} s");
}

fn main() {
    let o = opts();
    let tmp = tempfile::tempdir().unwrap();
    println!("nexus CLI benchmark (figures vary run to run; lower is better)");
    if o.graph_only {
        graph::section(&tmp.path().join("graph"), o.runs);
        return;
    }
    if o.serve_only {
        serve::run(tmp.path(), o.runs, None);
        return;
    }
    if o.web_only {
        web::run(tmp.path(), o.runs, o.soak, o.tab_floor);
        return;
    }
    if let (true, Some(url)) = (o.pg_only, &o.pg) {
        // Section 5 alone: its load runs, without the file medians.
        pg::run(url, tmp.path(), o.runs, &[], true);
        return;
    }
    let figures = writes(&o, tmp.path());
    readers::run(&o, tmp.path());
    readers::live(&o, tmp.path());
    if o.load {
        let (procs, each) = if o.quick { (20, 50) } else { (100, 100) };
        println!("\n3. load: {procs} processes x {each} claims into one directory");
        load_run(&tmp.path().join("load-none"), procs, each, false, 30);
        load_run(&tmp.path().join("load-fixed"), procs, each, true, 20);
        loops_floor(procs, each);
    }
    graph::section(&tmp.path().join("graph"), o.runs);
    let cli_claim = figures
        .iter()
        .find(|(op, n, _)| *op == "claim" && *n == 10_000)
        .map(|f| f.2);
    serve::run(tmp.path(), o.runs, cli_claim);
    web::run(tmp.path(), o.runs, o.soak, o.tab_floor);
    if let Some(url) = &o.pg {
        pg::run(url, tmp.path(), o.runs, &figures, o.load);
    }
}
