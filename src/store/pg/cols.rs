//! The columns kept beside each claim's exact JSON text: what the queries
//! filter and sort on, derived from the record on every write.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::records::{self, text};

/// The indexed columns of a claim record.
pub struct Cols {
    pub id: String,
    pub num: Option<i64>,
    pub status: Option<String>,
    pub team: Option<String>,
    pub priority: Option<String>,
    pub prio: i32,
    pub queued: String,
    pub agent: Option<String>,
    pub claimed_at: Option<String>,
    pub lease: Option<String>,
}

/// A time as fixed-width text, so text order is time order.
pub fn sortable(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string()
}

pub fn cols(r: &Value) -> Cols {
    let s = |k: &str| text(r, k).map(str::to_string);
    let id = s("work_item_id").unwrap_or_default();
    Cols {
        num: id
            .strip_prefix("work_")
            .and_then(|n| n.parse::<u128>().ok())
            .and_then(|n| i64::try_from(n).ok()),
        id,
        status: s("status"),
        team: s("team"),
        priority: s("priority"),
        prio: records::priority_rank(text(r, "priority").unwrap_or("")) as i32,
        queued: records::queue_key(r).1,
        agent: s("agent_id"),
        claimed_at: s("claimed_at"),
        lease: records::time(r, "lease_expires_at").map(sortable),
    }
}
