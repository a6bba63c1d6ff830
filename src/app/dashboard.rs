//! `nexus dashboard`: the live view on a terminal, one frame of it with
//! `--once`, the text report when piped.

use std::io::IsTerminal;
use std::time::Duration;

use serde_json::json;

use super::{Outcome, report_of};
use crate::config::Config;
use crate::error::Result;
use crate::report;
use crate::store::AnyStore;

/// Show the dashboard: live on a terminal, the text report when piped
///
/// Keys in the live view: ↑/↓ or j/k move, Tab switches panel, Enter opens the
/// selected row, / filters, p cycles the priority filter, s changes the sort,
/// ? shows help, Esc closes a pop-up or clears the filters, q/Ctrl-C quit.
/// Example: nexus dashboard --once > fleet.txt
#[derive(Debug, clap::Args)]
pub struct DashboardArgs {
    /// Print the text report even on a terminal
    #[arg(long)]
    pub text: bool,
    /// Render one frame of the live view to stdout and exit
    #[arg(long, conflicts_with = "text")]
    pub once: bool,
    /// How often the live view checks the files for changes
    #[arg(long, value_name = "MS", default_value_t = 500, value_parser = clap::value_parser!(u64).range(50..=60_000))]
    pub refresh_ms: u64,
}

impl DashboardArgs {
    /// Render one frame, print the text report, or run the live view until quit.
    pub fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        if self.once {
            let frame = crate::tui::once(cfg);
            return Ok(Outcome::new(
                frame.clone(),
                json!({"ok": true, "command": "dashboard", "frame": frame}),
            ));
        }
        if self.text || cfg.json || !std::io::stdout().is_terminal() {
            return report_of(store, cfg, "dashboard", report::dashboard::render);
        }
        crate::tui::run(cfg, Duration::from_millis(self.refresh_ms))?;
        Ok(Outcome::new(
            String::new(),
            json!({"ok": true, "command": "dashboard"}),
        ))
    }
}
