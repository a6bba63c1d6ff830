//! Doctor's findings about the records themselves: agents that hold items
//! but are not registered, and items in flight whose lease ran out. They are
//! judged on the records as the file repairs leave them, and `--fix` makes
//! them in the same step as those repairs.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Finding, Level, fixable, found};
use crate::error::Result;
use crate::records::{self, is_active, text};
use crate::store::{AGENTS_FILE, State};

/// What the records need.
#[derive(Debug, Default)]
pub struct Plan {
    /// Agents holding active items but not registered, with their items' team.
    orphans: Vec<(String, String)>,
    /// Items in flight whose lease ran out: id, holder, until.
    expired: Vec<(String, String, String)>,
}

/// Judge the records of `st` at `now`.
pub fn plan(st: &mut dyn State, now: DateTime<Utc>) -> Result<Plan> {
    let claims = st.claims_where(&|c| is_active(c) || records::lease_expired(c, now))?;
    let mut plan = Plan::default();
    for c in claims.iter().filter(is_active) {
        let Some(agent) = text(c, "agent_id").filter(|a| !a.is_empty()) else {
            continue;
        };
        if !plan.orphans.iter().any(|(m, _)| m == agent) && st.agent(agent)?.is_none() {
            let team = text(c, "team").unwrap_or(records::DEFAULT_TEAM);
            plan.orphans.push((agent.to_string(), team.to_string()));
        }
    }
    plan.expired = claims
        .iter()
        .filter(|c| records::lease_expired(c, now))
        .map(|c| {
            let field = |k| text(c, k).unwrap_or("-").to_string();
            (
                field("work_item_id"),
                field("agent_id"),
                field("lease_expires_at"),
            )
        })
        .collect();
    Ok(plan)
}

/// The findings of `plan`, each with the repair `--fix` makes.
pub fn report(plan: &Plan, out: &mut Vec<Finding>) {
    if !plan.orphans.is_empty() {
        let names: Vec<&str> = plan.orphans.iter().map(|(a, _)| a.as_str()).collect();
        out.push(fixable(
            Level::Warn,
            AGENTS_FILE,
            format!(
                "{} agent(s) hold active items but are not registered: {}",
                names.len(),
                names.join(", ")
            ),
            "register them back in the team of their items".into(),
        ));
    }
    if plan.expired.is_empty() {
        out.push(found(Level::Ok, "leases", "no expired lease"));
        return;
    }
    let items: Vec<String> = plan
        .expired
        .iter()
        .map(|(id, holder, until)| format!("{id} (held by {holder} until {until})"))
        .collect();
    out.push(fixable(
        Level::Warn,
        "leases",
        format!(
            "{} item(s) in flight with an expired lease: {}",
            items.len(),
            items.join(", ")
        ),
        "release them back to the backlog (the holder's late writes stay refused)".into(),
    ));
}

/// Make the repairs of `plan` in `st`: the orphans registered back first
/// (so that releasing their expired items unloads them), then every
/// expired item put back on the backlog, keeping its lease generation so
/// the old holder stays fenced.
pub fn apply(plan: &Plan, st: &mut dyn State, now: DateTime<Utc>) -> Result<()> {
    for (agent, team) in &plan.orphans {
        let record = records::agent(agent, team, 100, "general_development", now);
        st.put_agent(record, false)?;
    }
    for mut c in st.claims_where(&|c| records::lease_expired(c, now))? {
        // The holder no longer carries the item.
        if let Some(mut a) = text(&c, "agent_id")
            .map(|h| st.agent(h))
            .transpose()?
            .flatten()
        {
            let load = records::number(&a, "current_workload").unwrap_or(0.0) as u64;
            if load > 0 {
                records::merge(&mut a, json!({"current_workload": load - 1}));
                st.put_agent(a, false)?;
            }
        }
        records::merge(
            &mut c,
            json!({"status": "available", "agent_id": null,
                "lease_expires_at": null, "released_at": records::timestamp(now)}),
        );
        st.put_claim(c)?;
    }
    Ok(())
}
