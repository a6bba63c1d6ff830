//! Trace context of one command: which trace it belongs to, its own span id,
//! and its parent, taken from the environment in the legacy precedence.

use std::fs::File;
use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{NexusError, Result};

/// Variables that name the trace, in precedence order.
const TRACE_VARS: [&str; 4] = [
    "FORCE_TRACE_ID",
    "COORDINATION_TRACE_ID",
    "TRACE_ID",
    "OTEL_TRACE_ID",
];

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
    /// becomes the parent span. Every one of these that is set must be a
    /// valid W3C id (trace ids 32 lowercase hex digits, span ids 16, neither
    /// all zero): an id is printed and saved, so a bad one is refused.
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<TraceContext> {
        let mut ids = Vec::new();
        for name in TRACE_VARS {
            if let Some(v) = lookup(name) {
                ids.push(valid_id(name, &v, 32)?);
            }
        }
        let traceparent = match lookup("TRACEPARENT") {
            Some(t) => Some(parse_traceparent(&t).ok_or_else(|| {
                NexusError::invalid(
                    "TRACEPARENT",
                    &t,
                    "must be 00-<32 hex digits>-<16 hex digits>-<2 hex digits>, ids not all zero",
                )
            })?),
            None => None,
        };
        let parent = match lookup("OTEL_PARENT_SPAN_ID") {
            Some(p) => Some(valid_id("OTEL_PARENT_SPAN_ID", &p, 16)?),
            None => None,
        };
        let forced = lookup(TRACE_VARS[0])
            .or_else(|| lookup(TRACE_VARS[1]))
            .is_some();
        let trace_id = ids
            .into_iter()
            .next()
            .or_else(|| traceparent.as_ref().map(|t| t.0.clone()))
            .unwrap_or_else(|| random_hex(16));
        Ok(TraceContext {
            trace_id,
            span_id: random_hex(8),
            parent_span_id: parent.or(traceparent.map(|t| t.1)).unwrap_or_default(),
            forced,
        })
    }

    /// The W3C traceparent that continues this command's span.
    pub fn traceparent(&self) -> String {
        format!("00-{}-{}-01", self.trace_id, self.span_id)
    }
}

/// Whether `s` is a valid W3C id of `len` hex digits: lowercase, not all zero.
pub fn is_valid_id(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && s.bytes().any(|b| b != b'0')
}

fn valid_id(what: &'static str, value: &str, len: usize) -> Result<String> {
    if is_valid_id(value, len) {
        return Ok(value.to_string());
    }
    Err(NexusError::invalid(
        what,
        value,
        format!("must be {len} hex digits, not all zero"),
    ))
}

/// Split `00-<32 hex>-<16 hex>-<2 hex>` into trace id and parent span id;
/// `None` unless both ids are valid.
pub fn parse_traceparent(s: &str) -> Option<(String, String)> {
    let hex = |p: &str| p.len() == 2 && p.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let parts: Vec<&str> = s.trim().split('-').collect();
    match parts.as_slice() {
        [v, t, p, f]
            if hex(v) && *v != "ff" && is_valid_id(t, 32) && is_valid_id(p, 16) && hex(f) =>
        {
            Some((t.to_string(), p.to_string()))
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

    fn ctx(pairs: &[(&str, &str)]) -> Result<TraceContext> {
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
            ("FORCE_TRACE_ID", "f0000000000000000000000000000001"),
            ("COORDINATION_TRACE_ID", "c0000000000000000000000000000002"),
            ("TRACE_ID", "a0000000000000000000000000000003"),
            ("OTEL_TRACE_ID", "b0000000000000000000000000000004"),
            ("TRACEPARENT", tp),
        ];
        for i in 0..all.len() {
            let c = ctx(&all[i..]).unwrap();
            let expected = if i == 4 {
                "0af7651916cd43dd8448eb211c80319c"
            } else {
                all[i].1
            };
            assert_eq!(c.trace_id, expected);
            assert_eq!(c.forced, i < 2);
            assert_eq!(c.parent_span_id, "b7ad6b7169203331");
        }
        let c = ctx(&[
            (
                "OTEL_PARENT_SPAN_ID",
                "00000000000000p1".replace('p', "a").as_str(),
            ),
            ("TRACEPARENT", tp),
        ])
        .unwrap();
        assert_eq!(c.parent_span_id, "00000000000000a1");
        let fresh = ctx(&[]).unwrap();
        assert_eq!(fresh.trace_id.len(), 32);
        assert_eq!(fresh.span_id.len(), 16);
        assert_eq!(fresh.parent_span_id, "");
        assert_eq!(
            fresh.traceparent(),
            format!("00-{}-{}-01", fresh.trace_id, fresh.span_id)
        );
        assert!(parse_traceparent("00-xyz-1-01").is_none());
    }

    #[test]
    fn ids_that_are_not_w3c_ids_are_refused() {
        for (var, bad) in [
            ("FORCE_TRACE_ID", "work_7"),
            ("COORDINATION_TRACE_ID", "00000000000000000000000000000000"),
            ("TRACE_ID", "0AF7651916CD43DD8448EB211C80319C"),
            ("OTEL_TRACE_ID", "abc"),
            ("OTEL_PARENT_SPAN_ID", "0000000000000000"),
            (
                "TRACEPARENT",
                "00-00000000000000000000000000000000-b7ad6b7169203331-01",
            ),
            (
                "TRACEPARENT",
                "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
            ),
            (
                "TRACEPARENT",
                "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            ),
        ] {
            let err = ctx(&[(var, bad)]).unwrap_err().to_string();
            assert!(err.starts_with(&format!("invalid {var} '{bad}'")), "{err}");
        }
        let err = ctx(&[("FORCE_TRACE_ID", "work_7")])
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "invalid FORCE_TRACE_ID 'work_7': must be 32 hex digits, not all zero"
        );
    }
}
