//! `add`: put an unclaimed item on the backlog.

use clap::Args;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use super::{HelpGroup, Http, Method, Verb};
use crate::app::changes::{spec, strict_priority};
use crate::app::mutation::{self, with_trace};
use crate::config::{Config, DEFAULT_TEAM};
use crate::error::Result;
use crate::input::{non_empty, or_default};
use crate::ops;
use crate::outcome::Outcome;
use crate::store::AnyStore;
use crate::text::field;

/// Put an unclaimed item on the backlog for agents to pull with `claim --next`
///
/// Example: nexus add bug_fix "Fix flaky login test" high backend_team
#[derive(Debug, Clone, Default, Args, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddArgs {
    /// Kind of work
    pub work_type: String,
    /// What the work is about
    #[arg(allow_hyphen_values = true)]
    pub description: String,
    /// critical, high, medium or low [default: medium]
    pub priority: Option<String>,
    /// Team that owns the item [default: autonomous_team]
    pub team: Option<String>,
    /// Items that must be completed before this one is ready (comma-separated)
    #[arg(long, value_name = "ID[,ID...]", value_delimiter = ',')]
    #[serde(default)]
    pub depends_on: Vec<String>,
}

impl Verb for AddArgs {
    const NAME: &'static str = "add";
    const ABOUT: &'static str = "Add an unclaimed item to the backlog.";
    const MUTATES: bool = true;
    const HTTP: Option<Http> = Some(Http {
        method: Method::Post,
        path: "/api/v1/work",
        params: &[],
        created: true,
    });
    const GROUP: Option<HelpGroup> = Some(HelpGroup::Work);

    fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        let priority = or_default(self.priority.as_deref(), "medium");
        let team = or_default(self.team.as_deref(), DEFAULT_TEAM);
        non_empty("work type", &self.work_type)
            .and_then(|_| strict_priority(cfg, &priority))
            .or_else(|e| mutation::refuse(cfg, "s2s.work.add", e))?;
        let s = mutation::Spec {
            agent: cfg.agent_id.clone(),
            attrs: vec![
                ("s2s.work_type", json!(self.work_type)),
                ("s2s.priority", json!(priority)),
            ],
            ahead: mutation::Ahead {
                work_id: true,
                agent: false,
            },
            ..spec("s2s.work.add", "add", "work.added")
        };
        let req = ops::fleet::AddRequest {
            work_type: self.work_type.clone(),
            description: self.description.clone(),
            priority: priority.clone(),
            team: team.clone(),
            request_id: cfg.request_id.clone(),
            depends_on: self.depends_on.clone(),
        };
        let done = mutation::run(store, cfg, s, |st, ctx| ops::fleet::add(st, &req, ctx))?;
        let record = done.value;
        let id = record["work_item_id"].as_str().unwrap_or("").to_string();
        let deps = crate::records::depends_on(&record);
        let waits = if deps.is_empty() {
            String::new()
        } else {
            format!(", waiting on {}", field(&deps.join(", ")))
        };
        Ok(Outcome::new(
            format!(
                "📥 ADDED: {id} to the backlog of team {} ({}){waits}\n",
                field(&team),
                field(&priority)
            ),
            with_trace(
                cfg,
                json!({"ok": true, "command": "add", "work_item_id": id, "claim": record}),
            ),
        ))
    }
}
