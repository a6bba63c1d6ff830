//! Claim leases: `claim --next` (and `claim --lease`) hand an item over for a
//! while; `progress` and `heartbeat` renew the lease; once it runs out,
//! `claim --next` may hand the item to another agent, and every later write
//! of the old holder is refused (fencing: the record's `lease_generation`
//! grows by one on every hand-over, and each write checks it).

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::error::{NexusError, Result};
use crate::records::{self, lease_generation, text};

/// How a caller proves it holds an item's lease: its agent id (AGENT_ID)
/// being the holder's, or the generation it was handed (for callers without
/// a stable identity). A caller that gives neither is not fenced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Proof {
    pub agent: Option<String>,
    pub generation: Option<u64>,
}

/// Refuse the write of a caller that no longer holds the item's lease.
/// Items without a lease (legacy claims) accept every caller, as before.
pub fn check(record: &Value, proof: &Proof) -> Result<()> {
    let Some(generation) = lease_generation(record) else {
        return Ok(());
    };
    let holder = text(record, "agent_id").unwrap_or("");
    let lost = |caller: String| NexusError::LeaseLost {
        id: text(record, "work_item_id").unwrap_or("?").to_string(),
        holder: if holder.is_empty() {
            "nobody (it is back on the backlog)".to_string()
        } else {
            holder.to_string()
        },
        generation,
        caller,
    };
    // With one hand-over so far, an agent other than the holder never held
    // the lease (and no caller holds a generation from the future): saying
    // "lost" would tell it something false.
    let never = |caller: String| NexusError::NotLeaseHolder {
        id: text(record, "work_item_id").unwrap_or("?").to_string(),
        holder: holder.to_string(),
        generation,
        caller,
    };
    match (&proof.generation, &proof.agent) {
        (Some(g), _) if *g > generation => Err(never(format!("lease generation {g}"))),
        // The current generation proves nothing once the item is back on
        // the backlog (released, or put back by doctor): nobody holds it.
        (Some(g), _) if *g != generation || holder.is_empty() => {
            Err(lost(format!("lease generation {g}")))
        }
        (Some(_), _) => Ok(()),
        (None, Some(a)) if a != holder && generation == 1 && !holder.is_empty() => {
            Err(never(format!("agent {a}")))
        }
        (None, Some(a)) if a != holder => Err(lost(a.clone())),
        _ => Ok(()),
    }
}

/// The length of the item's lease: what it was granted with, else `ttl`.
fn length(record: &Value, ttl: Duration) -> Duration {
    records::number(record, "lease_seconds")
        .map(|s| Duration::seconds(s as i64))
        .filter(|d| *d >= Duration::seconds(1))
        .unwrap_or(ttl)
}

/// Hand the item to `agent` for `ttl` from `now`: a new generation.
pub fn grant(record: &mut Value, agent: &str, ttl: Duration, now: DateTime<Utc>) {
    let generation = lease_generation(record).unwrap_or(0) + 1;
    records::merge(
        record,
        json!({
            "agent_id": agent,
            "lease_expires_at": records::timestamp(now + ttl),
            "lease_generation": generation,
            "lease_seconds": ttl.num_seconds(),
        }),
    );
}

/// Push the end of the item's lease (if it has one) to `now` plus its length.
pub fn renew(record: &mut Value, ttl: Duration, now: DateTime<Utc>) {
    if lease_generation(record).is_some() && records::is_active(record) {
        let until = records::timestamp(now + length(record, ttl));
        records::merge(record, json!({"lease_expires_at": until}));
    }
}

/// End the item's lease (released, completed): nobody holds it any more,
/// but the generation stays so the next hand-over is still counted.
pub fn end(record: &mut Value) {
    if record.get("lease_expires_at").is_some() {
        records::merge(record, json!({"lease_expires_at": null}));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_holder_of_the_current_generation_may_write() {
        let now = records::parse_time("2026-01-01T00:00:00Z").unwrap();
        let mut r = json!({"work_item_id": "work_1", "status": "active", "agent_id": "a"});
        let anyone = |agent: Option<&str>, generation| Proof {
            agent: agent.map(str::to_string),
            generation,
        };
        assert!(check(&r, &anyone(Some("z"), Some(9))).is_ok(), "no lease");
        grant(&mut r, "a", Duration::minutes(10), now);
        assert_eq!(r["lease_expires_at"], "2026-01-01T00:10:00Z");
        assert_eq!(r["lease_generation"], 1);
        grant(&mut r, "b", Duration::minutes(10), now);
        assert_eq!(r["lease_generation"], 2);
        let e = check(&r, &anyone(Some("a"), None)).unwrap_err();
        assert_eq!(e.kind(), "lease_lost");
        assert!(e.to_string().contains("held by b under lease generation 2"));
        assert!(check(&r, &anyone(Some("b"), None)).is_ok());
        assert!(check(&r, &anyone(None, Some(1))).is_err());
        assert!(
            check(&r, &anyone(Some("x"), Some(2))).is_ok(),
            "the token wins"
        );
        assert!(check(&r, &anyone(None, None)).is_ok(), "unfenced caller");
        let mut back = r.clone();
        records::merge(&mut back, json!({"status": "available", "agent_id": null}));
        assert!(
            check(&back, &anyone(None, Some(2))).is_err(),
            "nobody holds an item on the backlog"
        );
        renew(&mut r, Duration::hours(5), now + Duration::minutes(3));
        assert_eq!(r["lease_expires_at"], "2026-01-01T00:13:00Z", "own length");
        end(&mut r);
        assert!(r["lease_expires_at"].is_null());
    }
}
