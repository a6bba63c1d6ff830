//! Text that agents supplied, made safe for a terminal: control characters
//! (C0, DEL, C1), the Unicode bidirectional controls and the line and
//! paragraph separators become visible escapes, and long values are
//! shortened in human views. `--json` output never goes through here.

use std::borrow::Cow;
use std::fmt::Write as _;

/// A quick 64-bit digest of `bytes` (FNV-1a): a version or a spread, not a
/// secret.
pub fn digest64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// Longest agent-supplied value a human view prints, in characters.
pub const FIELD_MAX: usize = 200;

/// C0 controls, DEL and C1 controls (Unicode category Cc), and the
/// characters that reorder or split a line as displayed (Trojan Source):
/// the bidirectional embeddings, overrides, isolates and marks (U+061C,
/// U+200E-200F, U+202A-202E, U+2066-2069) and the line and paragraph
/// separators (U+2028, U+2029).
fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Turn control characters into visible escapes: `\n`, `\r`, `\t`, `\x1b`,
/// `\x7f`, `\u{9b}`; a backslash stays as it is. Borrowed when nothing changes.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 && is_control(c) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_control(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// At most `max` characters, the cut marked with `…`.
pub fn clip(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some(_) => {
            let keep = s
                .char_indices()
                .nth(max.saturating_sub(1))
                .map_or(s.len(), |(i, _)| i);
            Cow::Owned(format!("{}…", &s[..keep]))
        }
    }
}

/// An agent-supplied value as a human view prints it: shortened to
/// [`FIELD_MAX`] characters, then escaped.
pub fn field(s: &str) -> Cow<'_, str> {
    clip_escaped(s, FIELD_MAX)
}

/// One line of a human view: escaped (a newline inside it cannot start a
/// forged line) and bounded, as a last guard behind [`field`].
pub fn line(s: &str) -> Cow<'_, str> {
    clip_escaped(s, 4 * FIELD_MAX)
}

fn clip_escaped(s: &str, max: usize) -> Cow<'_, str> {
    match clip(s, max) {
        Cow::Borrowed(b) => escape_controls(b),
        Cow::Owned(o) => Cow::Owned(escape_controls(&o).into_owned()),
    }
}

/// A whole human output as a last guard: every control character but the
/// line breaks and tabs the output is made of is escaped, whichever printer
/// forgot to escape a value.
pub fn output(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_control(c) && c != '\n' && c != '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for part in s.split_inclusive(['\n', '\t']) {
        let (body, end) = match part.chars().last() {
            Some(c @ ('\n' | '\t')) => (&part[..part.len() - 1], Some(c)),
            _ => (part, None),
        };
        out.push_str(&escape_controls(body));
        out.extend(end);
    }
    Cow::Owned(out)
}

/// Make every string inside a JSON value displayable in place (see
/// [`field`]), for views that show records as they are, like the live
/// dashboard. Strings that need no change are not touched.
pub fn sanitize_json(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::String(s) => {
            if let Cow::Owned(o) = field(s) {
                *s = o;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(sanitize_json),
        Value::Object(map) => map.values_mut().for_each(sanitize_json),
        _ => {}
    }
}

/// `1 item`, `2 items`: a count with its noun in the right number.
/// An error and each of its causes, joined with `: ` (libraries put the
/// reason a TLS handshake or a parse failed in the cause, not the error).
pub fn causes(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !out.ends_with(&s_text) {
            out.push_str(": ");
            out.push_str(&s_text);
        }
        source = s.source();
    }
    out
}

pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_agree_in_number() {
        assert_eq!(super::count(1, "record", "records"), "1 record");
        assert_eq!(super::count(0, "record", "records"), "0 records");
        assert_eq!(super::count(2, "item waits", "items wait"), "2 items wait");
    }

    use super::*;

    #[test]
    fn controls_become_visible() {
        assert!(matches!(escape_controls("plain ✓"), Cow::Borrowed(_)));
        assert_eq!(
            escape_controls("a\x1b]0;pwned\x07b\x1b[2J\n\r\t\x7f\u{9b}"),
            "a\\x1b]0;pwned\\x07b\\x1b[2J\\n\\r\\t\\x7f\\u{9b}"
        );
    }

    #[test]
    fn bidi_controls_and_separators_become_visible() {
        assert_eq!(
            escape_controls("a\u{202e}b\u{2066}c\u{2069}\u{2028}\u{2029}\u{200f}d é 🚀"),
            "a\\u{202e}b\\u{2066}c\\u{2069}\\u{2028}\\u{2029}\\u{200f}d é 🚀"
        );
        assert_eq!(output("ok\u{202e}\n"), "ok\\u{202e}\n");
    }

    #[test]
    fn long_values_are_clipped_then_escaped() {
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abcd", 4), "abcd");
        assert_eq!(clip("ééééé", 3), "éé…");
        let long = "x".repeat(5000);
        assert_eq!(field(&long).chars().count(), FIELD_MAX);
        assert_eq!(field("a\nb"), "a\\nb");
        assert_eq!(output("a\tb\x1b\r\n"), "a\tb\\x1b\\r\n");
        let mut v = serde_json::json!({"d": "a\x1b[2J", "n": [1, "ok"]});
        sanitize_json(&mut v);
        assert_eq!(v, serde_json::json!({"d": "a\\x1b[2J", "n": [1, "ok"]}));
    }
}
