//! The web pages of `nexus serve` over HTTP: hostile text comes out as
//! text, every page carries the Content-Security-Policy, signing in sets a
//! safe cookie, and a change from another site, without the CSRF token or
//! without a write token is refused and changes nothing.

use std::time::Duration;

use crate::common::{Env, first_work_id};
use crate::serve::{Served, token};

/// A client that shows redirects instead of following them.
pub fn browserless() -> reqwest::blocking::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// The host:port of a server, as browsers send it in Origin.
fn origin(s: &Served) -> String {
    s.base.trim_end_matches('/').to_string()
}

fn page(s: &Served, path: &str, cookie: Option<&str>) -> (u16, reqwest::header::HeaderMap, String) {
    let mut r = browserless().get(s.url(path));
    if let Some(t) = cookie {
        r = r.header("cookie", format!("nexus_token={t}"));
    }
    let r = r.send().unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.text().unwrap())
}

/// The CSRF token the item page gives a browser signed in with `cookie`.
fn csrf(s: &Served, id: &str, cookie: &str) -> String {
    let (_, _, body) = page(s, &format!("/work/{id}"), Some(cookie));
    let at = body
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token");
    body[at + 19..].split('"').next().unwrap().to_string()
}

pub const FORM: &str = "application/x-www-form-urlencoded";

/// Percent-encoding of a form value.
pub fn enc(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

const HOSTILE: &str = "<script>alert(1)</script> <img src=x onerror=alert(2)> a\u{202E}b";

#[test]
fn every_page_escapes_hostile_text_and_sends_a_strict_csp() {
    let env = Env::new();
    env.ok(&["add", "bug_fix", HOSTILE, "high", "<b>team</b>"]);
    let id = first_work_id(&env.claim(&["feature", "plain", "low", "dev_team"]));
    let added = env.json("work_claims.json")[0]["work_item_id"]
        .as_str()
        .unwrap()
        .to_string();
    let s = Served::start(&env);
    for path in [
        "/".to_string(),
        "/work".into(),
        "/work?q=alert&sort=description&dir=desc".into(),
        format!("/work/{added}"),
        format!("/work/{id}"),
        "/agents".into(),
        "/events".into(),
        "/graph".into(),
        "/telemetry".into(),
        "/analysis".into(),
        "/login".into(),
    ] {
        let (status, headers, body) = page(&s, &path, None);
        assert_eq!(status, 200, "{path}: {body}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{csp}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(!body.contains("<script>alert"), "{path}: {body}");
        assert!(!body.contains("<img src=x"), "{path}: {body}");
        assert!(!body.contains("<b>team"), "{path}: {body}");
        assert!(!body.contains('\u{202E}'), "{path}: a raw bidi control");
        // Scripts come only from this server's files.
        for tag in body.split("<script").skip(1) {
            assert!(tag.starts_with(" src=\"/assets/"), "{path}: <script{tag}");
        }
    }
    let (_, _, work) = page(&s, "/work", None);
    assert!(
        work.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{work}"
    );
    assert!(
        work.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "{work}"
    );
    assert!(work.contains("a&lt;U+202E&gt;b"), "{work}");
    let (_, _, item) = page(&s, &format!("/work/{added}"), None);
    assert!(item.contains("&lt;b&gt;team&lt;/b&gt;"), "{item}");
}

#[test]
fn the_static_files_have_hashed_names_and_cache_for_a_year() {
    let env = Env::new();
    env.claim(&["feature", "x", "low", "t"]);
    let s = Served::start(&env);
    let (_, _, body) = page(&s, "/", None);
    let at = body.find("/assets/htmx.").unwrap();
    let path = body[at..].split('"').next().unwrap();
    let r = browserless().get(s.url(path)).send().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        r.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(r.headers().get("vary").is_none(), "the same for every page");
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(r.text().unwrap().len() > 30_000);
    let r = browserless()
        .get(s.url("/assets/htmx.000000000000.min.js"))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let at = body
        .find("/assets/htmx-LICENSE.")
        .expect("the licence is linked");
    let lic = browserless()
        .get(s.url(body[at..].split('"').next().unwrap()))
        .send()
        .unwrap();
    assert!(lic.text().unwrap().contains("Zero-Clause BSD"));
    assert!(body.contains("/assets/hx-sse."), "{body}");
    // Every file a page links to is there (the icon too: no 404 for the
    // browser's own request of an icon).
    assert!(
        body.contains("rel=\"icon\" type=\"image/svg+xml\""),
        "{body}"
    );
    for link in body.split('"').filter(|p| p.starts_with("/assets/")) {
        let r = browserless().get(s.url(link)).send().unwrap();
        assert_eq!(r.status().as_u16(), 200, "{link}");
        let kind = r.headers()["content-type"].to_str().unwrap().to_string();
        let ext = link.rsplit('.').next().unwrap();
        let expected = match ext {
            "js" => "text/javascript",
            "css" => "text/css",
            "svg" => "image/svg+xml",
            _ => "text/plain",
        };
        assert!(kind.starts_with(expected), "{link}: {kind}");
    }
}

#[test]
fn signing_in_sets_an_httponly_strict_cookie_and_a_bad_token_none() {
    let env = Env::new();
    env.claim(&["feature", "x", "low", "t"]);
    let write = token(&env, "write");
    let s = Served::start(&env);
    let login = |tok: &str, from: &str| {
        browserless()
            .post(s.url("/login"))
            .header("origin", from)
            .header("content-type", FORM)
            .body(format!("token={}", enc(tok)))
            .send()
            .unwrap()
    };
    let r = login(&write, &origin(&s));
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with(&format!("nexus_token={write};")),
        "{cookie}"
    );
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.split("; ").any(|f| f == flag), "{flag} in {cookie}");
    }
    // Signing out clears the cookie; a cookie the server no longer knows
    // reads like none (pages stay open on loopback).
    let r = browserless()
        .post(s.url("/logout"))
        .header("origin", origin(&s))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let cleared = r.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cleared.starts_with("nexus_token=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    let (status, _, _) = page(&s, "/work", Some("nxs_revoked"));
    assert_eq!(status, 200);
    let r = login("nxs_not_a_token", &origin(&s));
    assert_eq!(r.status().as_u16(), 401);
    assert!(r.headers().get("set-cookie").is_none());
    let r = login(&write, "http://evil.example");
    assert_eq!(r.status().as_u16(), 403);
    assert!(r.headers().get("set-cookie").is_none());
}

#[test]
fn a_change_needs_same_origin_the_csrf_token_and_a_write_token() {
    let env = Env::new();
    let id = first_work_id(&env.claim(&["feature", "held", "low", "dev_team"]));
    let write = token(&env, "write");
    let read = token(&env, "read");
    let s = Served::start(&env);
    let good = csrf(&s, &id, &write);
    assert_eq!(good.len(), 64);
    let release = |cookie: Option<&str>, from: Option<&str>, csrf: &str| {
        let mut r = browserless()
            .post(s.url(&format!("/work/{id}/release")))
            .header("content-type", FORM)
            .body(format!("csrf={}", enc(csrf)));
        if let Some(c) = cookie {
            r = r.header("cookie", format!("nexus_token={c}"));
        }
        if let Some(o) = from {
            r = r.header("origin", o);
        }
        r.send().unwrap().status().as_u16()
    };
    let before = env.read("work_claims.json");
    let me = origin(&s);
    assert_eq!(release(Some(&write), Some(&me), ""), 403, "no CSRF token");
    assert_eq!(
        release(Some(&write), Some(&me), &"0".repeat(64)),
        403,
        "a wrong one"
    );
    assert_eq!(
        release(Some(&write), Some("http://evil.example"), &good),
        403,
        "another site"
    );
    assert_eq!(
        release(Some(&write), None, &good),
        403,
        "no Origin nor Referer"
    );
    assert_eq!(
        release(Some(&read), Some(&me), &csrf(&s, &id, &read)),
        403,
        "a read token"
    );
    assert_eq!(release(None, Some(&me), &good), 401, "no token");
    assert_eq!(
        env.read("work_claims.json"),
        before,
        "a refusal changed the state"
    );
    assert_eq!(release(Some(&write), Some(&me), &good), 303);
    let claims = env.json("work_claims.json");
    assert_eq!(claims[0]["status"], "available", "{claims}");
    // A cookie is never a credential for the JSON API's changes.
    let r = browserless()
        .post(s.url(&format!("/api/v1/work/{id}/release")))
        .header("cookie", format!("nexus_token={write}"))
        .header("origin", &me)
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
}

#[test]
fn the_work_page_filters_sorts_and_pages_on_the_server_and_keeps_it_in_links() {
    let env = Env::new();
    for i in 0..55 {
        let p = ["low", "high"][i % 2];
        env.ok(&[
            "add",
            "chore",
            &format!("task number {i:02}"),
            p,
            "ops_team",
        ]);
    }
    env.ok(&["add", "bug_fix", "the needle", "critical", "web_team"]);
    let s = Served::start(&env);
    let rows = |body: &str| body.matches("<td class=\"id\">").count();
    let (_, _, first) = page(&s, "/work", None);
    assert_eq!(rows(&first), 50);
    assert!(first.contains("56 items"), "{first}");
    assert!(first.contains("Page 1 of 2"), "{first}");
    assert!(first.contains("href=\"/work?page=2\""), "{first}");
    let (_, _, second) = page(&s, "/work?page=2", None);
    assert_eq!(rows(&second), 6);
    let (_, _, found) = page(&s, "/work?q=NEEDLE", None);
    assert_eq!(rows(&found), 1);
    assert!(found.contains("the needle"));
    let (_, _, high) = page(&s, "/work?priority=high&team=ops_team", None);
    assert_eq!(rows(&high), 27);
    let (_, _, sorted) = page(&s, "/work?sort=description&dir=desc&priority=low", None);
    let first_desc = sorted.find("task number 54").unwrap();
    let later = sorted.find("task number 52").unwrap();
    assert!(first_desc < later);
    // The headings' links keep the filters and flip the direction.
    assert!(
        sorted.contains("href=\"/work?priority=low&amp;sort=description\""),
        "{sorted}"
    );
}

#[test]
fn an_analysis_runs_from_the_page_with_a_write_token_only() {
    let env = Env::new();
    env.claim(&["feature", "x", "high", "dev_team"]);
    let write = token(&env, "write");
    let s = Served::start(&env);
    let me = origin(&s);
    let run = |cookie: &str, csrf: &str, kind: &str| {
        browserless()
            .post(s.url("/analysis"))
            .header("cookie", format!("nexus_token={cookie}"))
            .header("origin", &me)
            .header("content-type", FORM)
            .body(format!("csrf={csrf}&kind={kind}&team="))
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    let (_, _, body) = page(&s, "/analysis", Some(&write));
    let at = body.find("name=\"csrf\" value=\"").unwrap();
    let csrf = body[at + 19..].split('"').next().unwrap().to_string();
    assert_eq!(run(&write, "", "health"), 403);
    assert!(!env.path("claude_health_analysis.json").exists());
    assert_eq!(run(&write, &csrf, "nonsense"), 400);
    assert_eq!(run(&write, &csrf, "health"), 303);
    // It runs on after the answer; the result is saved when it is done.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !env.path("claude_health_analysis.json").exists() && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let saved = env.json("claude_health_analysis.json");
    assert!(saved.is_object(), "{saved}");
    let (_, _, body) = page(&s, "/analysis", None);
    assert!(body.contains("SYSTEM HEALTH ANALYSIS"), "{body}");
}

#[test]
fn sorting_by_progress_orders_numbers_by_value_with_missing_last_either_way() {
    let env = Env::new();
    for (name, pct) in [("nine", "9"), ("eighty", "80"), ("none", ""), ("ten", "10")] {
        let id = first_work_id(&env.claim(&["feature", name, "low", "t"]));
        if !pct.is_empty() {
            env.ok(&["progress", &id, pct]);
        }
    }
    let s = Served::start(&env);
    let order = |path: &str| {
        let (_, _, body) = page(&s, path, None);
        let at = |w: &str| body.find(&format!(">{w}<")).unwrap();
        let mut names = ["nine", "eighty", "none", "ten"];
        names.sort_by_key(|n| at(n));
        names
    };
    assert_eq!(
        order("/work?sort=progress"),
        ["nine", "ten", "eighty", "none"]
    );
    assert_eq!(
        order("/work?sort=progress&dir=desc"),
        ["eighty", "ten", "nine", "none"]
    );
}

#[test]
fn the_item_page_changes_priority_with_a_write_token_only() {
    let env = Env::new();
    let id = first_work_id(&env.ok(&["add", "chore", "reorder me", "low"]));
    let write = token(&env, "write");
    let read = token(&env, "read");
    let s = Served::start(&env);
    let (_, _, body) = page(&s, &format!("/work/{id}"), Some(&write));
    assert!(
        body.contains(r#"<option value="low" selected>low</option>"#),
        "{body}"
    );
    let me = origin(&s);
    let change = |cookie: &str, level: &str| {
        browserless()
            .post(s.url(&format!("/work/{id}/priority")))
            .header("content-type", FORM)
            .header("cookie", format!("nexus_token={cookie}"))
            .header("origin", &me)
            .body(format!(
                "csrf={}&priority={level}",
                enc(&csrf(&s, &id, cookie))
            ))
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    let before = env.read("work_claims.json");
    assert_eq!(change(&read, "critical"), 403, "a read token");
    assert_eq!(env.read("work_claims.json"), before);
    assert_eq!(change(&write, "critical"), 303);
    assert_eq!(env.json("work_claims.json")[0]["priority"], "critical");
    let (_, _, body) = page(&s, &format!("/work/{id}"), Some(&write));
    assert!(body.contains(r#"<option value="critical" selected>critical</option>"#));
}

#[test]
fn a_running_analysis_shows_its_progress_then_its_result() {
    // A provider that takes three seconds to answer (and then fails: the
    // analysis falls back to the offline one, as the command does).
    let slow = crate::mock_http::MockServer::start(|_| {
        std::thread::sleep(std::time::Duration::from_secs(3));
        (500, "{}".into())
    });
    let env = Env::new();
    env.claim(&["feature", "x", "high", "dev_team"]);
    let write = token(&env, "write");
    let s = Served::start_with(
        &env,
        &[
            ("NEXUS_AI_PROVIDER", "anthropic"),
            ("ANTHROPIC_API_KEY", "sk-test"),
            ("ANTHROPIC_BASE_URL", &slow.url),
        ],
    );
    let (_, _, body) = page(&s, "/analysis", Some(&write));
    let at = body.find("name=\"csrf\" value=\"").unwrap();
    let csrf = body[at + 19..].split('"').next().unwrap().to_string();
    let started = std::time::Instant::now();
    let r = browserless()
        .post(s.url("/analysis"))
        .header("cookie", format!("nexus_token={write}"))
        .header("origin", origin(&s))
        .header("content-type", FORM)
        .body(format!("csrf={csrf}&kind=health&team="))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "answered at once"
    );
    let (_, _, body) = page(&s, "/analysis", None);
    assert!(
        body.contains("Running: system health analysis, started"),
        "{body}"
    );
    assert!(
        body.contains("data-every=\"1\""),
        "the page follows the run: {body}"
    );
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let body = loop {
        let (_, _, body) = page(&s, "/analysis", None);
        if !body.contains("Running:") || std::time::Instant::now() > until {
            break body;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(!body.contains("Running:"), "the run ended: {body}");
    assert!(
        !body.contains("data-every"),
        "and the page stopped asking: {body}"
    );
    assert!(env.path("claude_health_analysis.json").exists());
    assert!(body.contains("SYSTEM HEALTH ANALYSIS"), "{body}");
}

#[test]
fn a_refresh_from_the_live_region_gets_the_region_alone_and_no_page_is_kept() {
    let env = Env::new();
    let id = first_work_id(&env.claim(&["bug_fix", HOSTILE, "high", "web_team"]));
    let s = Served::start(&env);
    let (status, headers, whole) = page(&s, "/work", None);
    assert_eq!(status, 200);
    assert!(whole.starts_with("<!DOCTYPE html>"), "{whole}");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["vary"], "HX-Source, X-Nexus-Rows");
    // A row is keyed by its item, so a refresh moves it rather than rewriting it.
    assert!(
        whole.contains(&format!("<tr id=\"w-{id}\" data-v=\"")),
        "{whole}"
    );

    let refresh = |path: &str| {
        let r = browserless()
            .get(s.url(path))
            .header("HX-Request", "true")
            .header("HX-Source", "div#region")
            .send()
            .unwrap();
        let status = r.status().as_u16();
        (status, r.text().unwrap())
    };
    for path in ["/work", "/", "/agents", "/events", &format!("/work/{id}")] {
        let (status, region) = refresh(path);
        assert_eq!(status, 200, "{path}");
        assert!(region.starts_with("<div id=\"region\""), "{path}: {region}");
        assert!(!region.contains("<head") && !region.contains("<nav aria-label=\"Main\""));
        assert!(region.ends_with("</div>"), "{path}: {region}");
        // (Relative times may have moved on between the two fetches.)
        let page = timeless(&page(&s, path, None).2);
        assert!(
            page.contains(&timeless(&region)),
            "{path}: the region is the page's own"
        );
    }
    let (_, region) = refresh("/work");
    assert!(
        region.contains(&format!("<tr id=\"w-{id}\" data-v=\"")),
        "{region}"
    );
    assert!(region.contains("&lt;script&gt;"), "escaped as in the page");
    // What has no region, or is no page, goes out whole.
    let (status, login) = refresh("/login");
    assert_eq!(status, 200);
    assert!(login.starts_with("<!DOCTYPE html>"), "{login}");
    let (status, missing) = refresh("/work/no_such_item");
    assert_eq!(status, 404);
    assert!(missing.starts_with("<!DOCTYPE html>"), "{missing}");
}

/// Each row of `html` with an id: (id, its data-v, the row's text).
fn rows_of(html: &str) -> Vec<(String, String, String)> {
    html.split("<tr id=\"")
        .skip(1)
        .filter_map(|r| {
            let (id, rest) = r.split_once('"')?;
            let v = rest.strip_prefix(" data-v=\"")?.split_once('"')?.0;
            let body = r.split_once("</tr>").map_or(r, |b| b.0);
            Some((id.to_string(), v.to_string(), body.to_string()))
        })
        .collect()
}

#[test]
fn a_refresh_naming_the_rows_it_shows_gets_markers_for_the_unchanged_ones() {
    let env = Env::with_fixtures();
    let s = Served::start(&env);
    let refresh = |names: &str| {
        let r = browserless()
            .get(s.url("/work?sort=age&dir=desc"))
            .header("HX-Request", "true")
            .header("HX-Source", "div#region")
            .header("X-Nexus-Rows", names)
            .send()
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        r.text().unwrap()
    };
    // A claim seconds old: the words of its time move with the clock.
    let young = first_work_id(&env.claim(&["fresh", "Seconds old", "high", "t"]));
    let shown = rows_of(&refresh(""));
    assert!(shown.len() >= 3, "{shown:?}");
    let (_, _, body) =
        (shown.iter().find(|r| r.0 == format!("w-{young}"))).expect("the new claim is shown");
    assert!(body.contains(" s ago"), "{body}");
    let names: Vec<&str> = shown.iter().map(|r| r.1.as_str()).collect();
    // Every row is unchanged but for the words of a relative time (which
    // the page's script moves on): each comes back as a marker.
    std::thread::sleep(Duration::from_millis(1100));
    let region = refresh(&names.join(" "));
    for (id, v, body) in &shown {
        let marker = format!("<tr id=\"{id}\" data-v=\"{v}\" data-same></tr>");
        assert!(region.contains(&marker), "{id}: {region}");
        assert!(!region.contains(body.as_str()), "{id} sent again");
    }
    // A row that changed is sent whole, whatever the browser named.
    let (id, v, _) = &shown[0];
    let item = id.strip_prefix("w-").unwrap();
    env.ok(&["progress", item, "37"]);
    let region = refresh(&names.join(" "));
    let row = rows_of(&region).into_iter().find(|r| &r.0 == id).unwrap();
    assert!(row.2.contains("37%") && !row.2.is_empty(), "{row:?}");
    assert!(!region.contains(&format!("<tr id=\"{id}\" data-v=\"{v}\" data-same>")));
    // Names that are no digests are ignored: every row whole.
    assert!(!refresh("junk <tr> 12").contains("data-same"));
}

/// `html` without the texts of its `<time>` elements, which move with the
/// clock (a row's version leaves them out, so it stays).
pub fn timeless(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find("<time") {
        out.push_str(&rest[..at]);
        let close = rest[at..]
            .find("</time>")
            .map_or(rest.len(), |c| at + c + "</time>".len());
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}
