//! The `nexus` binary: parse, run, print, and map the result to an exit code.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use clap::error::ErrorKind as ClapKind;
use nexus::cli::Cli;
use nexus::config::Config;
use nexus::error::{Exit, NexusError};
use serde_json::json;

fn main() -> ExitCode {
    let cli = match Cli::parse_args(std::env::args_os().collect()) {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    init_logging();
    // A command whose PostgreSQL server stops answering (a silent network
    // path) ends with the error once its bound passes; the long-lived
    // servers answer their clients' timeouts instead.
    if !matches!(
        cli.command,
        nexus::cli::Command::Serve(_) | nexus::cli::Command::Mcp
    ) {
        let (json, rid) = (cli.global.json, cli.global.request_id.clone());
        nexus::store::pg::stuck::on_stuck(move |e| {
            let e = nexus::app::mutation::retry_hint(e, rid.as_deref());
            report_error(&e, json);
            std::process::exit(e.exit() as i32);
        });
    }
    // A directory named with --dir that this command creates is announced
    // once, so a mistyped path does not silently become a new fleet.
    let new_dir = cli.global.dir.clone().filter(|d| !d.is_dir());
    let outcome = Config::from_env_with(
        cli.global.dir.as_deref(),
        cli.global.store.as_deref(),
        cli.global.json,
    )
    .and_then(|mut cfg| {
        cfg.request_id = cli.global.request_id.clone();
        cfg.lease_generation = cli.global.lease_generation;
        nexus::cli::preflight::check(&cli.command, &cfg)?;
        nexus::cli::execute(&cli.command, &cfg)
    });
    match outcome {
        Ok(out) => {
            if let Some(d) = new_dir.filter(|d| d.is_dir()) {
                eprintln!("created {}", d.display());
            }
            if cli.global.json {
                // A command that owns stdout (the MCP server) has no JSON to add.
                if !out.json.is_null() {
                    print(&format!("{}\n", out.json));
                }
            } else {
                print(&nexus::text::output(&out.human));
            }
            if let (true, Some(tp)) = (
                cli.global.print_traceparent,
                out.json["traceparent"].as_str(),
            ) {
                print(&format!("TRACEPARENT={tp}\n"));
            }
            if let Some(why) = &out.failure {
                eprintln!("❌ ERROR: {}", nexus::text::line(why));
            }
            code(out.exit)
        }
        // Healthchecks run `coordination_helper.sh status`, which the legacy
        // script answered with exit 0 whatever the state: under the shim a
        // fault is a warning and the check stays green.
        Err(e)
            if matches!(cli.command, nexus::cli::Command::Status(_))
                && nexus::config::legacy_shim() =>
        {
            let shown = nexus::text::line(&nexus::redact::redact_text(&e.to_string())).into_owned();
            if cli.global.json {
                print(&format!(
                    "{}\n",
                    json!({"ok": false, "error": shown, "kind": e.kind()})
                ));
            } else {
                print(&format!("📊 STATUS: no report ({shown})\n"));
            }
            eprintln!("⚠️ WARNING: {shown}");
            code(Exit::Ok)
        }
        Err(e) => {
            report_error(&e, cli.global.json);
            code(e.exit())
        }
    }
}

/// Internal logs go to stderr, warnings and errors only unless NEXUS_LOG says
/// otherwise (e.g. `NEXUS_LOG=debug`).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("NEXUS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(nexus::redact::LogLine::default)
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .init();
}

fn code(e: Exit) -> ExitCode {
    ExitCode::from(e as u8)
}

/// Print to stdout; a closed pipe (`nexus help | head`) is a normal end.
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush())
        && e.kind() != ErrorKind::BrokenPipe
    {
        eprintln!("❌ ERROR: cannot write output: {e}");
    }
}

/// The error line, with credentials masked; the human line also has its
/// control characters escaped (it stays one line) and is bounded.
fn report_error(e: &NexusError, json: bool) {
    let msg = nexus::redact::redact_text(&e.to_string());
    let shown = nexus::text::line(&msg);
    if e.is_conflict() {
        eprintln!("⚠️ CONFLICT: {shown}");
    } else {
        eprintln!("❌ ERROR: {shown}");
    }
    if json {
        print(&format!(
            "{}\n",
            json!({"ok": false, "error": msg, "kind": e.kind()})
        ));
    }
}

/// clap's errors exit 2, except help and version (0). Under the legacy shim an
/// unknown command prints the overview and exits 0, as the old script did.
fn usage_error(e: clap::Error) -> ExitCode {
    let legacy = nexus::config::legacy_shim();
    match e.kind() {
        ClapKind::DisplayHelp | ClapKind::DisplayVersion => {
            print(&e.to_string());
            code(Exit::Ok)
        }
        ClapKind::InvalidSubcommand | ClapKind::DisplayHelpOnMissingArgumentOrSubcommand
            if legacy =>
        {
            print(&nexus::cli::help::overview());
            code(Exit::Ok)
        }
        _ => {
            usage_lines(&e);
            code(Exit::Usage)
        }
    }
}

/// A usage error: `❌ ERROR: <what>` first, then clap's detail (usage line,
/// hint) on stderr; under `--json` (looked for in argv, since parsing failed)
/// also one JSON object on stdout.
fn usage_lines(e: &clap::Error) {
    let rendered = e.render().to_string();
    let (first, detail) = match e.kind() {
        ClapKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let words = std::env::args()
                .skip(1)
                .filter(|a| !a.starts_with('-'))
                .count();
            let first = if words == 0 {
                "no command given; run `nexus help` for the overview"
            } else {
                "a subcommand is missing; the usage follows"
            };
            (first.to_string(), rendered.as_str())
        }
        _ => one_line(rendered.strip_prefix("error: ").unwrap_or(&rendered)),
    };
    eprintln!("❌ ERROR: {first}");
    let detail = detail.trim_matches('\n');
    let detail = match nearest_tip(e) {
        // clap orders its suggestions by its own similarity; the nearest
        // by typing (`clam` → `claim`) comes first here.
        Some(tip) => detail
            .lines()
            .map(|l| {
                if l.trim_start().starts_with("tip: ") {
                    tip.as_str()
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
        None => detail.to_string(),
    };
    if !detail.is_empty() {
        eprintln!("{detail}");
    }
    let json = std::env::args_os()
        .skip(1)
        .take_while(|a| a != "--")
        .any(|a| a == "--json");
    if json {
        print(&format!(
            "{}\n",
            json!({"ok": false, "error": first, "kind": "usage"})
        ));
    }
}

/// For a mistyped command, a tip naming the suggestions nearest first.
fn nearest_tip(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    let typed = match e.get(ContextKind::InvalidSubcommand)? {
        ContextValue::String(s) => s.clone(),
        _ => return None,
    };
    let similar = match e.get(ContextKind::SuggestedSubcommand)? {
        ContextValue::Strings(v) => v.clone(),
        ContextValue::String(s) => vec![s.clone()],
        _ => return None,
    };
    let ranked = nexus::cli::help::nearest(&typed, &similar);
    let (best, rest) = ranked.split_first()?;
    Some(if rest.is_empty() {
        format!("  tip: did you mean '{best}'?")
    } else {
        let rest: Vec<String> = rest.iter().map(|s| format!("'{s}'")).collect();
        format!(
            "  tip: did you mean '{best}'? (also similar: {})",
            rest.join(", ")
        )
    })
}

/// clap's message as one line (a list of missing arguments joined with
/// commas) and the detail after it.
fn one_line(text: &str) -> (String, &str) {
    let mut lines = text.split_inclusive('\n');
    let mut first = lines.next().unwrap_or("").trim_end().to_string();
    let mut rest = &text[first.len().min(text.len())..];
    rest = rest.strip_prefix('\n').unwrap_or(rest);
    if first.ends_with(':') {
        let items: Vec<&str> = rest
            .lines()
            .take_while(|l| l.starts_with("  "))
            .map(str::trim)
            .collect();
        let consumed: usize = rest
            .split_inclusive('\n')
            .take(items.len())
            .map(str::len)
            .sum();
        if !items.is_empty() {
            first = format!("{} {}", first, items.join(", "));
            rest = &rest[consumed..];
        }
    }
    (first, rest)
}
