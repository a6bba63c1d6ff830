//! Parsing a command line into [`Cli`].

use super::Cli;

impl Cli {
    /// Parse `args` (the program name first). The global options are given
    /// to the one subcommand named first, rather than copied by clap into
    /// all sixty before parsing: the same command line means the same
    /// thing, for a fraction of the work a short command starts with.
    pub fn parse_args(args: Vec<std::ffi::OsString>) -> Result<Cli, clap::Error> {
        use clap::{CommandFactory, FromArgMatches};
        let mut cmd = Cli::command();
        let named = args
            .get(1)
            .and_then(|a| a.to_str())
            .filter(|a| !a.starts_with('-'));
        if let Some(name) = named
            .and_then(|n| cmd.find_subcommand(n))
            .map(|s| s.get_name().to_string())
        {
            let globals: Vec<clap::Arg> = cmd
                .get_arguments()
                .filter(|a| a.is_global_set())
                .cloned()
                .collect();
            cmd = cmd
                .mut_args(|a| {
                    if a.is_global_set() {
                        a.global(false)
                    } else {
                        a
                    }
                })
                .mut_subcommand(name, |sc| sc.args(globals));
        }
        let mut matches = cmd.try_get_matches_from_mut(args)?;
        Cli::from_arg_matches_mut(&mut matches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Command, StoreCommand};

    fn parse(line: &[&str]) -> Cli {
        let args = std::iter::once("nexus").chain(line.iter().copied());
        Cli::parse_args(args.map(Into::into).collect()).unwrap()
    }

    #[test]
    fn global_options_mean_the_same_before_and_after_the_subcommand() {
        for line in [
            &["--json", "--dir", "/d", "claim", "bug", "fix it"][..],
            &["claim", "bug", "fix it", "--json", "--dir", "/d"][..],
            &["claim", "--dir=/d", "bug", "--json", "fix it"][..],
        ] {
            let cli = parse(line);
            assert!(cli.global.json, "{line:?}");
            assert_eq!(cli.global.dir.as_deref(), Some(std::path::Path::new("/d")));
            match cli.command {
                Command::Claim(a) => assert_eq!(
                    (a.work_type.as_deref(), a.description.as_deref()),
                    (Some("bug"), Some("fix it"))
                ),
                other => panic!("{other:?}"),
            }
        }
        let cli = parse(&["store", "init", "--store", "postgres://u@h/db"]);
        assert_eq!(cli.global.store.as_deref(), Some("postgres://u@h/db"));
        assert!(matches!(
            cli.command,
            Command::Store(crate::app::store_cmd::StoreArgs {
                action: StoreCommand::Init
            })
        ));
        let unknown = Cli::parse_args(vec!["nexus".into(), "clam".into()]).unwrap_err();
        assert!(unknown.to_string().contains("claim"), "{unknown}");
    }
}
