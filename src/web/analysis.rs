//! `/analysis`: the AI analyses (priorities, assignments, health, team) as
//! `claude-dashboard` reads them back, and a form to run each with the
//! configured provider, or offline, exactly as the `claude-*` commands do
//! (the result is saved to the same file). Running one is a change: it
//! needs a write token, the same origin and the CSRF token.

use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

use super::layout::{live, page};
use super::{Shared, reading, shown};
use crate::ai::Kind;

/// The analyses a person may run: (form value, label).
const KINDS: &[(&str, Kind)] = &[
    ("priorities", Kind::Priorities),
    ("assignments", Kind::Assignments),
    ("health", Kind::Health),
    ("team", Kind::Team),
];

/// `GET /analysis`: the saved analyses and the forms that run them.
pub async fn page_of(State(h): State<Shared>, uri: Uri, headers: HeaderMap) -> Response {
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
        (live(&uri.to_string(), html! { pre.report { (shown(&text)) } }))
    };
    page("Analysis", "/analysis", body).into_response()
}

/// `POST /analysis`: run one analysis, save it, and show the page again.
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
    let done = reading(&h, move |store, cfg| {
        crate::app::ai_cmd::analysis(store, cfg, kind, team.as_deref())
    })
    .await;
    match done {
        Ok(_) => Redirect::to("/analysis").into_response(),
        Err(e) => super::pages::failed(&e),
    }
}
