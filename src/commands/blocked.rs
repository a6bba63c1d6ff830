//! `blocked`: the open items that wait on others, each with what it waits on.

use clap::Args;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::args::given;
use super::{HelpGroup, Http, Method, Verb, http};
use crate::app::queue_cmd::row;
use crate::config::Config;
use crate::error::Result;
use crate::ops::graph::Graph;
use crate::outcome::Outcome;
use crate::records::text;
use crate::store::{AnyStore, Store};
use crate::text::field;

/// The open items that wait on others, each with what it waits on
///
/// Example: nexus blocked
#[derive(Debug, Clone, Default, Args, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockedArgs {
    /// Only items of this team
    #[arg(long)]
    pub team: Option<String>,
}

impl Verb for BlockedArgs {
    const NAME: &'static str = "blocked";
    const ABOUT: &'static str = "Open items that wait on others, and on what.";
    const MUTATES: bool = false;
    const HTTP: Option<Http> = http(Method::Get, "/api/v1/blocked");
    const GROUP: Option<HelpGroup> = Some(HelpGroup::Work);

    fn run(&self, store: &AnyStore, _cfg: &Config) -> Result<Outcome> {
        let team = given(self.team.clone());
        let s = store.snapshot()?;
        // The live claims: the archive's records are history.
        let claims = crate::records::claim_record::graph_records(s.live());
        let g = Graph::new(&claims);
        let waiting = g.blocked(team.as_deref());
        let mut human = format!(
            "⛔ BLOCKED: {} on others\n",
            crate::text::count(waiting.len(), "item waits", "items wait")
        );
        let mut items = Vec::new();
        for w in &waiting {
            let on: Vec<Value> = w
                .waits_on
                .iter()
                .map(|d| json!({"work_item_id": d["work_item_id"], "status": d["status"]}))
                .collect();
            let names: Vec<String> = w
                .waits_on
                .iter()
                .map(|d| {
                    format!(
                        "{} ({})",
                        text(d, "work_item_id").unwrap_or("?"),
                        text(d, "status").unwrap_or("?")
                    )
                })
                .collect();
            human.push_str(&format!(
                "  {}\n      waits on {}\n",
                row(w.item),
                field(&names.join(", "))
            ));
            let mut item = w.item.clone();
            item["waits_on"] = json!(on);
            items.push(item);
        }
        Ok(Outcome::new(
            human,
            json!({"ok": true, "command": "blocked", "count": items.len(), "items": items}),
        ))
    }
}
