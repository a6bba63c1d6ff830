//! The frame of every page (head, navigation, the live connection), the
//! region that refreshes when an event arrives, and relative times.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use maud::{DOCTYPE, Markup, html};

use super::assets;

/// The pages of the navigation: (path, label).
const NAV: &[(&str, &str)] = &[
    ("/", "Fleet"),
    ("/work", "Work"),
    ("/graph", "Graph"),
    ("/agents", "Agents"),
    ("/telemetry", "Telemetry"),
    ("/analysis", "Analysis"),
    ("/events", "Events"),
];

/// A whole page: `current` is the navigation entry it belongs to.
pub fn page(title: &str, current: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        // The server's clock (Unix ms), which the script counts relative
        // times from: a browser whose clock is off still shows them right.
        html lang="en" data-now=(chrono::Utc::now().timestamp_millis()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · nexus" }
                link rel="stylesheet" href=(assets::path("nexus.css"));
                link rel="icon" type="image/svg+xml" href=(assets::path("icon"));
                script src=(assets::path("htmx")) {}
                script src=(assets::path("hx-sse")) {}
                script src=(assets::path("nexus.js")) {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header {
                    span.brand { "nexus" }
                    nav aria-label="Main" {
                        ul {
                            @for (path, label) in NAV {
                                li {
                                    @if *path == current {
                                        a href=(path) aria-current="page" { (label) }
                                    } @else {
                                        a href=(path) { (label) }
                                    }
                                }
                            }
                        }
                    }
                    a.signin href="/login" { "Sign in" }
                    // Shown by the script once the stream connects.
                    span #live .live hx-sse:connect="/api/v1/events" hidden
                        title="Changes show as they happen while this page is open" {}
                }
                main #main { (body) }
                footer.muted {
                    "nexus · live updates by htmx ("
                    a href=(assets::path("htmx-LICENSE")) { "licence" }
                    ")"
                }
            }
        }
    }
}

/// The part of a page fetched again (from `url`, the page's own address
/// with its query, in `data-src`) when an event arrives: at once, or when
/// the fetch running ends (see `nexus.js` for how often). The page patches
/// the new content into the old, so unchanged elements (and rows, matched
/// by their ids) stay as they are.
pub fn live(url: &str, content: Markup) -> Markup {
    region(url, false, content)
}

/// The refreshing region, fetched again every second as well while
/// `every_second` (something runs that sends no events as it goes); the
/// server answers a fetch from it with the region alone (see
/// [`region_span`]), which the marker after it delimits.
pub fn region(url: &str, every_second: bool, content: Markup) -> Markup {
    html! {
        div #region data-src=(url) data-every=[every_second.then_some("1")] {
            (content)
        }
        (maud::PreEscaped(REGION_END))
    }
}

/// What ends the region in a page: a comment, which escaped text from the
/// state can never contain.
const REGION_END: &str = "<!--/region-->";
const REGION_START: &str = "<div id=\"region\"";

/// Where the region lies in a rendered page (bytes), for a fetch made by
/// the region itself (the page's script names it in `HX-Source`, as htmx
/// would): the browser then parses a few rows, not the whole page with its
/// head. `None` when the page has no region.
pub fn region_span(page: &str) -> Option<std::ops::Range<usize>> {
    let start = page.find(REGION_START)?;
    let end = start + page[start..].find(REGION_END)?;
    Some(start..end)
}

/// An error page with the status of `e`.
pub fn failure(status: StatusCode, msg: &str) -> Response {
    let body = page(
        "Error",
        "",
        html! {
            h1 { "Error" }
            p.notice.error role="alert" { (super::shown(msg)) }
        },
    );
    (status, body).into_response()
}

/// A time as "3 min ago" (or "in 5 min") with the exact time on hover;
/// `data-at` (Unix seconds) lets the page's script move the words on as
/// the clock does.
pub fn when(ts: Option<&str>, now: DateTime<Utc>) -> Markup {
    let Some(ts) = ts.filter(|t| !t.is_empty()) else {
        return html! { span.muted { "–" } };
    };
    let Ok(t) = DateTime::parse_from_rfc3339(ts) else {
        return html! { (super::shown(ts)) };
    };
    let secs = (now - t.with_timezone(&Utc)).num_seconds();
    html! { time datetime=(ts) title=(ts) data-at=(t.timestamp()) { (relative(secs)) } }
}

/// Seconds ago (negative: ahead) in words.
pub fn relative(secs: i64) -> String {
    let a = secs.unsigned_abs();
    let span = match a {
        0..=59 => format!("{a} s"),
        60..=3599 => format!("{} min", a / 60),
        3600..=86_399 => format!("{} h", a / 3600),
        _ => format!("{} d", a / 86_400),
    };
    if secs >= 0 {
        format!("{span} ago")
    } else {
        format!("in {span}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_words_with_the_exact_time_on_hover() {
        assert_eq!(relative(5), "5 s ago");
        assert_eq!(relative(-125), "in 2 min");
        assert_eq!(relative(7200), "2 h ago");
        let now = DateTime::parse_from_rfc3339("2026-01-02T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let m = when(Some("2026-01-01T00:00:00Z"), now).into_string();
        assert!(m.contains("title=\"2026-01-01T00:00:00Z\""), "{m}");
        assert!(m.contains("1 d ago"), "{m}");
    }

    #[test]
    fn the_region_is_cut_from_its_start_to_its_marker() {
        let inner = html! { p { "<!--/region--> in text" } div { "nested" } };
        let page =
            html! { main { h1 { "T" } (live("/x?a=1&b=2", inner)) footer { "f" } } }.into_string();
        let region = &page[region_span(&page).expect("a region")];
        assert!(
            region.starts_with("<div id=\"region\" data-src=\"/x?a=1&amp;b=2\">"),
            "{region}"
        );
        assert!(region.ends_with("<div>nested</div></div>"), "{region}");
        assert!(
            region.contains("&lt;!--/region--&gt; in text"),
            "text cannot end it"
        );
        assert_eq!(region_span("<main>no region</main>"), None);
        assert_eq!(region_span("<div id=\"region\">no marker"), None);
    }
}
