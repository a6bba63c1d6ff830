//! `/analysis`: the AI analyses (priorities, assignments, health, team) as
//! `claude-dashboard` reads them back, and a form to run each with the
//! configured provider, or offline, exactly as the `claude-*` commands do
//! (the result is saved to the same file). Running one is a change: it
//! needs a write token, the same origin and the CSRF token.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

use super::layout::{page, region};
use super::{Shared, reading, shown};
use crate::ai::Kind;

/// The analyses a person may run: (form value, label).
const KINDS: &[(&str, Kind)] = &[
    ("priorities", Kind::Priorities),
    ("assignments", Kind::Assignments),
    ("health", Kind::Health),
    ("team", Kind::Team),
];

/// At most this many analyses run at once (each holds a model call).
const MAX_RUNNING: usize = 4;

/// An analysis running now: what, for which team, since when.
struct Running {
    kind: Kind,
    team: Option<String>,
    started: Instant,
}

/// The analyses running in this server, and the last one's failure (shown
/// until the next run starts).
static RUNNING: Mutex<Vec<Running>> = Mutex::new(Vec::new());
static FAILED: Mutex<Option<String>> = Mutex::new(None);

/// What runs now, as the page says it.
fn running_now() -> Vec<String> {
    RUNNING
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .map(|r| {
            let team = r
                .team
                .as_deref()
                .map(|t| format!(" for {t}"))
                .unwrap_or_default();
            format!(
                "{}{team}, started {} s ago",
                r.kind.label(),
                r.started.elapsed().as_secs()
            )
        })
        .collect()
}

/// `GET /analysis`: the saved analyses and the forms that run them.
pub async fn page_of(State(h): State<Shared>, uri: Uri, headers: HeaderMap) -> Response {
    // What runs is taken before the saved results are read: a run saves its
    // result before it leaves the list, so a run missing from this list is
    // in the results read next. (The other order can show neither, and the
    // page, seeing nothing running, would stop asking.)
    let running = running_now();
    let failed = FAILED.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let got = reading(&h, |_store, cfg| {
        let d = crate::app::ai_cmd::dashboard(cfg)?;
        Ok((d.human, cfg.ai.provider.name().to_string()))
    })
    .await;
    let (text, provider) = match got {
        Ok(v) => v,
        Err(e) => return super::pages::failed(&e),
    };
    let csrf = super::cookie(&headers)
        .map(|t| super::forms::csrf_for(&t))
        .unwrap_or_default();
    let body = html! {
        h1 { "Analysis" }
        p { "Provider: " strong { (shown(&provider)) }
            " (set with " code { "nexus ai setup" } "; offline analyses need no model)." }
        @if csrf.is_empty() { p.muted { "Running an analysis needs a write token: " a href="/login" { "sign in" } "." } }
        form.stack method="post" action="/analysis" {
            input type="hidden" name="csrf" value=(csrf);
            label { "Analysis"
                select name="kind" { @for (v, k) in KINDS { option value=(v) { (k.label()) } } }
            }
            label { "Team (optional)" input name="team" size="16"; }
            button type="submit" { "Run" }
        }
        p.muted { "A run takes as long as the provider answers (bounded by its time-out); the page shows the result when it is saved." }
        h2 { "Latest results" }
        (results(&uri.to_string(), &running, failed.as_deref(), &text))
    };
    page("Analysis", "/analysis", body).into_response()
}

/// The live region: the runs in progress (while there are any, it asks
/// again every second, and stops once they are done), the last failure,
/// and the saved results.
fn results(url: &str, running: &[String], failed: Option<&str>, text: &str) -> maud::Markup {
    let inner = html! {
        @for r in running {
            p.notice role="status" { "Running: " (shown(r)) "… " progress {} }
        }
        @if let Some(f) = failed {
            p.notice.error role="alert" { "The last run failed: " (shown(f)) }
        }
        pre.report { (shown(text)) }
    };
    region(url, !running.is_empty(), inner)
}

/// `POST /analysis`: start one analysis and show the page at once; it runs
/// on, its progress on the page, and its result is saved as the
/// `claude-*` command saves it.
pub async fn run(
    State(h): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(refused) = super::forms::allowed(&h, &headers, &form) {
        return refused;
    }
    let given = form.get("kind").map(String::as_str).unwrap_or("");
    let Some(kind) = KINDS.iter().find(|(v, _)| *v == given).map(|(_, k)| *k) else {
        return super::layout::failure(
            axum::http::StatusCode::BAD_REQUEST,
            &format!(
                "invalid analysis '{}': must be priorities, assignments, health or team",
                crate::text::clip(given, 40)
            ),
        );
    };
    let team = form
        .get("team")
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    {
        let mut running = RUNNING.lock().unwrap_or_else(|p| p.into_inner());
        if running.iter().any(|r| r.kind == kind && r.team == team) {
            // The same analysis is under way: its result is the answer.
            return Redirect::to("/analysis").into_response();
        }
        if running.len() >= MAX_RUNNING {
            return super::layout::failure(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                &format!("{MAX_RUNNING} analyses are running already: try again when one is done"),
            );
        }
        running.push(Running {
            kind,
            team: team.clone(),
            started: Instant::now(),
        });
        *FAILED.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
    tokio::spawn(async move {
        let asked = team.clone();
        let done = reading(&h, move |store, cfg| {
            crate::app::ai_cmd::analysis(store, cfg, kind, asked.as_deref())
        })
        .await;
        // The outcome is in place (result saved or failure noted) before
        // the run leaves the list: a page that no longer sees it running
        // sees what it left.
        if let Err(e) = done {
            *FAILED.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
        }
        RUNNING
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|r| !(r.kind == kind && r.team == team));
    });
    Redirect::to("/analysis").into_response()
}
