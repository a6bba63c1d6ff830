//! `nexus store init|import|export`: the PostgreSQL store's schema, and
//! moving state between it and a coordination directory.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::json;

use super::Outcome;
use crate::error::{NexusError, Result};
use crate::store::AnyStore;

/// Set up the PostgreSQL store and move state between it and a directory
///
/// Example: NEXUS_STORE=postgres://nexus@db:5432/nexus nexus store import --from ./coordination
#[derive(Debug, Args)]
pub struct StoreArgs {
    #[command(subcommand)]
    pub action: StoreCommand,
}

/// The `store` subcommands.
#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Create or migrate the schema of the store named by --store / NEXUS_STORE
    ///
    /// Other commands do this on first use too; running it again changes nothing.
    /// Example: NEXUS_STORE=postgres://nexus@db:5432/nexus nexus store init
    Init,
    /// Load the legacy JSON files of a directory into the (empty) PostgreSQL store
    ///
    /// Every record keeps its fields and their order; the log, the velocity
    /// lines, the spans, the archive, the events and the audit trail come too.
    /// Example: nexus --store postgres://nexus@db/nexus store import --from ./coordination
    Import {
        /// The coordination directory to read
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
    },
    /// Write the PostgreSQL store back as the legacy JSON files of a directory
    ///
    /// For jq-based scripts and the legacy readers; files there are replaced.
    /// Example: nexus --store postgres://nexus@db/nexus store export --to ./snapshot
    Export {
        /// The directory to write
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
    },
}

/// Run `nexus store ...` on the PostgreSQL store `store` (refused on a directory).
pub fn run(store: &AnyStore, args: &StoreArgs) -> Result<Outcome> {
    let action = &args.action;
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
    }
}
