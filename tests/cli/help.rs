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

/// `nexus --help` lists every command with a summary. The list is built
/// before a command's argument struct is, so a variant that names a struct
/// keeps its summary line itself.
#[test]
fn the_command_list_gives_each_command_a_summary() {
    let list = Env::new().ok(&["--help"]);
    let cli = Cli::command();
    let mut checked = 0;
    for cmd in cli.get_subcommands().filter(|c| !c.is_hide_set()) {
        let name = cmd.get_name();
        let listed = list
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name} is not listed:\n{list}"));
        let summary = listed.trim_start().trim_start_matches(name).trim();
        assert!(summary.len() > 10, "{name} has no summary: {listed:?}");
        checked += 1;
    }
    assert!(checked > 40, "only {checked} commands checked");
}

/// The README's environment table is the list nexus reads its settings from.
#[test]
fn the_readme_environment_table_is_generated_from_the_settings() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let begin = "<!-- environment table: begin -->\n";
    let end = "<!-- environment table: end -->";
    let i = readme.find(begin).expect("the begin marker") + begin.len();
    let j = readme.find(end).expect("the end marker");
    assert_eq!(
        &readme[i..j],
        nexus::config::vars::markdown(),
        "run scripts/regenerate-assets.sh"
    );
}

#[test]
fn help_environment_lists_every_variable_with_its_default() {
    let env = crate::common::Env::new();
    let out = env.ok(&["help", "environment"]);
    for v in nexus::config::vars::VARIABLES {
        assert!(out.contains(&format!("  {}", v.name)), "{}", v.name);
    }
    assert!(out.contains("NEXUS_LOCK_TIMEOUT_MS [5000]"), "{out}");
    let bad = env.cmd().args(["help", "nope"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("invalid help topic 'nope'"),
        "{bad:?}"
    );
}
