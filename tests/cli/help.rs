//! `nexus help` is generated from the clap definition: it names every
//! command, alias and subcommand.

use clap::CommandFactory;
use nexus::cli::Cli;

use crate::common::Env;

#[test]
fn help_names_every_subcommand_and_alias_from_clap() {
    let help = Env::new().ok(&["help"]);
    for needle in [
        "SCRUM AT SCALE AGENT COORDINATION HELPER",
        "Usage:",
        "Work Management Commands:",
    ] {
        assert!(help.contains(needle), "help lacks {needle}");
    }
    let words: Vec<&str> = help
        .split(|c: char| c.is_whitespace() || c == '|')
        .collect();
    let cli = Cli::command();
    let mut checked = 0;
    for cmd in cli.get_subcommands() {
        let names = std::iter::once(cmd.get_name()).chain(cmd.get_all_aliases());
        for name in names.chain(cmd.get_subcommands().map(clap::Command::get_name)) {
            assert!(words.contains(&name), "help lacks {name}:\n{help}");
            checked += 1;
        }
        // Commands and their aliases are on one line, as `name | alias`.
        for alias in cmd.get_visible_aliases() {
            assert!(
                help.contains(&format!("{} | {alias}", cmd.get_name())),
                "{alias}"
            );
        }
    }
    assert!(checked > 50, "only {checked} names checked");
    for once_missing in [
        "release",
        "heartbeat",
        "cleanup",
        "show",
        "audit",
        "doctor",
        "man",
    ] {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(once_missing)),
            "{once_missing} has its own line"
        );
    }
}
