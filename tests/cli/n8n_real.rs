//! `nexus n8n`, doctor and the events against a real n8n, when
//! scripts/n8n-real.sh started one and set NEXUS_N8N_REAL_URL and
//! NEXUS_N8N_REAL_KEY; without them these tests return at once.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{Env, succeeded};

/// The real n8n's base URL and API key, if one runs.
fn real() -> Option<(String, String)> {
    let url = std::env::var("NEXUS_N8N_REAL_URL").ok()?;
    let key = std::env::var("NEXUS_N8N_REAL_KEY").ok()?;
    Some((url, key))
}

/// One call to n8n's API, outside nexus (for what nexus does not do).
fn api(base: &str, key: &str, method: reqwest::Method, path: &str) -> Value {
    let resp = nexus::http::client(Duration::from_secs(10))
        .request(method, format!("{base}/api/v1{path}"))
        .header("X-N8N-API-KEY", key)
        .send()
        .unwrap();
    resp.json().unwrap_or(Value::Null)
}

fn nexus(env: &Env, base: &str, key: &str, args: &[&str]) -> std::process::Output {
    env.cmd()
        .args(args)
        .env("N8N_BASE_URL", base)
        .env("N8N_API_KEY", key)
        .env("N8N_WEBHOOK_URL", format!("{base}/webhook/nexus-events"))
        .env("AGENT_ID", "agent_real")
        .output()
        .unwrap()
}

fn import(env: &Env, base: &str, key: &str, name: &str) -> (String, String) {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/n8n")
        .join(format!("{name}.json"));
    let out = succeeded(&nexus(
        env,
        base,
        key,
        &["--json", "n8n", "import", file.to_str().unwrap()],
    ));
    let v: Value = serde_json::from_str(&out).unwrap();
    (v["id"].as_str().unwrap().to_string(), out)
}

#[test]
fn a_real_n8n_runs_the_examples_and_never_sees_the_api_key() {
    let Some((base, key)) = real() else { return };
    // What an earlier, interrupted run left would hold the webhook path.
    let left = api(&base, &key, reqwest::Method::GET, "/workflows?limit=250");
    for w in left["data"].as_array().into_iter().flatten() {
        if w["name"].as_str().is_some_and(|n| n.starts_with("nexus: ")) {
            let id = w["id"].as_str().unwrap();
            api(
                &base,
                &key,
                reqwest::Method::POST,
                &format!("/workflows/{id}/deactivate"),
            );
            api(
                &base,
                &key,
                reqwest::Method::DELETE,
                &format!("/workflows/{id}"),
            );
        }
    }
    let env = Env::new();
    let (route, _) = import(&env, &base, &key, "route-claims-by-priority");
    let mut made = vec![route.clone()];
    succeeded(&nexus(&env, &base, &key, &["n8n", "activate", &route]));
    // A copy of an active webhook workflow is imported with a warning.
    let (copy, out) = import(&env, &base, &key, "route-claims-by-priority");
    made.push(copy);
    assert!(
        out.contains(&format!("already served by active workflow {route}")),
        "{out}"
    );
    // The scheduled examples use only nodes n8n enables by default.
    for name in ["alert-on-stale-items", "daily-velocity-digest"] {
        let (id, _) = import(&env, &base, &key, name);
        made.push(id.clone());
        let out = nexus(&env, &base, &key, &["n8n", "activate", &id]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("Unrecognized node type"), "{name}: {err}");
    }
    // Tags come along through n8n's tags API; a description is named as dropped.
    let file = env.tmp.path().join("tagged.json");
    std::fs::write(
        &file,
        serde_json::json!({"name": "nexus: tagged", "nodes": [], "connections": {},
                           "tags": [{"name": "nexus-real"}], "description": "d"})
        .to_string(),
    )
    .unwrap();
    let out = succeeded(&nexus(
        &env,
        &base,
        &key,
        &["n8n", "import", file.to_str().unwrap()],
    ));
    assert!(
        out.contains("  tags: nexus-real\n") && out.contains("not imported: description"),
        "{out}"
    );
    let id = out.split_whitespace().nth(3).unwrap().to_string();
    let w = api(
        &base,
        &key,
        reqwest::Method::GET,
        &format!("/workflows/{id}"),
    );
    assert_eq!(w["tags"][0]["name"], "nexus-real", "{w}");
    made.push(id);
    // doctor: the key is accepted and the event webhook registered.
    let out = String::from_utf8(nexus(&env, &base, &key, &["doctor"]).stdout).unwrap();
    assert!(out.contains("API key accepted"), "{out}");
    assert!(out.contains("nexus-events registered"), "{out}");

    // A claim enrolling a new agent posts two events; trigger one more.
    succeeded(&nexus(
        &env,
        &base,
        &key,
        &["claim", "bug", "real n8n", "critical", "ops"],
    ));
    succeeded(&nexus(
        &env,
        &base,
        &key,
        &[
            "n8n",
            "trigger",
            "nexus-events",
            "--data",
            r#"{"event":"ping"}"#,
        ],
    ));
    let start = Instant::now();
    let runs = loop {
        let out = succeeded(&nexus(
            &env,
            &base,
            &key,
            &["--json", "n8n", "executions", "--workflow", &route],
        ));
        let v: Value = serde_json::from_str(&out).unwrap();
        let runs = v["executions"].as_array().unwrap().clone();
        if runs.len() >= 3 || start.elapsed() > Duration::from_secs(20) {
            break runs;
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    assert_eq!(runs.len(), 3, "{runs:?}");
    for r in &runs {
        let id = r["id"].as_str().map_or(r["id"].to_string(), str::to_string);
        let data = api(
            &base,
            &key,
            reqwest::Method::GET,
            &format!("/executions/{id}?includeData=true"),
        )
        .to_string();
        assert!(!data.contains(&key), "execution {id} holds the API key");
        assert!(!data.contains("access to env vars denied"), "{data}");
    }
    for id in made {
        api(
            &base,
            &key,
            reqwest::Method::POST,
            &format!("/workflows/{id}/deactivate"),
        );
        api(
            &base,
            &key,
            reqwest::Method::DELETE,
            &format!("/workflows/{id}"),
        );
    }
}
