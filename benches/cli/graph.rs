//! Section 4: `ready` and `claim --next` on a work graph.

use std::path::Path;

use serde_json::{Value, json};

use super::{median, nexus, run_once};

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
pub fn section(dir: &Path, runs: usize) {
    println!("\n4. work graph (target: ready and claim --next <= 30 ms)");
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
                .map(|_| run_once(program, &args, dir).0)
                .skip(1)
                .collect();
            median(times)
        };
        let (t_true, t_nexus) = (time("/bin/true"), time(nexus()));
        println!(
            "{op:<12} {t_true:>10.2} {t_nexus:>10.2} {:>11.1}x",
            t_nexus / t_true
        );
    }
}
