//! Signing in and the pages' changes. Each change is a plain
//! `<form method="post">`: it must come from a page of this server (the
//! Origin, else the Referer, names this host) and carry the CSRF token of
//! the signed-in token, and the token must have the write scope. A change
//! runs the same command handler as the CLI and the JSON API.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::layout::{failure, page};
use super::{Access, COOKIE, Shared, command};

/// How long the sign-in cookie lasts (30 days).
const COOKIE_MAX_AGE: u64 = 30 * 24 * 3600;

/// The CSRF token of the forms of a browser signed in with `token`: a hash
/// of it, which a page of another site cannot read or make.
pub fn csrf_for(token: &str) -> String {
    let d = Sha256::digest(format!("nexus web csrf v1\0{token}").as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether the request comes from a page of this server: its Origin (or,
/// without one, its Referer) is this host.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let ours = |o: &str| o == format!("http://{host}") || o == format!("https://{host}");
    if let Some(origin) = headers.get(header::ORIGIN) {
        return origin.to_str().is_ok_and(ours);
    }
    headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| {
            let rest = r.split_once("://")?.1;
            let end = rest.find('/').unwrap_or(rest.len());
            Some(format!("{}://{}", r.split_once("://")?.0, &rest[..end]))
        })
        .is_some_and(|o| ours(&o))
}

/// The token a change is made with: the bearer token, else the cookie's.
fn token_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .or_else(|| super::cookie(headers))
}

/// The checks of every change; the refusal when one fails.
#[allow(clippy::result_large_err)]
pub fn allowed(
    h: &Shared,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<(), Response> {
    if !same_origin(headers) {
        return Err(failure(
            StatusCode::FORBIDDEN,
            "this change did not come from a page of this server (Origin or Referer)",
        ));
    }
    let Some(token) = token_of(headers) else {
        return Err(failure(
            StatusCode::UNAUTHORIZED,
            "changes need a write token: sign in at /login",
        ));
    };
    let expected = csrf_for(&token);
    let given = form.get("csrf").map(String::as_str).unwrap_or("");
    let same = given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return Err(failure(
            StatusCode::FORBIDDEN,
            "the form's CSRF token is missing or wrong: reload the page and try again",
        ));
    }
    match h.access(&token) {
        Some(Access::Write) => Ok(()),
        Some(Access::Read) => Err(failure(
            StatusCode::FORBIDDEN,
            "this change needs a write token",
        )),
        None => Err(failure(
            StatusCode::UNAUTHORIZED,
            "the token is not one this server knows: sign in again",
        )),
    }
}

/// Run `name` with `args` and go back to `back`, or show why not.
async fn change(
    h: Shared,
    headers: HeaderMap,
    form: HashMap<String, String>,
    name: &'static str,
    args: Value,
    back: String,
) -> Response {
    if let Err(refused) = allowed(&h, &headers, &form) {
        return refused;
    }
    let host = Arc::clone(&h);
    let done = super::reading(&host, move |store, cfg| command(name, args, store, cfg)).await;
    match done {
        Ok(_) => Redirect::to(&back).into_response(),
        Err(e) => super::pages::failed(&e),
    }
}

fn field(form: &HashMap<String, String>, k: &str) -> Option<String> {
    form.get(k)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// `POST /work`: add an item to the backlog.
pub async fn add(
    State(h): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut args = json!({
        "work_type": field(&form, "work_type").unwrap_or_default(),
        "description": field(&form, "description").unwrap_or_default(),
    });
    for k in ["priority", "team"] {
        if let Some(v) = field(&form, k) {
            args[k] = json!(v);
        }
    }
    change(
        h,
        headers,
        form,
        "add",
        args,
        "/work?sort=age&dir=desc".into(),
    )
    .await
}

fn item_url(id: &str) -> String {
    format!("/work/{}", super::views::enc(id))
}

/// `POST /work/{id}/release`: put a stuck claim back on the backlog.
pub async fn release(
    State(h): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let back = item_url(&id);
    change(h, headers, form, "release", json!({"work_id": id}), back).await
}

/// `POST /work/{id}/priority`: change the item's place in the queue.
pub async fn priority(
    State(h): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let level = field(&form, "priority").unwrap_or_default();
    let back = item_url(&id);
    let args = json!({"work_id": id, "priority": level});
    change(h, headers, form, "priority", args, back).await
}

/// `POST /work/{id}/dependencies`: make the item wait on another.
pub async fn dep_add(
    State(h): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let on = field(&form, "on").unwrap_or_default();
    let back = item_url(&id);
    let args = json!({"work_id": id, "on": [on]});
    change(h, headers, form, "dep_add", args, back).await
}

/// `POST /work/{id}/dependencies/remove`: stop it waiting on another.
pub async fn dep_rm(
    State(h): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let on = field(&form, "on").unwrap_or_default();
    let back = item_url(&id);
    change(
        h,
        headers,
        form,
        "dep_rm",
        json!({"work_id": id, "on": on}),
        back,
    )
    .await
}

fn login_form(error: Option<&str>, signed_in: bool) -> maud::Markup {
    page(
        "Sign in",
        "",
        html! {
            h1 { "Sign in" }
            @if let Some(e) = error { p.notice.error role="alert" { (e) } }
            p { "Paste a token made by " code { "nexus serve token create --scope write" }
                " (or read). It is kept in a cookie this browser sends only to this server." }
            form.stack method="post" action="/login" {
                label { "Token" input type="password" name="token" autocomplete="current-password" required size="40"; }
                button type="submit" { "Sign in" }
            }
            @if signed_in {
                form.stack method="post" action="/logout" {
                    button type="submit" { "Sign out of this browser" }
                }
            }
        },
    )
}

/// `GET /login`.
pub async fn login_page(headers: HeaderMap) -> Response {
    login_form(None, super::cookie(&headers).is_some()).into_response()
}

/// `POST /login`: a known token becomes the HttpOnly, SameSite=Strict cookie.
pub async fn login(
    State(h): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if !same_origin(&headers) {
        return failure(
            StatusCode::FORBIDDEN,
            "signing in must come from this server's own page",
        );
    }
    let token = field(&form, "token").unwrap_or_default();
    let fits = !token.is_empty()
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.~+/=".contains(&b));
    if !fits || h.access(&token).is_none() {
        let page = login_form(Some("That token is not one this server knows."), false);
        return (StatusCode::UNAUTHORIZED, page).into_response();
    }
    let secure = if h.secure() { "; Secure" } else { "" };
    let cookie = format!(
        "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={COOKIE_MAX_AGE}{secure}"
    );
    let mut resp = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

/// `POST /logout`: the cookie is cleared.
pub async fn logout(headers: HeaderMap) -> Response {
    if !same_origin(&headers) {
        return failure(
            StatusCode::FORBIDDEN,
            "signing out must come from this server",
        );
    }
    let mut resp = Redirect::to("/login").into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("nexus_token=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    resp
}
