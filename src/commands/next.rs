//! `next` (`claim --next` on the command line): take the highest-priority,
//! oldest ready item from the backlog under a lease.

use clap::Args;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use super::{Http, Method, Verb, http};
use crate::app::changes::{acting_agent, claimed_outcome, spec, strict_agent};
use crate::app::mutation;
use crate::app::queue_cmd::lease_arg;
use crate::config::{Config, DEFAULT_TEAM};
use crate::error::Result;
use crate::ops;
use crate::outcome::Outcome;
use crate::store::AnyStore;

/// Claim the next ready backlog item (highest priority, then oldest) under a lease
#[derive(Debug, Clone, Default, Args, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NextArgs {
    /// Only items of this team
    #[arg(long)]
    pub team: Option<String>,
    /// Lease length (90s, 10m, 2h) [default: $NEXUS_LEASE_TTL, else 30m]
    #[arg(long, value_name = "TTL")]
    pub lease: Option<String>,
}

impl Verb for NextArgs {
    const NAME: &'static str = "next";
    const ABOUT: &'static str = "Claim the next backlog item (highest priority, then oldest).";
    const MUTATES: bool = true;
    const HTTP: Option<Http> = http(Method::Post, "/api/v1/work/next");

    fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        let lease = strict_agent(cfg)
            .and_then(|()| lease_arg(self.lease.as_deref()))
            .or_else(|e| mutation::refuse(cfg, "s2s.work.claim", e))?;
        let mut cfg = cfg.clone();
        cfg.lease_ttl = lease.unwrap_or(cfg.lease_ttl);
        let cfg = &cfg;
        let agent = acting_agent(cfg);
        let team = super::args::given(self.team.clone());
        let s = mutation::Spec {
            agent: Some(agent.clone()),
            attrs: vec![("s2s.operation", json!("work_claim_next"))],
            ..spec("s2s.work.claim", "claim", "work.claimed")
        };
        let request = cfg
            .request_id
            .as_deref()
            .map(|r| (r, cfg.agent_id.is_some()));
        let done = mutation::run(store, cfg, s, |st, ctx| {
            ops::fleet::claim_next(st, &agent, team.as_deref(), request, ctx)
        })?;
        let team = done.value.record["team"]
            .as_str()
            .unwrap_or(DEFAULT_TEAM)
            .to_string();
        Ok(claimed_outcome(cfg, &agent, &team, done.value))
    }
}
