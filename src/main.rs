//! The `nexus` binary: parse, run, print, and map the result to an exit code.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind as ClapKind;
use nexus::cli::Cli;
use nexus::config::{Config, var};
use nexus::error::{Exit, NexusError};
use serde_json::json;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    init_logging();
    let outcome = Config::from_env(cli.global.dir.as_deref(), cli.global.json)
        .and_then(|cfg| nexus::app::execute(&cli.command, &cfg));
    match outcome {
        Ok(out) => {
            if cli.global.json {
                print(&format!("{}\n", out.json));
            } else {
                print(&nexus::text::output(&out.human));
            }
            if let (true, Some(tp)) = (
                cli.global.print_traceparent,
                out.json["traceparent"].as_str(),
            ) {
                print(&format!("TRACEPARENT={tp}\n"));
            }
            code(Exit::Ok)
        }
        Err(e) => {
            report_error(&e, cli.global.json);
            code(Exit::Failure)
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
    // Production mode never turns a mistyped command into help.
    let production = var("NEXUS_MODE")
        .or_else(|| var("DEPLOYMENT_ENV"))
        .as_deref()
        == Some("production");
    let legacy = var("NEXUS_LEGACY_SHIM").is_some() && !production;
    match e.kind() {
        ClapKind::DisplayHelp | ClapKind::DisplayVersion => {
            print(&e.to_string());
            code(Exit::Ok)
        }
        ClapKind::InvalidSubcommand | ClapKind::DisplayHelpOnMissingArgumentOrSubcommand
            if legacy =>
        {
            print(&nexus::help::overview());
            code(Exit::Ok)
        }
        _ => {
            let _ = e.print();
            code(Exit::Usage)
        }
    }
}
