//! The JSON contract of each analysis, checked on every answer a model gives,
//! and the extraction of that JSON from prose or code fences.

use serde_json::Value;

use super::Kind;

/// The schema of one kind, as told to the model.
pub fn describe(kind: Kind) -> &'static str {
    match kind {
        Kind::Priorities => {
            r#"{"analysis_timestamp": "<UTC time>", "system_health": {"score": <0-100>, "status": "healthy|degraded|critical"},
 "priorities": {"critical": [{"work_item_id": "...", "reason": "..."}], "high": [...], "medium": [...], "low": [...]},
 "recommendations": {"immediate": ["..."], "short_term": ["..."], "long_term": ["..."]},
 "team_formation": [{"team": "...", "agents": <n>, "active_items": <n>, "suggestion": "..."}],
 "bottlenecks": [{"kind": "...", "description": "..."}], "confidence_score": <0.0-1.0>}"#
        }
        Kind::Assignments => {
            r#"{"analysis_timestamp": "<UTC time>", "assignments": [{"work_item_id": "...", "agent_id": "...", "team": "...", "reason": "..."}],
 "unassigned": ["<work_item_id>"], "confidence_score": <0.0-1.0>}"#
        }
        Kind::Health => {
            r#"{"analysis_timestamp": "<UTC time>", "health_score": <0-100>, "status": "healthy|degraded|critical",
 "metrics": {"active_items": <n>, "stale_items": <n>, "offline_agents": <n>, "overloaded_teams": <n>, "throughput_per_day": <n>, "median_lead_time_hours": <n>},
 "alerts": [{"severity": "info|warning|critical", "message": "..."}], "recommendations": ["..."], "confidence_score": <0.0-1.0>}"#
        }
        Kind::Team => {
            r#"{"analysis_timestamp": "<UTC time>", "teams": [{"team": "...", "agents": <n>, "capacity": <n>, "active_items": <n>, "completed_items": <n>, "velocity": <n>, "load": <n>, "status": "ok|overloaded|idle|unstaffed"}],
 "recommendations": ["..."], "confidence_score": <0.0-1.0>}"#
        }
    }
}

type Check = Result<(), String>;

fn field<'a>(v: &'a Value, path: &str, key: &str) -> Result<&'a Value, String> {
    v.get(key)
        .ok_or_else(|| format!("missing field {path}{key}"))
}

fn array<'a>(v: &'a Value, path: &str, key: &str) -> Result<&'a Vec<Value>, String> {
    field(v, path, key)?
        .as_array()
        .ok_or_else(|| format!("{path}{key} must be an array"))
}

fn number_in(v: &Value, path: &str, key: &str, lo: f64, hi: f64) -> Check {
    let n = field(v, path, key)?
        .as_f64()
        .ok_or_else(|| format!("{path}{key} must be a number"))?;
    if !(lo..=hi).contains(&n) {
        return Err(format!("{path}{key} must be from {lo} to {hi}, not {n}"));
    }
    Ok(())
}

fn string(v: &Value, path: &str, key: &str) -> Check {
    field(v, path, key)?
        .as_str()
        .map(|_| ())
        .ok_or_else(|| format!("{path}{key} must be a string"))
}

fn objects_with(items: &[Value], path: &str, keys: &[&str]) -> Check {
    for (i, item) in items.iter().enumerate() {
        for k in keys {
            string(item, &format!("{path}[{i}]."), k)?;
        }
    }
    Ok(())
}

fn strings(items: &[Value], path: &str) -> Check {
    match items.iter().position(|s| !s.is_string()) {
        Some(i) => Err(format!("{path}[{i}] must be a string")),
        None => Ok(()),
    }
}

/// Check an answer against the schema of `kind`; the error names the field.
pub fn validate(kind: Kind, v: &Value) -> Check {
    if !v.is_object() {
        return Err("the answer must be a JSON object".into());
    }
    string(v, "", "analysis_timestamp")?;
    number_in(v, "", "confidence_score", 0.0, 1.0)?;
    match kind {
        Kind::Priorities => {
            let health = field(v, "", "system_health")?;
            number_in(health, "system_health.", "score", 0.0, 100.0)?;
            string(health, "system_health.", "status")?;
            let p = field(v, "", "priorities")?;
            for level in ["critical", "high", "medium", "low"] {
                objects_with(
                    array(p, "priorities.", level)?,
                    &format!("priorities.{level}"),
                    &["work_item_id"],
                )?;
            }
            let r = field(v, "", "recommendations")?;
            for horizon in ["immediate", "short_term", "long_term"] {
                strings(
                    array(r, "recommendations.", horizon)?,
                    &format!("recommendations.{horizon}"),
                )?;
            }
            objects_with(array(v, "", "team_formation")?, "team_formation", &["team"])?;
            objects_with(
                array(v, "", "bottlenecks")?,
                "bottlenecks",
                &["description"],
            )
        }
        Kind::Assignments => {
            objects_with(
                array(v, "", "assignments")?,
                "assignments",
                &["work_item_id", "agent_id"],
            )?;
            strings(array(v, "", "unassigned")?, "unassigned")
        }
        Kind::Health => {
            number_in(v, "", "health_score", 0.0, 100.0)?;
            string(v, "", "status")?;
            if !field(v, "", "metrics")?.is_object() {
                return Err("metrics must be an object".into());
            }
            objects_with(array(v, "", "alerts")?, "alerts", &["severity", "message"])?;
            strings(array(v, "", "recommendations")?, "recommendations")
        }
        Kind::Team => {
            objects_with(array(v, "", "teams")?, "teams", &["team"])?;
            strings(array(v, "", "recommendations")?, "recommendations")
        }
    }
}

/// The JSON object in a model's answer: the whole text, a fenced block, or
/// the first balanced `{...}` found in prose.
pub fn extract_json(text: &str) -> Option<Value> {
    let t = text.trim();
    if let Ok(v @ Value::Object(_)) = serde_json::from_str(t) {
        return Some(v);
    }
    let mut rest = t;
    while let Some(i) = rest.find("```") {
        let after = &rest[i + 3..];
        let body_start = after.find('\n').map_or(0, |n| n + 1);
        let Some(end) = after[body_start..].find("```") else {
            break;
        };
        if let Ok(v @ Value::Object(_)) =
            serde_json::from_str(after[body_start..body_start + end].trim())
        {
            return Some(v);
        }
        rest = &after[body_start + end + 3..];
    }
    for (start, _) in t.match_indices('{') {
        let mut stream = serde_json::Deserializer::from_str(&t[start..]).into_iter::<Value>();
        if let Some(Ok(v @ Value::Object(_))) = stream.next() {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn extracts_from_fences_and_prose() {
        assert_eq!(extract_json(r#"{"a":1}"#), Some(json!({"a": 1})));
        assert_eq!(
            extract_json("Here:\n```json\n{\"a\": 2}\n```\nthanks"),
            Some(json!({"a": 2}))
        );
        assert_eq!(
            extract_json("The result is {\"a\": {\"b\": 3}} as asked."),
            Some(json!({"a": {"b": 3}}))
        );
        assert_eq!(extract_json("no json here"), None);
    }

    #[test]
    fn validation_names_the_field() {
        let ok = json!({"analysis_timestamp": "t", "confidence_score": 0.5, "assignments": [], "unassigned": []});
        assert!(validate(Kind::Assignments, &ok).is_ok());
        let bad = json!({"analysis_timestamp": "t", "confidence_score": 2});
        assert!(
            validate(Kind::Assignments, &bad)
                .unwrap_err()
                .contains("confidence_score")
        );
        let bad = json!({"analysis_timestamp": "t", "confidence_score": 1, "assignments": [{"agent_id": "a"}], "unassigned": []});
        assert_eq!(
            validate(Kind::Assignments, &bad).unwrap_err(),
            "missing field assignments[0].work_item_id"
        );
        assert!(validate(Kind::Team, &json!([])).is_err());
    }
}
