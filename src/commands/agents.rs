//! `agents`: the registered agents, their teams, heartbeats and work.

use clap::Args;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::args::given;
use super::{HelpGroup, Http, Method, Verb, http};
use crate::config::Config;
use crate::error::Result;
use crate::outcome::Outcome;
use crate::records::{is_active, text, time};
use crate::store::{AnyStore, Store};
use crate::text::field;

/// The agents: team, capacity, heartbeat age, active work and completions
///
/// Example: nexus agents --team backend_team --json | jq '.agents[].agent_id'
#[derive(Debug, Clone, Default, Args, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentsArgs {
    /// Only agents of this team
    #[arg(long)]
    pub team: Option<String>,
}

impl Verb for AgentsArgs {
    const NAME: &'static str = "agents";
    const ABOUT: &'static str = "The agents, their heartbeats and work.";
    const MUTATES: bool = false;
    const HTTP: Option<Http> = http(Method::Get, "/api/v1/agents");
    const GROUP: Option<HelpGroup> = Some(HelpGroup::Views);

    fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        let team = given(self.team.clone());
        let s = store.snapshot()?;
        let mut active: std::collections::HashMap<&str, Vec<&str>> = Default::default();
        for c in s.claims.iter().filter(is_active) {
            if let (Some(a), Some(id)) = (text(c, "agent_id"), text(c, "work_item_id")) {
                active.entry(a).or_default().push(id);
            }
        }
        let mut done: std::collections::HashMap<&str, usize> = Default::default();
        for c in &s.completions {
            if let Some(a) = text(c, "agent_id") {
                *done.entry(a).or_default() += 1;
            }
        }
        let mut human = format!(
            "{:<28} {:<22} {:>8} {:>10} {:>6} {:>9}\n",
            "AGENT", "TEAM", "CAPACITY", "HEARTBEAT", "ACTIVE", "COMPLETED"
        );
        let mut agents = Vec::new();
        for a in &s.agents {
            if team.as_deref().is_some_and(|t| text(a, "team") != Some(t)) {
                continue;
            }
            let id = text(a, "agent_id").unwrap_or("");
            let age = time(a, "last_heartbeat").map(|t| (cfg.now - t).num_seconds().max(0));
            let work = active.get(id).cloned().unwrap_or_default();
            let completed = done.get(id).copied().unwrap_or(0);
            human.push_str(&format!(
                "{:<28} {:<22} {:>7}% {:>10} {:>6} {:>9}\n",
                field(&crate::text::clip(id, 28)),
                field(&crate::text::clip(text(a, "team").unwrap_or("-"), 22)),
                a["capacity"],
                age.map_or("never".into(), |s| format!("{s}s ago")),
                work.len(),
                completed
            ));
            let mut v: Value = a.clone();
            v["heartbeat_age_secs"] = json!(age);
            v["active_work"] = json!(work);
            v["completions"] = json!(completed);
            v["offline"] = json!(age.is_none_or(|s| s > cfg.ai.offline_after_secs));
            agents.push(v);
        }
        human.push_str(&format!("{} agents\n", agents.len()));
        Ok(Outcome::new(
            human,
            json!({"ok": true, "command": "agents", "count": agents.len(), "agents": agents}),
        ))
    }
}
