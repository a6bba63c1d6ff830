//! `GET /api/v1/openapi.json`: the API described as OpenAPI 3.1, made from
//! the route list and from the commands' own argument types (their JSON
//! schemas are JSON Schema 2020-12, which OpenAPI 3.1 takes as they are).

use serde_json::{Map, Value, json};

use super::api::{Method, Route};

/// The document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for r in super::api::routes() {
        let method = match r.method {
            Method::Get => "get",
            Method::Post => "post",
            Method::Delete => "delete",
        };
        let item = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        item[method] = operation(r);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "nexus",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Work coordination for fleets of AI agents: the same commands, \
                            arguments and JSON objects as `nexus --json <command>`."
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": {
                "type": "object",
                "required": ["ok", "error", "kind"],
                "properties": {
                    "ok": {"const": false},
                    "error": {"type": "string", "description": "the CLI's message"},
                    "kind": {"type": "string", "description": "e.g. invalid_input, not_found, lease_lost"}
                }
            }}
        },
        "security": [{"bearer": []}],
        "paths": paths,
    })
}

fn operation(r: &Route) -> Value {
    let entry = crate::commands::find(r.command);
    let mut op = json!({
        "operationId": r.command,
        "summary": r.summary,
        "responses": responses(r),
    });
    let mut params: Vec<Value> = r
        .params
        .iter()
        .map(|(name, _)| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    let schema = entry.map(|e| {
        let mut s = match (e.schema)().to_value() {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        s.shift_remove("$schema");
        s.shift_remove("title");
        if let Some(Value::Object(props)) = s.get_mut("properties") {
            for (_, field) in r.params {
                props.shift_remove(*field);
            }
        }
        if let Some(Value::Array(req)) = s.get_mut("required") {
            req.retain(|f| !r.params.iter().any(|(_, p)| f == p));
        }
        s
    });
    match (r.method, schema) {
        (Method::Get, Some(s)) => {
            if let Some(Value::Object(props)) = s.get("properties") {
                for (name, schema) in props {
                    params.push(json!({"name": name, "in": "query", "schema": schema}));
                }
            }
        }
        (Method::Get, None) if r.command == "list" => {
            for name in [
                "status", "team", "agent", "priority", "q", "page", "per_page",
            ] {
                params.push(json!({"name": name, "in": "query", "schema": {"type": "string"}}));
            }
        }
        (Method::Post, Some(mut s)) => {
            if entry.is_some_and(|e| e.mutates)
                && let Some(Value::Object(props)) = s.get_mut("properties")
            {
                props.insert(
                    "agent_id".into(),
                    json!({"type": "string", "description": "Acting agent (or the X-Agent-Id header)"}),
                );
                props.insert(
                    "request_id".into(),
                    json!({"type": "string", "description": "A retry with this id returns the first result (or the Idempotency-Key header)"}),
                );
                props.insert(
                    "lease_generation".into(),
                    json!({"type": "integer", "description": "The lease generation next gave you"}),
                );
            }
            op["requestBody"] =
                json!({"required": false, "content": {"application/json": {"schema": s}}});
        }
        _ => {}
    }
    if !params.is_empty() {
        op["parameters"] = Value::Array(params);
    }
    op
}

fn responses(r: &Route) -> Value {
    let ok = if r.created { "201" } else { "200" };
    let err = json!({"description": "the CLI's error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let mut m = Map::new();
    m.insert(
        ok.into(),
        json!({"description": "the JSON object of `nexus --json`", "content": {"application/json": {"schema": {"type": "object"}}}}),
    );
    for code in ["400", "401", "403", "404", "409", "503"] {
        m.insert(code.into(), err.clone());
    }
    Value::Object(m)
}
