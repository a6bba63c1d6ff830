//! The runner every state change takes and the handlers of the commands
//! outside the shared table (see [`crate::commands`]).
//!
//! - `mutation`: the one path that makes a command's pure operation a store
//!   step and derives span, audit, webhook event and trace fields from the
//!   step's changes; `changes` and `queue_cmd`: what the mutating commands
//!   share (strict input, the acting agent, leases), and register and cleanup;
//! - `reads` (the audit trail), the reports here, `dashboard`, `ai_cmd`
//!   (with `ai_suggest`, claim-intelligent's routing) and `doctor`:
//!   readers of a snapshot (doctor's repairs go through the store's own
//!   examination);
//! - `n8n_cmd`, `traced`, `store_cmd`, `watch`: n8n workflows, span export,
//!   the PostgreSQL store's schema, the event feed.

pub mod ai_cmd;
pub mod ai_suggest;
pub mod changes;
pub mod dashboard;
pub mod doctor;
pub mod mutation;
pub mod n8n_cmd;
pub mod queue_cmd;
pub mod reads;
pub mod store_cmd;
pub mod traced;
pub mod watch;

use serde_json::json;

use crate::config::Config;
use crate::error::Result;
use crate::report::Metrics;
use crate::store::{AnyStore, Snapshot, Store};

pub use crate::outcome::Outcome;

/// A ceremony's name and its report.
pub use crate::report::Render;

pub fn report_of(store: &AnyStore, cfg: &Config, name: &str, render: Render) -> Result<Outcome> {
    Ok(report_from(&store.snapshot()?, cfg, name, render))
}

/// [`report_of`] from a snapshot already read.
pub fn report_from(snapshot: &Snapshot, cfg: &Config, name: &str, render: Render) -> Outcome {
    let metrics = Metrics::compute(snapshot, cfg.now);
    let text = render(snapshot, &metrics);
    // The metrics list every stale item: built as JSON only when printed.
    let json = match cfg.json {
        true => json!({"ok": true, "command": name, "metrics": metrics, "text": text}),
        false => serde_json::Value::Null,
    };
    Outcome::new(text, json)
}
