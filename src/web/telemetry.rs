//! `/telemetry`: the newest recorded spans (the tail of
//! `telemetry_spans.jsonl`, or the spans table), their duration by
//! operation and their errors.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use maud::html;
use serde_json::Value;

use super::layout::{live, page, when};
use super::{Shared, cell, reading, shown};
use crate::report::metrics::Summary;

/// Spans listed one by one (the newest).
const LISTED: usize = 100;

/// Figures of one operation.
pub struct Operation {
    pub name: String,
    pub durations: Summary,
    pub errors: usize,
}

/// Duration and errors by operation, busiest first.
pub fn by_operation(spans: &[Value]) -> Vec<Operation> {
    let mut ops: BTreeMap<String, (Vec<f64>, usize)> = BTreeMap::new();
    for s in spans {
        let name = s["operation_name"].as_str().unwrap_or("(unnamed)");
        let e = ops.entry(name.to_string()).or_default();
        if let Some(d) = s["duration_ms"].as_f64() {
            e.0.push(d);
        }
        if failed(s) {
            e.1 += 1;
        }
    }
    let mut out: Vec<Operation> = ops
        .into_iter()
        .map(|(name, (d, errors))| Operation {
            name,
            durations: Summary::of(d),
            errors,
        })
        .collect();
    out.sort_by_key(|o| std::cmp::Reverse(o.durations.count));
    out
}

fn failed(span: &Value) -> bool {
    matches!(span["status"].as_str(), Some("error" | "ERROR" | "failed"))
}

/// `GET /telemetry`.
pub async fn page_of(State(h): State<Shared>, uri: Uri) -> Response {
    let got = reading(&h, |store, cfg| Ok((store.spans_tail()?, cfg.now))).await;
    let (spans, now) = match got {
        Ok(v) => v,
        Err(e) => return super::pages::failed(&e),
    };
    let ops = by_operation(&spans);
    let errors = spans.iter().filter(|s| failed(s)).count();
    let body = html! {
        h1 { "Telemetry" }
        (live(&uri.to_string(), html! {
            p { (spans.len()) " recent spans, " span class=(if errors > 0 { "bad" } else { "good" }) { (errors) " with errors" } }
            h2 { "Duration by operation" }
            div.scroll { table {
                thead { tr { th scope="col" { "Operation" } th scope="col" { "Spans" } th scope="col" { "Mean ms" }
                    th scope="col" { "Median ms" } th scope="col" { "Max ms" } th scope="col" { "Errors" } } }
                tbody { @for o in &ops { tr {
                    th.mono scope="row" { (shown(&o.name)) }
                    td { (o.durations.count) }
                    td { (format!("{:.1}", o.durations.mean)) }
                    td { (format!("{:.1}", o.durations.median)) }
                    td { (format!("{:.1}", o.durations.max)) }
                    td { @if o.errors > 0 { span.bad { (o.errors) } } @else { "0" } }
                } } }
            } }
            h2 { "Newest spans" }
            div.scroll { table #spans {
                thead { tr { th scope="col" { "Started" } th scope="col" { "Operation" } th scope="col" { "Status" }
                    th scope="col" { "ms" } th scope="col" { "Trace" } } }
                tbody { @for s in spans.iter().rev().take(LISTED) { tr {
                    td { (when(s["start_time"].as_str(), now)) }
                    td.mono { (cell(&s["operation_name"])) }
                    td { @if failed(s) { span.bad { (cell(&s["status"])) } } @else { (cell(&s["status"])) } }
                    td { (cell(&s["duration_ms"])) }
                    td.mono { (cell(&s["trace_id"])) }
                } } }
            } }
        }))
    };
    page("Telemetry", "/telemetry", body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_are_summed_with_their_errors() {
        let spans = vec![
            json!({"operation_name": "claim", "duration_ms": 10, "status": "ok"}),
            json!({"operation_name": "claim", "duration_ms": 30, "status": "error"}),
            json!({"operation_name": "complete", "duration_ms": 5}),
        ];
        let ops = by_operation(&spans);
        assert_eq!(ops[0].name, "claim");
        assert_eq!(ops[0].durations.count, 2);
        assert_eq!(ops[0].durations.mean, 20.0);
        assert_eq!(ops[0].errors, 1);
        assert_eq!(ops[1].errors, 0);
    }
}
