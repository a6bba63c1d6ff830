//! The pages' markup. Every value from the state goes through maud's
//! escaping and [`super::shown`].

use chrono::{DateTime, Utc};
use maud::{Markup, html};
use serde_json::Value;

use super::layout::{live, page, when};
use super::pages::{COLUMNS, EventsQuery, ItemView, PER_PAGE, WorkPage, WorkQuery};
use super::rows::Figures;
use super::{cell, shown};

/// A link to the Work page filtered by `pairs`.
fn work_link(pairs: &[(&str, &str)]) -> String {
    let q: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect();
    format!("/work?{}", q.join("&"))
}

/// Percent-encoding of a query value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn card(label: &str, n: impl std::fmt::Display, href: &str) -> Markup {
    html! { div.card { a href=(href) { span.n { (n) } (label) } } }
}

pub fn fleet(f: &Figures, now: DateTime<Utc>, url: &str) -> Markup {
    let m = f;
    let body = html! {
        h1 { "Fleet" }
        (live(url, html! {
            p.muted { "Program increment " strong.mono { (m.pi_id) } " · as of " (when(Some(&m.now), now)) }
            h2 { "Items by status" }
            div.cards {
                (card("all items", m.total_items, "/work"))
                @for (status, n) in &f.by_status {
                    (card(&shown(status), n, &work_link(&[("status", status)])))
                }
            }
            h2 { "Right now" }
            div.cards {
                (card("stale items (idle over 24 h)", f.stale, &work_link(&[("status", "active"), ("sort", "age")])))
                (card("agents alive", f.agents - f.offline.min(f.agents), "/agents"))
                (card("agents offline", f.offline, "/agents"))
                (card("claims in the last hour", f.claims_last_hour, &work_link(&[("sort", "age"), ("dir", "desc")])))
                (card("completions in the last hour", f.completions_last_hour, &work_link(&[("status", "completed")])))
            }
            h2 { "Velocity per team" }
            p.muted { "Velocity points completed per day, the last " (super::charts::DAYS) " days" }
            div.scroll { (super::charts::chart(&f.velocity, now)) }
            h2 { "Work in progress per team" }
            div.scroll { table {
                caption.muted { "Active items against each team's limit (" (crate::report::metrics::WIP_PER_AGENT) " per agent)" }
                thead { tr { th scope="col" { "Team" } th scope="col" { "Active" } th scope="col" { "Limit" }
                    th scope="col" { "Agents" } th scope="col" { "Completed" } th scope="col" { "Velocity" } } }
                tbody {
                    @for t in &m.teams {
                        tr {
                            th scope="row" { a href=(work_link(&[("team", &t.name)])) { (shown(&t.name)) } }
                            td { a href=(work_link(&[("team", &t.name), ("status", "active")])) { (t.active) }
                                @if t.overloaded { " " span.bad { "over the limit" } } }
                            td { (t.agents * crate::report::metrics::WIP_PER_AGENT) }
                            td { (t.agents) }
                            td { a href=(work_link(&[("team", &t.name), ("status", "completed")])) { (t.completed) } }
                            td { (t.velocity) }
                        }
                    }
                }
            } }
        }))
    };
    page("Fleet", "/", body)
}

const STATUSES: &[&str] = &[
    "available",
    "active",
    "pending",
    "completed",
    "failed",
    "stale",
];
const PRIORITIES: &[&str] = &["critical", "high", "medium", "low"];

fn select(name: &str, label: &str, choices: &[&str], now: Option<&str>) -> Markup {
    html! {
        label { (label)
            select name=(name) {
                option value="" { "any" }
                @for c in choices {
                    option value=(c) selected[now == Some(*c)] { (c) }
                }
            }
        }
    }
}

/// The query of the Work page with `changes` applied.
fn work_url(q: &WorkQuery, changes: &[(&str, Option<String>)]) -> String {
    let mut pairs: Vec<(&str, Option<String>)> = vec![
        ("q", q.q.clone()),
        ("status", q.status.clone()),
        ("priority", q.priority.clone()),
        ("team", q.team.clone()),
        ("agent", q.agent.clone()),
        ("sort", q.sort.clone()),
        ("dir", q.dir.clone()),
        ("page", q.page.map(|p| p.to_string())),
    ];
    for (k, v) in changes {
        if let Some(p) = pairs.iter_mut().find(|p| p.0 == *k) {
            p.1 = v.clone();
        }
    }
    let given: Vec<(&str, &str)> = pairs
        .iter()
        .filter_map(|(k, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| (*k, v)))
        .collect();
    work_link(&given)
}

pub fn work(w: &WorkPage, q: &WorkQuery, url: &str, csrf: &str) -> Markup {
    let pages = (w.total as u64).div_ceil(PER_PAGE).max(1);
    let first = (w.page - 1) * PER_PAGE + 1;
    let body = html! {
        h1 { "Work" }
        form.filters method="get" action="/work" role="search" {
            label { "Text" input type="search" name="q" value=[q.q.as_deref()] placeholder="id, type or description"; }
            (select("status", "Status", STATUSES, q.status.as_deref()))
            (select("priority", "Priority", PRIORITIES, q.priority.as_deref()))
            label { "Team" input type="text" name="team" value=[q.team.as_deref()] size="14"; }
            label { "Agent" input type="text" name="agent" value=[q.agent.as_deref()] size="14"; }
            @if let Some(s) = &q.sort { input type="hidden" name="sort" value=(s); }
            @if let Some(d) = &q.dir { input type="hidden" name="dir" value=(d); }
            button type="submit" { "Filter" }
            a href="/work" { "Clear" }
        }
        (live(url, html! {
            p #count { (w.total) " items" @if w.total > 0 { ", showing " (first) "–" (first - 1 + w.rows.len() as u64) } }
            div.scroll { table #work {
                caption.muted { "Work items; select a heading to sort" }
                thead { tr {
                    @for (key, head, _) in COLUMNS {
                        @let on = q.sort.as_deref() == Some(*key);
                        @let desc = on && q.dir.as_deref() == Some("desc");
                        th scope="col" aria-sort=(if on { if desc { "descending" } else { "ascending" } } else { "none" }) {
                            a href=(work_url(q, &[("sort", Some(key.to_string())), ("dir", (on && !desc).then(|| "desc".to_string())), ("page", None)])) {
                                (head) @if on { @if desc { " ↓" } @else { " ↑" } }
                            }
                        }
                    }
                } }
                tbody {
                    @for r in &w.rows { (row(r, w.now)) }
                }
            } }
            nav.pager aria-label="Pages" {
                @if w.page > 1 { a href=(work_url(q, &[("page", Some((w.page - 1).to_string()))])) rel="prev" { "← Previous" } }
                span { "Page " (w.page) " of " (pages) }
                @if w.page < pages { a href=(work_url(q, &[("page", Some((w.page + 1).to_string()))])) rel="next" { "Next →" } }
            }
        }))
        details {
            summary { "Add an item" }
            @if csrf.is_empty() { p.muted { "Adding needs a write token: " a href="/login" { "sign in" } "." } }
            form.stack method="post" action="/work" {
                input type="hidden" name="csrf" value=(csrf);
                label { "Type" input name="work_type" required; }
                label { "Description" input name="description" required size="30"; }
                (select("priority", "Priority", PRIORITIES, Some("medium")))
                label { "Team" input name="team"; }
                button type="submit" { "Add" }
            }
        }
    };
    page("Work", "/work", body)
}

fn row(r: &Value, now: DateTime<Utc>) -> Markup {
    let id = r["work_item_id"].as_str().unwrap_or("");
    // Keyed by the item: a refresh moves the rows it still shows instead of
    // rewriting every row (the browser then lays out only what is new), and
    // versioned, so that a row the browser shows unchanged is not sent.
    super::kept::row(
        &format!("w-{id}"),
        html! {
                td.id { a href=(format!("/work/{}", enc(id))) { (shown(id)) } }
                td { (cell(&r["work_type"])) }
                td.desc { (cell(&r["description"])) }
                td { (cell(&r["priority"])) }
                td { (cell(&r["status"])) }
                td { @if let Some(p) = r["progress"].as_f64() {
                    progress max="100" value=(p) aria-label="progress" { (p) "%" } " " (p) "%"
                } }
                td { (cell(&r["team"])) }
                td.mono { (cell(&r["agent_id"])) }
                td { (when(r["claimed_at"].as_str(), now)) }
                td { (when(r["lease_expires_at"].as_str(), now)) }
        },
    )
}

fn status_link(id: &str, status: Option<&str>) -> Markup {
    html! {
        a.mono href=(format!("/work/{}", enc(id))) { (shown(id)) }
        " " span.muted { "(" (shown(status.unwrap_or("unknown"))) ")" }
    }
}

pub fn item(v: &ItemView, url: &str, csrf: &str) -> Markup {
    let c = &v.claim;
    let id = c["work_item_id"].as_str().unwrap_or("");
    let base = format!("/work/{}", enc(id));
    let body = html! {
        h1 { "Item " span.mono { (shown(id)) } }
        (live(url, html! {
            dl.fields {
                @if let Some(o) = c.as_object() {
                    @for (k, val) in o {
                        dt { (shown(k)) }
                        dd { @if k.ends_with("_at") || k == "last_update" { (when(val.as_str(), v.now)) " " }
                             span.mono { (cell(val)) } }
                    }
                }
            }
            h2 { "Waits on" }
            @if v.waits_on.is_empty() { p.muted { "nothing" } }
            ul { @for (d, s) in &v.waits_on { li { (status_link(d, s.as_deref()))
                " " form.inline method="post" action=(format!("{base}/dependencies/remove")) {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="on" value=(d);
                    button type="submit" { "Remove" }
                } } } }
            h2 { "Needed by" }
            @if v.needed_by.is_empty() { p.muted { "nothing" } }
            ul { @for (d, s) in &v.needed_by { li { (status_link(d, s.as_deref())) } } }
            h2 { "History" }
            div.scroll { table {
                thead { tr { th scope="col" { "#" } th scope="col" { "When" } th scope="col" { "Command" }
                    th scope="col" { "Agent" } th scope="col" { "Fields changed" } } }
                tbody { @for h in &v.history { tr {
                    td { (cell(&h["seq"])) }
                    td { (when(h["timestamp"].as_str(), v.now)) }
                    td { (cell(&h["command"])) }
                    td.mono { (cell(&h["agent"])) }
                    td { @if let Some(m) = h["changes"].as_object() {
                        (m.keys().map(|k| shown(k)).collect::<Vec<_>>().join(", ")) } }
                } } }
            } }
        }))
        h2 { "Spans" }
        @if v.spans.is_empty() { p.muted { "No recent spans of this item." } }
        @else { div.scroll { table #spans {
            caption.muted { "The item's recent spans in the order they started" }
            thead { tr { th scope="col" { "Started" } th scope="col" { "Operation" } th scope="col" { "ms" }
                th scope="col" { "Status" } th scope="col" { "Trace" } } }
            tbody { @for sp in &v.spans { tr {
                td { (when(sp["start_time"].as_str(), v.now)) }
                td.mono { (cell(&sp["operation_name"])) }
                td { (cell(&sp["duration_ms"])) }
                td { (cell(&sp["status"])) }
                td.mono { (cell(&sp["trace_id"])) }
            } } }
        } } }
        h2 { "Changes" }
        @if csrf.is_empty() { p.muted { "Changes need a write token: " a href="/login" { "sign in" } "." } }
        form.stack method="post" action=(format!("{base}/release")) {
            input type="hidden" name="csrf" value=(csrf);
            button type="submit" { "Release the claim" }
        }
        form.stack method="post" action=(format!("{base}/dependencies")) {
            input type="hidden" name="csrf" value=(csrf);
            label { "Wait on item" input name="on" required placeholder="work_…"; }
            button type="submit" { "Add dependency" }
        }
        form.stack method="post" action=(format!("{base}/priority")) {
            input type="hidden" name="csrf" value=(csrf);
            label { "Priority" select name="priority" {
                @for p in ["critical", "high", "medium", "low"] {
                    option value=(p) selected[v.claim["priority"].as_str() == Some(p)] { (p) }
                }
            } }
            button type="submit" { "Change priority" }
        }
    };
    page(&format!("Item {}", shown(id)), "/work", body)
}

pub fn agents(agents: &[Value], now: DateTime<Utc>, url: &str) -> Markup {
    let body = html! {
        h1 { "Agents" }
        (live(url, html! {
            p { (agents.len()) " agents" }
            div.scroll { table {
                thead { tr { th scope="col" { "Agent" } th scope="col" { "Team" } th scope="col" { "Capacity" }
                    th scope="col" { "Heartbeat" } th scope="col" { "Active work" } th scope="col" { "Completed" } } }
                tbody { @for a in agents {
                    @let id = a["agent_id"].as_str().unwrap_or("");
                    tr {
                        th.mono scope="row" { (shown(id)) }
                        td { a href=(work_link(&[("team", a["team"].as_str().unwrap_or(""))])) { (cell(&a["team"])) } }
                        td { (cell(&a["capacity"])) }
                        td { (when(a["last_heartbeat"].as_str(), now))
                             @if a["offline"] == true { " " span.bad { "offline" } } }
                        td { a href=(work_link(&[("agent", id), ("status", "active")])) {
                            (a["active_work"].as_array().map_or(0, Vec::len)) } }
                        td { (cell(&a["completions"])) }
                    }
                } }
            } }
        }))
    };
    page("Agents", "/agents", body)
}

pub fn events(events: &[Value], q: &EventsQuery, now: DateTime<Utc>, url: &str) -> Markup {
    let body = html! {
        h1 { "Events" }
        form.filters method="get" action="/events" role="search" {
            label { "Event" input name="event" value=[q.event.as_deref()] placeholder="claim, complete, …"; }
            label { "Team" input name="team" value=[q.team.as_deref()]; }
            label { "Item" input name="id" value=[q.id.as_deref()]; }
            button type="submit" { "Filter" }
            a href="/events" { "Clear" }
        }
        (live(url, html! {
            div.scroll { table #events {
                caption.muted { "The newest events first" }
                thead { tr { th scope="col" { "#" } th scope="col" { "When" } th scope="col" { "Event" }
                    th scope="col" { "Item" } th scope="col" { "Status" } th scope="col" { "Team" } th scope="col" { "Agent" } } }
                tbody { @for e in events {
                    @let id = e["id"].as_str().unwrap_or("");
                    tr {
                        td { (cell(&e["seq"])) }
                        td { (when(e["at"].as_str(), now)) }
                        td { (cell(&e["event"])) }
                        td.mono { @if e["record"] == "claim" { a href=(format!("/work/{}", enc(id))) { (shown(id)) } } @else { (shown(id)) } }
                        td { (cell(&e["status"])) }
                        td { (cell(&e["team"])) }
                        td.mono { (cell(&e["agent_id"])) }
                    }
                } }
            } }
        }))
    };
    page("Events", "/events", body)
}
