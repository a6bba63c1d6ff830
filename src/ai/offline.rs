//! The offline analysis: computed from the coordination files alone,
//! deterministic, and shaped like the model's answers so callers read one
//! format whichever produced it.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::Kind;
use crate::records::claim_record::ClaimRecord;
use crate::records::{number, text, time, timestamp};
use crate::report::Metrics;
use crate::report::dashboard::is_active;
use crate::store::Snapshot;

/// A team or work type with at least this many active items is a bottleneck.
const BOTTLENECK_ITEMS: usize = 5;

/// An agent chosen for a piece of work.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub agent: String,
    pub team: String,
    /// Chosen for its specialization (not its team, not fleet-wide).
    pub by_specialization: bool,
    /// Why, for people.
    pub why: String,
}

/// Everything the offline analyses are computed from, with the lookups
/// they repeat computed once (so every analysis stays O(n log n)).
pub struct Facts<'a> {
    pub s: &'a Snapshot,
    pub m: Metrics,
    pub now: DateTime<Utc>,
    stale: HashSet<String>,
    offline: HashSet<String>,
    /// Active items per agent over its capacity.
    load: HashMap<String, f64>,
}

impl<'a> Facts<'a> {
    pub fn new(s: &'a Snapshot, now: DateTime<Utc>, offline_after_secs: i64) -> Facts<'a> {
        let m = Metrics::compute(s, now);
        let stale = m.stale.iter().map(|x| x.work_item_id.clone()).collect();
        let offline = s
            .agents
            .iter()
            .filter(|a| {
                time(a, "last_heartbeat")
                    .is_none_or(|t| (now - t).num_seconds() > offline_after_secs)
            })
            .filter_map(|a| text(a, "agent_id").map(str::to_string))
            .collect();
        let mut active: HashMap<&str, f64> = HashMap::new();
        for c in s.claims.iter().filter(is_active) {
            if let Some(a) = text(c, "agent_id") {
                *active.entry(a).or_default() += 1.0;
            }
        }
        let load = s
            .agents
            .iter()
            .filter_map(|a| {
                let id = text(a, "agent_id")?;
                let capacity = number(a, "capacity").unwrap_or(100.0).max(1.0);
                Some((
                    id.to_string(),
                    active.get(id).copied().unwrap_or(0.0) / capacity,
                ))
            })
            .collect();
        Facts {
            s,
            m,
            now,
            stale,
            offline,
            load,
        }
    }

    fn active(&self) -> impl Iterator<Item = &ClaimRecord> {
        self.s.claims.iter().filter(is_active)
    }

    /// Agents whose last heartbeat is missing or too old, in file order.
    pub fn offline_agents(&self) -> Vec<String> {
        self.s
            .agents
            .iter()
            .filter_map(|a| text(a, "agent_id"))
            .filter(|a| self.offline.contains(*a))
            .map(str::to_string)
            .collect()
    }

    fn is_stale(&self, id: &str) -> bool {
        self.stale.contains(id)
    }

    /// The most common work type among the active items `pick` selects
    /// (ties to the first seen), else the general one.
    fn dominant_type(&self, pick: impl Fn(&ClaimRecord) -> bool) -> String {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for c in self.active().filter(|c| pick(c)) {
            let Some(t) = text(c, "work_type").filter(|t| !t.is_empty()) else {
                continue;
            };
            match counts.iter_mut().find(|(k, _)| *k == t) {
                Some((_, n)) => *n += 1,
                None => counts.push((t, 1)),
            }
        }
        let best = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
        counts
            .into_iter()
            .find(|(_, n)| *n == best)
            .map(|(t, _)| t.to_string())
            .unwrap_or_else(|| super::recommend::GENERAL_WORK_TYPE.to_string())
    }

    /// Confidence of an offline answer: more data, more confidence.
    fn confidence(&self) -> f64 {
        let n = (self.s.claims.len() + self.s.completions.len()) as f64;
        ((0.5 + 0.3 * (n / 100.0).min(1.0)) * 100.0).round() / 100.0
    }

    /// Bottlenecks: crowded teams and work types, items stuck at one progress.
    pub fn bottlenecks(&self) -> Vec<Value> {
        let mut out = Vec::new();
        for t in self
            .m
            .teams
            .iter()
            .filter(|t| t.active >= BOTTLENECK_ITEMS || t.overloaded)
        {
            let severity = if t.overloaded { "high" } else { "medium" };
            out.push(json!({"kind": "team_load", "type": "resource", "severity": severity, "team": t.name, "active_items": t.active, "agents": t.agents,
                "description": format!("team {} has {} active items for {} agents", t.name, t.active, t.agents)}));
        }
        let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
        let mut stuck: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for c in self.active() {
            let kind = text(c, "work_type")
                .filter(|k| !k.is_empty())
                .unwrap_or("(no type)");
            *by_type.entry(kind).or_default() += 1;
            let id = text(c, "work_item_id").unwrap_or("");
            if let Some(p) = number(c, "progress").filter(|p| *p > 0.0)
                && self.is_stale(id)
            {
                stuck.entry(crate::report::num(p)).or_default().push(id);
            }
        }
        for (kind, n) in by_type.into_iter().filter(|(_, n)| *n >= BOTTLENECK_ITEMS) {
            out.push(
                json!({"kind": "work_type_pileup", "type": "resource", "severity": "medium", "work_type": kind, "active_items": n,
                "description": format!("{n} active items of type {kind}")}),
            );
        }
        for (p, ids) in stuck.into_iter().filter(|(_, ids)| ids.len() >= 2) {
            out.push(
                json!({"kind": "stuck_progress", "type": "dependency", "severity": "high", "progress": p, "work_item_ids": ids,
                "description": format!("{} stale items stuck at {p}%", ids.len())}),
            );
        }
        out
    }

    pub fn priorities(&self) -> Value {
        let mut buckets: BTreeMap<&str, Vec<Value>> = ["critical", "high", "medium", "low"]
            .iter()
            .map(|p| (*p, Vec::new()))
            .collect();
        for c in self.active() {
            let id = text(c, "work_item_id").unwrap_or("?");
            let p = text(c, "priority").unwrap_or("medium");
            let bucket = if buckets.contains_key(p) { p } else { "medium" };
            let reason = if self.is_stale(id) {
                "stale: no activity for over 24h"
            } else {
                "active"
            };
            if let Some(b) = buckets.get_mut(bucket) {
                b.push(json!({"work_item_id": id, "team": text(c, "team"), "reason": reason}));
            }
        }
        let health = self.health();
        let bottlenecks = self.bottlenecks();
        // Each recommendation names the work type it concerns, which the
        // legacy callers read (`.recommendations[0].work_type`).
        let stale_ids: Vec<&str> = self
            .m
            .stale
            .iter()
            .map(|x| x.work_item_id.as_str())
            .collect();
        let mut immediate: Vec<Value> = Vec::new();
        if !self.m.stale.is_empty() {
            immediate.push(json!({
                "description": format!("Unblock or release {} stale items", self.m.stale.len()),
                "work_type": self.dominant_type(|c| stale_ids.contains(&text(c, "work_item_id").unwrap_or(""))),
            }));
        }
        let critical = buckets["critical"].len();
        if critical > 0 {
            immediate.push(json!({
                "description": format!("Staff the {critical} critical items first"),
                "work_type": self.dominant_type(|c| text(c, "priority") == Some("critical")),
            }));
        }
        let short_term: Vec<Value> = self
            .m
            .overloaded()
            .map(|t| {
                json!({
                    "description": format!("Add agents to {} or cap its WIP", t.name),
                    "work_type": self.dominant_type(|c| text(c, "team") == Some(t.name.as_str())),
                })
            })
            .collect();
        let offline = self.offline_agents().len();
        let general = self.dominant_type(|_| true);
        let long_term = vec![
            json!({
                "description": format!("Bring {offline} offline agents back or deregister them"),
                "work_type": general,
            }),
            json!({
                "description": format!(
                    "Aim for a median lead time under {}h (now {}h)",
                    (self.m.lead_time_hours.median / 2.0).round(),
                    self.m.lead_time_hours.median.round()
                ),
                "work_type": general,
            }),
        ];
        let team_formation: Vec<Value> = self
            .m
            .teams
            .iter()
            .filter(|t| t.active > 0 || t.agents > 0)
            .map(|t| {
                let suggestion = match (t.agents, t.overloaded) {
                    (0, _) => "unstaffed: assign agents",
                    (_, true) => "overloaded: add agents or limit WIP",
                    _ if t.active == 0 => "idle: can take work from other teams",
                    _ => "balanced",
                };
                let wanted = if t.agents == 0 {
                    1
                } else {
                    t.active.div_ceil(crate::report::metrics::WIP_PER_AGENT)
                };
                json!({"team": t.name, "agents": t.agents, "active_items": t.active, "suggestion": suggestion,
                       "members_needed": wanted.saturating_sub(t.agents)})
            })
            .collect();
        json!({
            "analysis_timestamp": timestamp(self.now),
            "system_health": {"score": health["health_score"], "status": health["status"]},
            "priorities": buckets,
            "recommendations": {"immediate": immediate, "short_term": short_term, "long_term": long_term},
            "team_formation": team_formation,
            "bottlenecks": bottlenecks,
            "confidence_score": self.confidence(),
        })
    }

    pub fn health(&self) -> Value {
        let offline = self.offline_agents();
        let overloaded = self.m.overloaded().count();
        let stale_share = if self.m.active == 0 {
            0.0
        } else {
            self.m.stale.len() as f64 / self.m.active as f64
        };
        let offline_share = if self.s.agents.is_empty() {
            0.0
        } else {
            offline.len() as f64 / self.s.agents.len() as f64
        };
        let score = (100.0 - 50.0 * stale_share - 30.0 * offline_share - 5.0 * overloaded as f64)
            .clamp(0.0, 100.0)
            .round() as i64;
        let status = if score >= 80 {
            "healthy"
        } else if score >= 50 {
            "degraded"
        } else {
            "critical"
        };
        let days = self.m.sprints_observed * 14.0;
        let overloaded_share = if self.m.teams.is_empty() {
            0.0
        } else {
            overloaded as f64 / self.m.teams.len() as f64
        };
        // Active items per agent slot (WIP limit), capped at full.
        let slots = (self.s.agents.len() * crate::report::metrics::WIP_PER_AGENT).max(1);
        let utilization = (self.m.active as f64 / slots as f64).min(1.0);
        let share = |x: f64| (x.clamp(0.0, 1.0) * 100.0).round() / 100.0;
        let mut alerts = Vec::new();
        if !self.m.stale.is_empty() {
            alerts.push(json!({"severity": "warning", "message": format!("{} of {} active items are stale", self.m.stale.len(), self.m.active)}));
        }
        if !offline.is_empty() {
            alerts.push(json!({"severity": "warning", "message": format!("{} of {} agents have no recent heartbeat", offline.len(), self.s.agents.len())}));
        }
        for t in self.m.overloaded() {
            alerts.push(json!({"severity": "critical", "message": format!("team {} is over its WIP limit", t.name)}));
        }
        json!({
            "analysis_timestamp": timestamp(self.now),
            "health_score": score,
            "status": status,
            "metrics": {
                "active_items": self.m.active,
                "stale_items": self.m.stale.len(),
                "offline_agents": offline.len(),
                "overloaded_teams": overloaded,
                "throughput_per_day": ((self.m.completions as f64 / days) * 10.0).round() / 10.0,
                "median_lead_time_hours": (self.m.lead_time_hours.median * 10.0).round() / 10.0,
            },
            "component_health": {
                "agent_performance": share(1.0 - offline_share),
                "work_distribution": share(1.0 - overloaded_share),
                "coordination": share(1.0 - stale_share),
                "resource_utilization": share(utilization),
            },
            "alerts": alerts,
            "recommendations": self.priorities_light(),
            "confidence_score": self.confidence(),
        })
    }

    fn priorities_light(&self) -> Vec<String> {
        let mut r = Vec::new();
        if !self.m.stale.is_empty() {
            r.push(format!(
                "Review the {} stale items (oldest: {})",
                self.m.stale.len(),
                self.m.stale[0].work_item_id
            ));
        }
        r.extend(self.m.overloaded().map(|t| format!("Rebalance {}", t.name)));
        if r.is_empty() {
            r.push("No action needed".into());
        }
        r
    }

    pub fn teams(&self, only: Option<&str>) -> Value {
        let teams: Vec<Value> = self
            .m
            .teams
            .iter()
            .filter(|t| only.is_none_or(|o| o == t.name))
            .map(|t| {
                let load = if t.agents == 0 { t.active as f64 } else { t.active as f64 / t.agents as f64 };
                let status = match (t.agents, t.overloaded, t.active) {
                    (0, _, a) if a > 0 => "unstaffed",
                    (_, true, _) => "overloaded",
                    (_, _, 0) => "idle",
                    _ => "ok",
                };
                let wanted = if t.agents == 0 && t.active > 0 {
                    1
                } else {
                    t.active.div_ceil(crate::report::metrics::WIP_PER_AGENT)
                };
                json!({"team": t.name, "agents": t.agents, "capacity": t.capacity, "active_items": t.active,
                       "completed_items": t.completed, "velocity": t.velocity, "load": (load * 100.0).round() / 100.0, "status": status,
                       "members_needed": wanted.saturating_sub(t.agents)})
            })
            .collect();
        let recs: Vec<String> = teams
            .iter()
            .filter(|t| t["status"] != "ok")
            .map(|t| {
                format!(
                    "{}: {}",
                    t["team"].as_str().unwrap_or(""),
                    t["status"].as_str().unwrap_or("")
                )
            })
            .collect();
        json!({"analysis_timestamp": timestamp(self.now), "teams": teams, "recommendations": recs, "confidence_score": self.confidence()})
    }

    /// Active work per agent over its capacity, for least-loaded choices.
    fn load_of(&self, agent: &str) -> f64 {
        self.load.get(agent).copied().unwrap_or(0.0)
    }

    /// The least-loaded online agent of `team`, else of the work type's
    /// specialization, else of the whole fleet (ties: lowest agent id).
    pub fn best_agent(&self, team: Option<&str>, work_type: Option<&str>) -> Option<Pick> {
        let online: Vec<&Value> = self
            .s
            .agents
            .iter()
            .filter(|a| text(a, "agent_id").is_some_and(|id| !self.offline.contains(id)))
            .collect();
        let in_pool = |i: usize, a: &Value| match i {
            0 => team.is_some() && text(a, "team") == team,
            1 => work_type.is_some() && text(a, "specialization") == work_type,
            _ => true,
        };
        for i in 0..3 {
            let mut candidates: Vec<(f64, &str, &str)> = online
                .iter()
                .filter(|a| in_pool(i, a))
                .filter_map(|a| {
                    Some((
                        self.load_of(text(a, "agent_id")?),
                        text(a, "agent_id")?,
                        text(a, "team").unwrap_or(""),
                    ))
                })
                .collect();
            candidates.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
            if let Some((_, id, t)) = candidates.first() {
                let why = [
                    "least-loaded agent of the item's team",
                    "least-loaded agent with this specialization",
                    "least-loaded agent of the fleet",
                ][i];
                return Some(Pick {
                    agent: id.to_string(),
                    team: t.to_string(),
                    by_specialization: i == 1,
                    why: format!("{why} ({t})"),
                });
            }
        }
        None
    }

    pub fn assignments(&self, only_team: Option<&str>) -> Value {
        let mut assignments = Vec::new();
        // The pick depends only on (team, work type): compute each once.
        let mut picks: HashMap<(Option<&str>, Option<&str>), Option<Pick>> = HashMap::new();
        let mut unassigned = Vec::new();
        for c in self
            .active()
            .filter(|c| only_team.is_none_or(|t| text(c, "team") == Some(t)))
        {
            let id = text(c, "work_item_id").unwrap_or("?");
            let agent = text(c, "agent_id");
            let needs = agent.is_none_or(|a| self.offline.contains(a)) || self.is_stale(id);
            if !needs {
                continue;
            }
            let key = (text(c, "team"), text(c, "work_type"));
            let pick = picks
                .entry(key)
                .or_insert_with(|| self.best_agent(key.0, key.1))
                .clone();
            match pick {
                Some(Pick { agent: a, why, .. }) => assignments.push(
                    json!({"work_item_id": id, "agent_id": a, "from_agent": agent.unwrap_or("unassigned"), "team": text(c, "team"),
                    "reason": format!("{}; currently {}", why, agent.unwrap_or("unassigned"))}),
                ),
                None => unassigned.push(json!(id)),
            }
        }
        json!({"analysis_timestamp": timestamp(self.now), "assignments": assignments, "unassigned": unassigned,
               "confidence_score": self.confidence()})
    }

    /// The analysis of `kind` (team filter for team and assignment analyses).
    pub fn analyse(&self, kind: Kind, team: Option<&str>) -> Value {
        match kind {
            Kind::Priorities => self.priorities(),
            Kind::Assignments => self.assignments(team),
            Kind::Health => self.health(),
            Kind::Team => self.teams(team),
        }
    }
}
