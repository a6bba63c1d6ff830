//! `nexus store`: the PostgreSQL store's schema and moving state between it
//! and a coordination directory.

use std::path::PathBuf;

use clap::Subcommand;

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
