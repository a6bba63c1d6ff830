//! Rendering of the live dashboard: a pure function of [`App`].

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Bar, BarChart, BarGroup, Block, Borders, Cell, Clear, Paragraph, Row, Sparkline, Table,
    TableState, Wrap,
};
use serde_json::Value;

use super::app::{App, Panel};
use crate::records::{number, text, time};
use crate::report::{duration, num};

const STALE: Style = Style::new().fg(Color::Yellow);
const HIGHLIGHT: Style = Style::new().add_modifier(Modifier::REVERSED);

/// Draw the whole dashboard.
pub fn draw(f: &mut Frame, app: &App) {
    let area = f.area();
    let notes = usize::from(app.error.is_some())
        + usize::from(app.snapshot.claims.is_empty() && app.error.is_none());
    let [header, body, bottom] = Layout::vertical([
        Constraint::Length(3 + notes as u16),
        Constraint::Min(6),
        Constraint::Length(10),
    ])
    .areas(area);
    draw_header(f, app, header);
    let [work, agents] =
        Layout::horizontal([Constraint::Percentage(64), Constraint::Percentage(36)]).areas(body);
    draw_work(f, app, work);
    draw_agents(f, app, agents);
    let [velocity, done, spans] = Layout::horizontal([
        Constraint::Percentage(34),
        Constraint::Percentage(33),
        Constraint::Percentage(33),
    ])
    .areas(bottom);
    draw_velocity(f, app, velocity);
    draw_completions(f, app, done);
    draw_spans(f, app, spans);
    if app.detail {
        draw_detail(f, app, area);
    }
    if app.help {
        draw_help(f, area);
    }
}

fn block(title: String, focused: bool) -> Block<'static> {
    let style = if focused {
        Style::new().fg(Color::Cyan)
    } else {
        Style::new()
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(title)
}

fn draw_header(f: &mut Frame, app: &App, area: Rect) {
    let m = &app.metrics;
    let mut lines = vec![
        Line::from(vec![
            Span::styled("nexus ", Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(format!(
                "{} · {} · mode {}",
                app.dir.display(),
                m.pi_id,
                app.mode
            )),
        ]),
        Line::from(format!(
            "active {} · completed {} · stale {} · agents {} · velocity {} pts · filter: {}{} · priority: {} · sort: {} · ? help",
            m.active,
            m.completed,
            m.stale.len(),
            m.agents,
            num(m.completion_points),
            if app.filter.is_empty() {
                "-"
            } else {
                &app.filter
            },
            if app.editing_filter { "▏" } else { "" },
            app.priority.unwrap_or("all"),
            app.sort.label(),
        )),
    ];
    if let Some(e) = &app.error {
        lines.push(Line::styled(
            format!("⚠ showing the last good view: {e}"),
            Style::new().fg(Color::Red),
        ));
    }
    if app.snapshot.claims.is_empty() && app.error.is_none() {
        lines.push(Line::styled(
            "no work yet: agents add some with `nexus claim <type> <description>`",
            Style::new().fg(Color::DarkGray),
        ));
    }
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::BOTTOM)),
        area,
    );
}

/// A progress bar of `width` cells.
pub fn bar(progress: f64, width: usize) -> String {
    let filled = ((progress / 100.0) * width as f64).round() as usize;
    format!(
        "{}{}",
        "█".repeat(filled.min(width)),
        "░".repeat(width - filled.min(width))
    )
}

fn age(app: &App, c: &Value) -> String {
    time(c, "claimed_at").map_or("?".into(), |t| {
        duration((app.now - t).num_seconds().max(0) as f64 / 3600.0)
    })
}

fn draw_work(f: &mut Frame, app: &App, area: Rect) {
    let stale: std::collections::HashSet<&str> = app
        .metrics
        .stale
        .iter()
        .map(|s| s.work_item_id.as_str())
        .collect();
    // Only the visible window is built, so 10,000 items scroll smoothly.
    let height = area.height.saturating_sub(3) as usize;
    let sel = app.selection(Panel::Work);
    let first = sel.saturating_sub(height.saturating_sub(1));
    let wide = area.width >= 84;
    let rows = app.rows.iter().skip(first).take(height.max(1)).map(|&i| {
        let c = &app.snapshot.claims[i];
        let id = text(c, "work_item_id").unwrap_or("?");
        let progress = number(c, "progress").unwrap_or(0.0);
        let style = if stale.contains(id) {
            STALE
        } else {
            Style::new()
        };
        let cell = |k: &str| Cell::from(text(c, k).unwrap_or("-").to_string());
        let cells = if wide {
            vec![
                cell("work_item_id"),
                cell("work_type"),
                cell("priority"),
                cell("team"),
                cell("agent_id"),
                Cell::from(format!("{} {:>3}%", bar(progress, 6), progress as i64)),
                Cell::from(age(app, c)),
            ]
        } else {
            vec![
                cell("work_item_id"),
                cell("priority"),
                cell("team"),
                Cell::from(format!("{:>3}%", progress as i64)),
                Cell::from(age(app, c)),
            ]
        };
        Row::new(cells).style(style)
    });
    let (widths, header): (Vec<Constraint>, Vec<&str>) = if wide {
        (
            vec![
                Constraint::Length(25),
                Constraint::Min(8),
                Constraint::Length(8),
                Constraint::Min(8),
                Constraint::Min(8),
                Constraint::Length(11),
                Constraint::Length(6),
            ],
            vec!["id", "type", "priority", "team", "agent", "progress", "age"],
        )
    } else {
        (
            vec![
                Constraint::Length(25),
                Constraint::Length(8),
                Constraint::Min(6),
                Constraint::Length(4),
                Constraint::Length(7),
            ],
            vec!["id", "priority", "team", "done", "age"],
        )
    };
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(Style::new().add_modifier(Modifier::BOLD)))
        .row_highlight_style(HIGHLIGHT)
        .block(block(
            format!("Active work ({})", app.rows.len()),
            app.panel == Panel::Work,
        ));
    let mut state = TableState::default();
    if !app.rows.is_empty() {
        state.select(Some(sel - first));
    }
    f.render_stateful_widget(table, area, &mut state);
}

fn draw_agents(f: &mut Frame, app: &App, area: Rect) {
    let agents = &app.snapshot.agents;
    let height = area.height.saturating_sub(3) as usize;
    let sel = app.selection(Panel::Agents);
    let first = sel.saturating_sub(height.saturating_sub(1));
    let rows = agents.iter().skip(first).take(height.max(1)).map(|a| {
        let active = app
            .snapshot
            .claims
            .iter()
            .filter(|c| {
                crate::report::dashboard::is_active(c) && c.get("agent_id") == a.get("agent_id")
            })
            .count();
        let beat = time(a, "last_heartbeat").map_or("-".into(), |t| {
            duration((app.now - t).num_seconds().max(0) as f64 / 3600.0)
        });
        Row::new(vec![
            text(a, "agent_id").unwrap_or("?").to_string(),
            text(a, "team").unwrap_or("").to_string(),
            match time(a, "last_heartbeat") {
                Some(t)
                    if (app.now - t).num_seconds() <= crate::ai::offline::offline_after_secs() =>
                {
                    text(a, "status").unwrap_or("").to_string()
                }
                _ => "offline".to_string(),
            },
            active.to_string(),
            beat,
        ])
    });
    let table = Table::new(
        rows,
        [
            Constraint::Min(10),
            Constraint::Min(8),
            Constraint::Length(7),
            Constraint::Length(4),
            Constraint::Length(7),
        ],
    )
    .header(
        Row::new(["agent", "team", "status", "wip", "beat"])
            .style(Style::new().add_modifier(Modifier::BOLD)),
    )
    .row_highlight_style(HIGHLIGHT)
    .block(block(
        format!("Agents ({})", agents.len()),
        app.panel == Panel::Agents,
    ));
    let mut state = TableState::default();
    if !agents.is_empty() {
        state.select(Some(sel - first));
    }
    f.render_stateful_widget(table, area, &mut state);
}

fn draw_velocity(f: &mut Frame, app: &App, area: Rect) {
    let mut teams: Vec<_> = app
        .metrics
        .teams
        .iter()
        .filter(|t| t.velocity > 0.0)
        .collect();
    teams.sort_by(|a, b| b.velocity.total_cmp(&a.velocity));
    let bars: Vec<Bar> = teams
        .iter()
        .take(8)
        .map(|t| {
            Bar::default()
                .value(t.velocity as u64)
                .label(Line::from(t.name.chars().take(6).collect::<String>()))
        })
        .collect();
    let chart = BarChart::default()
        .block(block("Velocity by team (points)".into(), false))
        .data(BarGroup::default().bars(&bars))
        .bar_width(6)
        .bar_gap(1);
    let [bars_area, trend_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(3)]).areas(area);
    f.render_widget(chart, bars_area);
    let daily = daily_points(app);
    let title = format!("Points per day, last {} days with completions", daily.len());
    let trend = Sparkline::default()
        .block(
            Block::default()
                .borders(Borders::LEFT | Borders::RIGHT | Borders::BOTTOM)
                .title(title),
        )
        .data(&daily);
    f.render_widget(trend, trend_area);
}

/// Velocity points per day from the completion log, the 30 latest days.
pub fn daily_points(app: &App) -> Vec<u64> {
    let mut days: std::collections::BTreeMap<String, f64> = std::collections::BTreeMap::new();
    for e in &app.snapshot.completions {
        if let Some(day) = text(e, "completed_at").and_then(|t| t.get(..10)) {
            *days.entry(day.to_string()).or_default() +=
                number(e, "velocity_points").unwrap_or(0.0);
        }
    }
    let v: Vec<u64> = days.values().map(|p| *p as u64).collect();
    v[v.len().saturating_sub(30)..].to_vec()
}

fn list_panel(
    f: &mut Frame,
    app: &App,
    area: Rect,
    panel: Panel,
    title: String,
    lines: Vec<String>,
) {
    let height = area.height.saturating_sub(2) as usize;
    let sel = app.selection(panel);
    let first = sel.saturating_sub(height.saturating_sub(1));
    let items: Vec<Line> = lines
        .into_iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, l)| {
            let style = if i == sel && app.panel == panel {
                HIGHLIGHT
            } else {
                Style::new()
            };
            Line::styled(l, style)
        })
        .collect();
    f.render_widget(
        Paragraph::new(items).block(block(title, app.panel == panel)),
        area,
    );
}

fn draw_completions(f: &mut Frame, app: &App, area: Rect) {
    let lines = app
        .snapshot
        .completions
        .iter()
        .rev()
        .map(|e| {
            format!(
                "{} {} +{}",
                text(e, "completed_at")
                    .unwrap_or("")
                    .get(5..16)
                    .unwrap_or(""),
                text(e, "work_item_id").unwrap_or("?"),
                num(number(e, "velocity_points").unwrap_or(0.0))
            )
        })
        .collect();
    list_panel(
        f,
        app,
        area,
        Panel::Completions,
        format!("Completions ({})", app.snapshot.completions.len()),
        lines,
    );
}

fn draw_spans(f: &mut Frame, app: &App, area: Rect) {
    let lines = app
        .spans
        .iter()
        .rev()
        .map(|s| {
            format!(
                "{} {}ms {}",
                text(s, "operation_name").unwrap_or("?"),
                s.get("duration_ms").and_then(Value::as_u64).unwrap_or(0),
                text(s, "status").unwrap_or("")
            )
        })
        .collect();
    list_panel(
        f,
        app,
        area,
        Panel::Spans,
        format!("Spans ({})", app.spans.len()),
        lines,
    );
}

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

fn draw_detail(f: &mut Frame, app: &App, area: Rect) {
    let Some(claim) = app.selected_claim() else {
        return;
    };
    let mut lines: Vec<Line> = serde_json::to_string_pretty(claim)
        .unwrap_or_default()
        .lines()
        .map(|l| Line::from(l.to_string()))
        .collect();
    let spans = app.claim_spans(claim);
    lines.push(Line::from(""));
    lines.push(Line::styled(
        format!("Spans of this item ({})", spans.len()),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    for s in spans {
        lines.push(Line::from(format!(
            "  {} {} {}ms {}",
            text(s, "start_time").unwrap_or(""),
            text(s, "operation_name").unwrap_or(""),
            s.get("duration_ms").and_then(Value::as_u64).unwrap_or(0),
            text(s, "status").unwrap_or("")
        )));
    }
    let r = centered(area, 90, 90);
    f.render_widget(Clear, r);
    let title = format!(
        "{} (Esc to close)",
        text(claim, "work_item_id").unwrap_or("item")
    );
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(title, true)),
        r,
    );
}

fn draw_help(f: &mut Frame, area: Rect) {
    let lines = [
        "↑/↓ or k/j   move          PgUp/PgDn  move by 10",
        "Tab          next panel    Enter      details of the item",
        "/            filter text   p          cycle priority filter",
        "s            change sort   ?          this help",
        "q, Esc, Ctrl-C             quit",
        "",
        "Yellow rows are stale: no activity for over 24 hours.",
    ];
    let r = centered(area, 70, 60);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines.iter().map(|l| Line::from(*l)).collect::<Vec<_>>())
            .block(block("Help".into(), true)),
        r,
    );
}
