//! The pages' handlers: each reads what it shows through a command's
//! handler or the report figures, on the blocking pool, and renders it.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Shared, command, layout, reading, remembered, views};
use crate::commands::list::ListArgs;
use crate::records::claim_record::ClaimRecord;
use crate::records::text;
use crate::store::Store;

/// Rows of the Work page.
pub const PER_PAGE: u64 = 50;

/// An error as a page, with the status the JSON API gives it.
pub fn failed(e: &crate::error::NexusError) -> Response {
    let status = match e.kind() {
        "invalid_input" | "usage" | "no_work_id" | "dependency_cycle" => StatusCode::BAD_REQUEST,
        "not_found" | "unknown_agent" | "unknown_dependency" => StatusCode::NOT_FOUND,
        "already_completed" | "not_active" | "lease_lost" | "file_lock_conflict"
        | "nothing_available" => StatusCode::CONFLICT,
        _ => StatusCode::SERVICE_UNAVAILABLE,
    };
    layout::failure(status, &crate::redact::redact_text(&e.to_string()))
}

/// `GET /`: the fleet at a glance, from the state in memory.
pub async fn fleet(State(h): State<Shared>, uri: Uri) -> Response {
    let got = remembered(&h, |held, cfg| {
        Ok((held.figures(cfg.now, cfg.ai.offline_after_secs), cfg.now))
    })
    .await;
    match got {
        Ok((f, now)) => views::fleet(&f, now, &uri.to_string()).into_response(),
        Err(e) => failed(&e),
    }
}

/// The filters, sort and page of the Work page (all kept in its URL).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct WorkQuery {
    pub q: Option<String>,
    pub status: Option<String>,
    pub priority: Option<String>,
    pub team: Option<String>,
    pub agent: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<u64>,
}

/// The columns of the Work table: (sort key, heading, record field).
pub const COLUMNS: &[(&str, &str, &str)] = &[
    ("id", "ID", "work_item_id"),
    ("type", "Type", "work_type"),
    ("description", "Description", "description"),
    ("priority", "Priority", "priority"),
    ("status", "Status", "status"),
    ("progress", "Progress", "progress"),
    ("team", "Team", "team"),
    ("agent", "Agent", "agent_id"),
    ("age", "Age", "claimed_at"),
    ("lease", "Lease left", "lease_expires_at"),
];

/// One page of the Work table.
pub struct WorkPage {
    pub rows: Vec<Value>,
    pub total: usize,
    pub page: u64,
    pub now: DateTime<Utc>,
}

/// `GET /work`: the items, filtered, sorted and paged on the server.
pub async fn work(
    State(h): State<Shared>,
    Query(q): Query<WorkQuery>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let query = q.clone();
    let got = remembered(&h, move |held, cfg| {
        let page = query.page.unwrap_or(1).max(1);
        let args = ListArgs {
            status: query.status.clone(),
            team: query.team.clone(),
            agent: query.agent.clone(),
            priority: query.priority.clone(),
            search: query.q.clone(),
            ..ListArgs::default()
        };
        let sort = COLUMNS
            .iter()
            .find(|c| Some(c.0) == query.sort.as_deref())
            .map(|c| c.2);
        let start = usize::try_from((page - 1) * PER_PAGE).unwrap_or(usize::MAX);
        let keep = args.matcher();
        let (mut rows, mut total) = (Vec::new(), 0);
        let mut take = |c: &ClaimRecord| {
            if keep(c) {
                if total >= start && rows.len() < PER_PAGE as usize {
                    rows.push(json!(c));
                }
                total += 1;
            }
        };
        match sort {
            None => held.snap.claims.iter().for_each(take),
            Some(field) => {
                let desc = query.dir.as_deref() == Some("desc");
                let (order, claims) = held.order(field, desc);
                order.iter().for_each(|&i| take(&claims[i]));
            }
        }
        Ok(WorkPage {
            rows,
            total,
            page,
            now: cfg.now,
        })
    })
    .await;
    match got {
        Ok(w) => views::work(&w, &q, &uri.to_string(), &csrf_of(&headers)).into_response(),
        Err(e) => failed(&e),
    }
}

/// What the Item page shows.
pub struct ItemView {
    pub claim: Value,
    pub history: Vec<Value>,
    /// Items this one waits on, with their status.
    pub waits_on: Vec<(String, Option<String>)>,
    /// Items that wait on this one, with their status.
    pub needed_by: Vec<(String, Option<String>)>,
    /// The item's spans among the recent ones, oldest first.
    pub spans: Vec<Value>,
    pub now: DateTime<Utc>,
}

/// `GET /work/{id}`: every field of one item, its dependencies both ways,
/// its history, and the changes a person can make.
pub async fn item(
    State(h): State<Shared>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let wid = id.clone();
    let got = reading(&h, move |store, cfg| {
        let shown = command("show", json!({"work_id": wid}), store, cfg)?;
        let s = store.snapshot()?;
        let status_of = |id: &str| {
            s.claims
                .iter()
                .rfind(|c| text(c, "work_item_id") == Some(id))
                .and_then(|c| text(c, "status").map(str::to_string))
        };
        let waits_on = shown["claim"]["depends_on"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(|d| (d.to_string(), status_of(d)))
                    .collect()
            })
            .unwrap_or_default();
        let needed_by = s
            .claims
            .iter()
            .filter(|c| {
                c.get("depends_on")
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.iter().any(|d| d.as_str() == Some(wid.as_str())))
            })
            .filter_map(|c| {
                let id = text(c, "work_item_id")?;
                Some((id.to_string(), text(c, "status").map(str::to_string)))
            })
            .collect();
        let spans = store
            .spans_tail()?
            .into_iter()
            .filter(|sp| sp["span_attributes"]["s2s.work_item_id"] == wid.as_str())
            .collect();
        Ok(ItemView {
            spans,
            claim: shown["claim"].clone(),
            history: shown["history"].as_array().cloned().unwrap_or_default(),
            waits_on,
            needed_by,
            now: cfg.now,
        })
    })
    .await;
    match got {
        Ok(v) => views::item(&v, &uri.to_string(), &csrf_of(&headers)).into_response(),
        Err(e) => failed(&e),
    }
}

/// `GET /agents`: each agent, its team, capacity, heartbeat and work.
pub async fn agents(State(h): State<Shared>, uri: Uri) -> Response {
    let got = reading(&h, |store, cfg| {
        let a = command("agents", json!({}), store, cfg)?;
        Ok((a["agents"].as_array().cloned().unwrap_or_default(), cfg.now))
    })
    .await;
    match got {
        Ok((a, now)) => views::agents(&a, now, &uri.to_string()).into_response(),
        Err(e) => failed(&e),
    }
}

/// The filters of the Events page.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EventsQuery {
    pub event: Option<String>,
    pub team: Option<String>,
    pub id: Option<String>,
}

/// The newest events the Events page shows.
const RECENT_EVENTS: u64 = 200;

/// `GET /events`: the newest events, newest first, filtered.
pub async fn events(State(h): State<Shared>, Query(q): Query<EventsQuery>, uri: Uri) -> Response {
    let query = q.clone();
    let got = reading(&h, move |store, cfg| {
        let last = store.event_feed(None)?.seen();
        let mut feed = store.event_feed(Some(last.saturating_sub(RECENT_EVENTS)))?;
        let given = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
        let (event, team, id) = (given(&query.event), given(&query.team), given(&query.id));
        let mut events: Vec<Value> = feed
            .poll(store)?
            .into_iter()
            .filter(|e| event.as_deref().is_none_or(|v| e["event"] == v))
            .filter(|e| team.as_deref().is_none_or(|v| e["team"] == v))
            .filter(|e| id.as_deref().is_none_or(|v| e["id"] == v))
            .collect();
        events.reverse();
        Ok((events, cfg.now))
    })
    .await;
    match got {
        Ok((events, now)) => views::events(&events, &q, now, &uri.to_string()).into_response(),
        Err(e) => failed(&e),
    }
}

/// The CSRF token of the forms on a page for this request ("" unsigned).
fn csrf_of(headers: &HeaderMap) -> String {
    super::cookie(headers)
        .map(|t| super::forms::csrf_for(&t))
        .unwrap_or_default()
}
