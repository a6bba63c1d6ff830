//! The mutations: pure functions over a [`State`](crate::store::State), a
//! clock and the trace context. They decide; the store writes and records
//! every change; the edge prints.

pub mod claim;
pub mod complete;
pub mod fleet;
pub mod graph;
pub mod lease;
pub mod progress;
pub mod register;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::error::{NexusError, Result};
use crate::records;
use crate::store::State;
use crate::telemetry::TraceContext;

/// What every mutation knows about the moment it runs in.
#[derive(Debug, Clone)]
pub struct OpContext {
    pub now: DateTime<Utc>,
    /// Nanoseconds since the epoch, for new ids.
    pub now_ns: u128,
    pub trace: TraceContext,
    pub service_name: String,
    /// How long a lease lasts when the request names no length.
    pub lease_ttl: chrono::Duration,
}

/// The claim `id`, or the not-found error naming the file. A missing claims
/// file is reported as such first, as the legacy script does.
pub fn find_claim(state: &mut dyn State, id: &str) -> Result<Value> {
    if !state.claims_exist() {
        return Err(NexusError::ClaimsFileNotFound(state.claims_path()));
    }
    let path = state.claims_path();
    if let Some(claim) = state.claim(id)? {
        return Ok(claim);
    }
    // An item cleanup archived is completed: it answers as one, not as
    // unknown.
    state.archived_claim(id)?.ok_or(NexusError::WorkNotFound {
        id: id.to_string(),
        path,
    })
}

/// The item `id` when a step with request id `rid` already changed it and
/// left its mark under `key` (`<key>` the id, `<key>_by` the agent): a
/// retry answers with the item as it is instead of acting twice. The same
/// id from another agent is a clash.
pub fn marked(
    state: &mut dyn State,
    id: &str,
    key: &str,
    rid: Option<&str>,
    agent: Option<&str>,
) -> Result<Option<Value>> {
    let Some(rid) = rid else { return Ok(None) };
    let record = find_claim(state, id)?;
    if records::text(&record, key) != Some(rid) {
        return Ok(None);
    }
    let by = records::text(&record, &format!("{key}_by"));
    match (by, agent) {
        (Some(by), Some(agent)) if by != agent => Err(NexusError::RequestIdClash {
            request_id: rid.to_string(),
            used_by: format!("agent {by}"),
        }),
        _ => Ok(Some(record)),
    }
}

/// Leave the mark [`marked`] looks for.
pub fn mark(record: &mut Value, key: &str, rid: Option<&str>, agent: Option<&str>) {
    if let Some(rid) = rid {
        record[key] = serde_json::json!(rid);
        if let Some(agent) = agent {
            record[format!("{key}_by")] = serde_json::json!(agent);
        }
    }
}

/// The claim `id` if it is still open to changes: a completed item stays
/// completed.
pub fn find_open_claim(state: &mut dyn State, id: &str) -> Result<Value> {
    let claim = find_claim(state, id)?;
    if records::is_completed(&claim) {
        return Err(NexusError::AlreadyCompleted {
            id: id.to_string(),
            path: state.claims_path(),
        });
    }
    Ok(claim)
}

/// The commands that take a request id and leave it in the item they made
/// or took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    Claim,
    Add,
    ClaimNext,
}

impl Requested {
    fn name(self) -> &'static str {
        match self {
            Requested::Claim => "claim",
            Requested::Add => "add",
            Requested::ClaimNext => "claim --next",
        }
    }
}

/// The item an earlier call with the same request id made or took, if any:
/// a retried request returns it instead of acting twice. A request id is
/// scoped by command and agent: one used by another command, or by another
/// agent, is a clash, never a replay of someone else's answer.
pub fn earlier(
    state: &mut dyn State,
    command: Requested,
    agent: Option<&str>,
    request_id: Option<&str>,
) -> Result<Option<Value>> {
    let Some(rid) = request_id else {
        return Ok(None);
    };
    // `claim` and `add` keep theirs in `request_id` (an added item carries
    // `created_at`), `claim --next` in `claim_request_id`.
    let made = state.claim_by("request_id", rid)?.map(|r| {
        let by = match r.get("created_at").is_some_and(|v| !v.is_null()) {
            true => Requested::Add,
            false => Requested::Claim,
        };
        (by, r)
    });
    let taken = state
        .claim_by("claim_request_id", rid)?
        .map(|r| (Requested::ClaimNext, r));
    let mut clash = None;
    for (by, record) in made.into_iter().chain(taken) {
        let holder = records::text(&record, "agent_id");
        let same_agent = by == Requested::Add || agent.is_none() || holder == agent;
        if by == command && same_agent {
            return Ok(Some(record));
        }
        let who = match holder.filter(|_| by != Requested::Add) {
            Some(h) => format!("agent {h} for `{}`", by.name()),
            None => format!("`{}`", by.name()),
        };
        clash.get_or_insert(who);
    }
    match clash {
        Some(used_by) => Err(NexusError::RequestIdClash {
            request_id: rid.to_string(),
            used_by,
        }),
        None => Ok(None),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::store::{MemStore, Store};
    use serde_json::json;

    pub fn ctx() -> OpContext {
        OpContext {
            now: DateTime::parse_from_rfc3339("2026-01-02T03:04:05Z")
                .unwrap()
                .to_utc(),
            now_ns: 1_000,
            trace: TraceContext::from_vars(|_| None).unwrap(),
            service_name: "s2s".into(),
            lease_ttl: chrono::Duration::minutes(30),
        }
    }

    #[test]
    fn a_completed_item_is_closed_and_credited_once_to_one_team() {
        let store = MemStore::default();
        let c = ctx();
        let req = claim::ClaimRequest {
            work_type: "f".into(),
            description: "d".into(),
            priority: "low".into(),
            team: "blue".into(),
            agent_id: "a".into(),
            named: true,
            request_id: None,
            lease: None,
        };
        let id = store
            .update(&crate::store::Step::quiet("test", "t"), |st| {
                claim::claim(st, &req, &c)
            })
            .unwrap()
            .work_id;
        let done = complete::Completion {
            work_id: id.clone(),
            result: "ok".into(),
            points: 3,
            agent_id: None,
            velocity_team: None,
            request_id: None,
            proof: Default::default(),
        };
        let meta = crate::store::Step {
            audit: true,
            ..crate::store::Step::quiet("complete", "ts")
        };
        let out = store
            .update(&meta, |st| complete::complete(st, &done, &c))
            .unwrap();
        assert_eq!(out.team, "blue", "no AGENT_TEAM: the item's team");
        let pct = crate::input::Percent::parse("10").unwrap();
        for refused in [
            store.update(&crate::store::Step::quiet("test", "t"), |st| {
                complete::complete(st, &done, &c).map(|_| ())
            }),
            store.update(&crate::store::Step::quiet("test", "t"), |st| {
                progress::progress(st, &id, &pct, "in_progress", &Default::default(), None, &c)
                    .map(|_| ())
            }),
            store.update(&crate::store::Step::quiet("test", "t"), |st| {
                fleet::release(st, &id, &Default::default(), None, &c).map(|_| ())
            }),
        ] {
            assert!(refused.is_err());
        }
        let s = store.state();
        assert_eq!(s.completions.len(), 1);
        assert_eq!(s.completions[0]["team"], "blue");
        assert_eq!(
            s.velocity,
            ["2026-01-02T03:04:05Z: Team blue +3 velocity points\n"]
        );
        assert_eq!(s.agents[0]["current_workload"], 0);
        assert_eq!(s.agents[0]["performance_metrics"]["tasks_completed"], 1);
        assert_eq!(s.audit.len(), 2, "one line per changed record");
        assert_eq!(s.claims[0]["status"], "completed");
        let with_team = complete::Completion {
            velocity_team: Some("red".into()),
            ..done
        };
        let id2 = store
            .update(&crate::store::Step::quiet("test", "t"), |st| {
                claim::claim(st, &req, &c)
            })
            .unwrap()
            .work_id;
        let out = store
            .update(&crate::store::Step::quiet("test", "t"), |st| {
                complete::complete(
                    st,
                    &complete::Completion {
                        work_id: id2,
                        ..with_team
                    },
                    &c,
                )
            })
            .unwrap();
        assert_eq!(out.log_entry["team"], json!("red"), "AGENT_TEAM wins");
    }
}
