//! `status`: counts by status and team, velocity, stale and offline counts.

use clap::Args;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use super::{HelpGroup, Http, Method, Verb, http};
use crate::ai::offline::Facts;
use crate::config::Config;
use crate::error::Result;
use crate::outcome::Outcome;
use crate::records::text;
use crate::store::{AnyStore, Snapshot, Store};

/// Counts by status and team, velocity, stale and offline counts, mode
///
/// Example: nexus status --json | jq .stale
#[derive(Debug, Clone, Default, Args, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusArgs {}

impl Verb for StatusArgs {
    const NAME: &'static str = "status";
    const ABOUT: &'static str = "Counts by status and team, velocity, stale items, offline agents.";
    const MUTATES: bool = false;
    const HTTP: Option<Http> = http(Method::Get, "/api/v1/status");
    const GROUP: Option<HelpGroup> = Some(HelpGroup::Views);

    fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        Ok(status_of(&store.snapshot()?, &store.name(), cfg))
    }
}

/// The status of the state `s` read from the store named `name`.
pub fn status_of(s: &Snapshot, name: &str, cfg: &Config) -> Outcome {
    let facts = Facts::new(s, cfg.now, cfg.ai.offline_after_secs);
    let m = &facts.m;
    let mut counts: std::collections::HashMap<&str, usize> = Default::default();
    for c in &s.claims {
        *counts
            .entry(text(c, "status").unwrap_or("unknown"))
            .or_default() += 1;
    }
    let by_status: std::collections::BTreeMap<String, usize> = counts
        .into_iter()
        .map(|(k, n)| (k.to_string(), n))
        .collect();
    let offline = facts.offline_agents();
    let mut human = format!("📊 STATUS of {name} (mode {})\n", cfg.mode.name);
    human.push_str(&crate::report::views::status_lines(
        &crate::report::views::StatusFacts {
            by_status: &by_status,
            archived: s.archived,
            m,
            offline: offline.len(),
            agents: s.agents.len(),
        },
    ));
    Outcome::new(
        human,
        json!({"ok": true, "command": "status", "mode": cfg.mode.name, "by_status": by_status, "archived": s.archived,
                   "teams": m.teams, "velocity": m.completion_points, "stale": m.stale.len(), "idle_over_24h": m.stale.len(),
                   "offline_agents": offline}),
    )
}
