//! The agent queue at the edge: `dep add|rm` (through the mutation runner),
//! the `ready` and `blocked` views of a snapshot, and what the mutating
//! commands say about leases (the caller's proof, `--lease`, the lease line,
//! cleanup's expired leases).

use serde_json::{Value, json};

use super::Outcome;
use super::mutation::{self, Spec, with_trace};
use crate::cli::DepCommand;
use crate::config::Config;
use crate::error::Result;
use crate::ops::graph::{self, Graph};
use crate::records::{depends_on, text};
use crate::store::{AnyStore, Store};
use crate::text::field;

/// How this caller proves it holds a lease: AGENT_ID, `--lease-generation`.
pub fn proof(cfg: &Config) -> crate::ops::lease::Proof {
    crate::ops::lease::Proof {
        agent: cfg.agent_id.clone(),
        generation: cfg.lease_generation,
    }
}

/// `--lease TTL`, checked.
pub fn lease_arg(lease: Option<&str>) -> Result<Option<chrono::Duration>> {
    lease
        .map(|l| crate::config::lease_ttl("lease", l))
        .transpose()
}

/// The line after the claim lines of an item taken under a lease.
pub fn lease_line(record: &Value) -> String {
    match crate::records::lease_generation(record) {
        Some(g) => format!(
            "🔒 LEASE: generation {g} until {} (renew with progress or heartbeat)\n",
            field(text(record, "lease_expires_at").unwrap_or("?"))
        ),
        None => String::new(),
    }
}

/// Cleanup's lines about expired leases (id, holder, until), and their JSON.
pub fn expired_report(expired: &[(String, String, String)], human: &mut String) -> Vec<Value> {
    if !expired.is_empty() {
        human.push_str(&format!(
            "⏰ EXPIRED LEASES: {} items (claim --next hands them to the next agent)\n",
            expired.len()
        ));
    }
    for (id, agent, at) in expired {
        human.push_str(&format!(
            "  ⏰ expired: {} held by {} until {}\n",
            field(id),
            field(agent),
            field(at)
        ));
    }
    expired
        .iter()
        .map(|(id, a, at)| json!({"work_item_id": id, "agent_id": a, "lease_expires_at": at}))
        .collect()
}

/// `dep add ID --on OTHER[,OTHER]`, `dep rm ID --on OTHER`.
pub fn dep(store: &AnyStore, cfg: &Config, action: &DepCommand) -> Result<Outcome> {
    let (id, on, adding) = match action {
        DepCommand::Add { work_id, on } => (work_id, on.clone(), true),
        DepCommand::Rm { work_id, on } => (work_id, vec![on.clone()], false),
    };
    let s = Spec {
        operation: "s2s.work.depends",
        command: "dep",
        event: "work.dependency_changed",
        agent: cfg.agent_id.clone(),
        attrs: vec![("s2s.depends_on", json!(on))],
        ahead: Default::default(),
    };
    let done = mutation::run(store, cfg, s, |st, _| {
        if adding {
            graph::add_dependencies(st, id, &on)
        } else {
            graph::remove_dependency(st, id, &on[0])
        }
    })?;
    let now: Vec<&str> = depends_on(&done.value);
    let human = if adding {
        format!(
            "🔗 DEPENDS: {} waits on {}\n",
            field(id),
            field(&on.join(", "))
        )
    } else {
        format!(
            "✂️ DEPENDS: {} no longer waits on {}\n",
            field(id),
            field(&on[0])
        )
    };
    Ok(Outcome::new(
        human,
        with_trace(
            cfg,
            json!({"ok": true, "command": "dep", "work_item_id": id, "depends_on": now,
                   "claim": done.value}),
        ),
    ))
}

/// One item as a row of `ready` and `blocked`.
fn row(c: &Value) -> String {
    format!(
        "{} {:<8} {:<20} {}",
        text(c, "work_item_id").unwrap_or("?"),
        field(text(c, "priority").unwrap_or("-")),
        field(text(c, "team").unwrap_or("-")),
        field(&crate::text::clip(text(c, "description").unwrap_or(""), 60)),
    )
}

/// `ready [--team T]`: what `claim --next` would take, in that order.
pub fn ready(store: &AnyStore, cfg: &Config, team: Option<&str>) -> Result<Outcome> {
    let fast = match store {
        AnyStore::File(f) => f.ready(team, cfg.now)?,
        AnyStore::Pg(_) => None,
    };
    let s;
    let items: Vec<&Value> = match &fast {
        Some(items) => items.iter().collect(),
        None => {
            s = store.snapshot()?;
            crate::records::queue::ready(&s.claims, team, cfg.now)
                .into_iter()
                .map(|i| s.claims[i].value())
                .collect()
        }
    };
    if cfg.json {
        // Only the form that is printed is built: the ready list can be long.
        let json = json!({"ok": true, "command": "ready", "count": items.len(), "items": items});
        return Ok(Outcome::new(String::new(), json));
    }
    let mut human = format!("✅ READY: {} items, in claim order\n", items.len());
    for c in &items {
        human.push_str(&format!("  {}\n", row(c)));
    }
    Ok(Outcome::new(human, Value::Null))
}

/// `blocked [--team T]`: the items that wait, each with what it waits on.
pub fn blocked(store: &AnyStore, team: Option<&str>) -> Result<Outcome> {
    let s = store.snapshot()?;
    let claims = crate::records::rec::graph_records(&s.claims);
    let g = Graph::new(&claims);
    let waiting = g.blocked(team);
    let mut human = format!("⛔ BLOCKED: {} items wait on others\n", waiting.len());
    let mut items = Vec::new();
    for w in &waiting {
        let on: Vec<Value> = w
            .waits_on
            .iter()
            .map(|d| json!({"work_item_id": d["work_item_id"], "status": d["status"]}))
            .collect();
        let names: Vec<String> = w
            .waits_on
            .iter()
            .map(|d| {
                format!(
                    "{} ({})",
                    text(d, "work_item_id").unwrap_or("?"),
                    text(d, "status").unwrap_or("?")
                )
            })
            .collect();
        human.push_str(&format!(
            "  {}\n      waits on {}\n",
            row(w.item),
            field(&names.join(", "))
        ));
        let mut item = w.item.clone();
        item["waits_on"] = json!(on);
        items.push(item);
    }
    Ok(Outcome::new(
        human,
        json!({"ok": true, "command": "blocked", "count": items.len(), "items": items}),
    ))
}
