//! The one JSON scanner: where the elements of an array text lie (to read
//! or replace one record without building the whole document, and to tell a
//! torn end from other damage), and where the top-level fields of an object
//! text lie (to answer field lookups from a file's bytes). It finds what
//! serde_json finds or refuses the text, never another answer (property
//! tests in `scan_tests`, and a fuzz target); strings are checked as JSON
//! checks them (no raw control characters), values are matched, not
//! validated, except where noted.

use serde::de::IgnoredAny;

/// Byte ranges `[start, end)` of array elements.
pub type Spans = Vec<(usize, usize)>;

/// Byte ranges `[start, end)` of the top-level elements of a JSON array text,
/// or `None` when the text is not an array the scanner understands.
pub fn element_spans(text: &[u8]) -> Option<Vec<(usize, usize)>> {
    let mut i = skip_ws(text, 0);
    if text.get(i) != Some(&b'[') {
        return None;
    }
    i += 1;
    let mut spans = Vec::new();
    loop {
        i = skip_ws(text, i);
        match text.get(i)? {
            b']' => return Some(spans),
            b',' if !spans.is_empty() => i = skip_ws(text, i + 1),
            _ if spans.is_empty() => {}
            _ => return None,
        }
        let end = value_end(text, i)?;
        spans.push((i, end));
        i = end;
    }
}

/// The complete top-level elements of a JSON array text whose end may be
/// torn, and where the torn part starts (`None` when the array is closed).
/// `None` when the damage is anything but a torn end: not an array, an
/// element that does not parse, or bytes after the closing bracket.
pub fn complete_prefix(text: &[u8]) -> Option<(Spans, Option<usize>)> {
    let mut i = skip_ws(text, 0);
    if text.get(i) != Some(&b'[') {
        return None;
    }
    i += 1;
    let mut spans: Spans = Vec::new();
    loop {
        i = skip_ws(text, i);
        match text.get(i) {
            None => return Some((spans, Some(i))),
            Some(b']') => return (skip_ws(text, i + 1) == text.len()).then_some((spans, None)),
            Some(b',') if !spans.is_empty() => {
                i = skip_ws(text, i + 1);
                if i >= text.len() {
                    return Some((spans, Some(i)));
                }
            }
            _ if spans.is_empty() => {}
            _ => return None,
        }
        match value_end(text, i) {
            // An object, array or string is whole when it closes; a number
            // or literal running to the very end may be cut short.
            Some(end) if end < text.len() || matches!(text[i], b'{' | b'[' | b'"') => {
                serde_json::from_slice::<serde_json::Value>(&text[i..end]).ok()?;
                spans.push((i, end));
                i = end;
            }
            _ => return Some((spans, Some(i))),
        }
    }
}

/// The element spans of an array text in nexus's layout (every element an
/// object that opens with `\n  {` and closes with `\n  }`, neither of which
/// occurs anywhere else), found at memory speed; `None` for any other text
/// (whose elements the full scan finds), an empty array included.
pub fn canonical_spans(text: &[u8]) -> Option<Spans> {
    let opens: Vec<usize> = memchr::memmem::find_iter(text, b"\n  {").collect();
    let mut closes = memchr::memmem::find_iter(text, b"\n  }");
    let only = |from: usize, to: usize, what: u8| {
        // JSON's whitespace (a form feed is not).
        let mut rest =
            (text[from..to].iter()).filter(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
        rest.next() == Some(&what) && rest.next().is_none()
    };
    let mut spans = Vec::with_capacity(opens.len());
    let mut pos = 0;
    for (i, open) in opens.iter().enumerate() {
        let close = closes.next()?;
        let sep = if i == 0 { b'[' } else { b',' };
        if *open < pos || close < *open || !only(pos, *open, sep) {
            return None;
        }
        spans.push((open + 3, close + 4));
        pos = close + 4;
    }
    (closes.next().is_none() && !spans.is_empty() && only(pos, text.len(), b']')).then_some(spans)
}

/// A top-level field: key and value ranges relative to the record's start;
/// `dec` indexes `decoded` for a string with escapes (`NONE` otherwise).
#[derive(Clone, Copy)]
pub struct Field {
    pub key: u32,
    pub key_len: u32,
    pub val: u32,
    pub val_len: u32,
    pub dec: u32,
}

pub const NONE: u32 = u32::MAX;

/// The top-level fields of an object text and its decoded escaped strings.
pub fn object_fields(text: &[u8]) -> Option<(Vec<Field>, Vec<String>)> {
    std::str::from_utf8(text).ok()?;
    let mut fields = Vec::with_capacity(16);
    let mut decoded = Vec::new();
    if text.first() != Some(&b'{') {
        return None;
    }
    let last = text.len() - 1;
    let mut i = skip_ws(text, 1);
    if text.get(i) == Some(&b'}') {
        return (i == last).then_some((fields, decoded));
    }
    loop {
        if text.get(i) != Some(&b'"') {
            return None;
        }
        let key = i + 1;
        let (key_end, escaped) = string_end(text, i)?;
        if escaped {
            return None;
        }
        i = skip_ws(text, key_end);
        if text.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(text, i + 1);
        let val = i;
        let mut dec = NONE;
        let end = if text.get(i) == Some(&b'"') {
            let (end, escaped) = string_end(text, i)?;
            if escaped {
                let s: String = serde_json::from_slice(&text[i..end]).ok()?;
                dec = u32::try_from(decoded.len()).ok()?;
                decoded.push(s);
            }
            end
        } else {
            let end = value_end(text, i)?;
            serde_json::from_slice::<IgnoredAny>(&text[i..end]).ok()?;
            if &text[key..key_end - 1] == b"depends_on" && text[i..end].contains(&b'\\') {
                return None;
            }
            end
        };
        fields.push(Field {
            key: key as u32,
            key_len: (key_end - 1 - key) as u32,
            val: val as u32,
            val_len: (end - val) as u32,
            dec,
        });
        i = skip_ws(text, end);
        match text.get(i)? {
            b',' => i = skip_ws(text, i + 1),
            b'}' if i == last => return Some((fields, decoded)),
            _ => return None,
        }
    }
}

/// Just past the closing quote of the string opening at `i`, and whether it
/// holds escapes; `None` for a string that does not close or holds a control
/// character.
pub fn string_end(text: &[u8], i: usize) -> Option<(usize, bool)> {
    let mut j = i + 1;
    let mut escaped = false;
    while j < text.len() {
        match text[j] {
            b'"' => return Some((j + 1, escaped)),
            b'\\' => {
                escaped = true;
                j += 2;
            }
            0..0x20 => return None,
            _ => j += 1,
        }
    }
    None
}

/// The first offset from `i` that is not JSON whitespace.
pub fn skip_ws(text: &[u8], mut i: usize) -> usize {
    while i < text.len() && matches!(text[i], b' ' | b'\n' | b'\r' | b'\t') {
        i += 1;
    }
    i
}

/// Just past the end of the value starting at `i` (brackets and strings
/// matched, not validated; a string with a control character ends nothing).
pub fn value_end(text: &[u8], i: usize) -> Option<usize> {
    match text.get(i)? {
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < text.len() {
                match text[j] {
                    b'"' => j = string_end(text, j)?.0 - 1,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        b'"' => string_end(text, i).map(|e| e.0),
        _ => {
            let mut j = i;
            while j < text.len()
                && !matches!(text[j], b',' | b']' | b'}')
                && !text[j].is_ascii_whitespace()
            {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_nested_and_tricky_strings() {
        let t = br#" [ {"a": "x]}\"{", "b": [1, {"c": 2}]}, 3 , "s,]" ,{} ] "#;
        let spans = element_spans(t).unwrap();
        let parts: Vec<&str> = spans
            .iter()
            .map(|(s, e)| std::str::from_utf8(&t[*s..*e]).unwrap())
            .collect();
        assert_eq!(
            parts,
            [
                r#"{"a": "x]}\"{", "b": [1, {"c": 2}]}"#,
                "3",
                r#""s,]""#,
                "{}"
            ]
        );
        assert_eq!(element_spans(b"[]").unwrap().len(), 0);
        assert!(element_spans(b"[1 2]").is_none());
        assert!(element_spans(b"{}").is_none());
        assert!(element_spans(b"[{\"a\": 1}").is_none());
        let pretty =
            b"[\n  {\n    \"a\": {\n      \"b\": 1\n    }\n  },\n  {\n    \"id\": 2\n  }   \n]";
        assert_eq!(canonical_spans(pretty), element_spans(pretty));
        let compact = br#"[{"a": "\n  }"}, {}]"#;
        assert_eq!(canonical_spans(compact), None);
        let inner = b"[\n  {\n  \"a\": 1\n  }\n]";
        assert_eq!(canonical_spans(inner), element_spans(inner));
        for other in [
            &b"[\n  {\n  \"a\": {\n  }\n  }\n]"[..],
            b"[\n  {\n  }\n  {\n  }\n]",
            b"[\n  {\n  },\n  {\n  }\n] x",
            b"x[\n  {\n  }\n]",
            b"[\n]",
        ] {
            let text = String::from_utf8_lossy(other);
            assert_eq!(canonical_spans(other), None, "{text}");
        }
    }

    #[test]
    fn a_torn_end_is_told_from_damage_elsewhere() {
        let (spans, torn) = complete_prefix(b"[\n  {\"a\": 1},\n  {\"b\": \"x").unwrap();
        assert_eq!((spans.len(), torn), (1, Some(16)));
        assert_eq!(
            complete_prefix(b"[1, 2]").unwrap(),
            (vec![(1, 2), (4, 5)], None)
        );
        assert_eq!(complete_prefix(b"[{\"a\":1},").unwrap().1, Some(9));
        assert_eq!(complete_prefix(b"[").unwrap(), (vec![], Some(1)));
        assert!(
            complete_prefix(b"[{\"a\": tru}, {}]").is_none(),
            "bad element"
        );
        assert!(complete_prefix(b"[1] x").is_none(), "bytes after the end");
        assert!(complete_prefix(b"{}").is_none());
        // Only the closing bracket lost: every record is whole.
        assert_eq!(
            complete_prefix(b"[{\"a\":1},\n  {\"b\":2}").unwrap(),
            (vec![(1, 8), (12, 19)], Some(19))
        );
        assert_eq!(
            complete_prefix(b"[1, 23").unwrap(),
            (vec![(1, 2)], Some(4)),
            "23 may be 234"
        );
    }
}
