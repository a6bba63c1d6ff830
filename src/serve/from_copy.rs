//! The API's reads answered from the server's copy of the state in memory
//! ([`crate::web::Memory`]): a page of work items with its total, the
//! status, a report by name.

use serde_json::{Value, json};

use crate::commands::list::ListArgs;
use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::outcome::Outcome;
use crate::store::AnyStore;

/// `GET /api/v1/work`: one page of the items that match, and how many do.
/// The items come from the server's copy of the state in memory.
pub fn list(store: &AnyStore, args: Value, memory: &crate::web::Memory) -> Result<Outcome> {
    let a: ListArgs =
        serde_json::from_value(args).map_err(|e| crate::commands::bad_arguments("list", &e))?;
    let (items, total) = memory.with(store, |held| a.page_of(&held.snap.claims))?;
    let per_page = a.limit.unwrap_or(crate::commands::list::MAX_LIMIT);
    let page = a.offset.unwrap_or(0) / per_page.max(1) + 1;
    Ok(Outcome::new(
        String::new(),
        json!({"ok": true, "command": "list", "total": total, "page": page,
               "per_page": per_page, "items": items}),
    ))
}

/// `GET /api/v1/status`, from the server's copy of the state.
pub fn status(
    store: &AnyStore,
    cfg: &Config,
    args: Value,
    memory: &crate::web::Memory,
) -> Result<Outcome> {
    let _: crate::commands::status::StatusArgs =
        serde_json::from_value(args).map_err(|e| crate::commands::bad_arguments("status", &e))?;
    let name = store.name();
    memory.with(store, |held| {
        Ok(crate::commands::status::status_of(&held.snap, &name, cfg))
    })
}

/// `GET /api/v1/reports/{name}`: a ceremony report or the dashboard, as
/// `nexus --json <name>` prints it, from the server's copy of the state.
pub fn report(
    store: &AnyStore,
    cfg: &Config,
    args: &Value,
    memory: &crate::web::Memory,
) -> Result<Outcome> {
    let name = args["name"].as_str().unwrap_or("");
    let Some((name, render)) = crate::report::by_name(name) else {
        return Err(NexusError::invalid(
            "report",
            name,
            format!("known reports: {}", crate::report::NAMES.join(", ")),
        ));
    };
    memory.with(store, |held| {
        Ok(crate::app::report_from(&held.snap, cfg, name, render))
    })
}
