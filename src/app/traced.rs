//! The span of a state-changing command: opened before its arguments are
//! validated, closed with the command's result, written to the spans file
//! (successes, and lock conflicts as the legacy script did) and exported over
//! OTLP when an endpoint is configured.

use std::time::Instant;

use serde_json::json;

use super::Outcome;
use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::n8n::{Event, events};
use crate::store::{FileStore, SpanRead};
use crate::telemetry::otlp::{self, OtlpSettings};
use crate::telemetry::{Span, SpanStatus};

/// A span being recorded around one command.
pub struct Traced<'a> {
    store: &'a FileStore,
    cfg: &'a Config,
    pub span: Span,
    started: Instant,
    /// The n8n event to post when the command succeeds.
    pub event: Option<Event>,
}

impl<'a> Traced<'a> {
    pub fn start(store: &'a FileStore, cfg: &'a Config, name: &str) -> Traced<'a> {
        Traced {
            store,
            cfg,
            span: Span::new(&cfg.trace, name, cfg.now),
            started: Instant::now(),
            event: None,
        }
    }

    /// Close the span with the command's result and record it.
    pub fn finish<T>(mut self, result: Result<T>) -> Result<T> {
        if let (Ok(_), Some(event)) = (&result, &self.event) {
            let body = event.body(
                &self.span.trace_id,
                &crate::records::timestamp(self.cfg.now),
            );
            if let Some(delivered) = events::deliver(&body) {
                let failures = u64::from(delivered.is_err());
                self.span
                    .attr("s2s.n8n.delivered", delivered.is_ok())
                    .attr("s2s.n8n.failures", failures);
                if let Err(e) = delivered {
                    tracing::warn!("n8n event {} not delivered: {e}", event.kind);
                }
            }
        }
        self.span.duration_ms = self.started.elapsed().as_millis() as u64;
        let to_file = match &result {
            Ok(_) => true,
            Err(e) => {
                self.span.status = SpanStatus::Error;
                self.span
                    .attr(
                        "s2s.status",
                        if e.is_conflict() { "conflict" } else { "error" },
                    )
                    .attr("s2s.error", e.kind())
                    .attr("s2s.error_message", e.to_string());
                // Bad input leaves every file as it was; a conflict is logged
                // like the legacy script logged it.
                e.is_conflict()
            }
        };
        if result.is_ok() && self.cfg.mode.on("expect_exporters") {
            warn_once_unconfigured(self.cfg);
        }
        if to_file
            && let Err(e) = self
                .store
                .append_span_line(&self.span.to_line(&self.cfg.service))
        {
            tracing::warn!("span not recorded: {e}");
        }
        export(std::slice::from_ref(&self.span), self.cfg);
        result
    }
}

/// Staging and production expect an OTLP collector and an n8n webhook: say
/// once per coordination directory when one is missing.
fn warn_once_unconfigured(cfg: &Config) {
    let marker = cfg.dir.join(".nexus.warned-exporters");
    if marker.exists() {
        return;
    }
    let mut missing = Vec::new();
    if OtlpSettings::from_env().is_none() {
        missing.push("OTEL_EXPORTER_OTLP_ENDPOINT");
    }
    if crate::config::var("N8N_WEBHOOK_URL").is_none() {
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
fn export(spans: &[Span], cfg: &Config) {
    let Some(settings) = OtlpSettings::from_env() else {
        return;
    };
    if let Err(e) = otlp::export(spans, &cfg.service, &settings) {
        tracing::warn!(endpoint = %settings.endpoint, "OTLP export failed: {e}");
    }
}

/// `nexus spans export`: send the spans of the spans file to the collector.
pub fn replay(cfg: &Config, since: Option<&str>) -> Result<Outcome> {
    let since = since.map(|s| crate::input::since(s, cfg.now)).transpose()?;
    let settings = OtlpSettings::from_env().ok_or_else(|| {
        NexusError::invalid(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "",
            "set it (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) to the collector to export to",
        )
    })?;
    let read = SpanRead::read(&cfg.dir)?;
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
        sent += otlp::export(chunk, &cfg.service, &settings).map_err(NexusError::Export)?;
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
