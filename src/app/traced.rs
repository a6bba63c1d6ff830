//! Spans beyond the spans file: the OTLP export of each command's span, and
//! `nexus spans export`, which sends the spans file to a collector.

use clap::{Args, Subcommand};
use serde_json::json;

use super::Outcome;
use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::store::AnyStore;
use crate::telemetry::Span;
use crate::telemetry::otlp;

/// Work with the recorded spans (telemetry_spans.jsonl)
///
/// Example: nexus spans export --since 7d
#[derive(Debug, Args)]
pub struct SpansArgs {
    #[command(subcommand)]
    pub action: SpansCommand,
}

impl SpansArgs {
    /// Run the chosen subcommand.
    pub fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        match &self.action {
            SpansCommand::Export { since } => replay(store, cfg, since.as_deref()),
        }
    }
}

/// The `spans` subcommands.
#[derive(Debug, Subcommand)]
pub enum SpansCommand {
    /// Send the spans of telemetry_spans.jsonl to the OTLP collector
    ///
    /// Uses OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT); legacy multi-line
    /// spans are read too, and spans that do not parse or lack valid ids are
    /// counted as skipped.
    /// Example: nexus spans export --since 24h
    Export {
        /// Only spans that started after this: a time, a date, or an age (90m, 24h, 7d)
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
    },
}

/// Staging and production expect an OTLP collector and an n8n webhook: say
/// once per coordination directory when one is missing.
pub(super) fn warn_once_unconfigured(cfg: &Config) {
    let marker = cfg.dir.join(".nexus.warned-exporters");
    if marker.exists() {
        return;
    }
    let mut missing = Vec::new();
    if cfg.otlp.is_none() {
        missing.push("OTEL_EXPORTER_OTLP_ENDPOINT");
    }
    if cfg.n8n.webhook_url.is_none() {
        missing.push("N8N_WEBHOOK_URL");
    }
    if !missing.is_empty() {
        tracing::warn!(
            "mode {} expects {} to be set (shown once)",
            cfg.mode.name,
            missing.join(" and ")
        );
        let _ = std::fs::write(&marker, missing.join("\n"));
    }
}

/// Export spans when OTLP is configured; failures are warnings, never errors.
pub fn export(spans: &[Span], cfg: &Config) {
    let Some(settings) = &cfg.otlp else {
        return;
    };
    if let Err(e) = otlp::export(spans, &cfg.service, settings) {
        tracing::warn!(endpoint = %settings.endpoint, "OTLP export failed: {e}");
    }
}

/// `nexus spans export`: send the recorded spans (the spans file, or the
/// PostgreSQL store's) to the collector.
pub fn replay(store: &AnyStore, cfg: &Config, since: Option<&str>) -> Result<Outcome> {
    let since = since.map(|s| crate::input::since(s, cfg.now)).transpose()?;
    let settings = cfg.otlp.as_ref().ok_or_else(|| {
        NexusError::invalid(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "",
            "set it (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) to the collector to export to",
        )
    })?;
    let read = store.spans()?;
    let mut spans = Vec::new();
    let mut invalid = 0;
    let mut older = 0;
    for v in &read.spans {
        match crate::telemetry::replay::from_json(v) {
            Some(s) if since.is_some_and(|t| s.start < t) => older += 1,
            Some(s) if otlp::to_span_data(&s).is_some() => spans.push(s),
            _ => invalid += 1,
        }
    }
    let mut sent = 0;
    for chunk in spans.chunks(512) {
        sent += otlp::export(chunk, &cfg.service, settings).map_err(NexusError::Export)?;
    }
    let skipped = read.skipped + invalid;
    let human = format!(
        "📤 EXPORTED: {sent} spans to {}; skipped {skipped} ({} unparseable, {invalid} without valid ids), {older} older than --since\n",
        settings.endpoint, read.skipped
    );
    Ok(Outcome::new(
        human,
        json!({"ok": true, "command": "spans export", "exported": sent, "skipped": skipped,
               "unparseable": read.skipped, "invalid_ids": invalid, "older": older, "endpoint": settings.endpoint}),
    ))
}
