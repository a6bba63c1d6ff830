//! The text dashboard: the one-shot view printed when stdout is not a terminal.

use crate::records::claim_record::{ClaimRecord, graph_records};

use super::metrics::Metrics;
use super::{Report, duration, num, pct};
use crate::records::{text, time};
use crate::store::Snapshot;
use crate::text::field;

/// At most this many active items are listed; the count covers all.
const MAX_LISTED: usize = 20;

pub use crate::records::{is_active, priority_rank};

/// Render the dashboard of a snapshot.
pub fn render(s: &Snapshot, m: &Metrics) -> String {
    let now = chrono::DateTime::parse_from_rfc3339(&m.now)
        .map(|t| t.to_utc())
        .ok();
    let mut r = Report::titled("🚀 SCRUM AT SCALE DASHBOARD");
    r.line(format!("📁 Coordination directory: {}", s.dir.display()));
    r.section("🎯 CURRENT PROGRAM INCREMENT (PI):")
        .line(format!("  PI: {}", m.pi_id))
        .line("  ART: AI Self-Sustaining Agile Release Train")
        .line(format!(
            "  Work items: {} total, {} active, {} completed, {} other",
            m.total_items, m.active, m.completed, m.other
        ));
    let active_agents = s
        .agents
        .iter()
        .filter(|a| matches!(text(a, "status"), None | Some("active")))
        .count();
    r.section("👥 AGENT TEAMS & STATUS:")
        .line(format!("  📊 Active Agents: {active_agents}"))
        .line(format!("  👤 Registered Agents: {}", m.agents));
    for t in m
        .teams
        .iter()
        .filter(|t| t.agents > 0 || t.active > 0 || t.completed > 0)
    {
        r.line(format!(
            "  🤝 Team {}: {} agents, {} active, {} completed, {} points{}",
            t.name,
            t.agents,
            t.active,
            t.completed,
            num(t.velocity),
            if t.overloaded {
                " ⚠️ overloaded"
            } else {
                ""
            }
        ));
    }
    // Priority, then claim time, then file order: each key read once, and
    // only the items listed put in order.
    let mut active: Vec<(usize, &str, usize, &ClaimRecord)> = (s.claims.iter().filter(is_active))
        .enumerate()
        .map(|(i, c)| {
            let rank = priority_rank(text(c, "priority").unwrap_or(""));
            (rank, text(c, "claimed_at").unwrap_or(""), i, c)
        })
        .collect();
    fn key<'a>(a: &(usize, &'a str, usize, &ClaimRecord)) -> (usize, &'a str, usize) {
        (a.0, a.1, a.2)
    }
    let count = active.len();
    if count > MAX_LISTED {
        active.select_nth_unstable_by_key(MAX_LISTED, key);
        active.truncate(MAX_LISTED);
    }
    active.sort_unstable_by_key(key);
    // Callers parse this line's number: the legacy count, status `active` only.
    let legacy_active = (s.claims.iter())
        .filter(|c| text(c, "status") == Some("active"))
        .count();
    r.section("📋 ACTIVE WORK (CURRENT SPRINT):")
        .line(format!("  📊 Active Work Items: {legacy_active}"))
        .line(format!(
            "  🔄 In flight: {count} (active, in progress, blocked or another open status)"
        ));
    for c in active.iter().map(|a| a.3) {
        let age = match (time(c, "claimed_at"), now) {
            (Some(t), Some(n)) => duration((n - t).num_seconds().max(0) as f64 / 3600.0),
            _ => "?".into(),
        };
        r.line(format!(
            "  🔧 {}: {} ({}, {}) - {} - age {age}",
            text(c, "work_item_id").unwrap_or("?"),
            field(text(c, "description").unwrap_or("")),
            text(c, "work_type").unwrap_or("?"),
            text(c, "priority").unwrap_or("?"),
            text(c, "agent_id").unwrap_or("unassigned"),
        ));
    }
    if count > MAX_LISTED {
        r.line(format!("  … and {} more", count - MAX_LISTED));
    }
    if let Some(now) = now {
        queue(s, now, &mut r);
    }
    r.section("📈 VELOCITY & METRICS:")
        .line(format!(
            "  📊 Current Sprint Velocity: {} story points",
            num(m.velocity_log_total)
        ))
        .line(format!(
            "  ✅ Completions logged: {} ({} points, {} per item)",
            m.completions,
            num(m.completion_points),
            num(m.points_per_item())
        ))
        .line(format!(
            "  ⏱️ Lead time: median {}, mean {} over {} items",
            duration(m.lead_time_hours.median),
            duration(m.lead_time_hours.mean),
            m.lead_time_hours.count
        ))
        .line(format!(
            "  ⚠️ Stale items (no activity > 24h): {} of {} active ({})",
            m.stale.len(),
            m.active,
            pct(m.stale.len() as f64, m.active as f64)
        ));
    r.text()
}

/// The queue's trouble, when there is any: expired leases (each named) and
/// items waiting on others.
fn queue(s: &Snapshot, now: chrono::DateTime<chrono::Utc>, r: &mut Report) {
    let graph_claims = graph_records(s.live());
    let blocked = crate::ops::graph::Graph::new(&graph_claims)
        .blocked(None)
        .len();
    let expired: Vec<&ClaimRecord> = s
        .claims
        .iter()
        .filter(|c| crate::records::lease_expired(c, now))
        .collect();
    if blocked == 0 && expired.is_empty() {
        return;
    }
    r.line(format!(
        "  🔗 Queue: {} ready, {blocked} blocked (see nexus blocked), {} leases expired",
        crate::records::queue::ready(s.live(), None, now).len(),
        expired.len()
    ));
    for c in expired.iter().take(MAX_LISTED) {
        r.line(format!(
            "  ⏰ lease expired: {} held by {} since {}",
            text(c, "work_item_id").unwrap_or("?"),
            field(text(c, "agent_id").unwrap_or("-")),
            text(c, "lease_expires_at").unwrap_or("?"),
        ));
    }
}
