//! The field-by-field record reader ([`ClaimRecord::of`]) and the array scanner
//! (`scan::element_spans`), both on the one scanner, against serde_json on random and adversarial documents:
//! they find what serde_json finds, or refuse the text; never another answer,
//! never a panic.

use std::sync::Arc;

use proptest::prelude::*;
use serde_json::Value;

use super::claim_record::ClaimRecord;
use super::queue::WorkItem;

/// Strings with escapes, quotes, control characters, unicode beyond the BMP.
fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_]{0,8}",
        "[\"\\\\/\\x00-\\x1f\u{e9}\u{2028}\u{1F600}a-c]{0,6}",
        proptest::sample::select(vec!["work_1", "available", "completed", "high", "a"])
            .prop_map(str::to_string),
    ]
}

/// Numbers as text: huge, tiny, negative, exponents.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| f.to_string()),
        "-?[1-9][0-9]{20,40}",
        "-?[1-9]\\.[0-9]{1,5}[eE][+-]?[0-9]{1,4}",
    ]
}

/// A JSON value as text (deeply nested at times).
fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        string().prop_map(|s| serde_json::to_string(&s).unwrap()),
        number(),
        proptest::sample::select(vec!["true", "false", "null"]).prop_map(str::to_string),
    ];
    leaf.prop_recursive(24, 64, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4)
                .prop_map(|v| format!("[{}]", v.join(","))),
            proptest::collection::vec((string(), inner), 0..4).prop_map(|kv| {
                let kv: Vec<String> = kv
                    .iter()
                    .map(|(k, v)| format!("{}: {v}", serde_json::to_string(k).unwrap()))
                    .collect();
                format!("{{{}}}", kv.join(", "))
            }),
        ]
    })
}

/// The keys a record reader is asked for, some repeated in a document.
const KEYS: [&str; 8] = [
    "work_item_id",
    "status",
    "priority",
    "team",
    "depends_on",
    "progress",
    "velocity_points",
    "x",
];

/// An object text whose keys may repeat, with odd spacing.
fn object() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        4 => proptest::sample::select(KEYS.to_vec()).prop_map(|k| format!("\"{k}\"")),
        1 => string().prop_map(|s| serde_json::to_string(&s).unwrap()),
        1 => Just("\"st\\u0061tus\"".to_string()),
    ];
    let deps = proptest::collection::vec(
        prop_oneof![
            string().prop_map(|s| serde_json::to_string(&s).unwrap()),
            value()
        ],
        0..4,
    )
    .prop_map(|v| format!("[{}]", v.join(" , ")));
    let field = (key, prop_oneof![3 => value(), 1 => deps]);
    (
        proptest::collection::vec(field, 0..7),
        proptest::sample::select(vec!["", " ", "\n    ", "\t"]),
    )
        .prop_map(|(fields, ws)| {
            let kv: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{ws}{k}{ws}:{ws}{v}"))
                .collect();
            format!("{{{}{ws}}}", kv.join(","))
        })
}

/// What the reader and serde_json say about `text` agree.
fn agree(text: &[u8]) -> Result<(), TestCaseError> {
    let whole: Option<Value> = serde_json::from_slice(text).ok();
    let bytes = Arc::new(text.to_vec());
    let Some(rec) = ClaimRecord::of(&bytes, 0, bytes.len()) else {
        return Ok(());
    };
    let Some(whole) = whole.filter(Value::is_object) else {
        return Err(TestCaseError::fail(format!(
            "read a text serde_json refuses: {}",
            String::from_utf8_lossy(text)
        )));
    };
    for key in KEYS.iter().chain(&["claimed_at", "description", "missing"]) {
        prop_assert_eq!(rec.get_text(key), whole.get_text(key), "text {}", key);
        prop_assert_eq!(rec.get_number(key), whole.get_number(key), "number {}", key);
    }
    prop_assert_eq!(WorkItem::deps(&rec), whole.deps(), "deps");
    prop_assert_eq!(rec.to_value(), whole, "whole");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn records_read_field_by_field_agree_with_serde_json(text in object()) {
        agree(text.as_bytes())?;
    }

    #[test]
    fn damaged_records_are_refused_or_read_right(
        text in object(),
        at in any::<prop::sample::Index>(),
        byte in proptest::sample::select(b"\"\\{}[],: 0e-+.tn\x01\xc3\xa9".to_vec()),
        cut in any::<bool>(),
    ) {
        let mut bytes = text.into_bytes();
        let i = at.index(bytes.len() + 1);
        match cut {
            true => bytes.truncate(i),
            false => bytes.insert(i, byte),
        }
        agree(&bytes)?;
    }

    #[test]
    fn array_elements_are_those_serde_json_finds(
        items in proptest::collection::vec(prop_oneof![object(), value()], 0..5),
        tail in proptest::sample::select(vec!["]", " ]\n", "", "] x", ",]"]),
    ) {
        let text = format!("[{}{tail}", items.join(",\n  "));
        let whole: Option<Vec<Value>> = serde_json::from_str(&text).ok();
        if let Some(spans) = super::scan::element_spans(text.as_bytes()) {
            let parts: Option<Vec<Value>> = spans
                .iter()
                .map(|(s, e)| serde_json::from_str(&text[*s..*e]).ok())
                .collect();
            if let Some(whole) = whole {
                prop_assert_eq!(parts, Some(whole));
            }
        } else {
            prop_assert!(whole.is_none(), "refused a valid array: {}", text);
        }
    }
}

/// The canonical layout check reads the layout, not the elements' text: an
/// element that is not JSON is the callers' to refuse (they parse each one),
/// and only JSON's whitespace may stand between elements.
#[test]
fn the_layout_check_passes_only_json_whitespace_and_leaves_the_text_to_the_parse() {
    use super::scan::{canonical_spans, element_spans};
    let garbage = b"[\n\r\n  {{\r_\x03*\n  }\r\n\t]";
    let spans = canonical_spans(garbage).expect("the layout is nexus's");
    assert!(element_spans(garbage).is_none());
    assert!(
        spans
            .iter()
            .any(|(s, e)| serde_json::from_slice::<Value>(&garbage[*s..*e]).is_err()),
        "the element the scanner refuses does not parse"
    );
    let good = b"[\n  {\n    \"a\": 1\n  },\t\r\n  {\n    \"b\": 2\n  }\n]";
    assert_eq!(canonical_spans(good), element_spans(good));
    assert_eq!(canonical_spans(good).map(|s| s.len()), Some(2));
    let form_feed = b"[\n  {\n    \"a\": 1\n  },\x0c\n  {\n    \"b\": 2\n  }\n]";
    assert!(serde_json::from_slice::<Value>(form_feed).is_err());
    assert_eq!(canonical_spans(form_feed), None);
    assert_eq!(element_spans(form_feed), None);
}
