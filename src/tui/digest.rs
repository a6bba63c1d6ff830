//! What the frames need of each claim record, kept beside the records.
//!
//! A digest is small and fixed in size, computed when its record is read:
//! after a change only the changed records' digests are computed again, and
//! the figures of a frame over 100,000 records (counts, stale items, work
//! per agent, the rows, their order) are passes over a few megabytes rather
//! than field lookups in every record's text.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::records::claim_record::ClaimRecord;
use crate::records::names::Names;
use crate::records::queue::WorkItem;
use crate::records::{Status, number, priority_rank, text, time};
use crate::report::metrics::{credited_team, idle_too_long, pi_id};

/// What the frames need of one claim record. Times are milliseconds since
/// the epoch.
#[derive(Debug, Clone, Copy)]
pub struct Digest {
    pub status: Status,
    /// The priority's rank (critical first, unknown last) and the priority.
    pub rank: u8,
    pub priority: Option<u32>,
    pub team: Option<u32>,
    pub agent: Option<u32>,
    pub claimed: Option<i64>,
    /// When it last changed: its last update, else when it was claimed.
    pub touched: Option<i64>,
    pub lease: Option<i64>,
    pub progress: i64,
    /// The length of its work id in characters.
    pub id_chars: Option<u32>,
    /// Whether it depends on other items.
    pub deps: bool,
}

fn millis(t: Option<DateTime<Utc>>) -> Option<i64> {
    t.map(|t| t.timestamp_millis())
}

impl Digest {
    pub fn of(c: &ClaimRecord, names: &mut Names) -> Digest {
        let priority = text(c, "priority");
        let claimed = millis(time(c, "claimed_at"));
        let status = Status::of(c);
        Digest {
            status,
            rank: priority_rank(priority.unwrap_or("")) as u8,
            priority: priority.map(|p| names.number(p)),
            team: text(c, "team").map(|t| names.number(t)),
            agent: text(c, "agent_id").map(|a| names.number(a)),
            claimed,
            touched: millis(time(c, "last_update")).or(claimed),
            lease: (status == Status::InFlight)
                .then(|| millis(time(c, "lease_expires_at")))
                .flatten(),
            progress: number(c, "progress").unwrap_or(0.0) as i64,
            id_chars: text(c, "work_item_id").map(|id| id.chars().count() as u32),
            deps: !c.deps().is_empty(),
        }
    }

    pub fn in_flight(&self) -> bool {
        self.status == Status::InFlight
    }

    /// In flight and untouched for longer than the stale limit at `now`.
    pub fn stale(&self, now_ms: i64) -> bool {
        self.in_flight() && (self.touched).is_some_and(|t| idle_too_long((now_ms - t) / 1000))
    }
}

/// The digests of a snapshot's claims, in the same order, and where each
/// work id is (the last record with it).
#[derive(Debug, Default)]
pub struct Digests {
    pub of: Vec<Digest>,
    pub names: Names,
    pub by_id: HashMap<String, usize>,
    /// Ids that take part in a dependency: a change to one of them may
    /// block or free others.
    pub graph_ids: HashSet<String>,
    /// Whether a change since the blocked items were found may change them.
    pub graph_changed: bool,
}

impl Digests {
    pub fn of_all(claims: &[ClaimRecord]) -> Digests {
        let mut d = Digests {
            graph_changed: true,
            ..Digests::default()
        };
        d.of.reserve(claims.len());
        for (i, c) in claims.iter().enumerate() {
            let id = text(c, "work_item_id");
            let digest = Digest::of(c, &mut d.names);
            if let Some(id) = id {
                d.by_id.insert(id.to_string(), i);
            }
            d.note_dependencies(id, c, &digest);
            d.of.push(digest);
        }
        d
    }

    /// Remember the ids a record that waits on others links: its own and
    /// those it waits on.
    fn note_dependencies(&mut self, id: Option<&str>, record: &ClaimRecord, digest: &Digest) {
        if digest.deps {
            self.graph_ids.extend(id.map(str::to_string));
            (self.graph_ids).extend(record.deps().into_iter().map(str::to_string));
        }
    }

    /// Put the record of `id` into `claims` (in its place, or at the end
    /// when it is new) and its digest beside it.
    pub fn put(&mut self, claims: &mut Vec<ClaimRecord>, id: String, record: ClaimRecord) {
        let digest = Digest::of(&record, &mut self.names);
        let waited = self.by_id.get(&id).is_some_and(|&i| self.of[i].deps);
        self.graph_changed |= digest.deps || waited || self.graph_ids.contains(&id);
        self.note_dependencies(Some(&id), &record, &digest);
        match self.by_id.get(&id) {
            Some(&i) => {
                claims[i] = record;
                self.of[i] = digest;
            }
            None => {
                self.by_id.insert(id, claims.len());
                claims.push(record);
                self.of.push(digest);
            }
        }
    }

    /// Items in flight per agent number.
    pub fn wip(&self) -> Vec<usize> {
        let mut wip = vec![0; self.names.len()];
        for d in self.of.iter().filter(|d| d.in_flight()) {
            if let Some(a) = d.agent {
                wip[a as usize] += 1;
            }
        }
        wip
    }
}

/// The figures of the dashboard's header and velocity panel.
#[derive(Debug, Default, Clone)]
pub struct Figures {
    pub pi_id: String,
    pub active: usize,
    pub completed: usize,
    pub stale: usize,
    pub agents: usize,
    /// Velocity points in the completion log, in all and per team (by name).
    pub points: f64,
    pub velocity: Vec<(String, f64)>,
    /// Whether a completion's points went by its item's team: a change to
    /// a claim may then change the velocity too.
    pub by_items: bool,
    /// Points per day of the completion log, the 30 latest days.
    pub daily: Vec<u64>,
}

impl Figures {
    /// The counts over the claims' digests at `now`.
    pub fn count(&mut self, d: &Digests, agents: usize, now: DateTime<Utc>) {
        let now_ms = now.timestamp_millis();
        self.pi_id = pi_id(now);
        self.agents = agents;
        (self.active, self.completed, self.stale) = (0, 0, 0);
        for g in &d.of {
            match g.status {
                Status::InFlight => {
                    self.active += 1;
                    self.stale += g.stale(now_ms) as usize;
                }
                Status::Completed => self.completed += 1,
                _ => {}
            }
        }
    }

    /// The velocity figures of the completion log: each completion's points
    /// go to the team it credits, else its item's, else its agent's.
    pub fn credit(&mut self, completions: &[Value], agents: &[Value], d: &Digests) {
        let mut teams: BTreeMap<String, f64> = BTreeMap::new();
        let mut days: BTreeMap<&str, f64> = BTreeMap::new();
        let mut agent_team: Option<HashMap<&str, &str>> = None;
        self.points = 0.0;
        self.by_items = false;
        for e in completions {
            let points = number(e, "velocity_points").unwrap_or(0.0);
            self.points += points;
            let item = |id: &str| {
                self.by_items = true;
                let g = &d.of[*d.by_id.get(id)?];
                Some(g.team.map_or("unassigned", |t| d.names.name(t)))
            };
            let agent = |id: &str| {
                let teams = agent_team.get_or_insert_with(|| {
                    (agents.iter())
                        .filter_map(|a| Some((text(a, "agent_id")?, text(a, "team")?)))
                        .collect()
                });
                teams.get(id).copied()
            };
            *teams.entry(credited_team(e, item, agent)).or_default() += points;
            if let Some(day) = text(e, "completed_at").and_then(|t| t.get(..10)) {
                *days.entry(day).or_default() += points;
            }
        }
        self.velocity = teams.into_iter().collect();
        let daily: Vec<u64> = days.values().map(|p| *p as u64).collect();
        self.daily = daily[daily.len().saturating_sub(30)..].to_vec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    fn claims(values: Vec<Value>) -> Vec<ClaimRecord> {
        values.into_iter().map(ClaimRecord::from).collect()
    }

    #[test]
    fn counts_stale_items_and_credits_points_to_the_right_team() {
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap();
        let list = claims(vec![
            json!({"work_item_id": "w1", "status": "active", "team": "a",
                   "claimed_at": "2026-11-20T00:00:00Z", "agent_id": "x"}),
            json!({"work_item_id": "w2", "status": "active", "team": "a",
                   "claimed_at": "2026-11-20T00:00:00Z", "last_update": "2026-11-26T11:00:00Z"}),
            json!({"work_item_id": "w3", "status": "completed", "team": "b"}),
        ]);
        let d = Digests::of_all(&list);
        let mut f = Figures::default();
        f.count(&d, 2, now);
        assert_eq!((f.active, f.completed, f.stale, f.agents), (2, 1, 1, 2));
        assert_eq!(f.pi_id, "PI_2026_Q4");
        assert_eq!(d.wip()[d.names.find("x").unwrap() as usize], 1);
        let completions = [
            json!({"work_item_id": "w3", "velocity_points": 3, "completed_at": "2026-11-25T01:00:00Z"}),
            json!({"work_item_id": "w9", "team": "c", "velocity_points": 2, "completed_at": "2026-11-25T02:00:00Z"}),
            json!({"work_item_id": "w8", "agent_id": "y", "velocity_points": 5, "completed_at": "2026-11-26T01:00:00Z"}),
            json!({"work_item_id": "w7", "velocity_points": 1}),
        ];
        let agents = [json!({"agent_id": "y", "team": "d"})];
        f.credit(&completions, &agents, &d);
        let v = |t: &str| f.velocity.iter().find(|(n, _)| n == t).map(|x| x.1);
        assert_eq!(
            (v("b"), v("c"), v("d"), v("unassigned")),
            (Some(3.0), Some(2.0), Some(5.0), Some(1.0))
        );
        assert_eq!((f.points, f.daily.clone()), (11.0, vec![5, 5]));
    }

    #[test]
    fn a_change_to_a_dependency_marks_the_graph_changed() {
        let mut list = claims(vec![
            json!({"work_item_id": "w1", "status": "available"}),
            json!({"work_item_id": "w2", "status": "available", "depends_on": ["w1"]}),
            json!({"work_item_id": "w3", "status": "active"}),
        ]);
        let mut d = Digests::of_all(&list);
        assert!(d.graph_changed && d.graph_ids.contains("w1"));
        d.graph_changed = false;
        let changed = ClaimRecord::from(json!({"work_item_id": "w3", "status": "completed"}));
        d.put(&mut list, "w3".into(), changed);
        assert!(!d.graph_changed, "w3 takes no part in a dependency");
        assert_eq!(d.of[2].status, Status::Completed);
        d.put(
            &mut list,
            "w1".into(),
            ClaimRecord::from(json!({"work_item_id": "w1", "status": "completed"})),
        );
        assert!(d.graph_changed);
        d.graph_changed = false;
        d.put(
            &mut list,
            "w4".into(),
            ClaimRecord::from(json!({"work_item_id": "w4", "depends_on": ["w3"]})),
        );
        assert!(d.graph_changed && d.graph_ids.contains("w3") && d.graph_ids.contains("w4"));
        assert_eq!((list.len(), d.of.len(), d.by_id["w4"]), (4, 4, 3));
    }
}
