//! `release`: put a claimed item back on the backlog.

use clap::Args;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use super::{HelpGroup, Http, Method, Verb, http_id};
use crate::app::changes::spec;
use crate::app::mutation::{self, with_trace};
use crate::app::queue_cmd::proof;
use crate::config::Config;
use crate::error::Result;
use crate::ops;
use crate::outcome::Outcome;
use crate::store::AnyStore;
use crate::text::field;

/// Put a claimed item back on the backlog (status available)
///
/// Example: nexus release work_1750000000000000000
#[derive(Debug, Clone, Default, Args, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseArgs {
    /// The work item
    pub work_id: String,
}

impl Verb for ReleaseArgs {
    const NAME: &'static str = "release";
    const ABOUT: &'static str = "Put a claimed item back on the backlog.";
    const MUTATES: bool = true;
    const HTTP: Option<Http> = http_id(Method::Post, "/api/v1/work/{id}/release");
    const GROUP: Option<HelpGroup> = Some(HelpGroup::Work);

    fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        let work_id = &self.work_id;
        let s = mutation::Spec {
            agent: cfg.agent_id.clone(),
            ..spec("s2s.work.release", "release", "work.released")
        };
        let done = mutation::run(store, cfg, s, |st, ctx| {
            ops::fleet::release(st, work_id, &proof(cfg), cfg.request_id.as_deref(), ctx)
        })?;
        Ok(Outcome::new(
            format!("↩️ RELEASED: {} is available again\n", field(work_id)),
            with_trace(
                cfg,
                json!({"ok": true, "command": "release", "work_item_id": work_id, "claim": done.value}),
            ),
        ))
    }
}
