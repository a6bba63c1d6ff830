//! `heartbeat`: an agent says it is alive.

use clap::Args;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use super::{HelpGroup, Http, Method, Verb};
use crate::app::changes::spec;
use crate::app::mutation::{self, with_trace};
use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::ops;
use crate::outcome::Outcome;
use crate::store::AnyStore;
use crate::text::field;

/// Tell the fleet this agent is alive (updates last_heartbeat)
///
/// Example: AGENT_ID=agent_7 nexus heartbeat
#[derive(Debug, Clone, Default, Args, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeartbeatArgs {
    /// The agent [default: $AGENT_ID]
    #[serde(skip)]
    #[schemars(skip)]
    pub agent_id: Option<String>,
}

impl Verb for HeartbeatArgs {
    const NAME: &'static str = "heartbeat";
    const ABOUT: &'static str = "Say this agent is alive; renews its leases.";
    const MUTATES: bool = true;
    const HTTP: Option<Http> = Some(Http {
        method: Method::Post,
        path: "/api/v1/agents/{id}/heartbeat",
        params: &[("id", "agent_id")],
        created: false,
    });
    const GROUP: Option<HelpGroup> = Some(HelpGroup::Work);

    fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        let agent = self
            .agent_id
            .as_deref()
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .or_else(|| cfg.agent_id.clone())
            .ok_or_else(|| NexusError::invalid("agent id", "", "pass it or set AGENT_ID"))
            .and_then(|a| crate::input::agent_id("agent id", &a).map(|_| a.clone()))
            .or_else(|e| mutation::refuse(cfg, "s2s.agent.heartbeat", e))?;
        let s = mutation::Spec {
            agent: Some(agent.clone()),
            ..spec("s2s.agent.heartbeat", "heartbeat", "agent.heartbeat")
        };
        let done = mutation::run(store, cfg, s, |st, ctx| {
            ops::fleet::heartbeat(st, &agent, ctx)
        })?;
        Ok(Outcome::new(
            format!("💓 HEARTBEAT: Agent {} is active\n", field(&agent)),
            with_trace(
                cfg,
                json!({"ok": true, "command": "heartbeat", "agent": done.value}),
            ),
        ))
    }
}
