//! The span one command records: written as one compact JSON line with the
//! legacy field layout, and shaped so that an OTLP exporter can send it as is.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

use super::trace::TraceContext;

/// Outcome of the traced operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanStatus {
    Ok,
    Error,
}

/// Who the spans come from (resource attributes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub name: String,
    pub version: String,
    pub environment: String,
}

/// One finished span.
#[derive(Debug, Clone)]
pub struct Span {
    pub trace_id: String,
    pub span_id: String,
    pub parent_span_id: String,
    /// e.g. `s2s.work.claim`.
    pub name: String,
    pub status: SpanStatus,
    pub start: DateTime<Utc>,
    pub duration_ms: u64,
    /// `s2s.*` attributes, in insertion order.
    pub attributes: Map<String, Value>,
    pub forced: bool,
}

impl Span {
    /// A span of `name` in the command's trace context.
    pub fn new(ctx: &TraceContext, name: &str, start: DateTime<Utc>) -> Span {
        Span {
            trace_id: ctx.trace_id.clone(),
            span_id: ctx.span_id.clone(),
            parent_span_id: ctx.parent_span_id.clone(),
            name: name.to_string(),
            status: SpanStatus::Ok,
            start,
            duration_ms: 0,
            attributes: Map::new(),
            forced: ctx.forced,
        }
    }

    /// Add an attribute (kept in insertion order).
    pub fn attr(&mut self, key: &str, value: impl Into<Value>) -> &mut Span {
        self.attributes.insert(key.to_string(), value.into());
        self
    }

    /// The legacy JSON object of this span.
    pub fn to_json(&self, service: &Service) -> Value {
        json!({
            "trace_id": self.trace_id,
            "span_id": self.span_id,
            "parent_span_id": self.parent_span_id,
            "operation_name": self.name,
            "span_kind": "internal",
            "status": match self.status { SpanStatus::Ok => "ok", SpanStatus::Error => "error" },
            "start_time": self.start.to_rfc3339_opts(SecondsFormat::Millis, true),
            "duration_ms": self.duration_ms,
            "service": {"name": service.name, "version": service.version},
            "resource_attributes": {
                "service.name": service.name,
                "service.version": service.version,
                "s2s.component": "nexus",
                "deployment.environment": service.environment,
            },
            "span_attributes": self.attributes,
            "forced_trace_context": {"trace_forced": self.forced},
        })
    }

    /// The span as one line of `telemetry_spans.jsonl`, newline included.
    pub fn to_line(&self, service: &Service) -> String {
        let mut line = self.to_json(service).to_string();
        line.push('\n');
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_has_legacy_fields_in_order() {
        let ctx = TraceContext {
            trace_id: "t".into(),
            span_id: "s".into(),
            parent_span_id: "p".into(),
            forced: false,
        };
        let start = DateTime::parse_from_rfc3339("2026-11-25T10:00:00.123Z")
            .unwrap()
            .into();
        let mut span = Span::new(&ctx, "s2s.work.claim", start);
        span.attr("s2s.work_item_id", "work_1")
            .attr("s2s.team", "a");
        span.duration_ms = 4;
        let service = Service {
            name: "svc".into(),
            version: "1".into(),
            environment: "dev".into(),
        };
        let line = span.to_line(&service);
        assert!(line.ends_with("}\n") && !line[..line.len() - 1].contains('\n'));
        let v: Value = serde_json::from_str(&line).unwrap();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            &keys[..4],
            ["trace_id", "span_id", "parent_span_id", "operation_name"]
        );
        assert_eq!(v["start_time"], "2026-11-25T10:00:00.123Z");
        assert_eq!(v["span_attributes"]["s2s.work_item_id"], "work_1");
        assert_eq!(v["resource_attributes"]["deployment.environment"], "dev");
    }
}
