//! `progress`: report progress on a work item.

use clap::Args;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use super::args::number;
use super::{HelpGroup, Http, Method, Verb, http_id};
use crate::app::changes::{spec, work_id_or_current};
use crate::app::mutation::{self, with_trace};
use crate::app::queue_cmd::proof;
use crate::config::Config;
use crate::error::Result;
use crate::input::{Percent, or_default};
use crate::ops;
use crate::outcome::Outcome;
use crate::store::AnyStore;
use crate::text::field;

/// Report progress on a work item
///
/// Arguments: [work_id] <percent> [status]. The work id defaults to $CURRENT_WORK_ITEM
/// (also when given as ""); the percent is a whole number from 0 to 100; the status
/// defaults to in_progress and is one of active, in_progress, pending, blocked, review,
/// completed, available, stale.
/// Example: nexus progress work_1750000000000000000 50 in_progress
#[derive(Debug, Clone, Default, Args, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressArgs {
    /// [work_id] <percent 0-100> [status=in_progress]
    #[arg(num_args = 0..=3, value_name = "ARGS", allow_negative_numbers = true)]
    #[serde(skip)]
    #[schemars(skip)]
    pub args: Vec<String>,
    /// The work item
    #[arg(skip)]
    pub work_id: Option<String>,
    /// 0 to 100
    #[arg(skip)]
    #[serde(deserialize_with = "number")]
    #[schemars(with = "f64")]
    pub percent: Option<String>,
    /// in_progress (default), blocked, review, pending, ...
    #[arg(skip)]
    pub status: Option<String>,
}

impl ProgressArgs {
    /// (work id, percent, status): the named fields, else the legacy
    /// positional arguments, where a lone number is the percent of
    /// $CURRENT_WORK_ITEM.
    fn parts(&self) -> (Option<&str>, Option<&str>, Option<&str>) {
        if self.args.is_empty() {
            return (
                self.work_id.as_deref(),
                self.percent.as_deref(),
                self.status.as_deref(),
            );
        }
        match self.args.as_slice() {
            [one] if crate::input::looks_numeric(one) => (None, Some(one.as_str()), None),
            args => (
                args.first().map(String::as_str),
                args.get(1).map(String::as_str),
                args.get(2).map(String::as_str),
            ),
        }
    }

    fn checked(&self, cfg: &Config) -> Result<(String, Percent, String)> {
        let (id, pct, status) = self.parts();
        let id = work_id_or_current(cfg, id)?;
        let pct = Percent::required(pct)?;
        let status = crate::input::status(&or_default(status, "in_progress"))?;
        Ok((id, pct, status))
    }
}

impl Verb for ProgressArgs {
    const NAME: &'static str = "progress";
    const ABOUT: &'static str = "Report progress on a work item.";
    const MUTATES: bool = true;
    const HTTP: Option<Http> = http_id(Method::Post, "/api/v1/work/{id}/progress");
    const GROUP: Option<HelpGroup> = Some(HelpGroup::Work);

    fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        let (id, pct, status) = self
            .checked(cfg)
            .or_else(|e| mutation::refuse(cfg, "s2s.work.progress", e))?;
        let s = mutation::Spec {
            agent: cfg.agent_id.clone(),
            attrs: vec![
                ("s2s.operation", json!("progress_update")),
                ("s2s.progress_percent", pct.to_json()),
                ("s2s.progress_status", json!(status)),
            ],
            ..spec("s2s.work.progress", "progress", "work.progress")
        };
        let done = mutation::run(store, cfg, s, |st, ctx| {
            let rid = cfg.request_id.as_deref();
            ops::progress::progress(st, &id, &pct, &status, &proof(cfg), rid, ctx)
        })?;
        Ok(Outcome::new(
            format!(
                "🔍 Trace ID: {}\n📈 PROGRESS: Updated {} to {}% ({})\n",
                cfg.trace.trace_id,
                field(&id),
                field(pct.given()),
                field(&status)
            ),
            with_trace(
                cfg,
                json!({"ok": true, "command": "progress", "work_item_id": id, "progress": pct.to_json(),
                       "status": status, "claim": done.value}),
            ),
        ))
    }
}
