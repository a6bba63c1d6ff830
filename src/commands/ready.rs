//! `ready`: the items `claim --next` would take, in claim order.

use clap::Args;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::args::given;
use super::{HelpGroup, Http, Method, Verb, http};
use crate::app::queue_cmd::row;
use crate::config::Config;
use crate::error::Result;
use crate::outcome::Outcome;
use crate::store::AnyStore;

/// The items `claim --next` would take, in claim order (priority, then age)
///
/// Ready: pending (or its lease expired) and everything it depends on completed.
/// Example: nexus ready --team backend_team --json | jq -r '.items[].work_item_id'
#[derive(Debug, Clone, Default, Args, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadyArgs {
    /// Only items of this team
    #[arg(long)]
    pub team: Option<String>,
}

impl Verb for ReadyArgs {
    const NAME: &'static str = "ready";
    const ABOUT: &'static str = "The items next would take, in claim order.";
    const MUTATES: bool = false;
    const HTTP: Option<Http> = http(Method::Get, "/api/v1/ready");
    const GROUP: Option<HelpGroup> = Some(HelpGroup::Work);

    fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        let items = store.ready(given(self.team.clone()).as_deref(), cfg.now)?;
        if cfg.json {
            // Only the form that is printed is built: the ready list can be long.
            let json =
                json!({"ok": true, "command": "ready", "count": items.len(), "items": items});
            return Ok(Outcome::new(String::new(), json));
        }
        let mut human = format!(
            "✅ READY: {}, in claim order\n",
            crate::text::count(items.len(), "item", "items")
        );
        for c in &items {
            human.push_str(&format!("  {}\n", row(c)));
        }
        Ok(Outcome::new(human, Value::Null))
    }
}
