//! Section 2: the readers and every offline analysis at 100,000 records,
//! then the live dashboard's reload after a change.

use std::path::Path;
use std::time::Instant;

use serde_json::json;

use super::{Opts, build_dataset, median, nexus, run_once};

/// The readers, on the file as jq wrote it and as nexus keeps it.
pub fn run(o: &Opts, tmp: &Path) {
    let n = if o.quick { 10_000 } else { 100_000 };
    let dir = tmp.join("readers");
    let ids = build_dataset(&dir, n);
    // As another tool wrote the file, then as nexus keeps it after its first
    // write (each open record followed by its room, so the file is larger).
    for layout in ["jq's layout", "nexus's layout, after a first write"] {
        if layout.starts_with("nexus") {
            run_once(nexus(), &["progress", &ids[0], "1"], &dir);
        }
        readers_table(n, &dir, layout);
    }
}

fn readers_table(n: usize, dir: &Path, layout: &str) {
    let size = std::fs::metadata(dir.join("work_claims.json"))
        .unwrap()
        .len() as f64
        / 1048576.0;
    println!(
        "\n2. readers at {n} records ({size:.0} MB claims file in {layout}): median ms over 5 runs, peak memory"
    );
    println!(
        "{:<22} {:>9} {:>9} {:>8} {:>12} {:>14}",
        "command", "true ms", "ms", "peak MB", "target ms", "target peak MB"
    );
    let cmds: [(&[&str], u32); 10] = [
        (&["list"], 300),
        (&["status"], 300),
        (&["dashboard", "--text"], 300),
        (&["pi-planning"], 300),
        (&["value-stream"], 300),
        (&["claude-priorities"], 1000),
        (&["claude-optimize"], 1000),
        (&["claude-health"], 1000),
        (&["claude-team"], 1000),
        (&["claude-dashboard"], 1000),
    ];
    for (args, target) in cmds {
        let mut times = Vec::new();
        let mut floor = Vec::new();
        let mut peak = 0;
        for _ in 0..5 {
            floor.push(run_once("/bin/true", args, dir).0);
            let (ms, kb) = run_once(nexus(), args, dir);
            times.push(ms);
            peak = peak.max(kb);
        }
        println!(
            "{:<22} {:>9.2} {:>9.0} {:>8.0} {:>12} {:>14}",
            args.join(" "),
            median(floor),
            median(times),
            peak as f64 / 1024.0,
            format!("<= {target}"),
            format!("<= {:.0}", 2.0 * size)
        );
    }
}

/// The live dashboard following a directory: a reload after another process
/// changed one item (a progress), beside the first, whole read.
pub fn live(o: &Opts, tmp: &Path) {
    let n = if o.quick { 10_000 } else { 100_000 };
    let dir = tmp.join("live");
    let ids = build_dataset(&dir, n);
    // The first write gives the file nexus's layout and index, once.
    run_once(nexus(), &["progress", &ids[0], "1"], &dir);
    let cfg = nexus::config::Config::from_env(Some(&dir), false).unwrap();
    let start = Instant::now();
    let mut app = nexus::tui::load(&cfg);
    let whole = start.elapsed().as_secs_f64() * 1000.0;
    let mut times = Vec::new();
    for id in ids.iter().skip(1).take(o.runs) {
        run_once(nexus(), &["progress", id, "60"], &dir);
        let start = Instant::now();
        app.reload(chrono::Utc::now());
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        let shown = app
            .snapshot
            .claims
            .iter()
            .find(|c| c["work_item_id"] == id.as_str());
        assert_eq!(shown.map(|c| c["progress"].clone()), Some(json!(60)));
    }
    println!(
        "\nlive dashboard at {n} records: first read {whole:.0} ms; reload after a change {:.1} ms median of {} (target <= 100 ms), {} whole read(s)",
        median(times),
        o.runs,
        app.whole_reads
    );
}
