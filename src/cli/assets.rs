//! Shell completions and man pages, generated from the clap definitions.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use serde_json::json;

use crate::cli::Cli;
use crate::error::{NexusError, Result};
use crate::outcome::Outcome;

/// Print shell completions: bash, zsh, fish, elvish or powershell
///
/// Example: nexus completions bash > ~/.local/share/bash-completion/completions/nexus
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    pub shell: clap_complete::Shell,
}

impl CompletionsArgs {
    /// `nexus completions SHELL`: the script, printed.
    pub fn run(&self) -> Outcome {
        let script = completions(self.shell);
        Outcome::new(
            script.clone(),
            json!({"ok": true, "command": "completions", "script": script}),
        )
    }
}

/// Print the man page, or write every page (nexus.1, nexus-claim.1, …) to a directory
///
/// Example: nexus man | man -l -    or    nexus man --out /usr/local/share/man/man1
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write all pages into this directory instead of printing nexus.1
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

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
