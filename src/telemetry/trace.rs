//! Trace context of one command: which trace it belongs to, its own span id,
//! and its parent, taken from the environment in the legacy precedence.

use std::fs::File;
use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};

/// The ids one command records in its output, its record and its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceContext {
    pub trace_id: String,
    pub span_id: String,
    /// Empty when the command starts a new trace.
    pub parent_span_id: String,
    /// Whether FORCE_TRACE_ID or COORDINATION_TRACE_ID chose the trace.
    pub forced: bool,
}

impl TraceContext {
    /// Build the context from variables looked up by `var` (empty = unset):
    /// FORCE_TRACE_ID > COORDINATION_TRACE_ID > TRACE_ID > OTEL_TRACE_ID >
    /// TRACEPARENT > random. OTEL_PARENT_SPAN_ID, else the TRACEPARENT parent,
    /// becomes the parent span.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> TraceContext {
        let traceparent = var("TRACEPARENT").and_then(|t| parse_traceparent(&t));
        let forced = var("FORCE_TRACE_ID").or_else(|| var("COORDINATION_TRACE_ID"));
        let trace_id = forced
            .clone()
            .or_else(|| var("TRACE_ID"))
            .or_else(|| var("OTEL_TRACE_ID"))
            .or_else(|| traceparent.as_ref().map(|t| t.0.clone()))
            .unwrap_or_else(|| random_hex(16));
        let parent_span_id = var("OTEL_PARENT_SPAN_ID")
            .or_else(|| traceparent.map(|t| t.1))
            .unwrap_or_default();
        TraceContext {
            trace_id,
            span_id: random_hex(8),
            parent_span_id,
            forced: forced.is_some(),
        }
    }

    /// The W3C traceparent that continues this command's span.
    pub fn traceparent(&self) -> String {
        format!("00-{}-{}-01", self.trace_id, self.span_id)
    }
}

/// Split `00-<32 hex>-<16 hex>-<2 hex>` into trace id and parent span id.
pub fn parse_traceparent(s: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = s.trim().split('-').collect();
    let hex = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit());
    match parts.as_slice() {
        [v, t, p, f] if hex(v, 2) && hex(t, 32) && hex(p, 16) && hex(f, 2) => {
            Some((t.to_ascii_lowercase(), p.to_ascii_lowercase()))
        }
        _ => None,
    }
}

/// A span id derived from the trace id and the (pinned) clock.
pub fn derived_span_id(trace_id: &str, now: &chrono::DateTime<chrono::Utc>) -> String {
    use sha2::Digest;
    let h = sha2::Sha256::digest(format!("{trace_id}/{}", now.to_rfc3339()));
    h[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// `bytes` random bytes as lowercase hex, from the OS random source.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    let filled = File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .is_ok();
    if !filled {
        // No /dev/urandom: mix the clock and pid; ids stay unique enough to trace.
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
            ^ u128::from(std::process::id()) << 64;
        for (i, b) in buf.iter_mut().enumerate() {
            *b = (seed >> ((i % 16) * 8)) as u8 ^ (i as u8).wrapping_mul(151);
        }
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn ctx(pairs: &[(&str, &str)]) -> TraceContext {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        TraceContext::from_vars(|k| m.get(k).cloned().filter(|v| !v.is_empty()))
    }

    #[test]
    fn precedence_follows_the_contract() {
        let tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        let all = [
            ("FORCE_TRACE_ID", "f"),
            ("COORDINATION_TRACE_ID", "c"),
            ("TRACE_ID", "t"),
            ("OTEL_TRACE_ID", "o"),
            ("TRACEPARENT", tp),
        ];
        for i in 0..all.len() {
            let c = ctx(&all[i..]);
            let expected = if i == 4 {
                "0af7651916cd43dd8448eb211c80319c"
            } else {
                all[i].1
            };
            assert_eq!(c.trace_id, expected);
            assert_eq!(c.forced, i < 2);
            assert_eq!(c.parent_span_id, "b7ad6b7169203331");
        }
        let c = ctx(&[("OTEL_PARENT_SPAN_ID", "p1"), ("TRACEPARENT", tp)]);
        assert_eq!(c.parent_span_id, "p1");
        let fresh = ctx(&[]);
        assert_eq!(fresh.trace_id.len(), 32);
        assert_eq!(fresh.span_id.len(), 16);
        assert_eq!(fresh.parent_span_id, "");
        assert_eq!(
            fresh.traceparent(),
            format!("00-{}-{}-01", fresh.trace_id, fresh.span_id)
        );
        assert!(parse_traceparent("00-xyz-1-01").is_none());
    }
}
