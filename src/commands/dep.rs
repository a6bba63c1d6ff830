//! `dep add|rm`: the edges of the work graph.

use clap::{Args, Subcommand};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use super::{Http, Method, Verb, http_id};
use crate::app::mutation::{self, Spec, with_trace};
use crate::config::Config;
use crate::error::Result;
use crate::ops::graph;
use crate::outcome::Outcome;
use crate::records::depends_on;
use crate::store::AnyStore;
use crate::text::field;

/// Make items wait on others: `dep add ID --on OTHER`, `dep rm ID --on OTHER`
#[derive(Debug, Args)]
pub struct DepArgs {
    #[command(subcommand)]
    pub action: DepCommand,
}

impl DepArgs {
    /// Run the chosen subcommand.
    pub fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        self.action.run(store, cfg)
    }
}

/// The `dep` subcommands.
#[derive(Debug, Subcommand)]
pub enum DepCommand {
    /// Make an item wait until another is completed
    ///
    /// Refused (exit 1, nothing changed) when OTHER is not a work item or the edge
    /// would close a cycle (the cycle is printed).
    /// Example: nexus dep add work_1750000000000000002 --on work_1750000000000000001
    Add(DepAddArgs),
    /// Stop an item waiting on another
    ///
    /// Example: nexus dep rm work_1750000000000000002 --on work_1750000000000000001
    Rm(DepRmArgs),
}

impl DepCommand {
    /// Run this subcommand.
    pub fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        match self {
            DepCommand::Add(a) => a.run(store, cfg),
            DepCommand::Rm(a) => a.run(store, cfg),
        }
    }
}

/// Make an item wait until others are completed
#[derive(Debug, Clone, Default, Args, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DepAddArgs {
    /// The item that waits
    pub work_id: String,
    /// The items it waits on (a comma-separated list for several)
    #[arg(long, required = true, value_name = "OTHER", value_delimiter = ',')]
    pub on: Vec<String>,
}

/// Stop an item waiting on another
#[derive(Debug, Clone, Default, Args, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DepRmArgs {
    /// The item that waits
    pub work_id: String,
    /// The item it no longer waits on
    #[arg(long, value_name = "OTHER")]
    pub on: String,
}

impl Verb for DepAddArgs {
    const NAME: &'static str = "dep_add";
    const ABOUT: &'static str = "Make an item wait until others are completed.";
    const MUTATES: bool = true;
    const HTTP: Option<Http> = http_id(Method::Post, "/api/v1/work/{id}/dependencies");

    fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        change(store, cfg, &self.work_id, &self.on, true)
    }
}

impl Verb for DepRmArgs {
    const NAME: &'static str = "dep_rm";
    const ABOUT: &'static str = "Stop an item waiting on another.";
    const MUTATES: bool = true;
    const HTTP: Option<Http> = Some(Http {
        method: Method::Delete,
        path: "/api/v1/work/{id}/dependencies/{other}",
        params: &[("id", "work_id"), ("other", "on")],
        created: false,
    });

    fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        change(
            store,
            cfg,
            &self.work_id,
            std::slice::from_ref(&self.on),
            false,
        )
    }
}

fn change(
    store: &AnyStore,
    cfg: &Config,
    id: &str,
    on: &[String],
    adding: bool,
) -> Result<Outcome> {
    let s = Spec {
        operation: "s2s.work.depends",
        command: "dep",
        event: "work.dependency_changed",
        agent: cfg.agent_id.clone(),
        attrs: vec![("s2s.depends_on", json!(on))],
        ahead: Default::default(),
    };
    let done = mutation::run(store, cfg, s, |st, _| {
        if adding {
            graph::add_dependencies(st, id, on)
        } else {
            graph::remove_dependency(st, id, &on[0], cfg.request_id.as_deref())
        }
    })?;
    let now: Vec<&str> = depends_on(&done.value);
    let human = if adding {
        format!(
            "🔗 DEPENDS: {} waits on {}\n",
            field(id),
            field(&on.join(", "))
        )
    } else {
        format!(
            "✂️ DEPENDS: {} no longer waits on {}\n",
            field(id),
            field(&on[0])
        )
    };
    Ok(Outcome::new(
        human,
        with_trace(
            cfg,
            json!({"ok": true, "command": "dep", "work_item_id": id, "depends_on": now,
                   "claim": done.value}),
        ),
    ))
}
