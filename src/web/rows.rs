//! What the Fleet page needs of each claim record, kept beside the records
//! in memory: a small fixed-size row (names numbered, times in
//! milliseconds), computed when the record is read or changed. The page's
//! figures are then one pass over the rows instead of field lookups and
//! time parsing in 100,000 records; they are the figures `status` and the
//! reports compute ([`crate::report::metrics::Metrics`]), by the same rules.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::records::claim_record::ClaimRecord;
use crate::records::names::Names;
use crate::records::{number, text, time};
use crate::report::metrics::{TeamStats, WIP_PER_AGENT, credited_team, idle_too_long, pi_id};
use crate::store::Snapshot;
use chrono::{DateTime, Utc};

/// A record's sort key for one field: numbers by value, texts by text,
/// items without the field last either way.
pub enum Key<'a> {
    Number(f64),
    Text(&'a str),
    Missing,
}

impl<'a> Key<'a> {
    pub fn of(r: &'a ClaimRecord, field: &str) -> Key<'a> {
        match (number(r, field), text(r, field)) {
            (Some(n), _) => Key::Number(n),
            (None, Some(t)) => Key::Text(t),
            (None, None) => Key::Missing,
        }
    }

    /// By key (`desc`: largest first); numbers before texts before none.
    pub fn order(&self, other: &Key, desc: bool) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        let turn = |o: Ordering| if desc { o.reverse() } else { o };
        match (self, other) {
            (Key::Number(x), Key::Number(y)) => turn(x.partial_cmp(y).unwrap_or(Ordering::Equal)),
            (Key::Number(_), _) => Ordering::Less,
            (_, Key::Number(_)) => Ordering::Greater,
            (Key::Text(x), Key::Text(y)) => turn(x.cmp(y)),
            (Key::Text(_), Key::Missing) => Ordering::Less,
            (Key::Missing, Key::Text(_)) => Ordering::Greater,
            (Key::Missing, Key::Missing) => Ordering::Equal,
        }
    }
}

/// One claim record's row.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub status: Option<u32>,
    pub team: Option<u32>,
    /// When it was claimed, and when it last changed (its last update,
    /// else when it was claimed), in ms since the epoch.
    pub claimed: Option<i64>,
    pub touched: Option<i64>,
}

fn millis(t: Option<DateTime<Utc>>) -> Option<i64> {
    t.map(|t| t.timestamp_millis())
}

impl Row {
    pub fn of(c: &ClaimRecord, names: &mut Names) -> Row {
        let claimed = millis(time(c, "claimed_at"));
        Row {
            status: text(c, "status").map(|s| names.number(s)),
            team: text(c, "team").map(|t| names.number(t)),
            claimed,
            touched: millis(time(c, "last_update")).or(claimed),
        }
    }
}

/// How the reports count a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Active,
    Completed,
    Other,
}

fn class(status: &str) -> Class {
    match status {
        "completed" => Class::Completed,
        "active" | "in_progress" | "claimed" | "blocked" | "review" | "stale" => Class::Active,
        _ => Class::Other,
    }
}

/// The Fleet page's figures.
#[derive(Debug, Clone)]
pub struct Figures {
    pub pi_id: String,
    pub now: String,
    pub total_items: usize,
    pub by_status: BTreeMap<String, u64>,
    /// Per team (by name), as the reports count them.
    pub teams: Vec<TeamStats>,
    pub stale: usize,
    pub agents: usize,
    pub offline: usize,
    pub claims_last_hour: usize,
    pub completions_last_hour: usize,
    pub velocity: super::charts::Velocity,
}

/// The figures of `s` (whose claims' rows are `rows`, `by_id` where each
/// work id's last record is) at `now`.
pub fn figures(
    s: &Snapshot,
    rows: &[Row],
    names: &Names,
    by_id: &HashMap<String, usize>,
    now: DateTime<Utc>,
    offline_after_secs: i64,
) -> Figures {
    let now_ms = now.timestamp_millis();
    let hour_ago = now_ms - 3_600_000;
    let classes: Vec<Class> = (0..names.len() as u32)
        .map(|n| class(names.name(n)))
        .collect();
    let mut by_name = vec![0u64; names.len()];
    let (mut no_status, mut stale, mut claims_last_hour) = (0u64, 0, 0);
    // Per team number (the last slot: no team, "unassigned"): active, completed.
    let mut per_team = vec![(false, 0usize, 0usize); names.len() + 1];
    for r in rows {
        let team = r.team.map_or(names.len(), |t| t as usize);
        per_team[team].0 = true;
        claims_last_hour += usize::from(r.claimed.is_some_and(|t| t > hour_ago));
        let Some(st) = r.status else {
            no_status += 1;
            continue;
        };
        by_name[st as usize] += 1;
        match classes[st as usize] {
            Class::Completed => per_team[team].2 += 1,
            Class::Active => {
                per_team[team].1 += 1;
                if r.touched
                    .is_some_and(|t| idle_too_long((now_ms - t) / 1000))
                {
                    stale += 1;
                }
            }
            Class::Other => {}
        }
    }
    let mut by_status: BTreeMap<String, u64> = BTreeMap::new();
    for (n, count) in by_name.iter().enumerate().filter(|(_, c)| **c > 0) {
        *by_status
            .entry(names.name(n as u32).to_string())
            .or_default() += count;
    }
    if no_status > 0 {
        *by_status.entry("unknown".into()).or_default() += no_status;
    }
    let mut teams: BTreeMap<String, TeamStats> = BTreeMap::new();
    fn team<'t>(teams: &'t mut BTreeMap<String, TeamStats>, name: &str) -> &'t mut TeamStats {
        teams.entry(name.to_string()).or_insert_with(|| TeamStats {
            name: name.to_string(),
            ..TeamStats::default()
        })
    }
    for a in &s.agents {
        let t = team(&mut teams, text(a, "team").unwrap_or("unassigned"));
        t.agents += 1;
        t.capacity += number(a, "capacity").unwrap_or(0.0);
    }
    for (n, (seen, active, completed)) in per_team.iter().enumerate() {
        if *seen {
            let name = if n == names.len() {
                "unassigned"
            } else {
                names.name(n as u32)
            };
            let t = team(&mut teams, name);
            t.active += active;
            t.completed += completed;
        }
    }
    let agent_team: HashMap<&str, &str> = s
        .agents
        .iter()
        .filter_map(|a| Some((text(a, "agent_id")?, text(a, "team")?)))
        .collect();
    let team_name = |i: usize| rows[i].team.map(|t| names.name(t));
    for e in &s.completions {
        let points = number(e, "velocity_points").unwrap_or(0.0);
        // As the reports credit it: an item without a team is "unassigned".
        let item = |id: &str| by_id.get(id).map(|&i| team_name(i).unwrap_or("unassigned"));
        let name = credited_team(e, item, |a| agent_team.get(a).copied());
        team(&mut teams, &name).velocity += points;
    }
    let item_team = |id: &str| by_id.get(id).and_then(|&i| team_name(i));
    let velocity = super::charts::velocity(&s.completions, now, item_team, |a| {
        agent_team.get(a).copied()
    });
    let offline: HashSet<&str> = s
        .agents
        .iter()
        .filter(|a| {
            time(*a, "last_heartbeat").is_none_or(|t| (now - t).num_seconds() > offline_after_secs)
        })
        .filter_map(|a| text(a, "agent_id"))
        .collect();
    let offline = s
        .agents
        .iter()
        .filter_map(|a| text(a, "agent_id"))
        .filter(|a| offline.contains(a))
        .count();
    let completions_last_hour = s
        .completions
        .iter()
        .filter(|c| time(*c, "completed_at").is_some_and(|t| t.timestamp_millis() > hour_ago))
        .count();
    Figures {
        pi_id: pi_id(now),
        now: crate::records::timestamp(now),
        total_items: rows.len(),
        by_status,
        teams: teams
            .into_values()
            .map(|mut t| {
                t.overloaded = t.active > WIP_PER_AGENT * t.agents.max(1);
                t
            })
            .collect(),
        stale,
        agents: s.agents.len(),
        offline,
        claims_last_hour,
        completions_last_hour,
        velocity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::offline::Facts;
    use serde_json::json;

    #[test]
    fn the_figures_are_those_the_reports_compute() {
        let now = DateTime::parse_from_rfc3339("2026-03-15T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let claims: Vec<ClaimRecord> = vec![
            json!({"work_item_id": "w1", "status": "active", "team": "red",
                   "claimed_at": "2026-03-10T00:00:00Z", "agent_id": "a1"}),
            json!({"work_item_id": "w2", "status": "in_progress", "team": "red",
                   "claimed_at": "2026-03-15T11:30:00Z"}),
            json!({"work_item_id": "w3", "status": "completed", "team": "blue",
                   "claimed_at": "2026-03-14T00:00:00Z", "completed_at": "2026-03-15T11:00:00Z"}),
            json!({"work_item_id": "w4", "status": "available"}),
            json!({"work_item_id": "w5"}),
            json!({"work_item_id": "w6", "status": "unknown", "team": "green",
                   "claimed_at": "2026-03-15T11:59:00Z", "last_update": "2026-03-01T00:00:00Z"}),
        ]
        .into_iter()
        .map(ClaimRecord::from)
        .collect();
        let s = Snapshot {
            dir: "/".into(),
            claims,
            agents: vec![
                json!({"agent_id": "a1", "team": "red", "capacity": 3,
                       "last_heartbeat": "2026-03-15T11:59:00Z"}),
                json!({"agent_id": "a2", "team": "blue"}),
            ],
            completions: vec![
                json!({"work_item_id": "w3", "velocity_points": 5, "completed_at": "2026-03-15T11:00:00Z"}),
                json!({"work_item_id": "w4", "velocity_points": 2, "completed_at": "2026-03-14T11:00:00Z"}),
                json!({"agent_id": "a2", "velocity_points": 1, "completed_at": "2026-03-01T11:00:00Z"}),
            ],
            velocity_lines: Vec::new(),
            archived: 0,
        };
        let mut names = Names::default();
        let rows: Vec<Row> = s.claims.iter().map(|c| Row::of(c, &mut names)).collect();
        let by_id = (s.claims.iter().enumerate())
            .filter_map(|(i, c)| Some((text(c, "work_item_id")?.to_string(), i)))
            .collect();
        let f = figures(&s, &rows, &names, &by_id, now, 300);
        let facts = Facts::new(&s, now, 300);
        assert_eq!(f.teams, facts.m.teams);
        assert_eq!(f.stale, facts.m.stale.len());
        assert_eq!(f.offline, facts.offline_agents().len());
        assert_eq!((f.total_items, f.agents), (6, 2));
        assert_eq!(
            (f.pi_id.as_str(), f.now.as_str()),
            (facts.m.pi_id.as_str(), facts.m.now.as_str())
        );
        let counts: Vec<(&str, u64)> = f.by_status.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(
            counts,
            [
                ("active", 1),
                ("available", 1),
                ("completed", 1),
                ("in_progress", 1),
                ("unknown", 2)
            ]
        );
        assert_eq!((f.claims_last_hour, f.completions_last_hour), (2, 0));
        assert_eq!(f.velocity["blue"][super::super::charts::DAYS - 1], 5.0);
        assert_eq!(
            f.velocity["unassigned"].iter().sum::<f64>(),
            2.0,
            "an item without a team"
        );
    }
}
