//! Doctor's finding about claim leases: items in flight whose lease ran
//! out, which `--fix` puts back on the backlog.

use super::{Finding, Level, fixable, found};
use crate::error::Result;
use crate::records::{self, text};
use crate::store::{FileStore, Step, Store};

/// Items in flight whose lease ran out before `now`: `claim --next` hands
/// them to the next agent anyway; `--fix` puts them back on the backlog
/// (status available, no holder), keeping their lease generation so the old
/// holder's late writes are still refused.
pub fn expired_leases(
    store: &FileStore,
    fix: bool,
    now: chrono::DateTime<chrono::Utc>,
    out: &mut Vec<Finding>,
) -> Result<()> {
    let Ok(s) = store.snapshot() else {
        return Ok(());
    };
    let expired: Vec<String> = s.claims[s.archived..]
        .iter()
        .filter(|c| records::lease_expired(c, now))
        .map(|c| {
            format!(
                "{} (held by {} until {})",
                text(c, "work_item_id").unwrap_or("?"),
                text(c, "agent_id").unwrap_or("-"),
                text(c, "lease_expires_at").unwrap_or("?")
            )
        })
        .collect();
    if expired.is_empty() {
        out.push(found(Level::Ok, "leases", "no expired lease"));
        return Ok(());
    }
    let mut f = fixable(
        Level::Warn,
        "leases",
        format!(
            "{} item(s) in flight with an expired lease: {}",
            expired.len(),
            expired.join(", ")
        ),
        "release them back to the backlog (the holder's late writes stay refused)".into(),
    );
    if fix {
        let step = Step::quiet("doctor", &records::timestamp(now));
        store.update(&step, |st| {
            for mut c in st.claims_where(&|c| records::lease_expired(c, now))? {
                // The holder no longer carries the item.
                if let Some(mut a) = text(&c, "agent_id")
                    .map(|h| st.agent(h))
                    .transpose()?
                    .flatten()
                {
                    let load = records::number(&a, "current_workload").unwrap_or(0.0) as u64;
                    if load > 0 {
                        records::merge(&mut a, serde_json::json!({"current_workload": load - 1}));
                        st.put_agent(a, false)?;
                    }
                }
                records::merge(
                    &mut c,
                    serde_json::json!({"status": "available", "agent_id": null,
                        "lease_expires_at": null, "released_at": records::timestamp(now)}),
                );
                st.put_claim(c)?;
            }
            Ok(())
        })?;
        f.fixed = true;
    }
    out.push(f);
    Ok(())
}
