//! OTLP/HTTP export of nexus spans through the opentelemetry-otlp exporter.
//!
//! Spans are handed to the exporter as `SpanData` built from nexus's own span
//! (same trace id, span id, parent, start time and duration) rather than
//! recorded through a tracer, so the exported span is exactly the one in
//! `telemetry_spans.jsonl`. Export runs on a helper thread and the caller waits
//! at most the configured bound: a dead or silent collector never holds a
//! command longer than that.

use std::borrow::Cow;
use std::future::Future;
use std::pin::pin;
use std::sync::mpsc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime};

use opentelemetry::trace::{
    SpanContext, SpanId, SpanKind, Status, TraceFlags, TraceId, TraceState,
};
use opentelemetry::{InstrumentationScope, KeyValue, Value as OtelValue};
use opentelemetry_otlp::{Protocol, RetryPolicy, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::{SpanData, SpanEvents, SpanExporter as _, SpanLinks};
use serde_json::Value;

use super::span::{Service, Span, SpanStatus};
use crate::redact::{redact_text, redact_url};

/// Default bound on one command's export, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u64 = 2000;

/// Where and how to export, from the standard OTEL_* variables.
#[derive(Debug, Clone, PartialEq)]
pub struct OtlpSettings {
    /// The endpoint as configured, credentials masked (for messages).
    pub endpoint: String,
    pub timeout: Duration,
    pub protocol: Protocol,
    /// Share of traces kept (OTEL_TRACES_SAMPLER), 0.0 to 1.0.
    pub ratio: f64,
    /// OTEL_RESOURCE_ATTRIBUTES as given.
    pub resource_attributes: Option<String>,
    /// Whether OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT sets the exporter's own
    /// timeout (nexus then leaves it alone).
    pub exporter_timeout_set: bool,
}

impl OtlpSettings {
    /// From the OTEL_* variables looked up by `var`; `None` when no endpoint
    /// is configured or OTEL_SDK_DISABLED is true.
    pub fn from_vars(lookup: &dyn Fn(&str) -> Option<String>) -> Option<OtlpSettings> {
        if lookup("OTEL_SDK_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
            return None;
        }
        let endpoint = lookup("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            .or_else(|| lookup("OTEL_EXPORTER_OTLP_ENDPOINT"))?;
        let timeout = lookup("NEXUS_OTLP_TIMEOUT_MS")
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_TIMEOUT_MS);
        let protocol = match lookup("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
            .or_else(|| lookup("OTEL_EXPORTER_OTLP_PROTOCOL"))
        {
            Some(p) if p == "http/json" => Protocol::HttpJson,
            _ => Protocol::HttpBinary,
        };
        Some(OtlpSettings {
            endpoint: redact_url(&endpoint),
            timeout: Duration::from_millis(timeout),
            protocol,
            ratio: sampler_ratio(
                lookup("OTEL_TRACES_SAMPLER").as_deref(),
                lookup("OTEL_TRACES_SAMPLER_ARG").as_deref(),
            ),
            resource_attributes: lookup("OTEL_RESOURCE_ATTRIBUTES"),
            exporter_timeout_set: lookup("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT").is_some()
                || lookup("OTEL_EXPORTER_OTLP_TIMEOUT").is_some(),
        })
    }

    /// Whether a trace is kept by the configured sampler (decided on the
    /// trace id, so every command of one trace decides alike).
    pub fn samples(&self, trace_id: &str) -> bool {
        if self.ratio >= 1.0 {
            return true;
        }
        let low = trace_id
            .get(16..32)
            .and_then(|h| u64::from_str_radix(h, 16).ok())
            .unwrap_or(0);
        (low as f64) < self.ratio * u64::MAX as f64
    }
}

/// Share of traces kept for an OTEL_TRACES_SAMPLER value.
pub fn sampler_ratio(sampler: Option<&str>, arg: Option<&str>) -> f64 {
    let ratio = || {
        arg.and_then(|a| a.parse::<f64>().ok())
            .unwrap_or(1.0)
            .clamp(0.0, 1.0)
    };
    match sampler.unwrap_or("parentbased_always_on") {
        "always_off" | "parentbased_always_off" => 0.0,
        "traceidratio" | "parentbased_traceidratio" => ratio(),
        _ => 1.0,
    }
}

/// Convert a nexus span; `None` when its ids are not valid W3C ids.
pub fn to_span_data(span: &Span) -> Option<SpanData> {
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex(&span.trace_id, 32) || !hex(&span.span_id, 16) {
        return None;
    }
    let trace_id = TraceId::from_hex(&span.trace_id)
        .ok()
        .filter(|t| *t != TraceId::INVALID)?;
    let span_id = SpanId::from_hex(&span.span_id)
        .ok()
        .filter(|s| *s != SpanId::INVALID)?;
    let parent = SpanId::from_hex(&span.parent_span_id).unwrap_or(SpanId::INVALID);
    let start: SystemTime = span.start.into();
    Some(SpanData {
        span_context: SpanContext::new(
            trace_id,
            span_id,
            TraceFlags::SAMPLED,
            false,
            TraceState::default(),
        ),
        parent_span_id: parent,
        parent_span_is_remote: parent != SpanId::INVALID,
        span_kind: SpanKind::Internal,
        name: Cow::Owned(span.name.clone()),
        start_time: start,
        end_time: start + Duration::from_millis(span.duration_ms),
        attributes: span
            .attributes
            .iter()
            .filter_map(|(k, v)| Some(KeyValue::new(k.clone(), otel_value(v)?)))
            .collect(),
        dropped_attributes_count: 0,
        events: SpanEvents::default(),
        links: SpanLinks::default(),
        status: match span.status {
            SpanStatus::Ok => Status::Ok,
            SpanStatus::Error => Status::error(
                span.attributes
                    .get("s2s.error")
                    .and_then(Value::as_str)
                    .unwrap_or("error")
                    .to_string(),
            ),
        },
        instrumentation_scope: InstrumentationScope::builder("nexus")
            .with_version(env!("CARGO_PKG_VERSION"))
            .build(),
    })
}

fn otel_value(v: &Value) -> Option<OtelValue> {
    Some(match v {
        Value::String(s) => OtelValue::from(s.clone()),
        Value::Bool(b) => OtelValue::from(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => OtelValue::from(i),
            None => OtelValue::from(n.as_f64()?),
        },
        Value::Null => return None,
        other => OtelValue::from(other.to_string()),
    })
}

/// The resource of exported spans: OTEL_RESOURCE_ATTRIBUTES, then the service
/// name and version, and `deployment.environment` unless already given.
pub fn resource(service: &Service, settings: &OtlpSettings) -> Resource {
    let given = settings.resource_attributes.clone().unwrap_or_default();
    let mut builder = Resource::builder()
        .with_service_name(service.name.clone())
        .with_attribute(KeyValue::new("service.version", service.version.clone()));
    if !given.contains("deployment.environment") {
        builder = builder.with_attribute(KeyValue::new(
            "deployment.environment",
            service.environment.clone(),
        ));
    }
    builder.build()
}

/// Export spans and wait at most the configured bound. Returns how many were
/// sent, or why not.
pub fn export(spans: &[Span], service: &Service, settings: &OtlpSettings) -> Result<usize, String> {
    let data: Vec<SpanData> = spans
        .iter()
        .filter(|s| settings.samples(&s.trace_id))
        .filter_map(to_span_data)
        .collect();
    if data.is_empty() {
        return Ok(0);
    }
    let count = data.len();
    let started = std::time::Instant::now();
    let (tx, rx) = mpsc::channel();
    let res = resource(service, settings);
    let (timeout, protocol) = (settings.timeout, settings.protocol);
    let exporter_timeout_set = settings.exporter_timeout_set;
    std::thread::spawn(move || {
        let sent = export_blocking(data, res, (timeout, exporter_timeout_set), protocol);
        let _ = tx.send(sent);
    });
    match rx.recv_timeout(settings.timeout) {
        Ok(Ok(())) => Ok(count),
        Ok(Err(e)) => Err(explain(
            &settings.endpoint,
            &e,
            settings.timeout.saturating_sub(started.elapsed()),
        )),
        Err(_) => Err(format!(
            "the collector at {} gave no answer within {} ms",
            settings.endpoint,
            settings.timeout.as_millis()
        )),
    }
}

/// The exporter says only "network error" when nothing listens: find out
/// whether the collector can be reached at all, so the message names the
/// real problem (no collector) instead of blaming the URL.
fn explain(endpoint: &str, exporter_error: &str, timeout: Duration) -> String {
    let Ok(url) = reqwest::Url::parse(endpoint) else {
        return format!("{endpoint} is not a valid URL ({exporter_error})");
    };
    let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
        return format!("{endpoint} names no host ({exporter_error})");
    };
    let addrs = match std::net::ToSocketAddrs::to_socket_addrs(&(host, port)) {
        Ok(a) => a.collect::<Vec<_>>(),
        Err(e) => return format!("could not connect to the collector at {host}:{port}: {e}"),
    };
    // Within what is left of the export's bound.
    let wait = timeout.clamp(Duration::from_millis(10), Duration::from_millis(500));
    let mut last = None;
    for addr in &addrs {
        match std::net::TcpStream::connect_timeout(addr, wait) {
            Ok(_) => {
                return format!(
                    "the collector at {endpoint} did not accept the spans: {exporter_error}"
                );
            }
            Err(e) => last = Some(e),
        }
    }
    let why = last.map_or_else(|| "no address".to_string(), |e| e.to_string());
    format!("could not connect to the collector at {host}:{port} ({why}); is it running?")
}

fn export_blocking(
    data: Vec<SpanData>,
    resource: Resource,
    (timeout, exporter_timeout_set): (Duration, bool),
    protocol: Protocol,
) -> Result<(), String> {
    // One quick retry: a command must not wait out the recommended backoff.
    let retry = RetryPolicy::disabled()
        .with_max_retries(1)
        .with_initial_delay(Duration::from_millis(50))
        .with_max_delay(Duration::from_millis(200));
    // The shared client: no Referer, and no redirect to another origin, so
    // the OTEL_EXPORTER_OTLP_HEADERS credentials stay with the collector.
    let client = crate::http::builder(timeout)
        .build()
        .map_err(|e| redact_text(&e.to_string()))?;
    let mut builder = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_http_client(client)
        .with_protocol(protocol)
        .with_retry_policy(retry);
    // Code-set options override OTEL_* variables: only default the timeout.
    if !exporter_timeout_set {
        builder = builder.with_timeout(timeout);
    }
    let mut exporter = builder.build().map_err(|e| redact_text(&e.to_string()))?;
    exporter.set_resource(&resource);
    block_on(exporter.export(data)).map_err(|e| redact_text(&e.to_string()))
}

/// Drive a future whose I/O is blocking (the reqwest blocking client): it
/// completes while being polled, so no async runtime is needed.
fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telemetry::TraceContext;

    #[test]
    fn sampler_and_conversion() {
        assert_eq!(sampler_ratio(None, None), 1.0);
        assert_eq!(sampler_ratio(Some("always_off"), None), 0.0);
        assert_eq!(sampler_ratio(Some("traceidratio"), Some("0.25")), 0.25);
        let s = OtlpSettings {
            endpoint: String::new(),
            timeout: Duration::from_millis(1),
            protocol: Protocol::HttpBinary,
            ratio: 0.5,
            resource_attributes: None,
            exporter_timeout_set: false,
        };
        assert!(s.samples("00000000000000000000000000000001"));
        assert!(!s.samples("0000000000000000ffffffffffffffff"));
        let ctx = TraceContext {
            trace_id: "4bf92f3577b34da6a3ce929d0e0e4736".into(),
            span_id: "00f067aa0ba902b7".into(),
            parent_span_id: "b7ad6b7169203331".into(),
            forced: false,
        };
        let mut span = Span::new(&ctx, "s2s.work.claim", chrono::Utc::now());
        span.attr("s2s.team", "t")
            .attr("n", 3)
            .attr("none", Value::Null);
        span.status = SpanStatus::Error;
        span.duration_ms = 7;
        let d = to_span_data(&span).unwrap();
        assert_eq!(
            d.span_context.trace_id().to_string(),
            "4bf92f3577b34da6a3ce929d0e0e4736"
        );
        assert_eq!(d.parent_span_id.to_string(), "b7ad6b7169203331");
        assert_eq!(d.attributes.len(), 2);
        assert_eq!(
            d.end_time.duration_since(d.start_time).unwrap(),
            Duration::from_millis(7)
        );
        assert!(matches!(d.status, Status::Error { .. }));
        span.trace_id = "abc".into();
        assert!(to_span_data(&span).is_none());
    }
}
