//! Claim records as readers see them: a record read from a file keeps the
//! file's bytes (shared) and where each of its top-level fields lies, and
//! answers field lookups from those bytes, borrowing strings that hold no
//! escape. It is parsed into a whole `Value` only when a reader needs the
//! whole record (printing it, or a field that is not a string or a number),
//! once, on first use. Records that came as `Value`s (the PostgreSQL store)
//! are read through the same accessors.

use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use serde::{Serialize, Serializer};
use serde_json::Value;

use super::queue::WorkItem;
use super::scan::{Field, NONE, object_fields, skip_ws, value_end};

/// One claim record.
#[derive(Clone)]
pub struct ClaimRecord {
    raw: Option<Located>,
    value: OnceLock<Box<Value>>,
}

/// Where a record and its top-level fields lie in the file's bytes.
#[derive(Clone)]
struct Located {
    bytes: Arc<Vec<u8>>,
    start: usize,
    len: u32,
    fields: Box<[Field]>,
    /// String values that hold escapes, decoded.
    decoded: Box<[String]>,
    /// The field of each of the [`KNOWN`] keys (`NO_FIELD` when absent).
    known: [u8; KNOWN.len()],
}

/// The keys readers ask for most: each gets a slot in every record read
/// from bytes, so that asking for one is an array read, not a search.
const KNOWN: [&str; 12] = [
    "work_item_id",
    "status",
    "priority",
    "team",
    "agent_id",
    "claimed_at",
    "lease_expires_at",
    "last_update",
    "completed_at",
    "progress",
    "depends_on",
    "description",
];
const NO_FIELD: u8 = u8::MAX;

/// The slot of a known key: told apart by length and first and last bytes,
/// then confirmed.
fn known(key: &[u8]) -> Option<usize> {
    let slot = match (key.len(), key.first()?, key.last()?) {
        (12, b'w', _) => 0,
        (6, b's', _) => 1,
        (8, b'p', b'y') => 2,
        (4, b't', _) => 3,
        (8, b'a', _) => 4,
        (10, b'c', _) => 5,
        (16, b'l', _) => 6,
        (11, b'l', _) => 7,
        (12, b'c', _) => 8,
        (8, b'p', b's') => 9,
        (10, b'd', _) => 10,
        (11, b'd', _) => 11,
        _ => return None,
    };
    (KNOWN[slot].as_bytes() == key).then_some(slot)
}

impl From<Value> for ClaimRecord {
    fn from(v: Value) -> ClaimRecord {
        ClaimRecord {
            raw: None,
            value: OnceLock::from(Box::new(v)),
        }
    }
}

impl ClaimRecord {
    /// The record of the object text at `start..end` of `bytes`, read field
    /// by field; `None` when the text is not an object whose fields this
    /// reader vouches for (not valid JSON, an escaped key, an escaped id in
    /// `depends_on`): the caller then parses it whole.
    pub fn of(bytes: &Arc<Vec<u8>>, start: usize, end: usize) -> Option<ClaimRecord> {
        let text = bytes.get(start..end)?;
        let len = u32::try_from(text.len()).ok()?;
        let (fields, decoded) = object_fields(text)?;
        let mut slots = [NO_FIELD; KNOWN.len()];
        // The last of a repeated key wins, as in a whole parse.
        for (i, f) in fields.iter().enumerate().take(usize::from(NO_FIELD)) {
            let key = &text[f.key as usize..(f.key + f.key_len) as usize];
            if let Some(k) = known(key) {
                slots[k] = i as u8;
            }
        }
        // Beyond the slots' reach, the search answers.
        let slots = if fields.len() < usize::from(NO_FIELD) {
            slots
        } else {
            [NO_FIELD; KNOWN.len()]
        };
        Some(ClaimRecord {
            raw: Some(Located {
                bytes: Arc::clone(bytes),
                start,
                len,
                fields: fields.into_boxed_slice(),
                decoded: decoded.into_boxed_slice(),
                known: slots,
            }),
            value: OnceLock::new(),
        })
    }

    /// The whole record.
    pub fn value(&self) -> &Value {
        self.value.get_or_init(|| {
            let raw = self.raw.as_ref().map_or(&[][..], Located::text);
            // The scan vouched for the text, so it parses.
            Box::new(serde_json::from_slice(raw).unwrap_or(Value::Null))
        })
    }

    /// The whole record, owned.
    pub fn to_value(&self) -> Value {
        match (self.value.get(), &self.raw) {
            (Some(v), _) => (**v).clone(),
            (None, Some(r)) => serde_json::from_slice(r.text()).unwrap_or(Value::Null),
            (None, None) => Value::Null,
        }
    }

    /// Whether every string in the record already shows as it is in a human
    /// view ([`crate::text::field`] would change none), judged from its bytes
    /// alone: no escape, no DEL or C1 control, no run longer than a field may
    /// be shown. `false` when unsure (a record that came as a `Value`).
    pub fn displayable(&self) -> bool {
        let Some(raw) = &self.raw else {
            return false;
        };
        let text = raw.text();
        let plain = memchr::memchr2(b'\\', 0x7f, text).is_none()
            && memchr::memchr_iter(0xc2, text)
                .all(|i| !matches!(text.get(i + 1), Some(0x80..=0x9f)));
        let mut last = 0;
        let short = memchr::memchr_iter(b'"', text).all(|q| {
            let ok = q - last <= crate::text::FIELD_MAX;
            last = q;
            ok
        });
        plain && short
    }

    /// The raw text of a top-level field's value.
    fn raw_field(&self, key: &str) -> Option<(&Located, &Field)> {
        let raw = self.raw.as_ref()?;
        let key = key.as_bytes();
        if let Some(k) = known(key)
            && raw.fields.len() < usize::from(NO_FIELD)
        {
            let i = raw.known[k];
            return (i != NO_FIELD).then(|| (raw, &raw.fields[usize::from(i)]));
        }
        let text = raw.text();
        let f = raw.fields.iter().rev().find(|f| {
            f.key_len as usize == key.len()
                && text.get(f.key as usize..(f.key + f.key_len) as usize) == Some(key)
        })?;
        Some((raw, f))
    }
}

impl Located {
    fn text(&self) -> &[u8] {
        &self.bytes[self.start..self.start + self.len as usize]
    }

    fn val(&self, f: &Field) -> &[u8] {
        &self.text()[f.val as usize..(f.val + f.val_len) as usize]
    }

    fn string(&self, f: &Field) -> Option<&str> {
        let v = self.val(f);
        if v.first() != Some(&b'"') {
            return None;
        }
        if f.dec != NONE {
            return self.decoded.get(f.dec as usize).map(String::as_str);
        }
        std::str::from_utf8(&v[1..v.len() - 1]).ok()
    }
}

impl Deref for ClaimRecord {
    type Target = Value;
    fn deref(&self) -> &Value {
        self.value()
    }
}

impl std::fmt::Debug for ClaimRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        self.value().fmt(f)
    }
}

impl PartialEq for ClaimRecord {
    fn eq(&self, other: &ClaimRecord) -> bool {
        self.value() == other.value()
    }
}

impl Serialize for ClaimRecord {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.value.get() {
            Some(v) => v.serialize(s),
            None => self.to_value().serialize(s),
        }
    }
}

impl WorkItem for ClaimRecord {
    fn get_text(&self, key: &str) -> Option<&str> {
        match self.raw_field(key) {
            Some((raw, f)) => raw.string(f),
            None if self.raw.is_some() => None,
            None => self.value().get_text(key),
        }
    }

    fn get_number(&self, key: &str) -> Option<f64> {
        let Some((raw, f)) = self.raw_field(key) else {
            return match self.raw {
                Some(_) => None,
                None => self.value().get_number(key),
            };
        };
        match raw.val(f).first()? {
            b'"' => raw.string(f)?.parse().ok(),
            b'-' | b'0'..=b'9' => std::str::from_utf8(raw.val(f))
                .ok()?
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite()),
            _ => None,
        }
    }

    fn deps(&self) -> Vec<&str> {
        let Some((raw, f)) = self.raw_field("depends_on") else {
            return match self.raw {
                Some(_) => Vec::new(),
                None => self.value().deps(),
            };
        };
        let v = raw.val(f);
        let mut out = Vec::new();
        if v.first() != Some(&b'[') {
            return out;
        }
        let mut i = skip_ws(v, 1);
        while let Some(end) = value_end(v, i) {
            if v[i] == b'"' {
                out.extend(std::str::from_utf8(&v[i + 1..end - 1]).ok());
            }
            i = skip_ws(v, end);
            if v.get(i) != Some(&b',') {
                break;
            }
            i = skip_ws(v, i + 1);
        }
        out
    }
}

/// The records the dependency graph of `claims` reads, whole: every record
/// of an id that waits on others or is waited on (a graph of these answers
/// `blocked` and `chain` as one of all the claims would).
pub fn graph_records(claims: &[ClaimRecord]) -> Vec<Value> {
    let mut ids: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for c in claims {
        let deps = c.deps();
        if !deps.is_empty() {
            ids.extend(c.get_text("work_item_id"));
            ids.extend(deps);
        }
    }
    claims
        .iter()
        .filter(|c| {
            c.get_text("work_item_id")
                .is_some_and(|id| ids.contains(id))
        })
        .map(ClaimRecord::to_value)
        .collect()
}

/// Every record, whole (for the writers' helpers that take `Value`s).
pub fn values(claims: &[ClaimRecord]) -> Vec<Value> {
    claims.iter().map(ClaimRecord::to_value).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{number, text};
    use serde_json::json;

    fn rec(t: &str) -> Option<ClaimRecord> {
        let bytes = Arc::new(t.as_bytes().to_vec());
        ClaimRecord::of(&bytes, 0, bytes.len())
    }

    #[test]
    fn fields_read_from_bytes_match_the_parsed_record() {
        let t = r#"{ "id" : "a\"b", "n": 7, "s": "12.5", "x": {"k": [1, "\\"]},
            "depends_on": ["p", 3, {"q": 1}, "r"], "b": true, "dup": "1", "dup": "2", "u": "é", "z": null }"#;
        let r = rec(t).unwrap();
        let v: Value = serde_json::from_str(t).unwrap();
        for key in ["id", "n", "s", "x", "b", "dup", "u", "z", "missing"] {
            assert_eq!(text(&r, key), text(&v, key), "{key}");
            assert_eq!(number(&r, key), number(&v, key), "{key}");
        }
        assert_eq!(r.deps(), v.deps());
        assert_eq!(r.to_value().to_string(), v.to_string());
        assert_eq!(serde_json::to_string(&r).unwrap(), v.to_string());
        assert_eq!(r["x"]["k"][0], 1);
        let from_value = ClaimRecord::from(json!({"id": "v", "n": "3"}));
        assert_eq!(text(&from_value, "id"), Some("v"));
        assert_eq!(number(&from_value, "n"), Some(3.0));
        assert_eq!(rec("{}").unwrap().to_value(), json!({}));
    }

    #[test]
    fn texts_the_scan_does_not_vouch_for_are_refused() {
        for bad in [
            r#"{"a": 1,}"#,
            r#"{"a": 01}"#,
            r#"{"a": [1}"#,
            r#"{"\u0061": 1}"#,
            "{\"a\": \"x\ty\"}",
            r#"{"a": "\ud800"}"#,
            r#"{"depends_on": ["\u0061"]}"#,
            r#"{"a": 1} "#,
            r#"[1]"#,
            r#"{"a" 1}"#,
        ] {
            assert!(rec(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_record_is_displayable_only_when_no_string_would_change_in_a_human_view() {
        let long = "x".repeat(crate::text::FIELD_MAX + 1);
        let fits = "x".repeat(crate::text::FIELD_MAX - 2);
        for (t, shown_as_is) in [
            (
                r#"{"a": "plain ✓ é", "n": 3, "o": {"k": [1, 2]}}"#.to_string(),
                true,
            ),
            (format!(r#"{{"a": "{fits}"}}"#), true),
            (format!(r#"{{"a": "{long}"}}"#), false),
            (format!(r#"{{"o": {{"deep": "{long}"}}}}"#), false),
            (r#"{"a": "line\nbreak"}"#.to_string(), false),
            (r#"{"a": "esc \u001b[2J"}"#.to_string(), false),
            ("{\"a\": \"del \u{7f}\"}".to_string(), false),
            ("{\"a\": \"csi \u{9b}\"}".to_string(), false),
        ] {
            let r = rec(&t).unwrap();
            assert_eq!(r.displayable(), shown_as_is, "{t}");
            // Exactly when sanitizing would leave the record as it is.
            let mut v = r.to_value();
            crate::text::sanitize_json(&mut v);
            assert_eq!(v == r.to_value(), shown_as_is, "{t}");
        }
        assert!(
            !ClaimRecord::from(json!({"a": "v"})).displayable(),
            "unsure: sanitized"
        );
    }

    #[test]
    fn the_keys_readers_ask_for_most_answer_as_a_search_would() {
        let mut fields: Vec<String> = KNOWN
            .iter()
            .enumerate()
            .map(|(i, k)| format!(r#""{k}": "v{i}""#))
            .collect();
        // A repeated key (the last wins), and look-alike keys.
        fields.push(r#""status": "last""#.into());
        fields.push(r#""statuz": "x", "progresx": 1, "priorit": "y""#.into());
        let small = format!("{{{}}}", fields.join(", "));
        // A record with more fields than slots reach.
        let many: Vec<String> = (0..300).map(|i| format!(r#""f{i}": {i}"#)).collect();
        let large = format!("{{{}, {}}}", many.join(", "), fields.join(", "));
        for t in [small, large] {
            let r = rec(&t).unwrap();
            let v: Value = serde_json::from_str(&t).unwrap();
            for key in KNOWN
                .iter()
                .chain(&["statuz", "progresx", "priorit", "f299", "nope"])
            {
                assert_eq!(text(&r, key), text(&v, key), "{key}");
                assert_eq!(number(&r, key), number(&v, key), "{key}");
            }
            assert_eq!(text(&r, "status"), Some("last"));
        }
    }
}
