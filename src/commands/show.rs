//! `show`: every field of one work item and its audit history.

use clap::Args;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{HelpGroup, Http, Method, Verb, http_id};
use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::outcome::Outcome;
use crate::records::text;
use crate::store::audit;
use crate::store::{AnyStore, Store};
use crate::text::field;

/// Every field of one work item (archived ones too) and its audit history
///
/// Example: nexus show work_1750000000000000000
#[derive(Debug, Clone, Default, Args, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowArgs {
    /// The work item
    pub work_id: String,
}

impl Verb for ShowArgs {
    const NAME: &'static str = "show";
    const ABOUT: &'static str = "One work item and its audit history.";
    const MUTATES: bool = false;
    const HTTP: Option<Http> = http_id(Method::Get, "/api/v1/work/{id}");
    const GROUP: Option<HelpGroup> = Some(HelpGroup::Views);

    fn run(&self, store: &AnyStore, _cfg: &Config) -> Result<Outcome> {
        let id = self.work_id.as_str();
        let s = store.snapshot()?;
        let record = s
            .claims
            .iter()
            .rfind(|c| text(c, "work_item_id") == Some(id))
            .cloned()
            .ok_or_else(|| NexusError::WorkNotFound {
                id: id.to_string(),
                path: store.claims_place(),
            })?;
        let trail = store.audit_trail()?.map(|t| t.0).unwrap_or_default();
        let history: Vec<Value> = audit::parse_all(&trail)
            .into_iter()
            .filter(|l| l["id"] == id)
            .collect();
        let mut human = serde_json::to_string_pretty(&record).unwrap_or_default();
        human.push_str(&format!("\n\nHistory ({} audit lines):\n", history.len()));
        for h in &history {
            let fields: Vec<&String> = h["changes"]
                .as_object()
                .map(|m| m.keys().collect())
                .unwrap_or_default();
            human.push_str(&format!(
                "  #{} {} {} by {} (trace {}): {}\n",
                h["seq"],
                field(h["timestamp"].as_str().unwrap_or("")),
                field(h["command"].as_str().unwrap_or("")),
                field(h["agent"].as_str().unwrap_or("-")),
                field(h["trace_id"].as_str().unwrap_or("")),
                fields
                    .iter()
                    .map(|f| field(f))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Ok(Outcome::new(
            human,
            json!({"ok": true, "command": "show", "claim": record, "history": history}),
        ))
    }
}
