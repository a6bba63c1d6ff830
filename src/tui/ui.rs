//! Rendering of the live dashboard: a pure function of [`App`].

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Bar, BarChart, BarGroup, Block, Borders, Cell, Paragraph, Row, Sparkline, Table, TableState,
};
use serde_json::Value;

use super::app::{App, Panel};
use super::columns::{Col, fit, short_id};
use super::popup;
use crate::records::{number, text, time};
use crate::report::{duration, num};
use crate::text::field;

const STALE: Style = Style::new().fg(Color::Yellow);
const EXPIRED: Style = Style::new().fg(Color::Red);
const BLOCKED: Style = Style::new().fg(Color::Magenta);
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
        popup::draw_detail(f, app, area);
    }
    if app.help {
        popup::draw_help(f, area);
    }
}

pub fn block(title: String, focused: bool) -> Block<'static> {
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
    let m = &app.figures;
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
            "active {} · backlog {} ({} ready) · completed {} · stale {} · agents {} · velocity {} pts · filter: {}{} · priority: {} · sort: {} · ? help",
            m.active,
            app.seen.ready + app.seen.blocked,
            app.seen.ready,
            m.completed,
            m.stale,
            m.agents,
            num(m.points),
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
    // Only the visible window is built, so 10,000 items scroll smoothly.
    let height = area.height.saturating_sub(3) as usize;
    let sel = app.selection(Panel::Work);
    let first = sel.saturating_sub(height.saturating_sub(1));
    let wide = area.width >= 60;
    let longest = app.seen.longest_id as u16;
    let all: Vec<Col> = if wide {
        // The id whole when a third of the panel holds it; the description
        // and agent before the team, the type and the lease.
        let id = longest.min(area.width / 3).max(8);
        vec![
            Col::new("id", id, longest, 0),
            Col::new("priority", 8, 8, 3),
            Col::new("description", 12, 60, 5),
            Col::new("agent", 10, 26, 4),
            Col::new("team", 6, 20, 6),
            Col::new("type", 6, 16, 7),
            Col::new("progress", 4, 11, 1),
            Col::new("age", 6, 6, 2),
            Col::new("lease", 7, 7, 8),
        ]
    } else {
        vec![
            Col::new("id", 8, longest, 0),
            Col::new("priority", 8, 8, 3),
            Col::new("team", 6, 20, 4),
            Col::new("done", 4, 4, 1),
            Col::new("age", 6, 6, 2),
        ]
    };
    let cols = fit(&all, area.width.saturating_sub(2));
    let rows = app.rows.iter().skip(first).take(height.max(1)).map(|&i| {
        let c = &app.snapshot.claims[i];
        let id = text(c, "work_item_id").unwrap_or("?");
        let progress = number(c, "progress").unwrap_or(0.0);
        let (expired, blocked) = (app.is_expired(c), app.is_blocked(c));
        let style = if expired {
            EXPIRED
        } else if blocked {
            BLOCKED
        } else if app.is_stale(i) {
            STALE
        } else {
            Style::new()
        };
        let cell = |k: &str| Cell::from(field(text(c, k).unwrap_or("-")).into_owned());
        let cells = cols.iter().map(|(col, w)| match col.header {
            "id" => Cell::from(short_id(id, *w as usize)),
            "type" => cell("work_type"),
            "agent" => Cell::from(short_id(
                &field(text(c, "agent_id").unwrap_or("-")),
                *w as usize,
            )),
            "description" => Cell::from(
                crate::text::clip(&field(text(c, "description").unwrap_or("")), *w as usize)
                    .into_owned(),
            ),
            "progress" if *w >= 11 => {
                Cell::from(format!("{} {:>3}%", bar(progress, 6), progress as i64))
            }
            "progress" | "done" => Cell::from(format!("{:>3}%", progress as i64)),
            "age" => Cell::from(age(app, c)),
            "lease" => Cell::from(match (expired, blocked) {
                (true, _) => "expired",
                (_, true) => "blocked",
                _ if c.get("lease_generation").is_some() => "held",
                _ => "-",
            }),
            other => cell(other),
        });
        Row::new(cells.collect::<Vec<_>>()).style(style)
    });
    let widths: Vec<Constraint> = cols.iter().map(|(_, w)| Constraint::Length(*w)).collect();
    let header: Vec<&str> = cols.iter().map(|(c, _)| c.header).collect();
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(Style::new().add_modifier(Modifier::BOLD)))
        .row_highlight_style(HIGHLIGHT)
        .block(block(work_title(app), app.panel == Panel::Work));
    let mut state = TableState::default();
    if !app.rows.is_empty() {
        state.select(Some(sel - first));
    }
    f.render_stateful_widget(table, area, &mut state);
}

/// "Active work (N)", then the blocked rows and expired leases when any.
fn work_title(app: &App) -> String {
    let blocked = app.seen.blocked;
    let expired = app.seen.expired(app.now);
    let ready = app.seen.ready;
    let mut title = format!("Active work ({})", app.rows.len() - blocked - ready);
    if ready > 0 {
        title.push_str(&format!(" · {ready} ready"));
    }
    if blocked > 0 {
        title.push_str(&format!(" · {blocked} blocked"));
    }
    if expired > 0 {
        title.push_str(&format!(" · {expired} lease expired"));
    }
    title
}

fn draw_agents(f: &mut Frame, app: &App, area: Rect) {
    let agents = &app.snapshot.agents;
    // The agent column takes what the fixed columns leave (ids differ at
    // the end), up to the longest id: the team gets the rest.
    let longest = (agents.iter())
        .filter_map(|a| text(a, "agent_id").map(|i| i.chars().count()))
        .max()
        .unwrap_or(6);
    let id_width =
        (area.width.saturating_sub(2 + 8 + 7 + 4 + 7 + 4) as usize).clamp(6, longest.max(6));
    let height = area.height.saturating_sub(3) as usize;
    let sel = app.selection(Panel::Agents);
    let first = sel.saturating_sub(height.saturating_sub(1));
    let rows = agents.iter().skip(first).take(height.max(1)).map(|a| {
        let active = text(a, "agent_id").map_or(0, |id| app.wip(id));
        let beat = time(a, "last_heartbeat").map_or("-".into(), |t| {
            duration((app.now - t).num_seconds().max(0) as f64 / 3600.0)
        });
        Row::new(vec![
            short_id(&field(text(a, "agent_id").unwrap_or("?")), id_width),
            field(text(a, "team").unwrap_or("")).into_owned(),
            match time(a, "last_heartbeat") {
                Some(t) if (app.now - t).num_seconds() <= app.offline_after_secs => {
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
            Constraint::Length(id_width as u16),
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
    let mut teams: Vec<_> = (app.figures.velocity.iter())
        .filter(|(_, v)| *v > 0.0)
        .collect();
    teams.sort_by(|a, b| b.1.total_cmp(&a.1));
    let bars: Vec<Bar> = teams
        .iter()
        .take(8)
        .map(|(name, velocity)| {
            Bar::default()
                .value(*velocity as u64)
                .label(Line::from(name.chars().take(6).collect::<String>()))
        })
        .collect();
    let chart = BarChart::default()
        .block(block("Velocity by team (points)".into(), false))
        .data(BarGroup::default().bars(&bars))
        .bar_width(6)
        .bar_gap(1);
    let [bars_area, trend_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(4)]).areas(area);
    f.render_widget(chart, bars_area);
    let daily = &app.figures.daily;
    let title = format!("Points per day, last {} days with completions", daily.len());
    let trend = Sparkline::default()
        .block(Block::default().borders(Borders::ALL).title(title))
        .data(daily);
    f.render_widget(trend, trend_area);
}

/// A panel of `count` lines, `line(i)` the i-th (only the visible ones are
/// built).
fn list_panel(
    f: &mut Frame,
    app: &App,
    area: Rect,
    panel: Panel,
    title: String,
    (count, line): (usize, &dyn Fn(usize) -> String),
) {
    let height = area.height.saturating_sub(2) as usize;
    let sel = app.selection(panel);
    let first = sel.saturating_sub(height.saturating_sub(1));
    let items: Vec<Line> = (first..count.min(first + height))
        .map(|i| (i, line(i)))
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
    let all = &app.snapshot.completions;
    let line = |i: usize| {
        let e = &all[all.len() - 1 - i];
        let when = text(e, "completed_at")
            .unwrap_or("")
            .get(5..16)
            .unwrap_or("");
        let points = format!("+{}", num(number(e, "velocity_points").unwrap_or(0.0)));
        // The id gets what the time and points leave of the panel.
        let room = (area.width as usize)
            .saturating_sub(2 + when.chars().count() + points.len() + 2)
            .max(6);
        format!(
            "{when} {} {points}",
            short_id(text(e, "work_item_id").unwrap_or("?"), room)
        )
    };
    list_panel(
        f,
        app,
        area,
        Panel::Completions,
        format!("Completions ({})", all.len()),
        (all.len(), &line),
    );
}

fn draw_spans(f: &mut Frame, app: &App, area: Rect) {
    let all = &app.spans;
    let line = |i: usize| {
        let s = &all[all.len() - 1 - i];
        format!(
            "{} {}ms {}",
            text(s, "operation_name").unwrap_or("?"),
            s.get("duration_ms").and_then(Value::as_u64).unwrap_or(0),
            text(s, "status").unwrap_or("")
        )
    };
    list_panel(
        f,
        app,
        area,
        Panel::Spans,
        format!("Spans ({})", all.len()),
        (all.len(), &line),
    );
}
