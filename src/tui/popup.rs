//! The dashboard's pop-ups: the detail view of the selected record of any
//! panel, and the key help.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};
use serde_json::Value;

use super::app::{App, Panel};
use super::ui::block;
use crate::records::text;
use crate::report::dashboard::is_active;

/// A centred rectangle of the given percentage of `area`.
fn centered(area: Rect, pct_x: u16, pct_y: u16) -> Rect {
    let [_, mid, _] = Layout::vertical([
        Constraint::Percentage((100 - pct_y) / 2),
        Constraint::Percentage(pct_y),
        Constraint::Percentage((100 - pct_y) / 2),
    ])
    .areas(area);
    Layout::default()
        .direction(Direction::Horizontal)
        .constraints([
            Constraint::Percentage((100 - pct_x) / 2),
            Constraint::Percentage(pct_x),
            Constraint::Percentage((100 - pct_x) / 2),
        ])
        .split(mid)[1]
}

fn bold(s: String) -> Line<'static> {
    Line::styled(s, Style::new().add_modifier(Modifier::BOLD))
}

/// Every field of a record, unknown ones included.
fn fields(v: &Value) -> Vec<Line<'static>> {
    serde_json::to_string_pretty(v)
        .unwrap_or_default()
        .lines()
        .map(|l| Line::from(l.to_string()))
        .collect()
}

fn span_line(s: &Value) -> Line<'static> {
    Line::from(format!(
        "  {} {} {}ms {}",
        text(s, "start_time").unwrap_or(""),
        text(s, "operation_name").unwrap_or(""),
        s.get("duration_ms").and_then(Value::as_u64).unwrap_or(0),
        text(s, "status").unwrap_or("")
    ))
}

/// The title and lines of the detail view of the focused panel.
fn detail(app: &App, record: &Value) -> (String, Vec<Line<'static>>) {
    let mut lines = fields(record);
    let title = match app.panel {
        Panel::Work => {
            lines.extend(dependencies(app, record));
            let spans = app.claim_spans(record);
            lines.push(Line::from(""));
            lines.push(bold(format!("Spans of this item ({})", spans.len())));
            lines.extend(spans.into_iter().map(span_line));
            text(record, "work_item_id").unwrap_or("item").to_string()
        }
        Panel::Agents => {
            let agent = text(record, "agent_id");
            let work: Vec<&crate::records::claim_record::ClaimRecord> = app
                .snapshot
                .claims
                .iter()
                .filter(|c| is_active(c) && text(c, "agent_id") == agent)
                .collect();
            lines.push(Line::from(""));
            lines.push(bold(format!("Active work of this agent ({})", work.len())));
            for c in work {
                lines.push(Line::from(format!(
                    "  {} {} {}",
                    text(c, "work_item_id").unwrap_or("?"),
                    text(c, "priority").unwrap_or("-"),
                    text(c, "description").unwrap_or("")
                )));
            }
            format!("agent {}", agent.unwrap_or("?"))
        }
        Panel::Completions => {
            let id = text(record, "work_item_id").unwrap_or("?");
            lines.push(Line::from(""));
            match app.claim_of(id) {
                Some(c) => {
                    lines.push(bold("The completed item".into()));
                    lines.extend(fields(c));
                }
                None => lines.push(Line::from("(the item is no longer in work_claims.json)")),
            }
            format!("completion of {id}")
        }
        Panel::Spans => {
            let attrs = record.get("span_attributes");
            let item = attrs.and_then(|a| text(a, "s2s.work_item_id"));
            if let Some(c) = item.and_then(|id| app.claim_of(id)) {
                // Above the span's fields, which can be long.
                lines.insert(0, Line::from(""));
                lines.insert(
                    0,
                    bold(format!(
                        "Its item: {} ({})",
                        text(c, "work_item_id").unwrap_or("?"),
                        text(c, "status").unwrap_or("-")
                    )),
                );
            }
            format!("span {}", text(record, "operation_name").unwrap_or("?"))
        }
    };
    (format!("{title} (Esc to close)"), lines)
}

/// The item's dependency chain (what it waits on, transitively) and the
/// items that wait on it.
fn dependencies(app: &App, record: &Value) -> Vec<Line<'static>> {
    let id = text(record, "work_item_id").unwrap_or("");
    let graph_claims = crate::records::claim_record::graph_records(&app.snapshot.claims);
    let graph = crate::ops::graph::Graph::new(&graph_claims);
    let chain = graph.chain(id);
    let waiting: Vec<&crate::records::claim_record::ClaimRecord> = app
        .snapshot
        .claims
        .iter()
        .filter(|c| crate::records::depends_on(c).contains(&id))
        .collect();
    if chain.is_empty() && waiting.is_empty() {
        return Vec::new();
    }
    let row = |c: &Value| {
        let done = crate::records::is_completed(c);
        format!(
            "{} {} ({}) {}",
            if done { "✔" } else { "⛔" },
            text(c, "work_item_id").unwrap_or("?"),
            text(c, "status").unwrap_or("-"),
            text(c, "description").unwrap_or("")
        )
    };
    let mut lines = vec![
        Line::from(""),
        bold(format!("Depends on ({} in its chain)", chain.len())),
    ];
    for (depth, c) in chain {
        lines.push(Line::from(format!("{}{}", "  ".repeat(depth), row(c))));
    }
    lines.push(bold(format!("Waited on by ({})", waiting.len())));
    for c in waiting {
        lines.push(Line::from(format!("  {}", row(c))));
    }
    lines
}

/// The detail view of the selected record of the focused panel.
pub fn draw_detail(f: &mut Frame, app: &App, area: Rect) {
    let Some(record) = app.selected_record() else {
        return;
    };
    let (title, lines) = detail(app, record);
    let r = centered(area, 90, 90);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(title, true)),
        r,
    );
}

pub fn draw_help(f: &mut Frame, area: Rect) {
    let lines = [
        "↑/↓ or k/j   move          PgUp/PgDn  move by 10",
        "Tab          next panel    Enter      details of the selected row",
        "/            filter text   p          cycle priority filter",
        "s            change sort   ?          this help",
        "Esc          close a pop-up; else clear the text and priority filters",
        "q, Ctrl-C    quit",
        "",
        "Yellow rows are stale: no activity for over 24 hours.",
        "Red rows hold an expired lease (claim --next hands them over);",
        "magenta rows wait on items not completed yet (Enter shows the chain).",
    ];
    let r = centered(area, 76, 60);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines.iter().map(|l| Line::from(*l)).collect::<Vec<_>>())
            .block(block("Help".into(), true)),
        r,
    );
}
