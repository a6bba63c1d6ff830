//! The JSON scanner against serde_json on any bytes: whatever it finds,
//! serde_json finds the same; it never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[path = "../../src/records/scan.rs"]
#[allow(dead_code)]
mod scan;

fuzz_target!(|text: &[u8]| {
    let whole = serde_json::from_slice::<Value>(text).ok();
    if let Some(spans) = scan::element_spans(text) {
        // Every span the scanner finds is an element serde_json parses, and
        // when the whole text parses, the spans are its elements.
        let parts: Vec<Option<Value>> = spans
            .iter()
            .map(|(s, e)| serde_json::from_slice(&text[*s..*e]).ok())
            .collect();
        if let Some(Value::Array(items)) = &whole {
            let found: Vec<Value> = parts.into_iter().flatten().collect();
            assert_eq!(&found, items, "element spans");
        }
    }
    if let Some(spans) = scan::canonical_spans(text) {
        // The layout alone: where the scanner disagrees, an element's text
        // is not JSON (every caller parses each element and reads the file
        // whole when one does not parse).
        let parse =
            |(s, e): &(usize, usize)| serde_json::from_slice::<Value>(&text[*s..*e]).is_ok();
        if spans.iter().all(parse) {
            assert_eq!(Some(spans), scan::element_spans(text), "canonical spans");
        }
    }
    if let Some((spans, torn)) = scan::complete_prefix(text) {
        for (s, e) in &spans {
            assert!(
                serde_json::from_slice::<Value>(&text[*s..*e]).is_ok(),
                "kept element"
            );
        }
        if torn.is_none()
            && let Some(Value::Array(items)) = &whole
        {
            assert_eq!(
                spans.len(),
                items.len(),
                "a closed array keeps every element"
            );
        }
    }
    if let Some((fields, decoded)) = scan::object_fields(text) {
        // The object parses, and each field's value is serde_json's (the
        // last of a repeated key being the one serde_json keeps).
        let Some(Value::Object(map)) = &whole else {
            panic!("object_fields accepted what serde_json refuses");
        };
        for f in &fields {
            let key =
                std::str::from_utf8(&text[f.key as usize..(f.key + f.key_len) as usize]).unwrap();
            let val = &text[f.val as usize..(f.val + f.val_len) as usize];
            let parsed: Value = match f.dec {
                scan::NONE => serde_json::from_slice(val).unwrap(),
                d => Value::String(decoded[d as usize].clone()),
            };
            let last = fields
                .iter()
                .rev()
                .find(|g| text[g.key as usize..(g.key + g.key_len) as usize] == *key.as_bytes())
                .unwrap();
            if std::ptr::eq(last, f) {
                assert_eq!(map.get(key), Some(&parsed), "field {key}");
            }
        }
    }
});
