//! `nexus doctor`: a checklist of the coordination directory and of the
//! services nexus is configured to talk to, each problem with its remedy.
//! `--fix` applies only safe fixes and never touches a file that does not parse.

use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::time::Duration;

use serde_json::json;

use crate::ai::Provider;
use crate::app::Outcome;
use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::mode::Feature;
use crate::store::array_file::load_array;
use crate::store::fsio::TEMP_PREFIX;
use crate::store::journal::Op;
use crate::store::lock::{self, LEGACY_MARKER, MarkerState};
use crate::store::{
    AGENTS_FILE, BACKUP_DIR, CLAIMS_FILE, FileStore, LOG_FILE, SPANS_FILE, SpanRead, audit,
};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Ok,
    Warn,
    Error,
}

struct Check {
    level: Level,
    name: String,
    detail: String,
}

/// A finding; its detail is printed, so URLs in it are masked.
fn check(level: Level, name: &str, detail: impl Into<String>) -> Check {
    Check {
        level,
        name: name.to_string(),
        detail: crate::redact::redact_text(&detail.into()),
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

fn files(dir: &Path, out: &mut Vec<Check>) {
    for name in [CLAIMS_FILE, AGENTS_FILE, LOG_FILE] {
        let path = dir.join(name);
        match load_array(&path) {
            Ok(Some(v)) => out.push(check(Level::Ok, name, format!("{} records", v.len()))),
            Ok(None) => out.push(check(Level::Ok, name, "not created yet")),
            Err(NexusError::Corrupt { line, column, msg, .. }) => out.push(check(
                Level::Error,
                name,
                format!(
                    "does not parse at line {line}, column {column} ({msg}); nexus will not write it. Restore the newest copy from {BACKUP_DIR}/ or repair it by hand, then run doctor again"
                ),
            )),
            Err(e) => out.push(check(Level::Error, name, e.to_string())),
        }
    }
}

/// The legacy marker, judged (and with `fix` removed when stale or not a
/// file) while holding the kernel lock, so a running nexus is never disturbed.
fn lock_marker(dir: &Path, fix: bool, out: &mut Vec<Check>) {
    let marker = dir.join(LEGACY_MARKER);
    // Without the lock file (a read-only directory) judge, but never remove.
    let (_held, fix) = match lock::try_hold(dir) {
        Ok(Some(held)) => (Some(held), fix),
        Ok(None) => {
            out.push(check(Level::Ok, "lock marker", "held by a running nexus"));
            return;
        }
        Err(_) => (None, false),
    };
    let (level, detail) = match lock::marker_state(&marker) {
        MarkerState::Absent => (Level::Ok, "none held".to_string()),
        MarkerState::Held(pid) => (
            Level::Ok,
            format!("held by running legacy script pid {pid}"),
        ),
        MarkerState::Filling => (Level::Ok, "being written by a legacy script".to_string()),
        MarkerState::NotAFile => {
            if fix
                && std::fs::remove_dir_all(&marker)
                    .or_else(|_| std::fs::remove_file(&marker))
                    .is_ok()
            {
                (
                    Level::Ok,
                    format!("removed {LEGACY_MARKER}, which was not a file"),
                )
            } else {
                (
                    Level::Error,
                    format!(
                        "{LEGACY_MARKER} is not a file (a directory?): every change fails until it is gone; `doctor --fix` removes it"
                    ),
                )
            }
        }
        MarkerState::Stale(who) => {
            if fix && std::fs::remove_file(&marker).is_ok() {
                (Level::Ok, format!("removed a stale marker ({who})"))
            } else {
                (
                    Level::Warn,
                    format!(
                        "{LEGACY_MARKER} is stale ({who}); nexus reclaims it, `doctor --fix` removes it"
                    ),
                )
            }
        }
    };
    out.push(check(level, "lock marker", detail));
}

/// Temp files: counted, or (`removed`, under the lock of `--fix`) removed.
fn temp_files(dir: &Path, removed: Option<usize>, out: &mut Vec<Check>) {
    let temps = std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
                .count()
        })
        .unwrap_or_default();
    match removed {
        Some(0) | None if temps == 0 => {
            out.push(check(Level::Ok, "temp files", "none left over"));
        }
        Some(n) => out.push(check(
            Level::Ok,
            "temp files",
            format!("removed {n} left over by a crash"),
        )),
        None => out.push(check(
            Level::Warn,
            "temp files",
            format!(
                "{temps} left over by a crash (or in use by a writer right now); the next write or `doctor --fix` removes strays"
            ),
        )),
    }
}

fn spans(dir: &Path, fix: bool, out: &mut Vec<Check>, ops: &mut Vec<Op>) -> Result<()> {
    let r = SpanRead::read(dir)?;
    if r.multi_line == 0 && r.skipped == 0 {
        out.push(check(
            Level::Ok,
            SPANS_FILE,
            format!("{} spans, one per line", r.spans.len()),
        ));
        return Ok(());
    }
    let detail = format!(
        "{} spans, {} spread over several lines (legacy), {} invalid",
        r.spans.len(),
        r.multi_line,
        r.skipped
    );
    if !fix {
        out.push(check(
            Level::Warn,
            SPANS_FILE,
            format!("{detail}; `doctor --fix` rewrites it one object per line (backup first)"),
        ));
        return Ok(());
    }
    let path = dir.join(SPANS_FILE);
    let original = crate::store::fsio::read_optional(&path)?.unwrap_or_default();
    let backup = format!(
        "{BACKUP_DIR}/telemetry_spans_{}.jsonl",
        chrono::Utc::now().format("%Y%m%d_%H%M%S")
    );
    let text: String = r.spans.iter().map(|s| format!("{s}\n")).collect();
    ops.push(Op {
        name: backup.clone(),
        offset: 0,
        bytes: original,
    });
    ops.push(Op {
        name: SPANS_FILE.to_string(),
        offset: 0,
        bytes: text.into_bytes(),
    });
    out.push(check(
        Level::Ok,
        SPANS_FILE,
        format!(
            "rewrote {} spans one per line, dropped {} invalid; backup {}",
            r.spans.len(),
            r.skipped,
            dir.join(backup).display()
        ),
    ));
    Ok(())
}

fn services(cfg: &Config, out: &mut Vec<Check>) {
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
    for (name, var_name, url) in [
        ("n8n API", "N8N_BASE_URL", &cfg.n8n.base_url),
        ("n8n webhook", "N8N_WEBHOOK_URL", &cfg.n8n.webhook_url),
    ] {
        out.push(match url.clone() {
            None => check(Level::Ok, name, format!("{var_name} not set")),
            Some(u) => match reachable(&u) {
                Ok(()) => check(Level::Ok, name, format!("{u} reachable")),
                Err(e) => check(
                    Level::Warn,
                    name,
                    format!("{u} unreachable ({e}); check {var_name}"),
                ),
            },
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

/// Run every check; exit 1 on errors (and on warnings in doctor_strict mode).
pub fn run(cfg: &Config, fix: bool) -> Result<Outcome> {
    let dir = &cfg.dir;
    let mut out = Vec::new();
    if !dir.exists() {
        out.push(check(
            Level::Warn,
            "directory",
            format!(
                "{} does not exist yet; the first claim creates it",
                dir.display()
            ),
        ));
    } else {
        files(dir, &mut out);
        lock_marker(dir, fix, &mut out);
        // Repairs are one step under the lock, like every other writer's;
        // taking it removes stray temp files.
        let store = FileStore::new(dir, cfg.lock_timeout);
        let locked = if fix { Some(store.lock()?) } else { None };
        temp_files(dir, locked.as_ref().map(|l| l.1.temps), &mut out);
        let mut ops = Vec::new();
        spans(dir, fix, &mut out, &mut ops)?;
        if locked.is_some() {
            store.apply_locked(&ops)?;
        }
        drop(locked);
        let audit_path = dir.join(audit::AUDIT_FILE);
        if audit_path.exists() || cfg.mode.on(Feature::AuditInDoctor) {
            out.push(match audit::verify(dir)? {
                Ok(n) => check(Level::Ok, "audit trail", format!("{n} lines, chain intact")),
                Err((line, why)) => check(Level::Error, "audit trail", format!("broken at line {line}: {why}; keep the file as evidence and compare with backups/")),
            });
        }
    }
    services(cfg, &mut out);
    let mut human = format!("🩺 DOCTOR: {} (mode {})\n", dir.display(), cfg.mode.name);
    for c in &out {
        let mark = match c.level {
            Level::Ok => "✅",
            Level::Warn => "⚠️",
            Level::Error => "❌",
        };
        human.push_str(&format!("  {mark} {}: {}\n", c.name, c.detail));
    }
    let errors = out.iter().filter(|c| c.level == Level::Error).count();
    let warnings = out.iter().filter(|c| c.level == Level::Warn).count();
    human.push_str(&format!("{errors} errors, {warnings} warnings\n"));
    let strict = cfg.mode.on(Feature::DoctorStrict);
    if errors > 0 || (strict && warnings > 0) {
        if !cfg.json {
            print!("{human}");
        }
        return Err(NexusError::invalid(
            "state",
            &dir.display().to_string(),
            format!(
                "doctor found {errors} errors and {warnings} warnings{}",
                if strict {
                    " (mode fails on warnings)"
                } else {
                    ""
                }
            ),
        ));
    }
    let checks: Vec<_> = out.iter().map(|c| json!({"name": c.name, "level": format!("{:?}", c.level).to_lowercase(), "detail": c.detail})).collect();
    Ok(Outcome::new(
        human,
        json!({"ok": true, "command": "doctor", "errors": errors, "warnings": warnings, "checks": checks}),
    ))
}
