//! The text of a JSON array file: parsed fast (cut at element boundaries,
//! on every core) and written the way jq writes it, with each record's room.

use std::path::Path;

use serde_json::Value;

use super::locate::room_for;
use crate::error::{NexusError, Result};
use crate::records::scan;

/// Below this size an array is parsed on one thread.
pub(super) const PARALLEL_BYTES: usize = 4 << 20;

/// Parse bytes as a JSON array, naming the file and position on failure.
pub fn parse_array(path: &Path, bytes: &[u8]) -> Result<Vec<Value>> {
    parse_array_spans(path, bytes).map(|p| p.records)
}

/// An array file parsed, with the byte ranges of its elements when they
/// were found on the way, and whether it is in nexus's layout.
pub struct Parsed {
    pub records: Vec<Value>,
    pub spans: Option<scan::Spans>,
    pub canonical: bool,
}

/// [`parse_array`], keeping what was learnt of the layout. Files in nexus's
/// layout and large files are cut at their element boundaries and parsed on
/// every core; any doubt (a scan that fails, an element that does not parse)
/// falls back to one whole parse, which also names the error's position.
pub fn parse_array_spans(path: &Path, bytes: &[u8]) -> Result<Parsed> {
    let canonical = scan::canonical_spans(bytes);
    let is_canonical = canonical.is_some();
    let spans = canonical.or_else(|| {
        (bytes.len() >= PARALLEL_BYTES)
            .then(|| scan::element_spans(bytes))
            .flatten()
            .filter(|s| {
                let end = s.last().map_or(0, |l| l.1);
                String::from_utf8_lossy(&bytes[end..]).trim() == "]"
            })
    });
    if let Some(spans) = spans
        && let Some(records) = parse_elements(bytes, &spans)
    {
        return Ok(Parsed {
            records,
            spans: Some(spans),
            canonical: is_canonical,
        });
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Array(records)) => Ok(Parsed {
            records,
            spans: None,
            canonical: false,
        }),
        Ok(_) => Err(NexusError::NotAnArray(path.to_path_buf())),
        Err(e) => Err(NexusError::Corrupt {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            msg: strip_position(&e.to_string()),
        }),
    }
}

/// Each element parsed on its own, on every core when there are many.
fn parse_elements(bytes: &[u8], spans: &[(usize, usize)]) -> Option<Vec<Value>> {
    let parts = crate::par::map_parts(spans, bytes.len() >= PARALLEL_BYTES, |part| {
        part.iter()
            .map(|(s, e)| serde_json::from_slice::<Value>(&bytes[*s..*e]).ok())
            .collect::<Option<Vec<Value>>>()
    });
    let mut out = Vec::with_capacity(spans.len());
    for part in parts {
        out.extend(part?);
    }
    Some(out)
}

fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Serialise records the way jq writes them: 2-space indent, final newline.
pub fn to_pretty(records: &[Value]) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(records).unwrap_or_else(|_| b"[]".to_vec());
    bytes.push(b'\n');
    bytes
}

/// [`to_pretty`], each record followed by the room the file gives it.
pub fn to_pretty_with_room(name: &str, records: &[Value]) -> Vec<u8> {
    if records.iter().all(|r| room_for(name, r) == 0) {
        return to_pretty(records);
    }
    let mut bytes = b"[".to_vec();
    for (i, record) in records.iter().enumerate() {
        bytes.extend_from_slice(if i == 0 { b"\n  " } else { b",\n  " });
        bytes.extend_from_slice(&indented(record));
        bytes.extend(std::iter::repeat_n(b' ', room_for(name, record)));
    }
    bytes.extend_from_slice(b"\n]\n");
    bytes
}

/// One record pretty-printed at the indentation of an array element.
pub(super) fn indented(record: &Value) -> Vec<u8> {
    let text = serde_json::to_string_pretty(record).unwrap_or_default();
    text.replace('\n', "\n  ").into_bytes()
}

/// Offset just past the last value of a JSON array text, found from its end;
/// `None` when the text does not end in `]` or the array is empty.
pub(super) fn end_of_records(text: &[u8]) -> Option<u64> {
    let close = text.iter().rposition(|b| !b.is_ascii_whitespace())?;
    if text[close] != b']' {
        return None;
    }
    let last = text[..close]
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())?;
    (text[last] != b'[').then_some(last as u64 + 1)
}

/// The `n` of a record's `work_<n>` id.
pub fn work_number(record: &Value) -> Option<u128> {
    record
        .get("work_item_id")?
        .as_str()?
        .strip_prefix("work_")?
        .parse()
        .ok()
}

/// The highest `n` among `work_<n>` ids of the records.
pub fn max_work_id(records: &[Value]) -> Option<u128> {
    records.iter().filter_map(work_number).max()
}

/// Whether every record has a `work_<n>` id and the ids strictly ascend,
/// each above `after`: then one id's record can be found by bisection.
pub fn ids_ascend<'a>(records: impl IntoIterator<Item = &'a Value>, after: Option<u128>) -> bool {
    let mut last = after;
    records.into_iter().all(|r| match work_number(r) {
        Some(n) if last.is_none_or(|l| n > l) => {
            last = Some(n);
            true
        }
        _ => false,
    })
}
