//! The records of the state files, built field by field in the contract's key
//! order, and read through small typed accessors. Records stay
//! `serde_json::Value`s so that unknown fields survive every rewrite.

/// Default team of the legacy script.
pub const DEFAULT_TEAM: &str = "autonomous_team";

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::telemetry::TraceContext;

pub mod claim_record;
pub mod names;
pub mod queue;
pub mod scan;
#[cfg(test)]
mod scan_tests;

use queue::WorkItem;

/// How urgent a work item is; unknown priorities rank after `low`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    Critical,
    High,
    Medium,
    Low,
}

impl Priority {
    /// Every priority, most urgent first.
    pub const ALL: [Priority; 4] = [
        Priority::Critical,
        Priority::High,
        Priority::Medium,
        Priority::Low,
    ];

    pub fn parse(s: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Critical => "critical",
            Priority::High => "high",
            Priority::Medium => "medium",
            Priority::Low => "low",
        }
    }
}

/// Sort key of a priority text: critical 0 … low 3, anything else 4.
pub fn priority_rank(p: &str) -> usize {
    Priority::parse(p).map_or(4, |p| p as usize)
}

/// Where a work item is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// On the backlog, claimable with `claim --next`.
    Available,
    /// Claimed and in flight (`active`, `in_progress`, `claimed`, `blocked`,
    /// `review`, `stale`, and any free-form status a caller gave, such as
    /// `testing` or `design`).
    InFlight,
    Completed,
    /// No status, or `pending`.
    Other,
}

impl Status {
    pub fn of<T: WorkItem + ?Sized>(record: &T) -> Status {
        Status::parse(record.get_text("status"))
    }

    /// The status a status text names.
    pub fn parse(status: Option<&str>) -> Status {
        match status {
            Some("available") => Status::Available,
            Some("active" | "in_progress" | "claimed" | "blocked" | "review" | "stale") => {
                Status::InFlight
            }
            Some("completed") => Status::Completed,
            None | Some("" | "pending") => Status::Other,
            // Legacy callers set their own phases (`testing`, `design`,
            // `comprehensive_validation_step_3`): work still in flight.
            Some(_) => Status::InFlight,
        }
    }
}

/// Whether a claim counts as work in flight.
pub fn is_active<T: WorkItem + ?Sized>(record: &T) -> bool {
    Status::of(record) == Status::InFlight
}

/// Whether a claim is completed (and so closed to every change).
pub fn is_completed<T: WorkItem + ?Sized>(record: &T) -> bool {
    Status::of(record) == Status::Completed
}

/// Whether `claim --next` may take the item at `now`: it is available, or
/// its lease expired (claims made by the legacy `claim` carry no lease and
/// are never taken over).
pub fn claimable<T: WorkItem + ?Sized>(record: &T, now: DateTime<Utc>) -> bool {
    queue::claimable(record, now)
}

/// The ids an item waits on (`depends_on`), in order; none for legacy items.
pub fn depends_on<'a>(record: impl Fields<'a>) -> Vec<&'a str> {
    record.item().deps()
}

/// The generation of the item's lease, bumped on every hand-over; `None` for
/// items never claimed with a lease (the legacy `claim`).
pub fn lease_generation(record: &Value) -> Option<u64> {
    record.get("lease_generation")?.as_u64()
}

/// Whether the item is in flight under a lease that ran out before `now`.
pub fn lease_expired<T: WorkItem + ?Sized>(record: &T, now: DateTime<Utc>) -> bool {
    is_active(record) && time(record, "lease_expires_at").is_some_and(|t| t <= now)
}

/// Queue order of the backlog: priority, then age (when it was added).
pub fn queue_key<T: WorkItem + ?Sized>(record: &T) -> (usize, String) {
    let (rank, age) = queue::queue_key(record);
    (rank, age.to_string())
}

/// UTC timestamp as the legacy files write it: `YYYY-MM-DDTHH:MM:SSZ`.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Parse a legacy timestamp (any RFC 3339 form).
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A string field of a record, if present and a string.
pub fn text<'a>(record: impl Fields<'a>, key: &str) -> Option<&'a str> {
    record.item().get_text(key)
}

/// A reference to a record (through up to three references, as iterators
/// hand them out) whose strings live as long as the record itself.
pub trait Fields<'a> {
    type Of: WorkItem + ?Sized + 'a;
    fn item(self) -> &'a Self::Of;
}

macro_rules! fields_of {
    ($($t:ty),*) => {$(
        impl<'a, 'v> Fields<'a> for &'a $t {
            type Of = $t;
            fn item(self) -> &'a $t {
                self
            }
        }
        impl<'a, 'b, 'v> Fields<'a> for &'b &'a $t {
            type Of = $t;
            fn item(self) -> &'a $t {
                self
            }
        }
        impl<'a, 'b, 'c, 'v> Fields<'a> for &'c &'b &'a $t {
            type Of = $t;
            fn item(self) -> &'a $t {
                self
            }
        }
        impl<'a, 'b, 'v> Fields<'a> for &'a &'b mut $t {
            type Of = $t;
            fn item(self) -> &'a $t {
                self
            }
        }
    )*};
}

fields_of!(Value, claim_record::ClaimRecord, queue::QueueView<'v>);

/// A time field of a record, if present and parseable.
pub fn time<T: WorkItem + ?Sized>(record: &T, key: &str) -> Option<DateTime<Utc>> {
    parse_time(record.get_text(key)?)
}

/// A numeric field of a record (numbers, or numeric strings).
pub fn number<T: WorkItem + ?Sized>(record: &T, key: &str) -> Option<f64> {
    record.get_number(key)
}

/// Set fields the way jq's `. + {...}` does: existing keys keep their place,
/// new keys go at the end.
pub fn merge(record: &mut Value, fields: Value) {
    if let (Some(target), Value::Object(fields)) = (record.as_object_mut(), fields) {
        for (k, v) in fields {
            target.insert(k, v);
        }
    }
}

/// Everything a new claim record holds.
pub struct NewClaim<'a> {
    pub work_id: &'a str,
    pub agent_id: &'a str,
    pub work_type: &'a str,
    pub priority: &'a str,
    pub description: &'a str,
    pub team: &'a str,
    pub now: DateTime<Utc>,
    pub trace: &'a TraceContext,
    pub service: &'a str,
}

/// A claim record in contract key order.
pub fn claim(c: &NewClaim) -> Value {
    json!({
        "work_item_id": c.work_id,
        "agent_id": c.agent_id,
        "reactor_id": "shell_agent",
        "claimed_at": timestamp(c.now),
        "estimated_duration": "30m",
        "work_type": c.work_type,
        "priority": c.priority,
        "description": c.description,
        "status": "active",
        "team": c.team,
        "telemetry": {
            "trace_id": c.trace.trace_id,
            "span_id": c.trace.span_id,
            "operation": "s2s.work.claim",
            "service": c.service,
        }
    })
}

/// An agent record in contract key order.
pub fn agent(
    id: &str,
    team: &str,
    capacity: u64,
    specialization: &str,
    now: DateTime<Utc>,
) -> Value {
    json!({
        "agent_id": id,
        "team": team,
        "status": "active",
        "capacity": capacity,
        "current_workload": 0,
        "specialization": specialization,
        "last_heartbeat": timestamp(now),
        "performance_metrics": {
            "tasks_completed": 0,
            "average_completion_time": "0m",
            "success_rate": 100.0
        }
    })
}

/// A completion record of the coordination log, naming the team credited
/// with its velocity.
pub fn completion(
    work_id: &str,
    now: DateTime<Utc>,
    agent_id: &str,
    result: &str,
    points: u64,
    team: &str,
) -> Value {
    json!({
        "work_item_id": work_id,
        "completed_at": timestamp(now),
        "agent_id": agent_id,
        "result": result,
        "velocity_points": points,
        "team": team,
    })
}

/// Copy into `new` the fields of `old` that `new` lacks (unknown fields survive).
pub fn keep_unknown(new: &mut Value, old: &Value) {
    if let (Some(n), Some(o)) = (new.as_object_mut(), old.as_object()) {
        for (k, v) in o {
            if !n.contains_key(k) {
                n.insert(k.clone(), v.clone());
            }
        }
    }
}

/// An empty JSON object, for optional nested fields.
pub fn empty() -> Value {
    Value::Object(Map::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keeps_order_and_appends_new_keys() {
        let mut r = json!({"a": 1, "b": 2});
        merge(&mut r, json!({"b": 3, "c": 4}));
        assert_eq!(r.to_string(), r#"{"a":1,"b":3,"c":4}"#);
        let mut n = json!({"x": 1});
        keep_unknown(&mut n, &json!({"x": 2, "y": 3}));
        assert_eq!(n.to_string(), r#"{"x":1,"y":3}"#);
        assert_eq!(number(&json!({"p": "7"}), "p"), Some(7.0));
        assert!(time(&json!({"t": "2025-06-16T06:38:08Z"}), "t").is_some());
    }
}
