//! The read-only fleet views: list, show, status and the audit trail.

use clap::{Args, Subcommand};
use serde_json::{Value, json};

use super::Outcome;
use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::input::since;
use crate::records::time;
use crate::store::AnyStore;
use crate::store::audit;
use crate::text::field;

/// The audit trail: verify its hash chain or show its history
///
/// Example: nexus audit verify && nexus audit log --since 24h
#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub action: AuditCommand,
}

/// The `audit` subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the whole hash chain; names the first broken line
    ///
    /// Example: nexus audit verify
    Verify,
    /// Show the history, oldest first
    ///
    /// Example: nexus audit log --item work_1750000000000000000
    Log {
        /// Only this work item
        #[arg(long)]
        item: Option<String>,
        /// Only changes by this agent
        #[arg(long)]
        agent: Option<String>,
        /// Only changes after this: a time, a date, or an age (24h, 7d)
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
    },
}

/// `nexus audit verify|log`: check the trail's hash chain or print its lines.
pub fn audit(store: &AnyStore, cfg: &Config, action: &AuditCommand) -> Result<Outcome> {
    let path = store.audit_place();
    let trail = store.audit_trail()?;
    // No trail and no head recording one: nothing was audited yet (audit is
    // off in development mode), which is not a broken trail.
    let head_kept = cfg.dir.join(audit::HEAD_FILE).exists();
    if trail.is_none() && !head_kept && matches!(action, AuditCommand::Verify) {
        let how = if cfg.mode.on(crate::mode::Feature::Audit) {
            "nothing has been changed since audit was turned on".to_string()
        } else {
            format!(
                "audit is off in {} mode; turn it on with NEXUS_FEATURES=+audit or NEXUS_MODE=staging",
                cfg.mode.name
            )
        };
        return Ok(Outcome::new(
            format!("ℹ️ AUDIT: no trail yet at {} ({how})\n", path.display()),
            json!({"ok": true, "command": "audit verify", "lines": 0, "trail": false}),
        ));
    }
    match action {
        AuditCommand::Verify => match audit::verify_trail(
            trail.as_ref().map(|t| t.0.as_str()),
            trail.as_ref().and_then(|t| t.1.clone()),
        ) {
            Ok(n) => Ok(Outcome::new(
                format!(
                    "✅ AUDIT OK: {n} lines, hash chain intact ({})\n",
                    path.display()
                ),
                json!({"ok": true, "command": "audit verify", "lines": n}),
            )),
            Err((line, why)) => Err(NexusError::AuditBroken {
                path: path.clone(),
                line,
                why,
            }),
        },
        AuditCommand::Log {
            item,
            agent,
            since: when,
        } => {
            let after = when.as_deref().map(|w| since(w, cfg.now)).transpose()?;
            let lines: Vec<Value> = audit::parse_all(&trail.map(|t| t.0).unwrap_or_default())
                .into_iter()
                .filter(|l| item.as_ref().is_none_or(|i| l["id"] == i.as_str()))
                .filter(|l| agent.as_ref().is_none_or(|a| l["agent"] == a.as_str()))
                .filter(|l| after.is_none_or(|t| time(l, "timestamp").is_some_and(|x| x >= t)))
                .collect();
            let mut human = String::new();
            for l in &lines {
                let changes = l["changes"].as_object().map(|m| {
                    m.iter()
                        .map(|(k, v)| format!("{k}: {} → {}", v["before"], v["after"]))
                        .collect::<Vec<_>>()
                        .join("; ")
                });
                human.push_str(&format!(
                    "#{} {} {} {} {} by {} [{}] {}\n",
                    l["seq"],
                    field(l["timestamp"].as_str().unwrap_or("")),
                    field(l["command"].as_str().unwrap_or("")),
                    field(l["record"].as_str().unwrap_or("")),
                    field(l["id"].as_str().unwrap_or("")),
                    field(l["agent"].as_str().unwrap_or("-")),
                    field(l["trace_id"].as_str().unwrap_or("")),
                    crate::text::line(&changes.unwrap_or_default())
                ));
            }
            human.push_str(&format!("{} audit lines\n", lines.len()));
            Ok(Outcome::new(
                human,
                json!({"ok": true, "command": "audit log", "lines": lines}),
            ))
        }
    }
}
