//! `complete`: finish a work item and credit velocity points.

use clap::Args;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use super::args::optional_number;
use super::{HelpGroup, Http, Method, Verb, http_id};
use crate::app::changes::{spec, stale_report, work_id_or_current};
use crate::app::mutation::{self, Applied, with_trace};
use crate::app::queue_cmd::proof;
use crate::config::Config;
use crate::error::Result;
use crate::input::{or_default, whole};
use crate::mode::Feature;
use crate::ops;
use crate::outcome::Outcome;
use crate::store::AnyStore;
use crate::text::field;

/// Complete a work item and credit velocity points to $AGENT_TEAM
///
/// Arguments: [work_id=$CURRENT_WORK_ITEM] [result=success] [velocity_points=5].
/// Example: nexus complete work_1750000000000000000 success 8
#[derive(Debug, Clone, Default, Args, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteArgs {
    /// Work item to complete [default: $CURRENT_WORK_ITEM]
    pub work_id: Option<String>,
    /// Outcome text [default: success]
    pub result: Option<String>,
    /// Whole number of points for the team's velocity [default: 5]
    #[arg(allow_negative_numbers = true)]
    #[serde(default, deserialize_with = "optional_number")]
    #[schemars(with = "Option<i64>")]
    pub velocity_points: Option<String>,
}

impl Verb for CompleteArgs {
    const NAME: &'static str = "complete";
    const ABOUT: &'static str = "Complete a work item; credits velocity points.";
    const MUTATES: bool = true;
    const HTTP: Option<Http> = http_id(Method::Post, "/api/v1/work/{id}/complete");
    const GROUP: Option<HelpGroup> = Some(HelpGroup::Work);

    fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        let c = (|| {
            Ok(ops::complete::Completion {
                work_id: work_id_or_current(cfg, self.work_id.as_deref())?,
                result: or_default(self.result.as_deref(), "success"),
                points: whole(
                    "velocity points",
                    &or_default(self.velocity_points.as_deref(), "5"),
                )?,
                agent_id: cfg.agent_id.clone(),
                velocity_team: cfg.agent_team.clone(),
                request_id: cfg.request_id.clone(),
                proof: proof(cfg),
            })
        })()
        .or_else(|e| mutation::refuse(cfg, "s2s.work.complete", e))?;
        let s = mutation::Spec {
            agent: cfg.agent_id.clone(),
            attrs: vec![
                ("s2s.operation", json!("work_complete")),
                ("s2s.result", json!(c.result)),
                ("s2s.velocity_points", json!(c.points)),
            ],
            ..spec("s2s.work.complete", "complete", "work.completed")
        };
        let Applied { value: done, .. } = mutation::run(store, cfg, s, |st, ctx| {
            ops::complete::complete(st, &c, ctx)
        })?;
        let mut human = format!(
            "✅ COMPLETED: Released claim for {id} ({result}) - {n} velocity points\n📊 VELOCITY: Added {n} points to team {team} velocity\n",
            id = field(&c.work_id),
            result = field(&c.result),
            n = c.points,
            team = field(&done.team)
        );
        if cfg.mode.on(Feature::StaleReport) {
            human.push_str(&stale_report(store, cfg));
        }
        Ok(Outcome::new(
            human,
            with_trace(
                cfg,
                json!({"ok": true, "command": "complete", "work_item_id": c.work_id, "result": c.result,
                       "velocity_points": c.points, "team": done.team, "claim": done.record,
                       "completion": done.log_entry}),
            ),
        ))
    }
}
