//! The dependency graph of work items: an item lists the ids it waits on in
//! `depends_on` (an extra field legacy readers ignore). Edges are checked when
//! they are made (the other item must exist, and no edge may close a cycle),
//! and an item is ready when it is pending (or its lease expired) and every
//! item it waits on is completed. Archived items were completed, so an id
//! that is no longer among the claims counts as done.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::find_open_claim;
use crate::error::{NexusError, Result};
use crate::records::{self, depends_on, is_completed, text};
use crate::store::State;

/// Refuse edges from `id` to unknown items, or that would close a cycle.
/// `id` itself need not exist yet (an item being added).
fn check_edges(state: &mut dyn State, id: &str, on: &[String]) -> Result<()> {
    for other in on {
        if other != id && state.claim(other)?.is_none() {
            return Err(NexusError::UnknownDependency {
                id: id.to_string(),
                on: other.clone(),
                path: state.claims_path(),
            });
        }
    }
    let with_deps = state.claims_where(&|c| !depends_on(c).is_empty())?;
    let edges: HashMap<&str, Vec<&str>> = with_deps
        .iter()
        .map(|c| (text(c, "work_item_id").unwrap_or(""), depends_on(c)))
        .collect();
    for other in on {
        if let Some(mut path) = path_between(&edges, other, id) {
            path.insert(0, id.to_string());
            return Err(NexusError::DependencyCycle {
                id: id.to_string(),
                cycle: path,
            });
        }
    }
    Ok(())
}

/// A path of `depends_on` edges from `from` to `to` (both included), if any.
fn path_between(edges: &HashMap<&str, Vec<&str>>, from: &str, to: &str) -> Option<Vec<String>> {
    let mut came_from: HashMap<&str, &str> = HashMap::new();
    let mut seen: HashSet<&str> = HashSet::from([from]);
    let mut todo = vec![from];
    while let Some(at) = todo.pop() {
        if at == to {
            let mut path = vec![to.to_string()];
            let mut cur = to;
            while let Some(prev) = came_from.get(cur) {
                path.push(prev.to_string());
                cur = prev;
            }
            path.reverse();
            return Some(path);
        }
        for next in edges.get(at).into_iter().flatten() {
            if seen.insert(next) {
                came_from.insert(next, at);
                todo.push(next);
            }
        }
    }
    None
}

/// The ids of `on`, each once, in order.
fn distinct(on: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    on.iter()
        .filter(|o| !o.is_empty() && seen.insert(o.as_str()))
        .cloned()
        .collect()
}

/// Check the dependencies of an item about to be added: the ids to store.
pub fn new_item_dependencies(state: &mut dyn State, on: &[String]) -> Result<Vec<String>> {
    let on = distinct(on);
    check_edges(state, "the new item", &on)?;
    Ok(on)
}

/// Make `id` wait on each of `on` as well (edges it has are kept).
pub fn add_dependencies(state: &mut dyn State, id: &str, on: &[String]) -> Result<Value> {
    let mut record = find_open_claim(state, id)?;
    let mut deps: Vec<String> = depends_on(&record).into_iter().map(String::from).collect();
    let new: Vec<String> = distinct(on)
        .into_iter()
        .filter(|o| !deps.contains(o))
        .collect();
    if new.is_empty() {
        return Ok(record);
    }
    check_edges(state, id, &new)?;
    deps.extend(new);
    records::merge(&mut record, json!({"depends_on": deps}));
    state.put_claim(record.clone())?;
    Ok(record)
}

/// Stop `id` waiting on `on`.
pub fn remove_dependency(
    state: &mut dyn State,
    id: &str,
    on: &str,
    rid: Option<&str>,
) -> Result<Value> {
    let mut record = find_open_claim(state, id)?;
    let deps = depends_on(&record);
    if !deps.contains(&on) && rid.is_some() {
        // A retry of a removal that took effect: the edge is gone, as asked.
        return Ok(record);
    }
    if !deps.contains(&on) {
        return Err(NexusError::invalid(
            "dependency",
            on,
            format!("{id} does not depend on it"),
        ));
    }
    let kept: Vec<String> = deps
        .into_iter()
        .filter(|d| *d != on)
        .map(String::from)
        .collect();
    records::merge(&mut record, json!({"depends_on": kept}));
    state.put_claim(record.clone())?;
    Ok(record)
}

/// The claims of one snapshot, by id, for the readers of the graph.
pub struct Graph<'a> {
    by_id: HashMap<&'a str, &'a Value>,
    claims: &'a [Value],
}

/// An item that waits, and the items it waits on that are not completed.
pub struct Waiting<'a> {
    pub item: &'a Value,
    pub waits_on: Vec<&'a Value>,
}

impl<'a> Graph<'a> {
    /// The graph of `claims` (the last record of an id wins, as in the store).
    pub fn new(claims: &'a [Value]) -> Graph<'a> {
        let by_id = claims
            .iter()
            .filter_map(|c| Some((text(c, "work_item_id")?, c)))
            .collect();
        Graph { by_id, claims }
    }

    /// The record of `id`, if among the claims.
    pub fn get(&self, id: &str) -> Option<&'a Value> {
        self.by_id.get(id).copied()
    }

    /// The items `record` waits on that are not completed.
    pub fn unmet(&self, record: &Value) -> Vec<&'a Value> {
        depends_on(record)
            .into_iter()
            .filter_map(|d| self.get(d))
            .filter(|d| !is_completed(d))
            .collect()
    }

    /// The items `claim --next` may take at `now` (of `team`), in claim order.
    pub fn ready(&self, team: Option<&str>, now: DateTime<Utc>) -> Vec<&'a Value> {
        let claims = self.claims;
        records::queue::ready(claims, team, now)
            .into_iter()
            .map(|i| &claims[i])
            .collect()
    }

    /// The open items that wait on others, in claim order (see
    /// [`records::queue::blocked`]: the graph is then of the live claims).
    pub fn blocked(&self, team: Option<&str>) -> Vec<Waiting<'a>> {
        let claims = self.claims;
        records::queue::blocked(claims, team)
            .into_iter()
            .map(|(i, on)| Waiting {
                item: &claims[i],
                waits_on: on.into_iter().map(|j| &claims[j]).collect(),
            })
            .collect()
    }

    /// The chain below `id`: each item it waits on, transitively, with its
    /// depth (1 = a direct dependency), depth first, each item once.
    pub fn chain(&self, id: &str) -> Vec<(usize, &'a Value)> {
        let mut out = Vec::new();
        let mut seen = HashSet::from([id.to_string()]);
        let mut todo: Vec<(usize, &str)> = self
            .get(id)
            .map(|r| depends_on(r).into_iter().rev().map(|d| (1, d)).collect())
            .unwrap_or_default();
        while let Some((depth, at)) = todo.pop() {
            if !seen.insert(at.to_string()) {
                continue;
            }
            if let Some(r) = self.get(at) {
                out.push((depth, r));
                todo.extend(depends_on(r).into_iter().rev().map(|d| (depth + 1, d)));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::fleet::{AddRequest, claim_next};
    use crate::ops::tests::ctx;
    use crate::store::{MemStore, Step, Store};

    fn step() -> Step {
        Step::quiet("test", "t")
    }

    fn add(store: &MemStore, name: &str, on: &[&str]) -> crate::error::Result<String> {
        let req = AddRequest {
            work_type: "t".into(),
            description: name.into(),
            priority: "medium".into(),
            team: "blue".into(),
            request_id: None,
            depends_on: on.iter().map(|s| s.to_string()).collect(),
        };
        store.update(&step(), |st| {
            crate::ops::fleet::add(st, &req, &ctx())
                .map(|r| text(&r, "work_item_id").unwrap_or("").to_string())
        })
    }

    #[test]
    fn edges_to_unknown_items_or_closing_a_cycle_are_refused_and_change_nothing() {
        let store = MemStore::default();
        let a = add(&store, "a", &[]).unwrap();
        let b = add(&store, "b", &[&a]).unwrap();
        let c = add(&store, "c", &[&b]).unwrap();
        let before = store.state().claims.clone();
        let e = add(&store, "d", &["work_404"]).unwrap_err();
        assert_eq!(e.kind(), "unknown_dependency");
        let cycle = |id: &str, on: &str| {
            store
                .update(&step(), |st| add_dependencies(st, id, &[on.to_string()]))
                .unwrap_err()
        };
        let e = cycle(&a, &c);
        assert_eq!(e.kind(), "dependency_cycle");
        assert!(
            e.to_string().contains(&format!("{a} -> {c} -> {b} -> {a}")),
            "{e}"
        );
        assert!(cycle(&a, &a).to_string().contains(&format!("{a} -> {a}")));
        assert!(
            cycle(&b, &c)
                .to_string()
                .contains(&format!("{b} -> {c} -> {b}"))
        );
        assert_eq!(store.state().claims, before, "nothing changed");
        let r = store
            .update(&step(), |st| remove_dependency(st, &c, &b, None))
            .unwrap();
        assert_eq!(depends_on(&r), Vec::<&str>::new());
        assert!(
            store
                .update(&step(), |st| remove_dependency(st, &c, &b, None))
                .is_err()
        );
        store
            .update(&step(), |st| {
                add_dependencies(st, &a, std::slice::from_ref(&c))
            })
            .unwrap();
    }

    #[test]
    fn only_items_whose_dependencies_are_completed_are_ready_and_claimed() {
        let store = MemStore::default();
        let a = add(&store, "a", &[]).unwrap();
        let b = add(&store, "b", &[&a]).unwrap();
        let c = add(&store, "c", &[&a, &b]).unwrap();
        let take = || {
            store
                .update(&step(), |st| claim_next(st, "agent", None, None, &ctx()))
                .map(|c| c.work_id)
        };
        assert_eq!(take().unwrap(), a);
        assert_eq!(take().unwrap_err().kind(), "nothing_available");
        let claims = store.state().claims.clone();
        let g = Graph::new(&claims);
        assert!(g.ready(None, ctx().now).is_empty());
        let blocked: Vec<(&str, usize)> = g
            .blocked(None)
            .iter()
            .map(|w| (text(w.item, "work_item_id").unwrap(), w.waits_on.len()))
            .collect();
        assert_eq!(blocked, [(b.as_str(), 1), (c.as_str(), 2)]);
        let chain: Vec<(usize, &str)> = g
            .chain(&c)
            .iter()
            .map(|(d, r)| (*d, text(r, "work_item_id").unwrap()))
            .collect();
        assert_eq!(chain, [(1, a.as_str()), (1, b.as_str())]);
        let done = crate::ops::complete::Completion {
            work_id: a.clone(),
            result: "ok".into(),
            points: 1,
            agent_id: None,
            velocity_team: None,
            request_id: None,
            proof: Default::default(),
        };
        store
            .update(&step(), |st| {
                crate::ops::complete::complete(st, &done, &ctx())
            })
            .unwrap();
        let claims = store.state().claims.clone();
        let ready: Vec<&str> = Graph::new(&claims)
            .ready(Some("blue"), ctx().now)
            .iter()
            .map(|r| text(r, "work_item_id").unwrap())
            .collect();
        assert_eq!(ready, [b.as_str()]);
        assert_eq!(take().unwrap(), b);
    }
}
