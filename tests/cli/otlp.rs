//! OTLP export against a real receiver on 127.0.0.1 that decodes the protobuf
//! ExportTraceServiceRequest, plus dead and silent collectors.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{KeyValue, any_value};
use opentelemetry_proto::tonic::trace::v1::Span as ProtoSpan;
use prost::Message;
use serde_json::Value;

use crate::common::Env;

/// What the receiver got: (path, headers, decoded request).
type Received = Arc<Mutex<Vec<(String, Vec<(String, String)>, ExportTraceServiceRequest)>>>;

struct Receiver {
    url: String,
    got: Received,
}

fn receiver() -> Receiver {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}", server.server_addr().to_ip().unwrap());
    let got: Received = Arc::default();
    let sink = got.clone();
    std::thread::spawn(move || {
        for mut req in server.incoming_requests() {
            let mut body = Vec::new();
            req.as_reader().read_to_end(&mut body).unwrap();
            let headers = req
                .headers()
                .iter()
                .map(|h| (h.field.to_string().to_lowercase(), h.value.to_string()))
                .collect();
            let decoded =
                ExportTraceServiceRequest::decode(body.as_slice()).expect("protobuf body");
            sink.lock()
                .unwrap()
                .push((req.url().to_string(), headers, decoded));
            let ok = tiny_http::Response::from_data(Vec::new()).with_header(
                "Content-Type: application/x-protobuf"
                    .parse::<tiny_http::Header>()
                    .unwrap(),
            );
            let _ = req.respond(ok);
        }
    });
    Receiver { url, got }
}

fn spans(got: &Received) -> Vec<(Vec<KeyValue>, ProtoSpan)> {
    let mut out = Vec::new();
    for (_, _, req) in got.lock().unwrap().iter() {
        for rs in &req.resource_spans {
            let resource = rs.resource.clone().unwrap_or_default().attributes;
            for ss in &rs.scope_spans {
                for s in &ss.spans {
                    out.push((resource.clone(), s.clone()));
                }
            }
        }
    }
    out
}

fn attr<'a>(attrs: &'a [KeyValue], key: &str) -> Option<&'a any_value::Value> {
    attrs
        .iter()
        .find(|k| k.key == key)?
        .value
        .as_ref()?
        .value
        .as_ref()
}

fn string(attrs: &[KeyValue], key: &str) -> Option<String> {
    match attr(attrs, key)? {
        any_value::Value::StringValue(s) => Some(s.clone()),
        _ => None,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn claim_span_arrives_with_the_printed_ids_name_service_and_attributes() {
    let r = receiver();
    let env = Env::new();
    let out = env
        .cmd()
        .args(["--json", "claim", "bug", "traced", "high", "obs_team"])
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", &r.url)
        .env("OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=nexus-test")
        .env("OTEL_RESOURCE_ATTRIBUTES", "team.owner=ops")
        .env("DEPLOYMENT_ENV", "staging")
        .env(
            "TRACEPARENT",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        )
        .env("AGENT_ID", "agent_otlp")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
    let got = spans(&r.got);
    assert_eq!(got.len(), 1);
    let (resource, span) = &got[0];
    let (path, headers, _) = r.got.lock().unwrap()[0].clone();
    assert_eq!(path, "/v1/traces");
    assert!(
        headers.contains(&("x-tenant".into(), "nexus-test".into())),
        "{headers:?}"
    );
    assert_eq!(hex(&span.trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(hex(&span.span_id), v["span_id"].as_str().unwrap());
    assert_eq!(hex(&span.parent_span_id), "00f067aa0ba902b7");
    assert_eq!(span.name, "s2s.work.claim");
    assert!(span.end_time_unix_nano >= span.start_time_unix_nano && span.start_time_unix_nano > 0);
    assert_eq!(
        string(resource, "service.name").as_deref(),
        Some("s2s-coordination")
    );
    assert_eq!(
        string(resource, "deployment.environment").as_deref(),
        Some("staging")
    );
    assert_eq!(string(resource, "team.owner").as_deref(), Some("ops"));
    assert_eq!(
        string(&span.attributes, "s2s.work_item_id"),
        v["work_item_id"].as_str().map(str::to_string)
    );
    assert_eq!(
        string(&span.attributes, "s2s.agent_id").as_deref(),
        Some("agent_otlp")
    );
    assert_eq!(
        string(&span.attributes, "s2s.team").as_deref(),
        Some("obs_team")
    );
    // The same ids are in the spans file.
    let line: Value =
        serde_json::from_str(env.read("telemetry_spans.jsonl").lines().next().unwrap()).unwrap();
    assert_eq!(line["span_id"], v["span_id"]);
}

#[test]
fn failures_are_exported_with_error_status_and_leave_files_alone() {
    let r = receiver();
    let env = Env::new();
    let id = env.claim(&["bug", "x"]);
    let before = env.files();
    let out = env
        .cmd()
        .args(["progress", &id, "250"])
        .env(
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            format!("{}/custom/traces", r.url),
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(before == env.files());
    let got = spans(&r.got);
    assert_eq!(got.len(), 1);
    assert_eq!(
        r.got.lock().unwrap()[0].0,
        "/custom/traces",
        "traces endpoint is used as given"
    );
    let status = got[0].1.status.clone().unwrap();
    assert_eq!(status.code, 2, "STATUS_CODE_ERROR");
    assert_eq!(
        string(&got[0].1.attributes, "s2s.error").as_deref(),
        Some("invalid_input")
    );
    // Disabled SDK: nothing is sent.
    env.cmd()
        .args(["progress", &id, "20"])
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", &r.url)
        .env("OTEL_SDK_DISABLED", "true")
        .assert()
        .success();
    assert_eq!(spans(&r.got).len(), 1);
}

#[test]
fn dead_and_silent_collectors_never_fail_or_stall_a_command() {
    let env = Env::new();
    let dead = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_addr = silent.local_addr().unwrap();
    // Accept connections and never answer.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in silent.incoming() {
            held.push(s);
        }
    });
    for (endpoint, label) in [
        (format!("http://{dead}"), "dead"),
        (format!("http://{silent_addr}"), "silent"),
    ] {
        let start = Instant::now();
        let out = env
            .cmd()
            .args(["claim", "bug", label])
            .env("OTEL_EXPORTER_OTLP_ENDPOINT", &endpoint)
            .env("NEXUS_OTLP_TIMEOUT_MS", "500")
            .output()
            .unwrap();
        let took = start.elapsed();
        assert!(
            out.status.success(),
            "{label}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            took < Duration::from_secs(4),
            "{label} collector held the command for {took:?}"
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("WARN") && stderr.contains("OTLP export failed"),
            "{label}: {stderr}"
        );
        // Quiet when asked to be.
        let out = env
            .cmd()
            .args(["claim", "bug", label])
            .env("OTEL_EXPORTER_OTLP_ENDPOINT", &endpoint)
            .env("NEXUS_OTLP_TIMEOUT_MS", "300")
            .env("NEXUS_LOG", "error")
            .output()
            .unwrap();
        assert!(out.stderr.is_empty());
    }
    assert_eq!(env.json("work_claims.json").as_array().unwrap().len(), 4);
}

#[test]
fn spans_export_replays_the_legacy_file_and_counts_what_it_skipped() {
    let r = receiver();
    let env = Env::with_fixtures();
    let text = env.read("telemetry_spans.jsonl");
    let objects = text.lines().filter(|l| l.starts_with('{')).count();
    let out = env
        .cmd()
        .args(["--json", "spans", "export"])
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", &r.url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let exported = v["exported"].as_u64().unwrap() as usize;
    let skipped = v["skipped"].as_u64().unwrap() as usize;
    assert_eq!(exported + skipped, objects);
    assert!(exported > 0 && skipped > 0, "{v}");
    assert_eq!(spans(&r.got).len(), exported);
    // --since in the future sends nothing; without an endpoint it is an error.
    let v: Value = serde_json::from_slice(
        &env.cmd()
            .args(["--json", "spans", "export", "--since", "2999-01-01"])
            .env("OTEL_EXPORTER_OTLP_ENDPOINT", &r.url)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(v["exported"], 0);
    let out = env.cmd().args(["spans", "export"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("OTEL_EXPORTER_OTLP_ENDPOINT"));
}

#[test]
fn an_unreachable_collector_is_reported_as_such_not_as_a_bad_url() {
    let env = Env::with_fixtures();
    let dead = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let out = env
        .cmd()
        .args(["spans", "export"])
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", format!("http://{dead}"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(&format!(
            "❌ ERROR: spans not exported: could not connect to the collector at {dead}"
        )),
        "{err}"
    );
    assert!(!err.contains("invalid"), "{err}");
    // The warning of a command that exports its span says the same.
    let out = env
        .cmd()
        .args(["claim", "bug", "x"])
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", format!("http://{dead}"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("could not connect to the collector"), "{err}");
}

/// Every request to `nexus serve` is a span in the caller's trace: a read as
/// its own span, a change as its command's.
#[test]
fn serve_requests_are_spans_in_the_callers_trace() {
    let r = receiver();
    let env = Env::new();
    let w = crate::serve::token(&env, "write");
    let s =
        crate::serve::Served::start_with(&env, &[("OTEL_EXPORTER_OTLP_ENDPOINT", r.url.as_str())]);
    let parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    let c = crate::serve::client();
    let claimed = c
        .post(s.url("/api/v1/work/claim"))
        .bearer_auth(&w)
        .header("traceparent", parent)
        .json(&serde_json::json!({"work_type": "x", "description": "traced over http"}))
        .send()
        .unwrap();
    assert_eq!(claimed.status().as_u16(), 201);
    let read = c
        .get(s.url("/api/v1/status"))
        .header("traceparent", parent)
        .send()
        .unwrap();
    assert_eq!(read.status().as_u16(), 200);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while spans(&r.got).len() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let got = spans(&r.got);
    let names: Vec<&str> = got.iter().map(|(_, s)| s.name.as_str()).collect();
    assert!(
        names.contains(&"s2s.work.claim") && names.contains(&"s2s.http.status"),
        "{names:?}"
    );
    for (_, span) in &got {
        assert_eq!(hex(&span.trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(hex(&span.parent_span_id), "00f067aa0ba902b7");
    }
}
