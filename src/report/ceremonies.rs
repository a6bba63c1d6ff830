//! Planning ceremonies: PI planning, scrum of scrums, innovation and planning,
//! system demo, inspect and adapt. Headings follow the legacy reports; every
//! figure comes from [`Metrics`] or the snapshot.

use std::collections::BTreeMap;

use super::dashboard::{is_active, priority_rank};
use super::metrics::{Metrics, STALE_AFTER_SECS};
use super::{Report, duration, heading_of, num, pct};
use crate::records::claim_record::ClaimRecord;
use crate::records::{number, text};
use crate::store::Snapshot;
use crate::text::field;

/// Business value of one item by priority (the legacy BV scale).
pub fn business_value(priority: &str) -> u64 {
    match priority {
        "critical" => 50,
        "high" => 40,
        "medium" => 30,
        "low" => 20,
        _ => 10,
    }
}

/// Items grouped by work type: (type, count, business value), highest value first.
fn by_work_type<'a>(items: impl Iterator<Item = &'a ClaimRecord>) -> Vec<(String, usize, u64)> {
    let mut groups: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    for c in items {
        let g = groups
            .entry(text(c, "work_type").unwrap_or("unspecified").to_string())
            .or_default();
        g.0 += 1;
        g.1 += business_value(text(c, "priority").unwrap_or(""));
    }
    let mut v: Vec<_> = groups.into_iter().map(|(k, (n, bv))| (k, n, bv)).collect();
    v.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    v
}

pub fn pi_planning(s: &Snapshot, m: &Metrics) -> String {
    let mut r = Report::titled("🎯 STARTING PI PLANNING SESSION");
    r.line("")
        .line(format!("📋 PI PLANNING FOR: {}", m.pi_id))
        .line("🎯 ART: AI Self-Sustaining Agile Release Train")
        .line("⏱️ Duration: 8 weeks (4 sprints)");
    r.section("🏆 PI OBJECTIVES (Business Value Prioritized):");
    let objectives = by_work_type(s.claims.iter().filter(is_active));
    if objectives.is_empty() {
        r.line("  (no active work: claim work to set objectives) - Business Value: 0");
    }
    for (i, (kind, n, bv)) in objectives.iter().take(5).enumerate() {
        r.line(format!(
            "  {}. [BV: {bv}] {kind} - {n} active items (Business Value {bv})",
            i + 1
        ));
    }
    r.section("👥 TEAM CAPACITY PLANNING:");
    let mut total = 0.0;
    for t in &m.teams {
        let per_sprint = m.sprint_velocity(t);
        total += per_sprint * 4.0;
        r.line(format!(
            "  📋 {}: {} pts/sprint × 4 sprints = {} pts capacity ({} agents)",
            t.name,
            num(per_sprint),
            num(per_sprint * 4.0),
            t.agents
        ));
    }
    r.line(format!(
        "  📊 TOTAL ART CAPACITY: {} story points",
        num(total)
    ))
    .line(format!(
        "  (velocity observed over {} sprint(s) of the completion log)",
        num(m.sprints_observed)
    ));
    r.line("").line(format!(
        "🎯 PI PLANNING COMPLETE - Commitments established for {}",
        m.pi_id
    ));
    r.text()
}

pub fn scrum_of_scrums(s: &Snapshot, m: &Metrics) -> String {
    let mut r = Report::titled("🤝 SCRUM OF SCRUMS COORDINATION");
    // The standing teams of the ART meet here even before they have work.
    let teams = m.with_standing_teams();
    r.line("")
        .line(format!("📅 {} | PI {}", m.now, m.pi_id))
        .line(format!(
            "👥 Participants: {} teams, {} agents",
            teams.len(),
            m.agents
        ));
    r.section("🔄 TEAM UPDATES:");
    for t in &teams {
        let mut in_flight: Vec<&ClaimRecord> = s
            .claims
            .iter()
            .filter(|c| is_active(c) && text(c, "team") == Some(&t.name))
            .collect();
        in_flight.sort_by_key(|c| priority_rank(text(c, "priority").unwrap_or("")));
        let stale = m.stale.iter().filter(|x| x.team == t.name).count();
        r.section(&format!("📋 {}:", heading_of(&t.name)))
            .line(format!(
                "  ✅ Done: {} items, {} velocity points",
                t.completed,
                num(t.velocity)
            ))
            .line(format!(
                "  🎯 In progress: {} items{}",
                t.active,
                in_flight
                    .first()
                    .map(|c| format!(" (top: {})", field(text(c, "description").unwrap_or(""))))
                    .unwrap_or_default()
            ));
        let impediment = match (stale, t.overloaded) {
            (0, false) => "None blocking".to_string(),
            (n, o) => format!("{n} stale items{}", if o { ", over WIP limit" } else { "" }),
        };
        r.line(format!("  ⚠️ Impediments: {impediment}"))
            .line(format!(
                "  🤝 Agents: {} ({}% capacity)",
                t.agents,
                num(t.capacity)
            ));
    }
    r.section("📈 ART METRICS:")
        .line(format!(
            "  📊 Active items: {} | Completed: {}",
            m.active, m.completed
        ))
        .line(format!(
            "  🎯 PI Progress: {} complete",
            pct(m.completion_ratio(), 100.0)
        ))
        .line(format!(
            "  ⚡ Velocity: {} points logged",
            num(m.completion_points)
        ));
    r.text()
}

pub fn innovation_planning(s: &Snapshot, m: &Metrics) -> String {
    let mut r = Report::titled("💡 INNOVATION AND PLANNING (IP) ITERATION");
    let velocity: f64 = m.teams.iter().map(|t| m.sprint_velocity(t)).sum();
    r.line("")
        .line(format!("📅 IP Iteration of {} ({})", m.pi_id, m.now))
        .line("🎯 ART: AI Self-Sustaining Agile Release Train");
    r.section("🔬 INNOVATION TIME (20%):")
        .line(format!(
            "  💡 {} of {} points per sprint reserved",
            num((velocity * 0.2).round()),
            num(velocity)
        ))
        .line(format!(
            "  🧪 Technical Debt: {} stale items to resolve",
            m.stale.len()
        ));
    r.section("📋 PLANNING ACTIVITIES (80%):")
        .line(format!(
            "  🎯 Next PI planning with {} active items carried over",
            m.active
        ))
        .line(format!(
            "  📊 {} teams to sync, {} over their WIP limit",
            m.teams.len(),
            m.overloaded().count()
        ));
    r.section("🚀 INNOVATION BACKLOG ITEMS:");
    let mut n = 0;
    for st in m.stale.iter().take(5) {
        n += 1;
        r.line(format!(
            "  {n}. [Technical Debt] {} ({}) idle for {}",
            st.work_item_id,
            st.team,
            duration(st.idle_hours)
        ));
    }
    let low: Vec<&ClaimRecord> = s
        .claims
        .iter()
        .filter(|c| is_active(c) && text(c, "priority") == Some("low"))
        .take(3)
        .collect();
    for c in low {
        n += 1;
        r.line(format!(
            "  {n}. [Spike] {}",
            field(text(c, "description").unwrap_or(""))
        ));
    }
    if n == 0 {
        r.line("  (none: no stale or low-priority work) - Technical Debt: 0");
    }
    r.text()
}

pub fn system_demo(s: &Snapshot, m: &Metrics) -> String {
    let mut r = Report::titled("🎬 SYSTEM DEMO - INTEGRATED SOLUTION");
    r.line("")
        .line(format!("📅 Demo of {} ({})", m.pi_id, m.now));
    r.section("🎯 PI INCREMENT OBJECTIVES ACHIEVED:");
    let done = by_work_type(
        s.claims
            .iter()
            .filter(|c| text(c, "status") == Some("completed")),
    );
    if done.is_empty() {
        r.line("  (nothing completed yet)");
    }
    for (kind, n, bv) in done.iter().take(6) {
        r.line(format!("  ✅ [BV: {bv}] {kind} - {n} items COMPLETED"));
    }
    r.section("🚀 FEATURES DEMONSTRATED:");
    let ids = s
        .claims
        .iter()
        .filter(|c| {
            text(c, "work_item_id").is_some_and(|i| {
                i.strip_prefix("work_")
                    .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
            })
        })
        .count();
    r.line(format!(
        "  1. Nanosecond-precision agent coordination: {ids} unique work ids issued"
    ));
    let mut recent: Vec<&ClaimRecord> = s
        .claims
        .iter()
        .filter(|c| text(c, "status") == Some("completed"))
        .collect();
    recent.sort_by_key(|c| std::cmp::Reverse(text(c, "completed_at").unwrap_or("").to_string()));
    for (i, c) in recent.iter().take(4).enumerate() {
        r.line(format!(
            "  {}. {}",
            i + 2,
            field(text(c, "description").unwrap_or(""))
        ));
    }
    r.section("📊 ART METRICS SUMMARY:")
        .line(format!(
            "  📈 PI Velocity: {} story points",
            num(m.completion_points)
        ))
        .line(format!("  🎯 Features Delivered: {} items", m.completed))
        .line(format!("  ⚡ Success rate: {}", pct(m.success_rate, 100.0)))
        .line(format!(
            "  ⏱️ Median lead time: {}",
            duration(m.lead_time_hours.median)
        ));
    r.text()
}

pub fn inspect_adapt(s: &Snapshot, m: &Metrics) -> String {
    let mut r = Report::titled("🔍 INSPECT AND ADAPT (I&A) WORKSHOP");
    let committed: u64 = s
        .claims
        .iter()
        .filter(|c| is_active(c) || text(c, "status") == Some("completed"))
        .map(|c| business_value(text(c, "priority").unwrap_or("")))
        .sum();
    let delivered: u64 = s
        .claims
        .iter()
        .filter(|c| text(c, "status") == Some("completed"))
        .map(|c| business_value(text(c, "priority").unwrap_or("")))
        .sum();
    r.line("")
        .line(format!("📅 Workshop for {} ({})", m.pi_id, m.now));
    r.section("📊 PI RESULTS AND METRICS:")
        .line(format!(
            "  🎯 Business Value Delivered: {delivered} points (Committed: {committed})"
        ))
        .line(format!(
            "  📈 Predictability: {}",
            pct(delivered as f64, committed as f64)
        ))
        .line(format!("  ⚡ Success rate: {}", pct(m.success_rate, 100.0)))
        .line(format!(
            "  ⏱️ Lead time: median {}, max {}",
            duration(m.lead_time_hours.median),
            duration(m.lead_time_hours.max)
        ));
    r.section("🔍 PROBLEM-SOLVING WORKSHOP:");
    let mut causes: BTreeMap<String, usize> = BTreeMap::new();
    for st in &m.stale {
        *causes.entry(st.team.clone()).or_default() += 1;
    }
    let mut causes: Vec<_> = causes.into_iter().collect();
    causes.sort_by_key(|c| std::cmp::Reverse(c.1));
    r.line(format!(
        "  1. Root cause analysis: {} items idle over {}h",
        m.stale.len(),
        STALE_AFTER_SECS / 3600
    ));
    for (team, n) in causes.iter().take(3) {
        r.line(format!("     • {team}: {n} stale items"));
    }
    for t in m.overloaded() {
        r.line(format!(
            "     • {}: {} active for {} agents (over WIP limit)",
            t.name, t.active, t.agents
        ));
    }
    r.section("🎯 IMPROVEMENT BACKLOG ITEMS:");
    let mut n = 0;
    if let Some((team, count)) = causes.first() {
        n += 1;
        r.line(format!(
            "  {n}. [Process] Clear {count} stale items of {team}"
        ));
    }
    for t in m.overloaded() {
        n += 1;
        r.line(format!(
            "  {n}. [Team] Add capacity to {} or limit its WIP",
            t.name
        ));
    }
    let slow: Vec<&ClaimRecord> = s
        .claims
        .iter()
        .filter(|c| is_active(c) && number(c, "progress").is_none())
        .collect();
    if !slow.is_empty() {
        n += 1;
        r.line(format!(
            "  {n}. [Flow] {} active items never reported progress",
            slow.len()
        ));
    }
    if n == 0 {
        r.line("  (no problems found in the current state)");
    }
    r.text()
}
