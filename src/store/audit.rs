//! `audit.jsonl`: one line per changed record, each carrying the SHA-256 of
//! the line before it, so any edit breaks the chain at that line.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::atomic::{read_optional, read_tail};
use crate::error::{NexusError, Result};

pub const AUDIT_FILE: &str = "audit.jsonl";
/// The hash before the first line.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who made a change and under which trace.
#[derive(Debug, Clone)]
pub struct AuditMeta {
    pub command: String,
    pub agent: Option<String>,
    pub trace_id: String,
    pub timestamp: String,
}

/// One changed record: its kind (`claim`, `agent`), id, before and after.
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: &'static str,
    pub id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Fields that differ between two versions of a record: {field: {before, after}}.
pub fn field_changes(before: Option<&Value>, after: Option<&Value>) -> Map<String, Value> {
    let empty = Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut out = Map::new();
    for k in b.keys().chain(a.keys()) {
        if out.contains_key(k) || b.get(k) == a.get(k) {
            continue;
        }
        out.insert(k.clone(), json!({"before": b.get(k), "after": a.get(k)}));
    }
    out
}

fn hash(prev: &str, body: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(body.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The last line's sequence number and hash (0 and the genesis hash when empty).
fn last_link(path: &Path) -> Result<(u64, String)> {
    if !path.exists() {
        return Ok((0, GENESIS.into()));
    }
    let (_, tail) = read_tail(path, 64 * 1024)?;
    let text = String::from_utf8_lossy(&tail);
    let last = text.lines().rev().find(|l| !l.trim().is_empty());
    match last.and_then(|l| serde_json::from_str::<Value>(l).ok()) {
        Some(v) => Ok((
            v["seq"].as_u64().unwrap_or(0),
            v["hash"].as_str().unwrap_or(GENESIS).to_string(),
        )),
        None if last.is_none() => Ok((0, GENESIS.into())),
        None => Err(NexusError::Corrupt {
            path: path.to_path_buf(),
            line: text.lines().count(),
            column: 1,
            msg: "the last audit line is not JSON".into(),
        }),
    }
}

/// The lines recording `changes`, chained to the end of the audit file.
pub fn lines_for(path: &Path, meta: &AuditMeta, changes: &[Change]) -> Result<String> {
    let (mut seq, mut prev) = last_link(path)?;
    let mut out = String::new();
    for c in changes {
        seq += 1;
        let body = json!({
            "seq": seq,
            "timestamp": meta.timestamp,
            "command": meta.command,
            "agent": meta.agent,
            "record": c.kind,
            "work_item": if c.kind == "claim" { Value::from(c.id.clone()) } else { Value::Null },
            "id": c.id,
            "changes": field_changes(c.before.as_ref(), c.after.as_ref()),
            "trace_id": meta.trace_id,
            "prev_hash": prev,
        });
        let body_text = body.to_string();
        let h = hash(&prev, &body_text);
        let mut line = body;
        line["hash"] = json!(h);
        out.push_str(&line.to_string());
        out.push('\n');
        prev = h;
    }
    Ok(out)
}

/// Append lines and fsync them.
pub fn append(path: &Path, lines: &str) -> Result<()> {
    let err = |e| NexusError::io("cannot append to", path, e);
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(err)?;
    f.write_all(lines.as_bytes()).map_err(err)?;
    f.sync_data().map_err(err)
}

/// Check the whole chain: `Ok(lines)` or the 1-based number of the first
/// broken line and why.
pub fn verify(path: &Path) -> Result<Result<usize, (usize, String)>> {
    let text = String::from_utf8_lossy(&read_optional(path)?.unwrap_or_default()).into_owned();
    let mut prev = GENESIS.to_string();
    let mut count = 0;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let Ok(mut v) = serde_json::from_str::<Value>(line) else {
            return Ok(Err((n, "not JSON".into())));
        };
        let stored = v.as_object_mut().and_then(|o| o.shift_remove("hash"));
        if v["prev_hash"].as_str() != Some(prev.as_str()) {
            return Ok(Err((n, "prev_hash does not match the line before".into())));
        }
        let h = hash(&prev, &v.to_string());
        if stored.as_ref().and_then(Value::as_str) != Some(h.as_str()) {
            return Ok(Err((n, "content does not match its hash (edited)".into())));
        }
        prev = h;
        count += 1;
    }
    Ok(Ok(count))
}

/// Every audit line, parsed (lines that do not parse are skipped).
pub fn read_all(path: &Path) -> Result<Vec<Value>> {
    let text = String::from_utf8_lossy(&read_optional(path)?.unwrap_or_default()).into_owned();
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_verifies_and_an_edit_breaks_it_at_that_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(AUDIT_FILE);
        let meta = AuditMeta {
            command: "claim".into(),
            agent: Some("a".into()),
            trace_id: "t".into(),
            timestamp: "ts".into(),
        };
        for i in 0..3 {
            let c = Change {
                kind: "claim",
                id: format!("work_{i}"),
                before: None,
                after: Some(json!({"status": "active"})),
            };
            append(&path, &lines_for(&path, &meta, &[c]).unwrap()).unwrap();
        }
        assert_eq!(verify(&path).unwrap(), Ok(3));
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replacen("work_1", "work_9", 1);
        std::fs::write(&path, text).unwrap();
        assert_eq!(verify(&path).unwrap().unwrap_err().0, 2);
        let ch = field_changes(
            Some(&json!({"a": 1, "b": 2})),
            Some(&json!({"a": 1, "b": 3, "c": 4})),
        );
        assert_eq!(ch.keys().collect::<Vec<_>>(), ["b", "c"]);
    }
}
