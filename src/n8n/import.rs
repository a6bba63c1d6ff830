//! What `nexus n8n import` makes of a workflow file: the body n8n's
//! create-workflow endpoint takes, the tags to attach after, what cannot be
//! carried over, and the webhook paths that could clash with an active
//! workflow's (n8n runs one active workflow per webhook path and method).

use serde_json::{Map, Value, json};

/// Keys n8n's create-workflow endpoint accepts.
const CREATE_KEYS: [&str; 5] = ["name", "nodes", "connections", "settings", "staticData"];

/// Keys a person wrote that the endpoint does not take: named when dropped.
const NOT_CARRIED: [&str; 2] = ["description", "pinData"];

/// A workflow file split for import.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The create-workflow body.
    pub body: Value,
    /// Tag names to attach once the workflow exists.
    pub tags: Vec<String>,
    /// Fields with content that n8n's API cannot take.
    pub dropped: Vec<String>,
}

/// Whether a value holds something (not null, `""`, `{}` or `[]`).
fn has_content(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => true,
    }
}

/// Split an exported (or hand-written) workflow for import.
pub fn plan(workflow: &Map<String, Value>) -> Plan {
    let mut body: Map<String, Value> = workflow
        .iter()
        .filter(|(k, _)| CREATE_KEYS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    body.entry("settings").or_insert_with(|| json!({}));
    // Exported tags are objects ({id, name, ...}); hand-written ones may be names.
    let tags = workflow
        .get("tags")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .filter_map(|t| t.get("name").unwrap_or(t).as_str())
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let dropped = NOT_CARRIED
        .iter()
        .filter(|k| workflow.get(**k).is_some_and(has_content))
        .map(|k| k.to_string())
        .collect();
    Plan {
        body: Value::Object(body),
        tags,
        dropped,
    }
}

/// The (method, path) of each enabled Webhook node of a workflow.
pub fn webhook_paths(workflow: &Value) -> Vec<(String, String)> {
    let Some(nodes) = workflow.get("nodes").and_then(Value::as_array) else {
        return Vec::new();
    };
    nodes
        .iter()
        .filter(|n| n.get("type").and_then(Value::as_str) == Some("n8n-nodes-base.webhook"))
        .filter(|n| n.get("disabled").and_then(Value::as_bool) != Some(true))
        .filter_map(|n| {
            let p = n.get("parameters")?;
            let path = p.get("path")?.as_str()?.trim_matches('/').to_string();
            let method = p
                .get("httpMethod")
                .and_then(Value::as_str)
                .unwrap_or("GET")
                .to_uppercase();
            Some((method, path))
        })
        .collect()
}

/// For each webhook of `new` that an active workflow already serves: the
/// method, path, and that workflow's id and name.
pub fn clashes(new: &Value, active: &[Value]) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for (method, path) in webhook_paths(new) {
        for w in active {
            if webhook_paths(w).contains(&(method.clone(), path.clone())) {
                let id = match w.get("id") {
                    Some(Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                    None => "?".into(),
                };
                let name = w.get("name").and_then(Value::as_str).unwrap_or("");
                out.push((method.clone(), path.clone(), id, name.to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(path: &str, method: Option<&str>) -> Value {
        let mut p = json!({"path": path});
        if let Some(m) = method {
            p["httpMethod"] = json!(m);
        }
        json!({"name": "w", "type": "n8n-nodes-base.webhook", "parameters": p})
    }

    #[test]
    fn plan_keeps_the_create_keys_and_tags_and_names_what_it_drops() {
        let w = json!({"id": "9", "name": "n", "active": true, "nodes": [], "connections": {},
                       "tags": [{"id": "t1", "name": "ops"}, "nexus"], "description": "d",
                       "pinData": {}, "versionId": "v"});
        let p = plan(w.as_object().unwrap());
        assert_eq!(
            p.body,
            json!({"name": "n", "nodes": [], "connections": {}, "settings": {}})
        );
        assert_eq!(p.tags, ["ops", "nexus"]);
        assert_eq!(p.dropped, ["description"]);
    }

    #[test]
    fn clashes_match_method_and_path_of_enabled_webhooks() {
        let new = json!({"nodes": [hook("/nexus-events", Some("POST")), hook("other", None)]});
        let mut off = hook("other", None);
        off["disabled"] = json!(true);
        let active = [
            json!({"id": "7", "name": "seven", "nodes": [hook("nexus-events", Some("POST"))]}),
            json!({"id": 8, "name": "eight", "nodes": [hook("nexus-events", Some("GET")), off]}),
        ];
        assert_eq!(
            clashes(&new, &active),
            [(
                "POST".to_string(),
                "nexus-events".to_string(),
                "7".to_string(),
                "seven".to_string()
            )]
        );
    }
}
