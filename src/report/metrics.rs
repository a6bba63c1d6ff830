//! Figures computed from a state snapshot: counts, velocity per team, ages,
//! lead times and risks. Every number a report prints comes from here.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;

use crate::records::claim_record::ClaimRecord;
use crate::records::queue::WorkItem;
use crate::records::{number, text, time};
use crate::store::Snapshot;

/// Active items untouched for longer than this are stale.
pub const STALE_AFTER_SECS: i64 = 24 * 3600;
/// Whether an item in flight, untouched for `idle_secs`, is stale.
pub fn idle_too_long(idle_secs: i64) -> bool {
    idle_secs > STALE_AFTER_SECS
}

/// More active items per agent than this overloads a team.
pub const WIP_PER_AGENT: usize = 3;
/// The standing teams of the release train, reported by the scrum of scrums
/// even before they have agents or work (see [`Metrics::with_standing_teams`]).
pub const STANDING_TEAMS: [&str; 3] = ["coordination_team", "development_team", "platform_team"];

/// Figures of one team.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct TeamStats {
    pub name: String,
    pub agents: usize,
    pub capacity: f64,
    pub active: usize,
    pub completed: usize,
    pub velocity: f64,
    pub overloaded: bool,
}

/// An active item with no activity for too long.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StaleItem {
    pub work_item_id: String,
    pub team: String,
    pub idle_hours: f64,
}

/// Everything the reports print.
#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    pub pi_id: String,
    pub now: String,
    pub total_items: usize,
    pub active: usize,
    pub completed: usize,
    pub other: usize,
    pub agents: usize,
    pub active_by_priority: BTreeMap<String, usize>,
    pub teams: Vec<TeamStats>,
    /// Sum of the velocity log lines (what the legacy dashboard shows).
    pub velocity_log_total: f64,
    /// Sum of velocity points in the completion log.
    pub completion_points: f64,
    pub completions: usize,
    /// Lead times (claimed_at to completed_at) of completed items, in hours.
    pub lead_time_hours: Summary,
    /// Ages of active items, in hours.
    pub active_age_hours: Summary,
    pub stale: Vec<StaleItem>,
    /// Share of completed items among items that ended (completed or failed).
    pub success_rate: f64,
    /// Two-week sprints spanned by the completion log (at least 1).
    pub sprints_observed: f64,
}

/// Count, mean, median and max of a set of durations.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Summary {
    pub count: usize,
    pub mean: f64,
    pub median: f64,
    pub max: f64,
}

impl Summary {
    pub fn of(mut values: Vec<f64>) -> Summary {
        if values.is_empty() {
            return Summary::default();
        }
        values.sort_by(f64::total_cmp);
        let n = values.len();
        let median = if n % 2 == 1 {
            values[n / 2]
        } else {
            (values[n / 2 - 1] + values[n / 2]) / 2.0
        };
        Summary {
            count: n,
            mean: values.iter().sum::<f64>() / n as f64,
            median,
            max: values[n - 1],
        }
    }
}

/// `PI_<year>_Q<quarter>` of a date.
pub fn pi_id(now: DateTime<Utc>) -> String {
    format!("PI_{}_Q{}", now.year(), (now.month() - 1) / 3 + 1)
}

fn team<'a>(teams: &'a mut BTreeMap<String, TeamStats>, name: &str) -> &'a mut TeamStats {
    if teams.contains_key(name) {
        return teams.get_mut(name).expect("the team is there");
    }
    teams.entry(name.to_string()).or_insert_with(|| TeamStats {
        name: name.to_string(),
        ..TeamStats::default()
    })
}

fn hours_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds().max(0) as f64 / 3600.0
}

/// Points of a velocity log line `<ts>: Team <team> +<n> velocity points`.
pub fn velocity_line(line: &str) -> Option<(String, f64)> {
    let rest = line.split_once(": Team ")?.1;
    let (team, tail) = rest.split_once(" +")?;
    let points = tail.split_whitespace().next()?.parse().ok()?;
    Some((team.to_string(), points))
}

/// The team a completion's points go to: the team it names, else (records
/// written before completions named it) its item's team, as `item` finds
/// it from the work id, else its agent's, as `agent` finds it.
pub fn credited_team<'a, T: WorkItem + ?Sized>(
    e: &T,
    item: impl FnOnce(&str) -> Option<&'a str>,
    agent: impl FnOnce(&str) -> Option<&'a str>,
) -> String {
    let team = (e.get_text("team").map(str::to_string)).or_else(|| {
        e.get_text("work_item_id")
            .and_then(item)
            .map(str::to_string)
    });
    team.unwrap_or_else(|| {
        agent(e.get_text("agent_id").unwrap_or(""))
            .unwrap_or("unassigned")
            .to_string()
    })
}

impl Metrics {
    pub fn compute(s: &Snapshot, now: DateTime<Utc>) -> Metrics {
        fn status(c: &ClaimRecord) -> &str {
            text(c, "status").unwrap_or("")
        }
        fn team_of(c: &ClaimRecord) -> &str {
            text(c, "team").unwrap_or("unassigned")
        }
        let mut teams: BTreeMap<String, TeamStats> = BTreeMap::new();
        for a in &s.agents {
            let t = team(&mut teams, text(a, "team").unwrap_or("unassigned"));
            t.agents += 1;
            t.capacity += number(a, "capacity").unwrap_or(0.0);
        }
        let mut by_priority = BTreeMap::new();
        let (mut active, mut completed, mut failed) = (0, 0, 0);
        let mut ages = Vec::new();
        let mut leads = Vec::new();
        let mut stale = Vec::new();
        // The team of each id that a completion names (the last record's).
        let completed_ids: HashSet<&str> = s
            .completions
            .iter()
            .filter_map(|e| text(e, "work_item_id"))
            .collect();
        let mut claim_team: HashMap<&str, &str> = HashMap::new();
        for c in &s.claims {
            let name = team_of(c);
            team(&mut teams, name);
            if let Some(id) = text(c, "work_item_id")
                && completed_ids.contains(id)
            {
                claim_team.insert(id, name);
            }
            match status(c) {
                "completed" => {
                    completed += 1;
                    team(&mut teams, name).completed += 1;
                    if let (Some(a), Some(b)) = (time(c, "claimed_at"), time(c, "completed_at")) {
                        leads.push(hours_between(a, b));
                    }
                }
                "failed" | "error" | "cancelled" => failed += 1,
                "active" | "in_progress" | "claimed" | "blocked" | "review" | "stale" => {
                    active += 1;
                    team(&mut teams, name).active += 1;
                    let p = text(c, "priority").unwrap_or("unset").to_string();
                    *by_priority.entry(p).or_insert(0) += 1;
                    let claimed = time(c, "claimed_at");
                    if let Some(t) = claimed {
                        ages.push(hours_between(t, now));
                    }
                    if let Some(last) = time(c, "last_update").or(claimed)
                        && idle_too_long((now - last).num_seconds())
                    {
                        stale.push(StaleItem {
                            work_item_id: text(c, "work_item_id").unwrap_or("?").to_string(),
                            team: name.to_string(),
                            idle_hours: hours_between(last, now).round(),
                        });
                    }
                }
                _ => {}
            }
        }
        let agent_team: BTreeMap<&str, &str> = s
            .agents
            .iter()
            .filter_map(|a| Some((text(a, "agent_id")?, text(a, "team")?)))
            .collect();
        let mut completion_points = 0.0;
        let stamps: Vec<_> = s
            .completions
            .iter()
            .filter_map(|e| time(e, "completed_at"))
            .collect();
        let span_days = match (stamps.iter().min(), stamps.iter().max()) {
            (Some(a), Some(b)) => (*b - *a).num_seconds() as f64 / 86400.0,
            _ => 0.0,
        };
        for e in &s.completions {
            let points = number(e, "velocity_points").unwrap_or(0.0);
            completion_points += points;
            let item = |id: &str| claim_team.get(id).copied();
            let name = credited_team(e, item, |a| agent_team.get(a).copied());
            team(&mut teams, &name).velocity += points;
        }
        let velocity_log_total = s
            .velocity_lines
            .iter()
            .filter_map(|l| velocity_line(l))
            .map(|v| v.1)
            .sum();
        let teams = teams
            .into_values()
            .map(|mut t| {
                t.overloaded = t.active > WIP_PER_AGENT * t.agents.max(1);
                t
            })
            .collect();
        stale.sort_by(|a, b| b.idle_hours.total_cmp(&a.idle_hours));
        let ended = completed + failed;
        Metrics {
            pi_id: pi_id(now),
            now: crate::records::timestamp(now),
            total_items: s.claims.len(),
            active,
            completed,
            other: s.claims.len() - active - completed,
            agents: s.agents.len(),
            active_by_priority: by_priority,
            teams,
            velocity_log_total,
            completion_points,
            completions: s.completions.len(),
            lead_time_hours: Summary::of(leads),
            active_age_hours: Summary::of(ages),
            stale,
            success_rate: if ended == 0 {
                100.0
            } else {
                100.0 * completed as f64 / ended as f64
            },
            sprints_observed: (span_days / 14.0).ceil().max(1.0),
        }
    }

    /// The team figures of `name`, if the team exists.
    pub fn team(&self, name: &str) -> Option<&TeamStats> {
        self.teams.iter().find(|t| t.name == name)
    }

    /// Teams with more active work than their agents can carry.
    /// The teams found in the state plus the standing teams, by name.
    pub fn with_standing_teams(&self) -> Vec<TeamStats> {
        let mut all = self.teams.clone();
        for name in STANDING_TEAMS {
            if self.team(name).is_none() {
                all.push(TeamStats {
                    name: name.to_string(),
                    ..TeamStats::default()
                });
            }
        }
        all.sort_by(|a, b| a.name.cmp(&b.name));
        all
    }

    pub fn overloaded(&self) -> impl Iterator<Item = &TeamStats> {
        self.teams.iter().filter(|t| t.overloaded)
    }

    /// A team's points per sprint over the observed sprints.
    pub fn sprint_velocity(&self, team: &TeamStats) -> f64 {
        (team.velocity / self.sprints_observed).round()
    }

    /// Share of work that ended done among done plus in flight.
    pub fn completion_ratio(&self) -> f64 {
        let base = (self.completed + self.active) as f64;
        if base == 0.0 {
            0.0
        } else {
            100.0 * self.completed as f64 / base
        }
    }

    /// Velocity per completed item, 0 when nothing was completed.
    pub fn points_per_item(&self) -> f64 {
        if self.completions == 0 {
            0.0
        } else {
            self.completion_points / self.completions as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    #[test]
    fn quarters_and_velocity_lines() {
        let nov = Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap();
        assert_eq!(pi_id(nov), "PI_2026_Q4");
        assert_eq!(
            pi_id(Utc.with_ymd_and_hms(2026, 3, 31, 0, 0, 0).unwrap()),
            "PI_2026_Q1"
        );
        assert_eq!(
            velocity_line("2025-06-15T16:16:18Z: Team a_team +8 velocity points"),
            Some(("a_team".into(), 8.0))
        );
        assert_eq!(Summary::of(vec![3.0, 1.0, 2.0, 10.0]).median, 2.5);
    }

    #[test]
    fn computes_counts_leads_and_stale() {
        let now = Utc.with_ymd_and_hms(2026, 1, 3, 0, 0, 0).unwrap();
        let s = Snapshot {
            claims: vec![
                json!({"work_item_id": "work_1", "status": "completed", "team": "t",
                       "claimed_at": "2026-01-01T00:00:00Z", "completed_at": "2026-01-01T06:00:00Z"}),
                json!({"work_item_id": "work_2", "status": "active", "team": "t", "priority": "high",
                       "claimed_at": "2026-01-01T00:00:00Z"}),
                json!({"work_item_id": "work_3", "status": "active", "team": "t", "priority": "high",
                       "claimed_at": "2026-01-02T23:00:00Z"}),
            ]
            .into_iter()
            .map(crate::records::claim_record::ClaimRecord::from)
            .collect(),
            completions: vec![json!({"work_item_id": "work_1", "velocity_points": 8})],
            velocity_lines: vec!["x: Team t +8 velocity points".into()],
            ..Snapshot::default()
        };
        let m = Metrics::compute(&s, now);
        assert_eq!((m.active, m.completed, m.total_items), (2, 1, 3));
        assert_eq!(m.lead_time_hours.mean, 6.0);
        assert_eq!(m.stale.len(), 1);
        assert_eq!(m.stale[0].work_item_id, "work_2");
        assert_eq!(m.team("t").unwrap().velocity, 8.0);
        assert_eq!(m.active_by_priority["high"], 2);
        assert!(m.team("platform_team").is_none(), "only teams in the state");
        assert!(
            m.with_standing_teams()
                .iter()
                .any(|t| t.name == "platform_team")
        );
        assert!(!m.team("t").unwrap().overloaded);
        assert_eq!(m.velocity_log_total, 8.0);
    }
}
