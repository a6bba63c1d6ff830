//! `audit.jsonl`: one line per changed record, each carrying the SHA-256 of
//! its own bytes chained to the line before, so any edit breaks the chain at
//! that line. `audit.head` holds the last sequence number and hash; it is
//! written in the same step as the state, so cutting lines off the end (or
//! deleting the trail) is detected too.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::fsio::{read_optional, read_tail};
use super::journal::Op;
use crate::error::Result;

pub const AUDIT_FILE: &str = "audit.jsonl";
/// The anchor of the chain: the last line's sequence number and hash.
pub const HEAD_FILE: &str = "audit.head";
/// The hash before the first line.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One step: which command, by whom, under which trace, when, and whether
/// its changes go to the audit trail too.
#[derive(Debug, Clone)]
pub struct Step {
    pub command: String,
    pub agent: Option<String>,
    pub trace_id: String,
    pub timestamp: String,
    /// Whether the audit trail records this step (the `audit` feature).
    pub audit: bool,
    /// What the step will ask first, for a store that pays a round trip per
    /// question to ask as the step begins: a new work id (made at this
    /// clock), then its agent's record, to change it.
    pub new_work_id: Option<u128>,
    pub agent_first: bool,
}

impl Step {
    /// A step of nexus's own (a repair, a test), not audited.
    pub fn quiet(command: &str, timestamp: &str) -> Step {
        Step {
            command: command.to_string(),
            agent: None,
            trace_id: String::new(),
            timestamp: timestamp.to_string(),
            audit: false,
            new_work_id: None,
            agent_first: false,
        }
    }
}

/// One changed record: its kind (`claim`, `agent`), id, before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: &'static str,
    pub id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The end of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub seq: u64,
    pub hash: String,
}

impl Head {
    fn genesis() -> Head {
        Head {
            seq: 0,
            hash: GENESIS.into(),
        }
    }

    /// The head of `dir`'s trail: the anchor file, else (a trail written
    /// before anchors existed) its last line, else the genesis.
    pub fn read(dir: &Path) -> Result<Head> {
        if let Some(h) =
            read_optional(&dir.join(HEAD_FILE))?.and_then(|b| serde_json::from_slice(&b).ok())
        {
            return Ok(h);
        }
        let (_, tail) = read_tail(&dir.join(AUDIT_FILE), 64 * 1024)?;
        let text = String::from_utf8_lossy(&tail);
        Ok(text
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .and_then(|l| serde_json::from_str::<Value>(l).ok())
            .map_or_else(Head::genesis, |v| Head {
                seq: v["seq"].as_u64().unwrap_or(0),
                hash: v["hash"].as_str().unwrap_or(GENESIS).to_string(),
            }))
    }

    /// The change that writes this head, for the step's list.
    pub fn op(&self) -> Op {
        let mut bytes = serde_json::to_vec(self).unwrap_or_default();
        bytes.push(b'\n');
        Op::to_end(HEAD_FILE, 0, bytes)
    }
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

fn hash(prev: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(body);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The hashed bytes of the line recording `c` as number `seq` after `prev`.
fn body(seq: u64, prev: &str, meta: &Step, c: &Change) -> String {
    json!({
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
    })
    .to_string()
}

/// The lines recording `changes`, chained after `head`, and the new head.
pub fn lines_for(mut head: Head, meta: &Step, changes: &[Change]) -> (String, Head) {
    let mut out = String::new();
    for c in changes {
        head.seq += 1;
        let body = body(head.seq, &head.hash, meta, c);
        let h = hash(&head.hash, body.as_bytes());
        // The line is the hashed bytes with the hash as the last field.
        out.push_str(&body[..body.len() - 1]);
        out.push_str(&format!(",\"hash\":\"{h}\"}}\n"));
        head.hash = h;
    }
    (out, head)
}

/// The hashed bytes of each line of `changes` without their number and
/// previous hash, for a store that chains them where the head is kept: the
/// line's bytes are `{"seq":` SEQ MIDDLE `"prev_hash":"` PREV `"}`, its hash
/// the SHA-256 of PREV then those bytes (as [`lines_for`] does).
pub fn middles_for(meta: &Step, changes: &[Change]) -> Option<Vec<String>> {
    changes
        .iter()
        .map(|c| {
            let b = body(0, "", meta, c);
            Some(
                b.strip_prefix("{\"seq\":0")?
                    .strip_suffix("\"prev_hash\":\"\"}")?
                    .to_string(),
            )
        })
        .collect()
}

/// The bytes a line's hash covers: the line without its final `"hash"` field.
fn hashed_part(line: &str) -> Option<(String, &str)> {
    let cut = line.rfind(",\"hash\":\"")?;
    let h = line[cut + 9..].strip_suffix("\"}")?;
    Some((format!("{}}}", &line[..cut]), h))
}

/// Check the whole chain of `dir`'s trail: `Ok(lines)` or the 1-based
/// number of the first broken line (0 for the trail as a whole) and why.
pub fn verify(dir: &Path) -> Result<std::result::Result<usize, (usize, String)>> {
    let bytes = read_optional(&dir.join(AUDIT_FILE))?;
    let anchor: Option<Head> =
        read_optional(&dir.join(HEAD_FILE))?.and_then(|b| serde_json::from_slice(&b).ok());
    let text = bytes.map(|b| String::from_utf8_lossy(&b).into_owned());
    Ok(verify_trail(text.as_deref(), anchor))
}

/// Check a trail's text against its anchor (wherever they are kept):
/// `Ok(lines)` or the 1-based number of the first broken line and why.
pub fn verify_trail(
    text: Option<&str>,
    anchor: Option<Head>,
) -> std::result::Result<usize, (usize, String)> {
    let Some(text) = text else {
        return match anchor {
            Some(h) if h.seq > 0 => Err((
                0,
                format!(
                    "{AUDIT_FILE} is missing but {HEAD_FILE} records {} lines",
                    h.seq
                ),
            )),
            _ => Err((0, format!("no audit trail ({AUDIT_FILE} does not exist)"))),
        };
    };
    let mut head = Head::genesis();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if let Err(why) = check_line(line, &mut head) {
            return Err((n, why));
        }
    }
    match anchor {
        Some(a) if a != head => Err((
            text.lines().count(),
            format!(
                "the trail ends at line {} but {HEAD_FILE} records line {} (lines were cut off or added)",
                head.seq, a.seq
            ),
        )),
        _ => Ok(head.seq as usize),
    }
}

/// Check one line against the chain so far and move the chain on.
fn check_line(line: &str, head: &mut Head) -> std::result::Result<(), String> {
    let v: Value = serde_json::from_str(line).map_err(|_| "not JSON".to_string())?;
    no_duplicate_keys(line).map_err(|e| format!("not a valid record: {e}"))?;
    if v["seq"].as_u64() != Some(head.seq + 1) {
        return Err(format!(
            "sequence {} follows {} (a line is missing or repeated)",
            v["seq"], head.seq
        ));
    }
    if v["prev_hash"].as_str() != Some(head.hash.as_str()) {
        return Err("prev_hash does not match the line before".into());
    }
    let (body, stored) = hashed_part(line).ok_or("no hash at the end of the line")?;
    let h = hash(&head.hash, body.as_bytes());
    if stored != h {
        return Err("content does not match its hash (edited)".into());
    }
    head.seq += 1;
    head.hash = h;
    Ok(())
}

/// Refuse JSON text in which an object repeats a key.
fn no_duplicate_keys(text: &str) -> std::result::Result<(), serde_json::Error> {
    struct Strict;
    impl<'de> Visitor<'de> for Strict {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
            let mut seen = HashSet::new();
            while let Some(k) = map.next_key::<String>()? {
                if !seen.insert(k.clone()) {
                    return Err(de::Error::custom(format!("duplicate key \"{k}\"")));
                }
                map.next_value::<StrictValue>()?;
            }
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
            while seq.next_element::<StrictValue>()?.is_some() {}
            Ok(())
        }
        fn visit_bool<E>(self, _: bool) -> std::result::Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> std::result::Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> std::result::Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> std::result::Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> std::result::Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> std::result::Result<(), E> {
            Ok(())
        }
    }
    struct StrictValue;
    impl<'de> Deserialize<'de> for StrictValue {
        fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            d.deserialize_any(Strict).map(|()| StrictValue)
        }
    }
    serde_json::from_str::<StrictValue>(text).map(|_| ())
}

/// Every line of a trail's text, parsed (lines that do not parse are skipped).
pub fn parse_all(text: &str) -> Vec<Value> {
    text.lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn middles_rebuild_the_lines_a_chain_writes() {
        let meta = Step {
            command: "claim".into(),
            agent: Some("a \"q\" é".into()),
            trace_id: "t".into(),
            timestamp: "ts".into(),
            audit: true,
            ..Step::quiet("claim", "ts")
        };
        let changes = vec![
            Change {
                kind: "claim",
                id: "work_1".into(),
                before: None,
                after: Some(json!({"status": "active", "seq": 7, "prev_hash": "x"})),
            },
            Change {
                kind: "agent",
                id: "a".into(),
                before: Some(json!({"n": 1})),
                after: Some(json!({"n": 2})),
            },
        ];
        let head = Head {
            seq: 41,
            hash: "ab".repeat(32),
        };
        let (want, want_head) = lines_for(head.clone(), &meta, &changes);
        let (mut got, mut h) = (String::new(), head);
        for m in middles_for(&meta, &changes).unwrap() {
            h.seq += 1;
            let body = format!("{{\"seq\":{}{m}\"prev_hash\":\"{}\"}}", h.seq, h.hash);
            h.hash = hash(&h.hash, body.as_bytes());
            got.push_str(&format!(
                "{},\"hash\":\"{}\"}}\n",
                &body[..body.len() - 1],
                h.hash
            ));
        }
        assert_eq!(got, want);
        assert_eq!(h, want_head);
    }

    fn write_chain(dir: &Path, n: usize) {
        let meta = Step {
            command: "claim".into(),
            agent: Some("a".into()),
            trace_id: "t".into(),
            timestamp: "ts".into(),
            audit: true,
            ..Step::quiet("claim", "ts")
        };
        let changes: Vec<Change> = (0..n)
            .map(|i| Change {
                kind: "claim",
                id: format!("work_{i}"),
                before: None,
                after: Some(json!({"status": "active", "after": "b3"})),
            })
            .collect();
        let (lines, head) = lines_for(Head::genesis(), &meta, &changes);
        fs::write(dir.join(AUDIT_FILE), lines).unwrap();
        fs::write(dir.join(HEAD_FILE), &head.op().bytes).unwrap();
    }

    #[test]
    fn chain_verifies_and_edits_cuts_and_duplicates_break_it() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert!(verify(d).unwrap().is_err(), "a missing trail fails");
        write_chain(d, 3);
        assert_eq!(verify(d).unwrap(), Ok(3));
        assert_eq!(Head::read(d).unwrap().seq, 3);
        let good = fs::read_to_string(d.join(AUDIT_FILE)).unwrap();

        let edited = good.replacen("work_1", "work_9", 1);
        fs::write(d.join(AUDIT_FILE), edited).unwrap();
        assert_eq!(verify(d).unwrap().unwrap_err().0, 2);

        // Same meaning, other bytes: an escape or a repeated key.
        let escaped = good.replacen("\"b3\"", "\"\\u00623\"", 1);
        fs::write(d.join(AUDIT_FILE), escaped).unwrap();
        assert_eq!(verify(d).unwrap().unwrap_err().0, 1);
        let dup = good.replacen(
            "\"after\":\"b3\"",
            "\"after\":\"FORGED\",\"after\":\"b3\"",
            1,
        );
        fs::write(d.join(AUDIT_FILE), dup).unwrap();
        assert!(verify(d).unwrap().unwrap_err().1.contains("duplicate"));

        // The last line cut off, or the whole trail deleted.
        let cut: String = good.lines().take(2).map(|l| format!("{l}\n")).collect();
        fs::write(d.join(AUDIT_FILE), cut).unwrap();
        assert!(verify(d).unwrap().unwrap_err().1.contains("cut off"));
        fs::remove_file(d.join(AUDIT_FILE)).unwrap();
        assert!(verify(d).unwrap().unwrap_err().1.contains("missing"));

        let ch = field_changes(
            Some(&json!({"a": 1, "b": 2})),
            Some(&json!({"a": 1, "b": 3, "c": 4})),
        );
        assert_eq!(ch.keys().collect::<Vec<_>>(), ["b", "c"]);
    }
}
