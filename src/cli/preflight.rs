//! Checks made before a command runs, on its settings rather than its
//! arguments: a read command on a coordination directory that does not exist
//! (a mistyped --dir or COORDINATION_DIR would otherwise show an empty fleet
//! and exit 0), and a NEXUS_AI_PROVIDER nexus does not know.

use crate::cli::Command;
use crate::config::Config;
use crate::error::Result;

/// Refuse `cmd` when its settings cannot be right.
pub fn check(cmd: &Command, cfg: &Config) -> Result<()> {
    if cmd.asks_a_model() {
        cfg.ai.check()?;
    }
    if reads_state(cmd) {
        cfg.require_state()?;
    }
    Ok(())
}

/// Commands that read the coordination state (the analyses also save their
/// result there). An existing but empty directory is fine (the reports show
/// zeros); a missing one is an error, not an analysis of nothing.
pub fn reads_state(cmd: &Command) -> bool {
    cmd.is_ceremony()
        || matches!(
            cmd,
            Command::Status(_)
                | Command::Agents(_)
                | Command::List(_)
                | Command::Show(_)
                | Command::Ready(_)
                | Command::Blocked(_)
                | Command::Watch(_)
                | Command::Audit(_)
                | Command::Dashboard(_)
                | Command::ClaudeDashboard
                | Command::ClaudePriorities
                | Command::ClaudeOptimize(_)
                | Command::ClaudeHealth
                | Command::ClaudeTeam(_)
                | Command::ClaudeStream(_)
        )
}
