//! The Fleet page's velocity chart: velocity points completed per team per
//! day over the last two weeks, one row of bars per team, as SVG (no
//! script, colours from the style sheet).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use maud::{Markup, html};
use serde_json::Value;

use super::shown;
use crate::records::{number, time};
use crate::report::metrics::credited_team;

/// Days the chart covers, today included.
pub const DAYS: usize = 14;
/// Teams drawn (the busiest).
const TEAMS: usize = 12;

/// Points per team per day (index 0 = DAYS-1 days ago, last = today).
pub type Velocity = BTreeMap<String, [f64; DAYS]>;

/// Velocity points of the completions in the last [`DAYS`] days, by the
/// team each is credited to (as the reports credit them).
/// `item_team` and `agent_team` tell the team of a work id and an agent.
pub fn velocity<'a>(
    completions: &[Value],
    now: DateTime<Utc>,
    item_team: impl Fn(&str) -> Option<&'a str>,
    agent_team: impl Fn(&str) -> Option<&'a str>,
) -> Velocity {
    let today = now.date_naive();
    let mut out: Velocity = BTreeMap::new();
    for c in completions {
        let Some(at) = time(c, "completed_at") else {
            continue;
        };
        let ago = (today - at.date_naive()).num_days();
        if !(0..DAYS as i64).contains(&ago) {
            continue;
        }
        let team = credited_team(c, &item_team, &agent_team);
        let points = number(c, "velocity_points").unwrap_or(1.0);
        out.entry(team).or_insert([0.0; DAYS])[DAYS - 1 - ago as usize] += points;
    }
    if out.len() > TEAMS {
        let mut totals: Vec<(String, f64)> = out
            .iter()
            .map(|(t, d)| (t.clone(), d.iter().sum()))
            .collect();
        totals.sort_by(|a, b| b.1.total_cmp(&a.1));
        let keep: Vec<String> = totals.into_iter().take(TEAMS).map(|t| t.0).collect();
        out.retain(|t, _| keep.contains(t));
    }
    out
}

/// The chart, or a line saying there is nothing to draw.
pub fn chart(v: &Velocity, now: DateTime<Utc>) -> Markup {
    if v.is_empty() {
        return html! { p.muted { "No completions in the last " (DAYS) " days." } };
    }
    let max = v
        .values()
        .flat_map(|d| d.iter().copied())
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let (label_w, bar_w, gap, row_h) = (150usize, 14usize, 3usize, 34usize);
    let width = label_w + DAYS * (bar_w + gap) + 10;
    let height = v.len() * row_h + 18;
    let first = (now - Duration::days(DAYS as i64 - 1))
        .format("%b %-d")
        .to_string();
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" width=(width) height=(height)
            viewBox=(format!("0 0 {width} {height}")) role="img"
            aria-label=(format!("Velocity points per team per day, the last {DAYS} days")) {
            @for (i, (team, days)) in v.iter().enumerate() {
                @let base = i * row_h + row_h - 6;
                text.team x="0" y=(base - 4) { (clip(team)) }
                @for (d, pts) in days.iter().enumerate() {
                    @let h = ((pts / max) * (row_h as f64 - 10.0)).round() as usize;
                    @let x = label_w + d * (bar_w + gap);
                    rect x=(x) y=(base - h.max(1)) width=(bar_w) height=(h.max(1))
                        class=(if *pts > 0.0 { "bar" } else { "bar zero" }) {
                        title { (shown(team)) ": " (pts) " points, " (DAYS - 1 - d) " days ago" }
                    }
                }
            }
            text.axis x=(label_w) y=(height - 2) { (first) }
            text.axis x=(width - 10) y=(height - 2) text-anchor="end" { "today" }
        }
    }
}

fn clip(s: &str) -> String {
    let s = shown(s);
    if s.chars().count() <= 20 {
        s
    } else {
        format!("{}…", s.chars().take(19).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn points_land_on_their_day_and_team() {
        let now = DateTime::parse_from_rfc3339("2026-03-15T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let completions = vec![
            json!({"completed_at": "2026-03-15T01:00:00Z", "team": "red", "velocity_points": 5}),
            json!({"completed_at": "2026-03-14T23:00:00Z", "agent_id": "a1", "velocity_points": 3}),
            json!({"completed_at": "2026-01-01T00:00:00Z", "team": "red", "velocity_points": 8}),
        ];
        let agent = |a: &str| (a == "a1").then_some("blue");
        let v = velocity(&completions, now, |_| None, agent);
        assert_eq!(v["red"][DAYS - 1], 5.0);
        assert_eq!(v["red"].iter().sum::<f64>(), 5.0, "old points left out");
        assert_eq!(v["blue"][DAYS - 2], 3.0, "credited by its agent's team");
        let svg = chart(&v, now).into_string();
        assert_eq!(svg.matches("<rect").count(), 2 * DAYS);
    }
}
