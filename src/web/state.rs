//! The server's copy of the state in memory, for the pages that read all of
//! it (Fleet, Work) and the API's list: read whole once, then kept current
//! from the store's events. Before each read it asks the store what changed
//! since it last looked (a look at the events file's length and the state
//! files' stamps, or PostgreSQL's events after the last it read) and
//! applies only the records the new events name; when the events cannot
//! tell (another tool wrote the files, records were archived, too many
//! changed) it reads everything again. So a page never shows less than the store held when
//! the request came, CLI writers beside the server included.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::rows::{self, Figures, Key, Row};
use crate::error::Result;
use crate::records::claim_record::ClaimRecord;
use crate::records::names::Names;
use crate::records::text;
use crate::store::{AnyStore, Changes, Snapshot, Store};

/// How long a look at the changes waits for writers that keep the files
/// moving.
const WAIT: Duration = Duration::from_millis(crate::config::DEFAULT_LOCK_TIMEOUT_MS);

/// Beyond this many changed records at once, the kept orders are made
/// again rather than mended.
const REORDER_MAX: usize = 256;

/// The copy, shared by every request of a server.
#[derive(Default)]
pub struct Memory {
    held: Mutex<Option<Held>>,
    /// How many times the state was read whole (shown in `/metrics`).
    reads: std::sync::atomic::AtomicU64,
}

/// The state as of the last look, and where to look from next.
pub struct Held {
    pub snap: Snapshot,
    /// Each claim's row, beside it.
    rows: Vec<Row>,
    names: Names,
    /// Where each work id's (last) record is in `snap.claims`.
    by_id: HashMap<String, usize>,
    /// The claims' positions sorted by a field (and direction), made when
    /// a page first asks and kept sorted as records change.
    orders: HashMap<(String, bool), Vec<usize>>,
    mark: Changes,
}

impl Memory {
    /// Run `f` on the state as current as the store's last step.
    pub fn with<T>(&self, store: &AnyStore, f: impl FnOnce(&mut Held) -> Result<T>) -> Result<T> {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        let current = match held.as_mut() {
            Some(h) => h.catch_up(store)?,
            None => false,
        };
        if !current {
            // A failed read leaves nothing: the next request reads again.
            *held = None;
            *held = Some(Held::read(store)?);
            self.reads
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        f(held.as_mut().expect("read above"))
    }

    /// How many times the state was read whole: once at start, then only
    /// when the events could not tell what changed.
    pub fn reads(&self) -> u64 {
        self.reads.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Held {
    fn read(store: &AnyStore) -> Result<Held> {
        let mark = store.follow_mark()?;
        let snap = store.snapshot()?;
        let by_id = snap
            .claims
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((text(c, "work_item_id")?.to_string(), i)))
            .collect();
        let mut names = Names::default();
        let rows = snap.claims.iter().map(|c| Row::of(c, &mut names)).collect();
        Ok(Held {
            snap,
            rows,
            names,
            by_id,
            orders: HashMap::new(),
            mark,
        })
    }

    /// The Fleet page's figures at `now`.
    pub fn figures(&self, now: DateTime<Utc>, offline_after_secs: i64) -> Figures {
        let s = &self.snap;
        rows::figures(
            s,
            &self.rows,
            &self.names,
            &self.by_id,
            now,
            offline_after_secs,
        )
    }

    /// The claims' positions sorted by `field` (`desc`: largest first;
    /// ties in file order, turned round when descending, so that the
    /// descending list is the ascending one read backwards: the newest of
    /// the items claimed in one second comes first), and the claims.
    pub fn order(&mut self, field: &str, desc: bool) -> (&[usize], &[ClaimRecord]) {
        let claims = &self.snap.claims;
        let order = (self.orders)
            .entry((field.to_string(), desc))
            .or_insert_with(|| {
                let mut keyed: Vec<(Key, usize)> = (claims.iter().enumerate())
                    .map(|(i, r)| (Key::of(r, field), i))
                    .collect();
                keyed.sort_unstable_by(|a, b| ranked(&a.0, a.1, &b.0, b.1, desc));
                keyed.into_iter().map(|k| k.1).collect()
            });
        (order, claims)
    }

    /// Put the records at `moved` (changed or new) in their places in
    /// every kept order; many at once make the orders again on next use.
    fn reorder(&mut self, moved: &[usize]) {
        if moved.is_empty() {
            return;
        }
        if moved.len() > REORDER_MAX {
            self.orders.clear();
            return;
        }
        let claims = &self.snap.claims;
        let gone: HashSet<usize> = moved.iter().copied().collect();
        for ((field, desc), order) in &mut self.orders {
            order.retain(|i| !gone.contains(i));
            for &i in &gone {
                let key = Key::of(&claims[i], field);
                let at = order.partition_point(|&j| {
                    ranked(&Key::of(&claims[j], field), j, &key, i, *desc) == Ordering::Less
                });
                order.insert(at, i);
            }
        }
    }

    /// Apply what changed since the last look; `false` when only a whole
    /// read can tell.
    fn catch_up(&mut self, store: &AnyStore) -> Result<bool> {
        let Some(changes) = store.changes_after(&self.mark, WAIT)? else {
            return Ok(false);
        };
        self.apply(changes);
        Ok(true)
    }

    /// Apply `changes` (records by work id, agents, completions) and move
    /// the mark past them.
    fn apply(&mut self, mut changes: Changes) {
        let next = changes.take_mark();
        let s = &mut self.snap;
        let mut moved = Vec::with_capacity(changes.claims.len());
        for (id, record) in changes.claims {
            let record = ClaimRecord::from(record);
            let row = Row::of(&record, &mut self.names);
            let i = *self.by_id.entry(id).or_insert(s.claims.len());
            if i == s.claims.len() {
                s.claims.push(record);
                self.rows.push(row);
            } else {
                s.claims[i] = record;
                self.rows[i] = row;
            }
            moved.push(i);
        }
        if let Some(agents) = changes.agents {
            s.agents = agents;
        }
        if let Some((completions, velocity)) = changes.completions {
            s.completions = completions;
            s.velocity_lines = velocity;
        }
        self.reorder(&moved);
        self.mark = next;
    }
}

/// The order of the records at `i` and `j` with keys `a` and `b`.
fn ranked(a: &Key, i: usize, b: &Key, j: usize, desc: bool) -> Ordering {
    let by_place = if desc { j.cmp(&i) } else { i.cmp(&j) };
    a.order(b, desc).then(by_place)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn held(claims: Vec<Value>) -> Held {
        let snap = Snapshot {
            claims: claims.into_iter().map(ClaimRecord::from).collect(),
            ..Snapshot::default()
        };
        let mut names = Names::default();
        Held {
            rows: snap.claims.iter().map(|c| Row::of(c, &mut names)).collect(),
            by_id: (snap.claims.iter().enumerate())
                .filter_map(|(i, c)| Some((text(c, "work_item_id")?.to_string(), i)))
                .collect(),
            snap,
            names,
            orders: HashMap::new(),
            mark: Changes::default(),
        }
    }

    fn ids(h: &mut Held, field: &str, desc: bool) -> Vec<String> {
        let (order, claims) = h.order(field, desc);
        order
            .iter()
            .map(|&i| text(&claims[i], "work_item_id").unwrap().to_string())
            .collect()
    }

    #[test]
    fn kept_orders_stay_sorted_as_records_change_and_arrive() {
        let item = |id: &str, p: Value, pr: &str| json!({"work_item_id": id, "progress": p, "priority": pr});
        let mut h = held(vec![
            item("w1", json!(10), "high"),
            item("w2", json!(50), "low"),
            item("w3", Value::Null, "high"),
            item("w4", json!(30), "medium"),
        ]);
        assert_eq!(ids(&mut h, "progress", true), ["w2", "w4", "w1", "w3"]);
        assert_eq!(ids(&mut h, "priority", false), ["w1", "w3", "w2", "w4"]);
        h.apply(Changes {
            claims: vec![
                ("w1".into(), item("w1", json!(90), "low")),
                ("w5".into(), item("w5", json!(30), "high")),
            ],
            ..Changes::default()
        });
        let mut fresh = held(h.snap.claims.iter().map(|c| c.to_value()).collect());
        for (field, desc) in [("progress", true), ("priority", false)] {
            assert_eq!(ids(&mut h, field, desc), ids(&mut fresh, field, desc));
        }
        assert_eq!(
            ids(&mut h, "progress", true),
            ["w1", "w2", "w5", "w4", "w3"]
        );
    }

    #[test]
    fn descending_is_ascending_read_backwards_ties_included() {
        let at = |id: &str, t: &str| json!({"work_item_id": id, "claimed_at": t});
        let mut h = held(vec![
            at("a", "2026-01-01T00:00:01Z"),
            at("b", "2026-01-01T00:00:02Z"),
            at("c", "2026-01-01T00:00:02Z"),
            at("d", "2026-01-01T00:00:03Z"),
        ]);
        assert_eq!(ids(&mut h, "claimed_at", false), ["a", "b", "c", "d"]);
        assert_eq!(ids(&mut h, "claimed_at", true), ["d", "c", "b", "a"]);
        // One more in the same second, kept in place as it arrives.
        h.apply(Changes {
            claims: vec![("e".into(), at("e", "2026-01-01T00:00:03Z"))],
            ..Changes::default()
        });
        assert_eq!(ids(&mut h, "claimed_at", true), ["e", "d", "c", "b", "a"]);
        assert_eq!(ids(&mut h, "claimed_at", false), ["a", "b", "c", "d", "e"]);
    }
}
