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
    /// Keep warm connections to the PostgreSQL store for this machine's commands
    ///
    /// Commands start one in the background when they first connect straight
    /// to the server, and go through it after that: a claim then skips the
    /// server's start of a new session. It serves this user only, through a
    /// socket in a private directory. One started by a command exits after
    /// NEXUS_PG_RELAY_IDLE_MS (default 30000) without a command; one run by
    /// hand stays in the foreground until interrupted (or that long idle,
    /// when the variable is set). NEXUS_PG_RELAY=off keeps commands off it.
    /// Example: NEXUS_STORE=postgres://nexus@db:5432/nexus nexus store relay
    Relay {
        /// The lock that keeps one relay per store is on the standard input
        /// (how commands start it)
        #[arg(long, hide = true)]
        lock_on_stdin: bool,
    },
}
