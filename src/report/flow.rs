//! Flow ceremonies: ART sync, portfolio kanban, coach training and value
//! stream mapping, computed from the snapshot.

use std::collections::BTreeMap;

use super::dashboard::is_active;
use super::metrics::{Metrics, Summary, WIP_PER_AGENT};
use super::{Report, duration, pct};
use crate::records::{number, text, time};
use crate::store::Snapshot;

pub fn art_sync(s: &Snapshot, m: &Metrics) -> String {
    let mut r = Report::titled("🔄 ART SYNC - ALIGNMENT ACROSS TEAMS");
    r.line("").line(format!("📅 {} | PI {}", m.now, m.pi_id));
    r.section("🎯 PROGRAM RISKS AND DEPENDENCIES:");
    let mut high = 0;
    for t in m.overloaded() {
        high += 1;
        r.line(format!(
            "  🔴 HIGH RISK: {} has {} active items for {} agents (WIP limit {} per agent)",
            t.name, t.active, t.agents, WIP_PER_AGENT
        ));
    }
    let urgent_stale: Vec<_> = s
        .claims
        .iter()
        .filter(|c| matches!(text(c, "priority"), Some("critical" | "high")))
        .filter(|c| {
            let id = text(c, "work_item_id");
            m.stale
                .iter()
                .any(|st| Some(st.work_item_id.as_str()) == id)
        })
        .collect();
    for c in urgent_stale.iter().take(5) {
        high += 1;
        r.line(format!(
            "  🔴 HIGH RISK: stale {} item {} ({})",
            text(c, "priority").unwrap_or(""),
            text(c, "work_item_id").unwrap_or(""),
            text(c, "team").unwrap_or("")
        ));
    }
    if high == 0 {
        r.line("  🟢 HIGH RISK items: 0");
    }
    r.line(format!(
        "  🟡 MEDIUM RISK: {} stale items overall",
        m.stale.len()
    ));
    r.section("🔗 CROSS-TEAM DEPENDENCIES:");
    let agent_team: BTreeMap<&str, &str> = s
        .agents
        .iter()
        .filter_map(|a| Some((text(a, "agent_id")?, text(a, "team")?)))
        .collect();
    let mut links: BTreeMap<(String, String), usize> = BTreeMap::new();
    for c in s.claims.iter().filter(is_active) {
        let (Some(agent), Some(team)) = (text(c, "agent_id"), text(c, "team")) else {
            continue;
        };
        if let Some(home) = agent_team.get(agent).filter(|h| **h != team) {
            *links
                .entry((home.to_string(), team.to_string()))
                .or_default() += 1;
        }
    }
    if links.is_empty() {
        r.line("  (none: every active item is worked by its own team)");
    }
    for ((from, to), n) in &links {
        r.line(format!("  📋 {from} → {to}: {n} active items"));
    }
    r.section("📈 ART HEALTH METRICS:")
        .line(format!(
            "  🎯 Sprint Goal Achievement: {}",
            pct(m.completion_ratio(), 100.0)
        ))
        .line(format!("  📊 Success rate: {}", pct(m.success_rate, 100.0)))
        .line(format!(
            "  ⚡ Lead Time: {} median",
            duration(m.lead_time_hours.median)
        ))
        .line(format!(
            "  🔧 Throughput: {} completions logged",
            m.completions
        ));
    r.text()
}

/// Kanban column of a claim.
fn column(c: &crate::records::claim_record::ClaimRecord) -> &'static str {
    match text(c, "status").unwrap_or("") {
        "completed" => "DONE",
        "pending" | "available" | "new" | "" => "FUNNEL",
        "blocked" | "stale" => "PORTFOLIO BACKLOG",
        _ if number(c, "progress").unwrap_or(0.0) > 0.0 => "IMPLEMENTING",
        _ if is_active(c) => "ANALYZING",
        _ => "PORTFOLIO BACKLOG",
    }
}

pub fn portfolio_kanban(s: &Snapshot, m: &Metrics) -> String {
    let mut r = Report::titled("📊 PORTFOLIO KANBAN - EPIC FLOW");
    r.line("")
        .line("🎯 PORTFOLIO VISION: Autonomous AI Development Ecosystem")
        .line(format!("📅 Current PI: {}", m.pi_id));
    let mut cols: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    for c in &s.claims {
        *cols
            .entry(column(c))
            .or_default()
            .entry(text(c, "work_type").unwrap_or("unspecified").to_string())
            .or_default() += 1;
    }
    for (col, label) in [
        ("FUNNEL", "📋 FUNNEL (not yet claimed):"),
        ("ANALYZING", "🔍 ANALYZING (claimed, no progress yet):"),
        (
            "PORTFOLIO BACKLOG",
            "🏗️ PORTFOLIO BACKLOG (blocked or parked):",
        ),
        ("IMPLEMENTING", "🚀 IMPLEMENTING (in progress):"),
        ("DONE", "✅ DONE (completed):"),
    ] {
        let epics = cols.remove(col).unwrap_or_default();
        let total: usize = epics.values().sum();
        r.section(&format!("{label} {total} items"));
        let mut epics: Vec<_> = epics.into_iter().collect();
        epics.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (kind, n) in epics.iter().take(5) {
            r.line(format!("  • Epic {kind}: {n} items"));
        }
    }
    r.text()
}

pub fn coach_training(_s: &Snapshot, m: &Metrics) -> String {
    let mut r = Report::titled("🎓 SCRUM AT SCALE COACH TRAINING");
    r.line("")
        .line("📚 TRAINING PROGRAM: coaching this ART from its own data")
        .line("🏆 Role in focus: Release Train Engineer (RTE)");
    r.section("🎯 LEARNING OBJECTIVES:")
        .line(format!(
            "  1. 🚀 Facilitate PI planning for {} teams",
            m.teams.len()
        ))
        .line(format!(
            "  2. 🔄 Improve flow: median lead time is {}",
            duration(m.lead_time_hours.median)
        ))
        .line(format!(
            "  3. 🤝 Remove impediments: {} stale items",
            m.stale.len()
        ));
    r.section("🛠️ PRACTICAL EXERCISES:");
    let mut n = 0;
    for st in m.stale.iter().take(3) {
        n += 1;
        r.line(format!(
            "  {n}. Unblock {} ({}), idle {}",
            st.work_item_id,
            st.team,
            duration(st.idle_hours)
        ));
    }
    for t in m.overloaded().take(3) {
        n += 1;
        r.line(format!(
            "  {n}. Rebalance {}: {} active items for {} agents",
            t.name, t.active, t.agents
        ));
    }
    n += 1;
    r.line(format!(
        "  {n}. Analyse {} completions and their velocity trend",
        m.completions
    ));
    let level = |good: bool, ok: bool| {
        if good {
            "Advanced"
        } else if ok {
            "Intermediate"
        } else {
            "Foundation"
        }
    };
    let stale_share = if m.active == 0 {
        0.0
    } else {
        m.stale.len() as f64 / m.active as f64
    };
    r.section("📈 COACHING COMPETENCY AREAS:")
        .line(format!(
            "  🎯 Flow management: {} ({} of active work is stale)",
            level(stale_share < 0.1, stale_share < 0.3),
            pct(stale_share, 1.0)
        ))
        .line(format!(
            "  🤝 Team capacity: {} ({} teams over WIP limit)",
            level(m.overloaded().count() == 0, m.overloaded().count() <= 1),
            m.overloaded().count()
        ))
        .line(format!(
            "  📊 Delivery: {} (success rate {})",
            level(m.success_rate >= 95.0, m.success_rate >= 80.0),
            pct(m.success_rate, 100.0)
        ));
    r.text()
}

pub fn value_stream(s: &Snapshot, m: &Metrics) -> String {
    let mut r = Report::titled("🗺️ VALUE STREAM MAPPING - END-TO-END FLOW");
    r.line("")
        .line("🎯 VALUE STREAM: From Concept to Production Deployment")
        .line(format!(
            "📊 Mapped on {} from {} completed items",
            m.now, m.completed
        ));
    // Stage 1: claim → last progress report (work); stage 2: last report → completion (wait).
    let (mut work, mut wait) = (Vec::new(), Vec::new());
    for c in s
        .claims
        .iter()
        .filter(|c| text(c, "status") == Some("completed"))
    {
        let (Some(a), Some(z)) = (time(c, "claimed_at"), time(c, "completed_at")) else {
            continue;
        };
        let mid = time(c, "last_update")
            .filter(|u| *u >= a && *u <= z)
            .unwrap_or(z);
        work.push((mid - a).num_seconds().max(0) as f64 / 3600.0);
        wait.push((z - mid).num_seconds().max(0) as f64 / 3600.0);
    }
    let process: f64 = work.iter().sum();
    let waiting: f64 = wait.iter().sum();
    let (work, wait) = (Summary::of(work), Summary::of(wait));
    r.section("🔄 CURRENT STATE MAP:")
        .line(format!(
            "  1. 💡 Backlog → Claimed: {} items waiting in the funnel",
            s.claims.iter().filter(|c| column(c) == "FUNNEL").count()
        ))
        .line(format!(
            "  2. 🔧 Claimed → Last progress: mean {} (process time)",
            duration(work.mean)
        ))
        .line(format!(
            "  3. ✅ Last progress → Completed: mean {} (wait time)",
            duration(wait.mean)
        ));
    let efficiency = pct(process, process + waiting);
    r.section("📊 CURRENT STATE METRICS:")
        .line(format!(
            "  ⏱️ Total Lead Time: mean {}, median {}",
            duration(m.lead_time_hours.mean),
            duration(m.lead_time_hours.median)
        ))
        .line(format!("  🔧 Total Process Time: {}", duration(process)))
        .line(format!("  ⏳ Total Wait Time: {}", duration(waiting)))
        .line(format!("  📈 Process Efficiency: {efficiency}"));
    r.section("🎯 FUTURE STATE VISION:")
        .line(format!(
            "  ⚡ Target Lead Time: {} (half of today's median)",
            duration(m.lead_time_hours.median / 2.0)
        ))
        .line(format!(
            "  📊 Work in flight: {} items → keep under {} per agent",
            m.active, WIP_PER_AGENT
        ));
    r.section("🔧 IMPROVEMENT OPPORTUNITIES:");
    let mut n = 0;
    if !m.stale.is_empty() {
        n += 1;
        r.line(format!(
            "  {n}. 🤖 Resolve {} stale items holding up the flow",
            m.stale.len()
        ));
    }
    if waiting > process {
        n += 1;
        r.line(format!(
            "  {n}. 🔄 Cut wait after last progress: {} of lead time is waiting",
            pct(waiting, process + waiting)
        ));
    }
    n += 1;
    r.line(format!(
        "  {n}. 📋 Pull-based work: {} items active across {} teams",
        m.active,
        m.teams.len()
    ));
    r.text()
}
