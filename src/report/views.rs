//! The text of the `list` table and the `status` summary.

use std::collections::BTreeMap;

use super::{Metrics, duration, num};
use crate::records::number;
use crate::records::queue::WorkItem;
use crate::text::field;

/// How much of an item is done: 100 for a completed item (the legacy script
/// never set progress on complete), else its last reported progress.
pub fn done_percent<T: WorkItem + ?Sized>(c: &T) -> f64 {
    if c.get_text("status") == Some("completed") {
        100.0
    } else {
        number(c, "progress").unwrap_or(0.0)
    }
}

/// The `list` table: one row per item, then the count.
pub fn list_table<T: WorkItem>(rows: &[&T]) -> String {
    let mut out = format!(
        "{:<26} {:<11} {:<9} {:<22} {:<26} {:>4}\n",
        "ID", "STATUS", "PRIORITY", "TEAM", "AGENT", "DONE"
    );
    for c in rows {
        out.push_str(&format!(
            "{:<26} {:<11} {:<9} {:<22} {:<26} {:>3}%\n",
            field(c.get_text("work_item_id").unwrap_or("?")),
            field(c.get_text("status").unwrap_or("-")),
            field(c.get_text("priority").unwrap_or("-")),
            field(c.get_text("team").unwrap_or("-")),
            field(c.get_text("agent_id").unwrap_or("-")),
            num(done_percent(c))
        ));
    }
    out.push_str(&format!(
        "{}\n",
        crate::text::count(rows.len(), "item", "items")
    ));
    out
}

/// What `status` reports besides its heading.
pub struct StatusFacts<'a> {
    pub by_status: &'a BTreeMap<String, usize>,
    pub archived: usize,
    pub m: &'a Metrics,
    pub offline: usize,
    pub agents: usize,
}

/// The `status` lines. Two things are called stale and are kept apart: the
/// status `stale` (set by `cleanup`) is a count among the statuses, and
/// active items without activity for 24 h are "idle over 24h".
pub fn status_lines(f: &StatusFacts) -> String {
    let mut out = format!(
        "  items by status: {}\n",
        if f.by_status.is_empty() {
            "none".to_string()
        } else {
            f.by_status
                .iter()
                .map(|(k, v)| format!("{} {v}", field(k)))
                .collect::<Vec<_>>()
                .join(" · ")
        }
    );
    out.push_str(&format!("  archived: {}\n", f.archived));
    for t in
        f.m.teams
            .iter()
            .filter(|t| t.active + t.completed + t.agents > 0)
    {
        out.push_str(&format!(
            "  team {}: {} active, {} completed, {} points, {} agents\n",
            field(&t.name),
            t.active,
            t.completed,
            num(t.velocity),
            t.agents
        ));
    }
    out.push_str(&format!(
        "  velocity: {} points over {} completions\n",
        num(f.m.completion_points),
        f.m.completions
    ));
    out.push_str(&format!(
        "  idle over 24h (active items without activity): {} · offline agents: {} of {}\n",
        f.m.stale.len(),
        f.offline,
        f.agents
    ));
    out.push_str(&format!(
        "  median lead time: {}\n",
        duration(f.m.lead_time_hours.median)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn completed_items_are_fully_done() {
        let done = json!({"work_item_id": "work_1", "status": "completed", "progress": 50});
        let half = json!({"work_item_id": "work_2", "status": "active", "progress": 50});
        let table = list_table(&[&done, &half]);
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[1].ends_with("100%"), "{table}");
        assert!(lines[2].ends_with(" 50%"), "{table}");
        assert_eq!(lines[3], "2 items");
    }
}
