//! `/graph`: the dependency graph of the open work as an SVG picture. Items
//! that wait on others or are waited on are laid out in columns by how deep
//! their chain of dependencies is; each is coloured by its state (ready,
//! blocked, in progress, done) and the critical path (the longest chain of
//! unfinished items) is drawn bold. Built on [`crate::ops::graph::Graph`],
//! the reader `ready` and `blocked` use.

use std::collections::{HashMap, HashSet};

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde_json::{Value, json};

use super::layout::{live, page};
use super::views::enc;
use super::{Shared, reading, shown};
use crate::ops::graph::Graph;
use crate::records::{depends_on, is_active, is_completed, text};
use crate::store::Store;

/// The most items drawn (the graph stays readable; the rest are counted).
pub const MAX_NODES: usize = 400;
const COL_W: usize = 230;
const ROW_H: usize = 46;
const BOX_W: usize = 200;
const BOX_H: usize = 34;

/// One item of the picture.
pub struct Node {
    pub id: String,
    pub label: String,
    pub state: &'static str,
    pub deps: Vec<String>,
    pub depth: usize,
    pub row: usize,
}

/// The picture's items, the critical path and how many were left out.
pub struct Picture {
    pub nodes: Vec<Node>,
    pub critical: Vec<String>,
    pub left_out: usize,
}

/// The records of the items in a dependency (open items that wait, and
/// what they wait on), the only ones the picture reads.
pub fn in_dependencies(claims: &[crate::records::claim_record::ClaimRecord]) -> Vec<Value> {
    let mut wanted: HashSet<&str> = HashSet::new();
    for c in claims.iter().filter(|c| !is_completed(*c)) {
        let deps = depends_on(c);
        if !deps.is_empty() {
            wanted.extend(text(c, "work_item_id"));
            wanted.extend(deps);
        }
    }
    claims
        .iter()
        .filter(|c| text(*c, "work_item_id").is_some_and(|id| wanted.contains(id)))
        .map(|c| json!(c))
        .collect()
}

/// The graph of the open work in `claims`.
pub fn picture(claims: &[Value], now: chrono::DateTime<chrono::Utc>) -> Picture {
    let g = Graph::new(claims);
    let ready: HashSet<&str> = g
        .ready(None, now)
        .into_iter()
        .filter_map(|c| text(c, "work_item_id"))
        .collect();
    // Items in an edge: open items that wait, and what they wait on.
    let mut wanted: Vec<&str> = Vec::new();
    let mut seen = HashSet::new();
    for c in claims.iter().filter(|c| !is_completed(*c)) {
        let deps = depends_on(c);
        if deps.is_empty() {
            continue;
        }
        for id in std::iter::once(text(c, "work_item_id").unwrap_or("")).chain(deps) {
            if g.get(id).is_some() && seen.insert(id) {
                wanted.push(id);
            }
        }
    }
    let left_out = wanted.len().saturating_sub(MAX_NODES);
    wanted.truncate(MAX_NODES);
    let kept: HashSet<&str> = wanted.iter().copied().collect();
    let state = |c: &Value| -> &'static str {
        let id = text(c, "work_item_id").unwrap_or("");
        if is_completed(c) {
            "done"
        } else if is_active(c) {
            "progress"
        } else if !g.unmet(c).is_empty() {
            "blocked"
        } else if ready.contains(id) {
            "ready"
        } else {
            "open"
        }
    };
    // Depth: the longest chain of kept dependencies below an item.
    let mut depth: HashMap<&str, usize> = HashMap::new();
    fn depth_of<'a>(
        id: &'a str,
        g: &Graph<'a>,
        kept: &HashSet<&str>,
        memo: &mut HashMap<&'a str, usize>,
        guard: usize,
    ) -> usize {
        if let Some(d) = memo.get(id) {
            return *d;
        }
        let deps = g.get(id).map(depends_on).unwrap_or_default();
        let d = if guard > MAX_NODES {
            0
        } else {
            deps.into_iter()
                .filter(|d| kept.contains(d))
                .map(|d| depth_of(d, g, kept, memo, guard + 1) + 1)
                .max()
                .unwrap_or(0)
        };
        memo.insert(id, d);
        d
    }
    for id in &wanted {
        depth_of(id, &g, &kept, &mut depth, 0);
    }
    let mut rows: HashMap<usize, usize> = HashMap::new();
    let nodes: Vec<Node> = wanted
        .iter()
        .filter_map(|id| {
            let c = g.get(id)?;
            let d = depth.get(id).copied().unwrap_or(0);
            let row = rows.entry(d).or_default();
            *row += 1;
            Some(Node {
                id: id.to_string(),
                label: text(c, "description").unwrap_or("").to_string(),
                state: state(c),
                deps: depends_on(c)
                    .into_iter()
                    .filter(|d| kept.contains(d))
                    .map(str::to_string)
                    .collect(),
                depth: d,
                row: *row - 1,
            })
        })
        .collect();
    let critical = critical_path(&nodes);
    Picture {
        nodes,
        critical,
        left_out,
    }
}

/// The longest chain of unfinished items, from the first to do to the last.
fn critical_path(nodes: &[Node]) -> Vec<String> {
    let by_id: HashMap<&str, &Node> = nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    let mut order: Vec<&Node> = nodes.iter().collect();
    order.sort_by_key(|n| n.depth);
    // Longest unfinished chain ending at each item, and the step before it.
    let mut best: HashMap<&str, (usize, Option<&str>)> = HashMap::new();
    for n in order {
        let own = usize::from(n.state != "done");
        let (len, prev) = n
            .deps
            .iter()
            .filter_map(|d| best.get(d.as_str()).map(|(l, _)| (*l, Some(d.as_str()))))
            .max_by_key(|(l, _)| *l)
            .unwrap_or((0, None));
        best.insert(n.id.as_str(), (len + own, prev));
    }
    let Some((mut at, _)) = best
        .iter()
        .filter(|(id, _)| by_id.get(*id).is_some_and(|n| n.state != "done"))
        .max_by_key(|(id, (l, _))| (*l, std::cmp::Reverse(**id)))
        .map(|(id, v)| (*id, *v))
    else {
        return Vec::new();
    };
    let mut path = vec![at.to_string()];
    while let Some((_, Some(prev))) = best.get(at) {
        if by_id.get(prev).is_some_and(|n| n.state == "done") {
            break;
        }
        path.push(prev.to_string());
        at = prev;
    }
    path.reverse();
    path
}

fn clip(s: &str, n: usize) -> String {
    let s = shown(s);
    if s.chars().count() <= n {
        s
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// The picture as SVG (class names carry the colours of the style sheet).
pub fn svg(p: &Picture) -> Markup {
    let pos: HashMap<&str, (usize, usize)> = p
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), (10 + n.depth * COL_W, 10 + n.row * ROW_H)))
        .collect();
    let on_path: HashSet<&str> = p.critical.iter().map(String::as_str).collect();
    let width = pos.values().map(|(x, _)| x + BOX_W + 10).max().unwrap_or(0);
    let height = pos.values().map(|(_, y)| y + BOX_H + 10).max().unwrap_or(0);
    html! {
        svg.graph xmlns="http://www.w3.org/2000/svg" width=(width) height=(height)
            viewBox=(format!("0 0 {width} {height}")) role="img"
            aria-label=(format!("Dependency graph of {} items", p.nodes.len())) {
            defs { marker #arrow viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto" {
                path.arrowhead d="M0,0 L10,5 L0,10 z" {}
            } }
            @for n in &p.nodes {
                @for d in &n.deps {
                    @if let (Some((x1, y1)), Some((x2, y2))) = (pos.get(d.as_str()), pos.get(n.id.as_str())) {
                        @let hot = on_path.contains(d.as_str()) && on_path.contains(n.id.as_str());
                        line class=(if hot { "edge critical" } else { "edge" })
                            x1=(x1 + BOX_W) y1=(y1 + BOX_H / 2) x2=(x2) y2=(y2 + BOX_H / 2)
                            marker-end="url(#arrow)" {}
                    }
                }
            }
            @for n in &p.nodes {
                @let (x, y) = pos[n.id.as_str()];
                @let cls = format!("node {}{}", n.state, if on_path.contains(n.id.as_str()) { " critical" } else { "" });
                a href=(format!("/work/{}", enc(&n.id))) {
                    title { (shown(&n.id)) " (" (n.state) "): " (shown(&n.label)) }
                    g class=(cls) {
                        rect x=(x) y=(y) width=(BOX_W) height=(BOX_H) rx="5" {}
                        text x=(x + 8) y=(y + 14) { (clip(&n.id, 28)) }
                        text.label x=(x + 8) y=(y + 28) { (clip(&n.label, 30)) }
                    }
                }
            }
        }
    }
}

/// `GET /graph`.
pub async fn page_of(State(h): State<Shared>, uri: Uri) -> Response {
    let got = reading(&h, |store, cfg| {
        let s = store.snapshot()?;
        Ok(picture(&in_dependencies(&s.claims), cfg.now))
    })
    .await;
    let p = match got {
        Ok(p) => p,
        Err(e) => return super::pages::failed(&e),
    };
    let count = |s: &str| p.nodes.iter().filter(|n| n.state == s).count();
    let body = html! {
        h1 { "Dependency graph" }
        (live(&uri.to_string(), html! {
            p { (p.nodes.len()) " items in dependencies: "
                span.key.ready { (count("ready")) " ready" } ", "
                span.key.blocked { (count("blocked")) " blocked" } ", "
                span.key.progress { (count("progress")) " in progress" } ", "
                span.key.done { (count("done")) " done" }
                " (blocked boxes are dashed; an arrow points from an item to what waits on it)"
                @if p.left_out > 0 { " (" (p.left_out) " more not drawn)" } }
            @if p.nodes.is_empty() {
                p.muted { "No item waits on another. Add dependencies with "
                    code { "nexus dep add ITEM --on OTHER" } " or on an item's page." }
            } @else {
                div.scroll.graphbox { (svg(&p)) }
                h2 { "Critical path" }
                p.muted { "The longest chain of unfinished items, first to do first (bold in the picture)." }
                ol { @for id in &p.critical { li {
                    a.mono href=(format!("/work/{}", enc(id))) { (shown(id)) }
                    @if let Some(n) = p.nodes.iter().find(|n| &n.id == id) { " " (shown(&n.label)) " (" (n.state) ")" }
                } } }
            }
        }))
    };
    page("Graph", "/graph", body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_critical_path_is_the_longest_unfinished_chain() {
        let now = chrono::Utc::now();
        let claims = vec![
            json!({"work_item_id": "a", "status": "completed"}),
            json!({"work_item_id": "b", "status": "available", "depends_on": ["a"]}),
            json!({"work_item_id": "c", "status": "available", "depends_on": ["b"]}),
            json!({"work_item_id": "d", "status": "available", "depends_on": ["c"]}),
            json!({"work_item_id": "x", "status": "available", "depends_on": ["a"]}),
        ];
        let p = picture(&claims, now);
        assert_eq!(p.critical, ["b", "c", "d"]);
        let state: HashMap<&str, &str> = p.nodes.iter().map(|n| (n.id.as_str(), n.state)).collect();
        assert_eq!(state["a"], "done");
        assert_eq!(state["c"], "blocked");
        assert_eq!(state["b"], "ready");
        let depth: HashMap<&str, usize> =
            p.nodes.iter().map(|n| (n.id.as_str(), n.depth)).collect();
        assert_eq!(
            (depth["a"], depth["b"], depth["d"], depth["x"]),
            (0, 1, 3, 1)
        );
        let svg = svg(&p).into_string();
        assert_eq!(svg.matches("class=\"edge critical\"").count(), 2, "{svg}");
    }
}
