//! `nexus store init|import|export`: the PostgreSQL store's schema, and
//! moving state between it and a coordination directory.

use serde_json::json;

use super::Outcome;
use crate::cli::StoreCommand;
use crate::error::{NexusError, Result};
use crate::store::AnyStore;

pub fn run(store: &AnyStore, action: &StoreCommand) -> Result<Outcome> {
    let Some(pg) = store.pg() else {
        return Err(NexusError::Usage(
            "nexus store works on a PostgreSQL store: pass --store postgres://... or set NEXUS_STORE"
                .into(),
        ));
    };
    match action {
        StoreCommand::Init => {
            let (before, now) = pg.init()?;
            let what = if before == now {
                format!("schema version {now} is current, nothing to do")
            } else if before == 0 {
                format!("created schema version {now}")
            } else {
                format!("migrated schema version {before} to {now}")
            };
            Ok(Outcome::new(
                format!("🗄️ STORE: {}: {what}\n", pg.name()),
                json!({"ok": true, "command": "store init", "store": pg.name(),
                       "schema_version": now, "previous_version": before}),
            ))
        }
        StoreCommand::Import { from } => {
            let c = pg.import(from)?;
            Ok(Outcome::new(
                format!(
                    "📥 IMPORTED: {} into {}: {}\n",
                    from.display(),
                    pg.name(),
                    c.summary()
                ),
                json!({"ok": true, "command": "store import", "store": pg.name(), "from": from, "counts": c}),
            ))
        }
        StoreCommand::Export { to } => {
            let c = pg.export(to)?;
            Ok(Outcome::new(
                format!(
                    "📤 EXPORTED: {} to {}: {}\n",
                    pg.name(),
                    to.display(),
                    c.summary()
                ),
                json!({"ok": true, "command": "store export", "store": pg.name(), "to": to, "counts": c}),
            ))
        }
        StoreCommand::Relay { lock_on_stdin } => {
            // Started by a command, it leaves when idle; started by hand, it
            // stays until interrupted unless told otherwise.
            let idle = match crate::config::millis_var("NEXUS_PG_RELAY_IDLE_MS")? {
                Some(ms) => Some(std::time::Duration::from_millis(ms)),
                None => lock_on_stdin.then_some(crate::store::pg::relay::DEFAULT_IDLE),
            };
            let until = idle.map_or("interrupted".to_string(), |d| {
                format!("{} ms without one", d.as_millis())
            });
            if !lock_on_stdin {
                eprintln!(
                    "🔁 RELAY: {}: serving this machine's commands until {until}",
                    pg.name()
                );
            }
            let ran = pg.relay(*lock_on_stdin, idle.unwrap_or(std::time::Duration::MAX))?;
            Ok(Outcome::new(
                format!(
                    "🔁 RELAY: {}: stopped after {} s, {}\n",
                    pg.name(),
                    ran.as_secs(),
                    if crate::store::pg::relay::interrupted() {
                        "interrupted".to_string()
                    } else {
                        until
                    }
                ),
                json!({"ok": true, "command": "store relay", "store": pg.name(),
                       "ran_ms": ran.as_millis() as u64,
                       "idle_ms": idle.map(|d| d.as_millis() as u64)}),
            ))
        }
    }
}
