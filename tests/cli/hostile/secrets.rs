//! Credentials stay with the origin they belong to, and out of every message,
//! log line and saved file.

use serde_json::json;

use super::{Redirector, dead_port, everything};
use crate::common::Env;
use crate::mock_http::{MockServer, Recorded};

/// A recording server reached as `localhost` (another origin than 127.0.0.1),
/// and a redirector on 127.0.0.1 that sends every request there.
fn cross_origin() -> (MockServer, Redirector) {
    let second = MockServer::start(|_r: &Recorded| (200, "{}".into()));
    let port = second.url.rsplit(':').next().unwrap().to_string();
    let redirector = Redirector::to(&format!("http://localhost:{port}"));
    (second, redirector)
}

/// The second origin got no request carrying any of `secrets`.
fn assert_clean(second: &MockServer, secrets: &[&str]) {
    for r in second.requests() {
        let seen = format!("{} {:?} {}", r.url, r.headers, r.body);
        for s in secrets {
            assert!(!seen.contains(s), "{s} reached the other origin: {seen}");
        }
        assert!(r.header("referer").is_none(), "{seen}");
    }
}

#[test]
fn ai_key_is_not_sent_to_another_origin() {
    let (second, redirector) = cross_origin();
    let env = Env::with_fixtures();
    let out = env
        .cmd()
        .args(["claude-priorities"])
        .env("NEXUS_AI_PROVIDER", "anthropic")
        .env("ANTHROPIC_API_KEY", "sk-ant-SECRET1")
        .env("ANTHROPIC_BASE_URL", &redirector.url)
        .env("NEXUS_AI_TIMEOUT_MS", "3000")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(redirector.count() >= 1, "the redirector was not asked");
    assert_clean(&second, &["sk-ant-SECRET1"]);
    assert!(second.requests().is_empty());
    let all = everything(&env, &out);
    assert!(
        all.contains("refused a redirect to another origin (http://localhost:"),
        "{all}"
    );
}

#[test]
fn n8n_key_is_not_sent_to_another_origin() {
    let (second, redirector) = cross_origin();
    let env = Env::new();
    let out = env
        .cmd()
        .args(["n8n", "list"])
        .env("N8N_BASE_URL", &redirector.url)
        .env("N8N_API_KEY", "n8n-SECRET2")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(redirector.count(), 1);
    assert!(second.requests().is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("refused a redirect to another origin (http://localhost:"),
        "{err}"
    );
    assert!(err.contains("limit=***"), "the Location is redacted: {err}");
}

#[test]
fn webhook_token_is_not_sent_to_another_origin_nor_as_referer() {
    let (second, redirector) = cross_origin();
    let env = Env::new();
    let hook = format!("{}/hook?token=SECRET3", redirector.url);
    let out = env
        .cmd()
        .args(["claim", "bug", "hooked"])
        .env("N8N_WEBHOOK_URL", &hook)
        .output()
        .unwrap();
    assert!(out.status.success());
    // Two events: the claim, and the registration of the agent it enrolled.
    assert_eq!(redirector.count(), 2);
    assert_clean(&second, &["SECRET3"]);
    assert!(second.requests().is_empty());
    assert!(!everything(&env, &out).contains("SECRET3"));
}

#[test]
fn otlp_headers_are_not_sent_to_another_origin() {
    let (second, redirector) = cross_origin();
    let env = Env::new();
    let out = env
        .cmd()
        .args(["claim", "bug", "traced"])
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", &redirector.url)
        .env("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer SECRET4")
        .env("NEXUS_OTLP_TIMEOUT_MS", "3000")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(redirector.count() >= 1, "the redirector was not asked");
    let first = &redirector.requests.lock().unwrap()[0];
    assert_eq!(first.header("authorization"), Some("Bearer SECRET4"));
    assert_clean(&second, &["SECRET4"]);
    assert!(second.requests().is_empty());
}

#[test]
fn credentials_in_urls_are_never_printed_nor_saved() {
    let dead = dead_port();
    let failing = MockServer::start(|_r: &Recorded| (500, json!({"error": "down"}).to_string()));
    let failing_port = failing.url.rsplit(':').next().unwrap().to_string();
    let secrets = ["PWA1", "PWA2", "PWN1", "PWO1", "TOKW1"];
    let vars = |base: &str| {
        vec![
            ("ANTHROPIC_API_KEY", "k".to_string()),
            ("NEXUS_AI_PROVIDER", "anthropic".to_string()),
            ("ANTHROPIC_BASE_URL", base.to_string()),
            ("N8N_BASE_URL", format!("http://u:PWN1@127.0.0.1:{dead}")),
            (
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                format!("http://u:PWO1@127.0.0.1:{dead}"),
            ),
            (
                "N8N_WEBHOOK_URL",
                format!("http://127.0.0.1:{dead}/hook?token=TOKW1"),
            ),
            ("NEXUS_LOG", "debug".to_string()),
        ]
    };
    let bases = [
        format!("http://u:PWA1@127.0.0.1:{dead}"),
        format!("http://u:PWA2@127.0.0.1:{failing_port}"),
    ];
    let env = Env::with_fixtures();
    for base in &bases {
        for args in [
            &["claude-priorities"][..],
            &["claude-health"],
            &["claim", "bug", "secretive"],
            &["n8n", "list"],
            &["doctor"],
            &["--json", "n8n", "list"],
        ] {
            let mut c = env.cmd();
            c.args(args);
            for (k, v) in vars(base) {
                c.env(k, v);
            }
            let out = c.output().unwrap();
            let all = everything(&env, &out);
            for s in secrets {
                assert!(!all.contains(s), "{s} leaked by {args:?}: {all}");
            }
        }
    }
    // The runs did reach the places that used to leak.
    let saved = std::fs::read_dir(env.dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("claude_"))
        .count();
    assert!(saved > 0);
    assert!(!failing.requests().is_empty());
}

#[test]
fn a_store_setting_never_prints_its_password() {
    let port = super::dead_port();
    let settings = [
        format!("host=127.0.0.1 port={port} user=u password=PGSECRET1 dbname=d"),
        format!("postgres:/u:PGSECRET2@127.0.0.1:{port}/d"),
        format!("postgres//u:PGSECRET3@127.0.0.1:{port}/d"),
        "postgres://u:PGSECRET4@/d".to_string(),
        format!("postgres://u:PG/SECRET5@127.0.0.1:{port}/d"),
    ];
    for setting in &settings {
        for args in [&["doctor"][..], &["list"], &["--json", "claim", "x", "y"]] {
            let env = Env::new();
            let out = env
                .cmd()
                .args(args)
                .env("NEXUS_STORE", setting)
                .env("NEXUS_PG_CONNECT_TIMEOUT_MS", "300")
                .env("NEXUS_LOG", "trace")
                .output()
                .unwrap();
            let all = everything(&env, &out);
            assert!(!all.contains("SECRET"), "{setting} {args:?}: {all}");
        }
    }
}

#[test]
fn otlp_endpoint_userinfo_is_never_logged() {
    let env = Env::new();
    let endpoint = format!("http://user:OTLPSECRET@127.0.0.1:{}/", super::dead_port());
    let out = env
        .cmd()
        .args(["claim", "x", "y"])
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", &endpoint)
        .env("NEXUS_OTLP_TIMEOUT_MS", "300")
        .env("NEXUS_LOG", "trace")
        .output()
        .unwrap();
    crate::common::succeeded(&out);
    assert!(!everything(&env, &out).contains("OTLPSECRET"));
}
