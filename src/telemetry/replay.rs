//! Spans read back from `telemetry_spans.jsonl` (nexus lines or legacy
//! multi-line objects) as [`Span`]s, for replaying them to a collector.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{Map, Value};

use super::span::{Span, SpanStatus};

/// A span object of the spans file; `None` when it lacks ids, name or time.
pub fn from_json(v: &Value) -> Option<Span> {
    let text = |k: &str| v.get(k).and_then(Value::as_str);
    Some(Span {
        trace_id: text("trace_id")?.to_string(),
        span_id: text("span_id")?.to_string(),
        parent_span_id: text("parent_span_id").unwrap_or("").to_string(),
        name: text("operation_name")?.to_string(),
        status: if text("status") == Some("error") {
            SpanStatus::Error
        } else {
            SpanStatus::Ok
        },
        start: parse_start(text("start_time")?)?,
        duration_ms: v.get("duration_ms").and_then(Value::as_u64).unwrap_or(0),
        attributes: v
            .get("span_attributes")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_else(Map::new),
        forced: false,
    })
}

/// Span start times: RFC 3339, or the legacy `…:SS.3NZ` with a broken
/// fraction, read to the second.
pub fn parse_start(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.to_utc());
    }
    NaiveDateTime::parse_from_str(s.get(..19)?, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_and_nexus_spans_convert() {
        let legacy: Value = serde_json::from_str(
            r#"{"trace_id":"647d3a5cd22adc76018cc1feb00b2701","span_id":"4080d7b3c02cba4c","parent_span_id":"",
                "operation_name":"s2s.work.claim","status":"error","start_time":"2025-06-15T17:35:33.3NZ",
                "duration_ms":32,"span_attributes":{"s2s.team":"testing_team"}}"#,
        )
        .unwrap();
        let s = from_json(&legacy).unwrap();
        assert_eq!(s.start.to_rfc3339(), "2025-06-15T17:35:33+00:00");
        assert_eq!(s.status, SpanStatus::Error);
        assert_eq!(s.attributes["s2s.team"], "testing_team");
        assert!(from_json(&serde_json::json!({"trace_id": "x"})).is_none());
        assert!(parse_start("2026-11-25T10:00:00.123Z").is_some());
        assert!(parse_start("garbage").is_none());
    }
}
