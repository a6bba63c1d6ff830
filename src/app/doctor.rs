//! `nexus doctor`: a checklist of the coordination directory (from the
//! store's examination) and of the services nexus is configured to talk to,
//! each problem with the exact repair `--fix` makes; `--json` gives the same
//! as data, so CI can alert on it.

use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use serde_json::json;

use super::Outcome;
use crate::ai::Provider;
use crate::config::Config;
use crate::error::Result;
use crate::mode::Feature;
use crate::n8n::probe::{self as n8n_probe, Verdict};
use crate::store::repair::{Finding, Level, examine};
use crate::store::{AnyStore, FileStore, Store, audit};

/// A finding; its detail is printed, so URLs in it are masked.
fn check(level: Level, name: &str, detail: impl Into<String>) -> Finding {
    Finding {
        name: name.to_string(),
        level,
        detail: crate::redact::redact_text(&detail.into()),
        fix: None,
        fixed: false,
    }
}

/// Whether a TCP connection to the URL's host and port opens quickly.
fn reachable(url: &str) -> std::result::Result<(), String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("not a URL: {e}"))?;
    let host = parsed.host_str().ok_or("no host")?;
    let port = parsed.port_or_known_default().ok_or("no port")?;
    let addr = (host, port)
        .to_socket_addrs()
        .map_err(|e| e.to_string())?
        .next()
        .ok_or("no address")?;
    TcpStream::connect_timeout(&addr, Duration::from_millis(800))
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn services(cfg: &Config, out: &mut Vec<Finding>) {
    match &cfg.otlp {
        None => out.push(check(Level::Ok, "OTLP", "not configured (spans go to the file only)")),
        Some(s) => out.push(match reachable(&s.endpoint) {
            Ok(()) => check(Level::Ok, "OTLP", format!("{} reachable", s.endpoint)),
            Err(e) => check(Level::Warn, "OTLP", format!("{} unreachable ({e}); check OTEL_EXPORTER_OTLP_ENDPOINT and that the collector runs", s.endpoint)),
        }),
    }
    let (provider, why) = (cfg.ai.provider.clone(), cfg.ai.unavailable.clone());
    let url = match &provider {
        Provider::Anthropic { base, .. } | Provider::OpenAi { base, .. } => Some(base.clone()),
        _ => None,
    };
    out.push(match (url, why) {
        (_, Some(w)) => check(
            Level::Warn,
            "AI provider",
            format!("{w}; analyses use the offline fallback"),
        ),
        (Some(u), None) => match reachable(&u) {
            Ok(()) => check(
                Level::Ok,
                "AI provider",
                format!("{} at {u} reachable", provider.name()),
            ),
            Err(e) => check(
                Level::Warn,
                "AI provider",
                format!(
                    "{} at {u} unreachable ({e}); analyses fall back to offline",
                    provider.name()
                ),
            ),
        },
        (None, None) => check(
            Level::Ok,
            "AI provider",
            format!(
                "{} ({})",
                provider.name(),
                if provider == Provider::Offline {
                    "analysis computed from the files"
                } else {
                    "on PATH"
                }
            ),
        ),
    });
    for (name, var_name, verdict) in [
        ("n8n API", "N8N_BASE_URL", n8n_probe::api(&cfg.n8n)),
        (
            "n8n webhook",
            "N8N_WEBHOOK_URL",
            n8n_probe::webhook(&cfg.n8n),
        ),
    ] {
        out.push(match verdict {
            None => check(Level::Ok, name, format!("{var_name} not set")),
            Some(Verdict::Ok(d)) => check(Level::Ok, name, d),
            Some(Verdict::Warn(d)) => check(Level::Warn, name, d),
        });
    }
    if cfg.mode.on(Feature::ExpectExporters) && cfg.n8n.webhook_url.is_none() {
        out.push(check(
            Level::Warn,
            "mode",
            format!("{} expects N8N_WEBHOOK_URL", cfg.mode.name),
        ));
    }
}

/// Check the coordination directory and the configured services
///
/// Each finding names the repair --fix makes. --fix makes them all as one
/// step under the lock, saving every file it rewrites under backups/ first;
/// it never drops a complete record.
///
/// Example: nexus doctor --fix
#[derive(Debug, Clone, clap::Args)]
pub struct DoctorArgs {
    /// Make every repair listed
    #[arg(long)]
    pub fix: bool,
}

/// Run every check (and with `fix` every safe repair); exit 1 on errors left
/// (and on warnings in doctor_strict mode).
pub fn run(store: &AnyStore, cfg: &Config, fix: bool) -> Result<Outcome> {
    let dir = &cfg.dir;
    let mut out = Vec::new();
    if store.pg().is_some() {
        shared_store(store, &mut out);
    } else if !dir.exists() {
        out.push(check(
            Level::Warn,
            "directory",
            format!(
                "{} does not exist yet; the first claim creates it",
                dir.display()
            ),
        ));
    } else {
        let store = FileStore::new(dir, cfg.lock_timeout);
        out.extend(examine(&store, fix, cfg.now)?);
        let audit_file = dir.join(audit::AUDIT_FILE);
        if audit_file.is_file() || (!audit_file.exists() && cfg.mode.on(Feature::AuditInDoctor)) {
            out.push(match audit::verify(dir)? {
                Ok(n) => check(Level::Ok, "audit trail", format!("{n} lines, chain intact")),
                Err((line, why)) => check(
                    Level::Error,
                    "audit trail",
                    format!("broken at line {line}: {why}; it is never rewritten: keep the file as evidence and compare with {}/", crate::store::BACKUP_DIR),
                ),
            });
        }
    }
    services(cfg, &mut out);
    let mut human = format!("🩺 DOCTOR: {} (mode {})\n", store.name(), cfg.mode.name);
    for c in &out {
        let mark = match (c.fixed, c.level) {
            (true, _) | (_, Level::Ok) => "✅",
            (_, Level::Warn) => "⚠️",
            (_, Level::Error) => "❌",
        };
        human.push_str(&format!("  {mark} {}: {}\n", c.name, c.detail));
        match (&c.fix, c.fixed) {
            (Some(f), true) => human.push_str(&format!("     ↳ fixed: {f}\n")),
            (Some(f), false) => human.push_str(&format!("     ↳ `doctor --fix` would {f}\n")),
            _ => {}
        }
    }
    let left = |level| out.iter().filter(|c| c.level == level && !c.fixed).count();
    let (errors, warnings) = (left(Level::Error), left(Level::Warn));
    let fixed = out.iter().filter(|c| c.fixed).count();
    human.push_str(&format!(
        "{errors} errors, {warnings} warnings{}\n",
        if fixed > 0 {
            format!(", {fixed} fixed")
        } else {
            String::new()
        }
    ));
    let checks: Vec<_> = out
        .iter()
        .map(|c| {
            json!({"name": c.name, "level": format!("{:?}", c.level).to_lowercase(),
                   "detail": c.detail, "fix": c.fix, "fixed": c.fixed})
        })
        .collect();
    let strict = cfg.mode.on(Feature::DoctorStrict);
    let failing = errors > 0 || (strict && warnings > 0);
    let json = json!({"ok": !failing, "command": "doctor", "errors": errors, "warnings": warnings,
                      "fixed": fixed, "checks": checks});
    if failing {
        let why = format!(
            "doctor found {errors} errors and {warnings} warnings in {}{}",
            store.name(),
            if strict {
                " (mode fails on warnings)"
            } else {
                ""
            }
        );
        return Ok(Outcome::failing(human, json, why));
    }
    Ok(Outcome::new(human, json))
}

/// The checks of a PostgreSQL store: reachable, schema current, records
/// readable, audit chain intact. The file repairs do not apply to it.
fn shared_store(store: &AnyStore, out: &mut Vec<Finding>) {
    let Some(pg) = store.pg() else { return };
    match store.snapshot() {
        Ok(s) => out.push(check(
            Level::Ok,
            "store",
            format!(
                "PostgreSQL {} (schema version {}): {} claims, {} archived, {} agents, {} completions",
                pg.name(),
                crate::store::pg::SCHEMA_VERSION,
                s.claims.len() - s.archived,
                s.archived,
                s.agents.len(),
                s.completions.len()
            ),
        )),
        Err(e) => {
            out.push(check(Level::Error, "store", e.to_string()));
            return;
        }
    }
    out.push(check(
        Level::Ok,
        "file repairs",
        "apply to the file store only (PostgreSQL commits whole steps)",
    ));
    match store.audit_trail() {
        Ok(Some((text, head))) => out.push(match audit::verify_trail(Some(&text), head) {
            Ok(n) => check(Level::Ok, "audit trail", format!("{n} lines, chain intact")),
            Err((line, why)) => check(
                Level::Error,
                "audit trail",
                format!("broken at line {line}: {why}"),
            ),
        }),
        Ok(None) => {}
        Err(e) => out.push(check(Level::Error, "audit trail", e.to_string())),
    }
}
