//! The `dep` subcommands: the edges of the work graph.

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum DepCommand {
    /// Make an item wait until another is completed
    ///
    /// Refused (exit 1, nothing changed) when OTHER is not a work item or the edge
    /// would close a cycle (the cycle is printed).
    /// Example: nexus dep add work_1750000000000000002 --on work_1750000000000000001
    Add {
        /// The item that waits
        work_id: String,
        /// The item it waits on (a comma-separated list for several)
        #[arg(long, required = true, value_name = "OTHER", value_delimiter = ',')]
        on: Vec<String>,
    },
    /// Stop an item waiting on another
    ///
    /// Example: nexus dep rm work_1750000000000000002 --on work_1750000000000000001
    Rm {
        /// The item that waits
        work_id: String,
        /// The item it no longer waits on
        #[arg(long, value_name = "OTHER")]
        on: String,
    },
}
