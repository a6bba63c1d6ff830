//! Trace context of one command: which trace it belongs to, its own span id,
//! and its parent, taken from the environment in the legacy precedence.

use std::fs::File;
use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::Result;

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
    /// becomes the parent span. Never refused: see [`resolve`](Self::resolve).
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<TraceContext> {
        Ok(TraceContext::resolve(lookup).0)
    }

    /// [`from_vars`](Self::from_vars) with a warning line for each variable
    /// that could not be used. An id in another case or with a UUID's dashes
    /// is normalised to 32 lowercase hex digits; any other value (an e2e
    /// label, `null` from `jq -r`) starts a fresh trace, as a missing one
    /// would: a trace id never stops the command, as it never did in the
    /// legacy script.
    pub fn resolve(lookup: impl Fn(&str) -> Option<String>) -> (TraceContext, Vec<String>) {
        let mut warnings = Vec::new();
        let mut unusable = |name: &str, value: &str, what: &str| {
            warnings.push(format!(
                "⚠️ WARNING: ignoring {name}='{}': not {what}",
                crate::text::escape_controls(value)
            ))
        };
        let chosen = TRACE_VARS
            .iter()
            .find_map(|name| lookup(name).map(|v| (*name, v)));
        let mut forced = false;
        let mut trace_id = None;
        let mut fresh = false;
        if let Some((name, v)) = &chosen {
            match normalised(v, 32) {
                Some(id) => {
                    forced = *name == TRACE_VARS[0] || *name == TRACE_VARS[1];
                    trace_id = Some(id);
                }
                None => {
                    unusable(name, v, "a trace id of 32 hex digits; starting a new trace");
                    fresh = true;
                }
            }
        }
        let traceparent = lookup("TRACEPARENT").and_then(|t| {
            let parsed = parse_traceparent(&t.to_ascii_lowercase());
            if parsed.is_none() {
                unusable(
                    "TRACEPARENT",
                    &t,
                    "00-<32 hex digits>-<16 hex digits>-<2 hex digits>",
                );
            }
            parsed
        });
        let parent = lookup("OTEL_PARENT_SPAN_ID").and_then(|p| {
            let id = normalised(&p, 16);
            if id.is_none() {
                unusable("OTEL_PARENT_SPAN_ID", &p, "a span id of 16 hex digits");
            }
            id
        });
        let trace_id = trace_id
            .or_else(|| {
                (!fresh)
                    .then(|| traceparent.as_ref().map(|t| t.0.clone()))
                    .flatten()
            })
            .unwrap_or_else(|| random_hex(16));
        let context = TraceContext {
            trace_id,
            span_id: random_hex(8),
            parent_span_id: parent.or(traceparent.map(|t| t.1)).unwrap_or_default(),
            forced,
        };
        (context, warnings)
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

/// `value` as a valid id of `len` hex digits: as given, or lowercased and
/// without a UUID's dashes.
fn normalised(value: &str, len: usize) -> Option<String> {
    if is_valid_id(value, len) {
        return Some(value.to_string());
    }
    let id: String = value
        .trim()
        .chars()
        .filter(|c| *c != '-')
        .collect::<String>()
        .to_ascii_lowercase();
    is_valid_id(&id, len).then_some(id)
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

/// Fill `buf` from the OS random source: one `getrandom` call (a server
/// makes ids for every request), else `/dev/urandom`.
pub fn os_random(buf: &mut [u8]) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: the pointer and length are those of `buf`, which is
        // writable for its whole length.
        let n = unsafe { libc::getrandom(buf.as_mut_ptr().cast(), buf.len(), 0) };
        if usize::try_from(n).is_ok_and(|n| n == buf.len()) {
            return Ok(());
        }
    }
    File::open("/dev/urandom")?.read_exact(buf)
}

/// `bytes` random bytes as lowercase hex, from the OS random source.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    if os_random(&mut buf).is_err() {
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
    fn other_ids_are_normalised_or_replaced_never_refused() {
        let c = ctx(&[("TRACE_ID", "0AF76519-16CD-43DD-8448-EB211C80319C")]).unwrap();
        assert_eq!(c.trace_id, "0af7651916cd43dd8448eb211c80319c");
        for (var, bad) in [
            ("FORCE_TRACE_ID", "work_7"),
            ("FORCE_TRACE_ID", "e2e-coordination-test"),
            ("COORDINATION_TRACE_ID", "00000000000000000000000000000000"),
            ("TRACE_ID", "null"),
            ("OTEL_TRACE_ID", "abc"),
        ] {
            let (c, warnings) = TraceContext::resolve(|k| (k == var).then(|| bad.to_string()));
            assert!(is_valid_id(&c.trace_id, 32) && !c.forced, "{var}={bad}");
            assert_eq!(warnings.len(), 1, "{var}={bad}");
            assert!(
                warnings[0].starts_with(&format!("⚠️ WARNING: ignoring {var}='{bad}'")),
                "{}",
                warnings[0]
            );
        }
        for (var, bad) in [
            ("OTEL_PARENT_SPAN_ID", "0000000000000000"),
            (
                "TRACEPARENT",
                "00-00000000000000000000000000000000-b7ad6b7169203331-01",
            ),
            (
                "TRACEPARENT",
                "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            ),
        ] {
            let (c, warnings) = TraceContext::resolve(|k| (k == var).then(|| bad.to_string()));
            assert_eq!((c.parent_span_id.as_str(), warnings.len()), ("", 1));
        }
    }
}
