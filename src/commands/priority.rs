//! `priority`: change an open item's priority (its place in the queue).

use clap::Args;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use super::{HelpGroup, Http, Method, Verb, http_id};
use crate::app::changes::spec;
use crate::app::mutation::{self, with_trace};
use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::ops;
use crate::outcome::Outcome;
use crate::records::Priority;
use crate::store::AnyStore;
use crate::text::field;

/// Change an open item's priority (critical, high, medium or low): its place
/// in the queue `claim --next` takes from
///
/// Example: nexus priority work_1750000000000000000 critical
#[derive(Debug, Clone, Default, Args, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityArgs {
    /// The work item
    pub work_id: String,
    /// The new priority: critical, high, medium or low
    pub priority: String,
}

impl Verb for PriorityArgs {
    const NAME: &'static str = "priority";
    const ABOUT: &'static str = "Change an open item's priority.";
    const MUTATES: bool = true;
    const HTTP: Option<Http> = http_id(Method::Post, "/api/v1/work/{id}/priority");
    const GROUP: Option<HelpGroup> = Some(HelpGroup::Work);

    fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        let level = Priority::parse(&self.priority)
            .ok_or_else(|| {
                NexusError::invalid(
                    "priority",
                    &self.priority,
                    "must be critical, high, medium or low",
                )
            })
            .or_else(|e| mutation::refuse(cfg, "s2s.work.priority", e))?
            .as_str();
        let s = mutation::Spec {
            agent: cfg.agent_id.clone(),
            attrs: vec![("s2s.priority", json!(level))],
            ..spec("s2s.work.priority", "priority", "work.priority_changed")
        };
        let id = &self.work_id;
        let done = mutation::run(store, cfg, s, |st, _| {
            ops::fleet::set_priority(st, id, level)
        })?;
        let (record, was) = done.value;
        Ok(Outcome::new(
            format!(
                "🎯 PRIORITY: {} is now {level} (was {})\n",
                field(id),
                field(&was)
            ),
            with_trace(
                cfg,
                json!({"ok": true, "command": "priority", "work_item_id": id,
                       "priority": level, "previous": was, "claim": record}),
            ),
        ))
    }
}
