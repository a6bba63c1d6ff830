//! Real data written by the legacy script: nexus keeps every record and field.

use serde_json::Value;

use crate::common::{Env, first_work_id};

fn by_id(records: &Value, id: &str) -> Value {
    records
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["work_item_id"] == id)
        .cloned()
        .unwrap()
}

#[test]
fn round_trip_keeps_every_legacy_record_and_field() {
    let env = Env::with_fixtures();
    let claims_before = env.json("work_claims.json");
    let agents_before = env.json("agent_status.json");
    let log_before = env.json("coordination_log.json");
    let velocity_before = env.read("velocity_log.txt");
    let spans_before = env.read("telemetry_spans.jsonl");

    let id = env.claim(&["legacy_check", "round trip", "high", "8020_team"]);
    let existing = "work_1750056733370274000";
    env.ok(&["progress", existing, "40"]);
    env.ok(&["complete", existing, "done", "3"]);
    env.ok(&["progress", &id, "20"]);

    let claims = env.json("work_claims.json");
    let before = claims_before.as_array().unwrap();
    let after = claims.as_array().unwrap();
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after.last().unwrap()["work_item_id"], id.as_str());
    for (old, new) in before.iter().zip(after) {
        if old["work_item_id"] == existing {
            // Every old field keeps its place; the changed ones have new values.
            let old_keys: Vec<_> = old.as_object().unwrap().keys().collect();
            let new_keys: Vec<_> = new
                .as_object()
                .unwrap()
                .keys()
                .take(old_keys.len())
                .collect();
            assert_eq!(old_keys, new_keys);
            assert_eq!(new["status"], "completed");
            assert_eq!(new["progress"], 40);
            assert_eq!(new["result"], "done");
            for k in ["agent_id", "claimed_at", "description", "team", "work_type"] {
                assert_eq!(old[k], new[k], "{k}");
            }
            assert_eq!(old["telemetry"]["trace_id"], new["telemetry"]["trace_id"]);
        } else {
            assert_eq!(old.to_string(), new.to_string(), "record changed");
        }
    }
    // Unknown records with null fields and extra keys survive as they were.
    let pending = by_id(&claims, "work_autonomous_test_1750057200000000000");
    assert_eq!(pending["agent_id"], Value::Null);

    let agents = env.json("agent_status.json");
    for old in agents_before.as_array().unwrap() {
        assert!(
            agents.as_array().unwrap().contains(old),
            "agent lost: {old}"
        );
    }
    let log = env.json("coordination_log.json");
    assert_eq!(
        log.as_array().unwrap()[..log_before.as_array().unwrap().len()],
        log_before.as_array().unwrap()[..]
    );
    assert_eq!(
        log.as_array().unwrap().last().unwrap()["work_item_id"],
        existing
    );
    assert!(env.read("velocity_log.txt").starts_with(&velocity_before));

    let spans = env.read("telemetry_spans.jsonl");
    assert!(
        spans.starts_with(&spans_before),
        "legacy spans must stay untouched"
    );
    let new_lines: Vec<&str> = spans[spans_before.len()..].lines().collect();
    assert_eq!(new_lines.len(), 4);
    for line in new_lines {
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(v["operation_name"].as_str().unwrap().starts_with("s2s."));
    }
}

#[test]
fn files_stay_readable_by_jq_style_parsers() {
    let env = Env::with_fixtures();
    let out = env.ok(&["claim", "x", "y"]);
    let id = first_work_id(&out);
    let text = env.read("work_claims.json");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        v.as_array().unwrap().last().unwrap()["work_item_id"],
        id.as_str()
    );
    // A new record may be followed by spaces (room to grow in place).
    assert!(text.trim_end_matches(['\n', ']']).trim_end().ends_with('}'));
    assert!(text.ends_with("\n]\n"));
}

#[test]
fn file_edited_by_another_tool_is_reparsed_before_appending() {
    let env = Env::with_fixtures();
    env.claim(&["a", "b"]);
    // Another tool rewrites the file (as jq would): nexus must notice.
    let mut claims = env.json("work_claims.json");
    claims
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"work_item_id": "work_99999999999999999999", "x": 1}));
    std::fs::write(
        env.path("work_claims.json"),
        serde_json::to_string(&claims).unwrap(),
    )
    .unwrap();
    let id = env.claim(&["c", "d"]);
    assert_eq!(id, "work_100000000000000000000");
    let after = env.json("work_claims.json");
    let arr = after.as_array().unwrap();
    assert_eq!(arr[arr.len() - 2]["x"], 1);
    assert_eq!(arr[arr.len() - 1]["work_item_id"], id.as_str());
    // Updates on the mixed-layout file find the right records.
    env.ok(&["progress", "work_1750056733370274000", "33"]);
    env.ok(&["progress", &id, "44"]);
    env.ok(&["complete", "work_99999999999999999999"]);
    let after = env.json("work_claims.json");
    let find = |id: &str| {
        after
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["work_item_id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(find("work_1750056733370274000")["progress"], 33);
    assert_eq!(find(&id)["progress"], 44);
    assert_eq!(find("work_99999999999999999999")["status"], "completed");
    assert_eq!(find("work_99999999999999999999")["x"], 1);
    assert_eq!(after.as_array().unwrap().len(), arr.len());
}
