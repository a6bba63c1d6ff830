//! The JSON contract of each analysis as told to the model (the legacy
//! shapes, checked by `legacy::normalize`), and the extraction of that JSON
//! from prose or code fences.

use serde_json::Value;

use super::Kind;

/// The schema of one kind, as told to the model: the legacy shape of its file.
pub fn describe(kind: Kind) -> &'static str {
    match kind {
        Kind::Priorities => {
            r#"{"analysis_timestamp": "<UTC time>", "system_health": "healthy|degraded|critical",
 "priorities": {"critical": ["<work_item_id>"], "high": ["<work_item_id>"], "medium": [], "low": []},
 "recommendations": {"immediate": ["..."], "short_term": ["..."], "long_term": ["..."]},
 "team_formation": {"suggested_teams": [{"team_name": "...", "focus": "...", "members_needed": <n>}]},
 "bottlenecks": [{"type": "coordination|resource|dependency", "description": "...", "severity": "low|medium|high"}],
 "confidence_score": <0.0-1.0>}"#
        }
        Kind::Assignments => {
            r#"{"analysis_timestamp": "<UTC time>", "optimization_type": "assignment_optimization",
 "current_efficiency": <0.0-1.0>, "optimized_efficiency": <0.0-1.0>, "efficiency_gain": <0.0-1.0>,
 "assignment_changes": [{"work_item": "<work_item_id>", "from_agent": "<agent_id>", "to_agent": "<agent_id>", "confidence": <0.0-1.0>, "reasoning": "..."}],
 "unassigned": ["<work_item_id>"], "confidence_score": <0.0-1.0>}"#
        }
        Kind::Health => {
            r#"{"analysis_timestamp": "<UTC time>", "health_score": <0.0-1.0>,
 "component_health": {"agent_performance": <0.0-1.0>, "work_distribution": <0.0-1.0>, "coordination": <0.0-1.0>, "resource_utilization": <0.0-1.0>},
 "alerts": [{"severity": "info|warning|critical", "message": "..."}],
 "recommendations": [{"priority": "high|medium|low", "action": "...", "description": "..."}], "confidence_score": <0.0-1.0>}"#
        }
        Kind::Team => {
            r#"{"analysis_timestamp": "<UTC time>", "teams": [{"team": "...", "agents": <n>, "active_items": <n>, "status": "ok|overloaded|idle|unstaffed"}],
 "team_formation": {"suggested_teams": [{"team_name": "...", "focus": "...", "members_needed": <n>}]},
 "recommendations": ["..."], "confidence_score": <0.0-1.0>}"#
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
}
