//! The work queue's order, over any record type that can tell the few fields
//! the queue reads: whole records (`Value`) or [`QueueView`]s borrowed from the
//! file's bytes, which cost a fraction of a full parse on large files.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{Status, parse_time, priority_rank, scan};

/// What the queue reads of an item.
pub trait WorkItem {
    /// A top-level string field.
    fn get_text(&self, key: &str) -> Option<&str>;
    /// A top-level numeric field (a number, or a numeric string).
    fn get_number(&self, key: &str) -> Option<f64>;
    /// The ids the item waits on.
    fn deps(&self) -> Vec<&str>;
}

impl WorkItem for Value {
    fn get_text(&self, key: &str) -> Option<&str> {
        self.get(key)?.as_str()
    }
    fn get_number(&self, key: &str) -> Option<f64> {
        match self.get(key)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }
    fn deps(&self) -> Vec<&str> {
        self.get("depends_on")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
}

macro_rules! by_reference {
    ($($r:ty),*) => {$(
        impl<T: WorkItem + ?Sized> WorkItem for $r {
            fn get_text(&self, key: &str) -> Option<&str> {
                (**self).get_text(key)
            }
            fn get_number(&self, key: &str) -> Option<f64> {
                (**self).get_number(key)
            }
            fn deps(&self) -> Vec<&str> {
                (**self).deps()
            }
        }
    )*};
}

by_reference!(&T, &mut T);

/// The status of an item.
pub fn status<T: WorkItem + ?Sized>(item: &T) -> Status {
    Status::parse(item.get_text("status"))
}

/// Whether `claim --next` may take the item at `now` (see
/// [`claimable`](super::claimable)).
pub fn claimable<T: WorkItem + ?Sized>(item: &T, now: DateTime<Utc>) -> bool {
    match status(item) {
        Status::Available => true,
        Status::InFlight => item
            .get_text("lease_expires_at")
            .and_then(parse_time)
            .is_some_and(|t| t <= now),
        _ => false,
    }
}

/// Queue order: priority, then age (when it was added, or claimed).
pub fn queue_key<T: WorkItem + ?Sized>(item: &T) -> (usize, &str) {
    (
        priority_rank(item.get_text("priority").unwrap_or("")),
        item.get_text("created_at")
            .or_else(|| item.get_text("claimed_at"))
            .unwrap_or(""),
    )
}

/// The one readiness rule, over the live claims in file order (never the
/// archive): the positions of the items `claim --next` may take at `now` (of
/// `team`), and how many of those wait on a dependency.
///
/// An item is on the backlog when it is the last record of its id (the one
/// `show` and `claim` read; earlier records of a repeated id are history),
/// claimable (available, or in flight under a lease that ran out by `now`)
/// and of `team`. It is ready when every id it depends on is completed: the
/// last record of that id has status `completed`, or no live claim has that id
/// (an archived dependency was completed; an unknown one is met). Ready items
/// are taken in queue order: priority, then age, then file position.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Backlog {
    /// The ready items' positions, in claim order.
    pub ready: Vec<usize>,
    /// How many items are on the backlog, ready or not.
    pub waiting: usize,
}

/// The position of the last record of each id: the current one.
fn last_of<T: WorkItem>(items: &[T]) -> HashMap<&str, usize> {
    items
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((c.get_text("work_item_id")?, i)))
        .collect()
}

/// The positions of the current records of `team`, in file order.
fn current<'a, T: WorkItem>(
    items: &'a [T],
    last: &'a HashMap<&str, usize>,
    team: Option<&'a str>,
) -> impl Iterator<Item = usize> + 'a {
    (0..items.len())
        .filter(move |&i| {
            (items[i].get_text("work_item_id")).is_none_or(|id| last.get(id) == Some(&i))
        })
        .filter(move |&i| team.is_none_or(|t| items[i].get_text("team") == Some(t)))
}

/// The positions of the current records of the ids `item` waits on that
/// are not completed (an id no live claim has is met).
fn unmet<T: WorkItem>(items: &[T], last: &HashMap<&str, usize>, item: &T) -> Vec<usize> {
    (item.deps().iter())
        .filter_map(|d| last.get(d).copied())
        .filter(|j| status(&items[*j]) != Status::Completed)
        .collect()
}

/// The ready items and the size of the backlog (see [`Backlog`]); with
/// `all`, every ready item in claim order, else only the first.
fn backlog<T: WorkItem>(items: &[T], team: Option<&str>, now: DateTime<Utc>, all: bool) -> Backlog {
    let last = last_of(items);
    let on_backlog: Vec<usize> = current(items, &last, team)
        .filter(|i| claimable(&items[*i], now))
        .collect();
    let waiting = on_backlog.len();
    let ready = (on_backlog.into_iter()).filter(|i| unmet(items, &last, &items[*i]).is_empty());
    let ready = match all {
        true => {
            let mut ready: Vec<usize> = ready.collect();
            ready.sort_by_cached_key(|i| queue_key(&items[*i]));
            ready
        }
        false => ready
            .min_by_key(|i| (queue_key(&items[*i]), *i))
            .into_iter()
            .collect(),
    };
    Backlog { ready, waiting }
}

/// The positions of the ready items, in claim order (see [`Backlog`]).
pub fn ready<T: WorkItem>(items: &[T], team: Option<&str>, now: DateTime<Utc>) -> Vec<usize> {
    backlog(items, team, now, true).ready
}

/// What `claim --next` takes (see [`Backlog`]): the position of the first
/// ready item, and how many items are on the backlog.
pub fn next<T: WorkItem>(
    items: &[T],
    team: Option<&str>,
    now: DateTime<Utc>,
) -> (Option<usize>, usize) {
    let b = backlog(items, team, now, false);
    (b.ready.first().copied(), b.waiting)
}

/// The open items that wait on others, by the readiness rule of
/// [`Backlog`] and over the same live claims (never the archive: what it
/// holds is history, and an id only it holds was completed), so an item is
/// never both ready and blocked. Each is the current record of its id, of
/// `team`, neither completed nor without a status, with the positions of
/// the items it waits on that are not completed; in claim order.
pub fn blocked<T: WorkItem>(items: &[T], team: Option<&str>) -> Vec<(usize, Vec<usize>)> {
    let last = last_of(items);
    let mut out: Vec<(usize, Vec<usize>)> = current(items, &last, team)
        .filter(|i| !matches!(status(&items[*i]), Status::Completed | Status::Other))
        .map(|i| (i, unmet(items, &last, &items[i])))
        .filter(|(_, on)| !on.is_empty())
        .collect();
    out.sort_by_cached_key(|(i, _)| queue_key(&items[*i]));
    out
}

/// The fields of a claim record that the queue reads, borrowed from the
/// file's bytes where no escape needs decoding.
#[derive(Debug, Default)]
pub struct QueueView<'a> {
    work_item_id: Option<Cow<'a, str>>,
    status: Option<Cow<'a, str>>,
    priority: Option<Cow<'a, str>>,
    team: Option<Cow<'a, str>>,
    created_at: Option<Cow<'a, str>>,
    claimed_at: Option<Cow<'a, str>>,
    lease_expires_at: Option<Cow<'a, str>>,
    depends_on: Vec<Cow<'a, str>>,
}

impl WorkItem for QueueView<'_> {
    fn get_text(&self, key: &str) -> Option<&str> {
        let field = match key {
            "work_item_id" => &self.work_item_id,
            "status" => &self.status,
            "priority" => &self.priority,
            "team" => &self.team,
            "created_at" => &self.created_at,
            "claimed_at" => &self.claimed_at,
            "lease_expires_at" => &self.lease_expires_at,
            _ => return None,
        };
        field.as_deref()
    }
    /// A view holds no numbers.
    fn get_number(&self, _key: &str) -> Option<f64> {
        None
    }
    fn deps(&self) -> Vec<&str> {
        self.depends_on.iter().map(|d| d.as_ref()).collect()
    }
}

impl<'a> QueueView<'a> {
    /// The view of one element's text, read by the scanner (the last of a
    /// repeated key wins, as in a whole parse); a text the scanner does not
    /// vouch for is parsed whole, and one that is not an object (or does
    /// not parse) has no fields. A field that is not a string reads as
    /// absent.
    pub fn of(text: &'a [u8]) -> QueueView<'a> {
        let Some((fields, decoded)) = scan::object_fields(text) else {
            return serde_json::from_slice::<Value>(text)
                .map_or_else(|_| QueueView::default(), |v| QueueView::owned(&v));
        };
        let mut view = QueueView::default();
        for f in &fields {
            let key = &text[f.key as usize..(f.key + f.key_len) as usize];
            let val = &text[f.val as usize..(f.val + f.val_len) as usize];
            let string = || match f.dec {
                scan::NONE => string_in(val),
                dec => decoded.get(dec as usize).map(|d| Cow::Owned(d.clone())),
            };
            match key {
                b"work_item_id" => view.work_item_id = string(),
                b"status" => view.status = string(),
                b"priority" => view.priority = string(),
                b"team" => view.team = string(),
                b"created_at" => view.created_at = string(),
                b"claimed_at" => view.claimed_at = string(),
                b"lease_expires_at" => view.lease_expires_at = string(),
                b"depends_on" => view.depends_on = strings_in(val),
                _ => {}
            }
        }
        view
    }

    /// The view of a whole record.
    fn owned(v: &Value) -> QueueView<'a> {
        let text = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .map(|s| Cow::Owned(s.to_string()))
        };
        QueueView {
            work_item_id: text("work_item_id"),
            status: text("status"),
            priority: text("priority"),
            team: text("team"),
            created_at: text("created_at"),
            claimed_at: text("claimed_at"),
            lease_expires_at: text("lease_expires_at"),
            depends_on: v
                .get("depends_on")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(|s| Cow::Owned(s.to_string()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

/// A string value's text without its quotes (escapes decoded); nothing for
/// any other value.
fn string_in(val: &[u8]) -> Option<Cow<'_, str>> {
    if val.first() != Some(&b'"') {
        return None;
    }
    let inner = val.get(1..val.len() - 1)?;
    if inner.contains(&b'\\') {
        return serde_json::from_slice::<String>(val).ok().map(Cow::Owned);
    }
    std::str::from_utf8(inner).ok().map(Cow::Borrowed)
}

/// The strings of a list value; nothing for any other value.
fn strings_in(val: &[u8]) -> Vec<Cow<'_, str>> {
    let mut out = Vec::new();
    if val.first() != Some(&b'[') {
        return out;
    }
    let mut i = scan::skip_ws(val, 1);
    while let Some(end) = scan::value_end(val, i) {
        out.extend(string_in(&val[i..end]));
        i = scan::skip_ws(val, end);
        if val.get(i) != Some(&b',') {
            break;
        }
        i = scan::skip_ws(val, i + 1);
    }
    out
}

/// The views of the elements of an array text at `spans`, on every core
/// when there are many.
pub fn views<'a>(bytes: &'a [u8], spans: &[(usize, usize)]) -> Vec<QueueView<'a>> {
    crate::par::map_parts(spans, spans.len() >= 4096, |part| {
        part.iter()
            .map(|(s, e)| QueueView::of(&bytes[*s..*e]))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn views_read_what_values_read_and_tolerate_anything() {
        let records = [
            json!({"work_item_id": "a", "status": "available", "priority": "low",
                   "created_at": "2026-01-01T00:00:00Z", "extra": {"x": [1, 2]}}),
            json!({"work_item_id": "b", "status": "available", "priority": "high",
                   "depends_on": ["a", 7, null], "team": "t"}),
            json!({"work_item_id": "c", "status": "active", "priority": 3, "team": null,
                   "lease_expires_at": "2026-01-01T00:00:00Z", "depends_on": "a"}),
            json!({"work_item_id": "d\"q", "status": "completed"}),
            json!({"work_item_id": "e", "status": "available", "depends_on": ["d\"q", "zz"]}),
            json!(5),
        ];
        let texts: Vec<String> = records.iter().map(|r| r.to_string()).collect();
        let views: Vec<QueueView> = texts.iter().map(|t| QueueView::of(t.as_bytes())).collect();
        for (r, v) in records.iter().zip(&views) {
            for key in ["work_item_id", "status", "priority", "team", "claimed_at"] {
                assert_eq!(r.get_text(key), v.get_text(key), "{key} of {r}");
            }
            assert_eq!(WorkItem::deps(r), v.deps(), "deps of {r}");
        }
        let now = parse_time("2026-06-01T00:00:00Z").unwrap();
        let order = ready(&records, None, now);
        assert_eq!(order, ready(&views, None, now));
        // a (low) first; c's lease ran out; b waits on a; e's dependencies
        // are done or unknown.
        assert_eq!(order, vec![0, 2, 4]);
        assert_eq!(ready(&views, Some("t"), now), Vec::<usize>::new());
        // Only b waits, on a; what is ready is never blocked.
        assert_eq!(blocked(&records, None), vec![(1, vec![0])]);
        assert_eq!(blocked(&views, None), blocked(&records, None));
        assert_eq!(blocked(&views, Some("x")), Vec::new());
    }

    #[test]
    fn a_repeated_key_reads_as_its_last_value_as_in_a_whole_parse() {
        let text = br#"{"work_item_id": "f", "status": "completed", "priority": 1, "status": "available", "depends_on": ["a\u0062", 3, "c"]}"#;
        let whole: Value = serde_json::from_slice(text).unwrap();
        let view = QueueView::of(text);
        assert_eq!(view.get_text("status"), Some("available"));
        assert_eq!(view.get_text("status"), whole.get_text("status"));
        assert_eq!(view.get_text("priority"), None);
        assert_eq!(view.deps(), vec!["ab", "c"]);
        assert_eq!(view.deps(), WorkItem::deps(&whole));
    }
}
