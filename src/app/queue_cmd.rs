//! The agent queue at the edge: `dep add|rm` (through the mutation runner),
//! the `ready` and `blocked` views of a snapshot, and what the mutating
//! commands say about leases (the caller's proof, `--lease`, the lease line,
//! cleanup's expired leases).

use serde_json::{Value, json};

use crate::config::Config;
use crate::error::Result;
use crate::records::text;
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
            "⏰ EXPIRED LEASES: {} (claim --next hands them to the next agent)\n",
            crate::text::count(expired.len(), "item", "items")
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

/// One item as a row of `ready` and `blocked`.
pub fn row(c: &Value) -> String {
    format!(
        "{} {:<8} {:<20} {}",
        text(c, "work_item_id").unwrap_or("?"),
        field(text(c, "priority").unwrap_or("-")),
        field(text(c, "team").unwrap_or("-")),
        field(&crate::text::clip(text(c, "description").unwrap_or(""), 60)),
    )
}
