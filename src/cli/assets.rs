//! Shell completions and man pages, generated from the clap definitions.

use std::path::Path;

use clap::CommandFactory;
use serde_json::json;

use crate::cli::Cli;
use crate::error::{NexusError, Result};
use crate::outcome::Outcome;

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "nexus", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// Every man page: (file name, roff text), the main page first, then one per
/// subcommand (`nexus-claim.1`, `nexus-n8n-list.1`, …).
pub fn man_pages() -> Vec<(String, String)> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut pages = Vec::new();
    collect(&cmd, "nexus", &mut pages);
    pages
}

fn render(cmd: &clap::Command) -> String {
    let mut buf = Vec::new();
    let _ = clap_mangen::Man::new(cmd.clone()).render(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

fn collect(cmd: &clap::Command, name: &str, pages: &mut Vec<(String, String)>) {
    let page = cmd
        .clone()
        .name(name.to_string())
        .bin_name(name.replace('-', " "));
    pages.push((format!("{name}.1"), render(&page)));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, &format!("{name}-{}", sub.get_name()), pages);
    }
}

/// `nexus man [--out DIR]`.
pub fn man(out: Option<&Path>) -> Result<Outcome> {
    let pages = man_pages();
    match out {
        None => {
            let main = pages.first().map(|p| p.1.clone()).unwrap_or_default();
            Ok(Outcome::new(
                main.clone(),
                json!({"ok": true, "command": "man", "page": main}),
            ))
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| NexusError::io("cannot create directory", dir, e))?;
            for (name, text) in &pages {
                let path = dir.join(name);
                std::fs::write(&path, text)
                    .map_err(|e| NexusError::io("cannot write", &path, e))?;
            }
            Ok(Outcome::new(
                format!("📖 Wrote {} man pages to {}\n", pages.len(), dir.display()),
                json!({"ok": true, "command": "man", "pages": pages.len(), "dir": dir}),
            ))
        }
    }
}
