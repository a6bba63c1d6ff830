//! The work queue's order, over any record type that can tell the few fields
//! the queue reads: whole records (`Value`) or [`View`]s borrowed from the
//! file's bytes, which cost a fraction of a full parse on large files.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, Visitor};
use serde_json::Value;

use super::{Status, parse_time, priority_rank};

/// What the queue reads of an item.
pub trait Item {
    /// A top-level string field.
    fn get_text(&self, key: &str) -> Option<&str>;
    /// A top-level numeric field (a number, or a numeric string).
    fn get_number(&self, key: &str) -> Option<f64>;
    /// The ids the item waits on.
    fn deps(&self) -> Vec<&str>;
}

impl Item for Value {
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
        impl<T: Item + ?Sized> Item for $r {
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
pub fn status<T: Item + ?Sized>(item: &T) -> Status {
    Status::parse(item.get_text("status"))
}

/// Whether `claim --next` may take the item at `now` (see
/// [`claimable`](super::claimable)).
pub fn claimable<T: Item + ?Sized>(item: &T, now: DateTime<Utc>) -> bool {
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
pub fn queue_key<T: Item + ?Sized>(item: &T) -> (usize, &str) {
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

/// The ready items and the size of the backlog (see [`Backlog`]); with
/// `all`, every ready item in claim order, else only the first.
fn backlog<T: Item>(items: &[T], team: Option<&str>, now: DateTime<Utc>, all: bool) -> Backlog {
    let last: HashMap<&str, usize> = items
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((c.get_text("work_item_id")?, i)))
        .collect();
    let current = |i: usize| {
        items[i]
            .get_text("work_item_id")
            .is_none_or(|id| last.get(id) == Some(&i))
    };
    let met = |c: &T| {
        c.deps().iter().all(|d| {
            last.get(d)
                .is_none_or(|j| status(&items[*j]) == Status::Completed)
        })
    };
    let on_backlog: Vec<usize> = (0..items.len())
        .filter(|i| claimable(&items[*i], now))
        .filter(|i| team.is_none_or(|t| items[*i].get_text("team") == Some(t)))
        .filter(|i| current(*i))
        .collect();
    let waiting = on_backlog.len();
    let ready = on_backlog.into_iter().filter(|i| met(&items[*i]));
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
pub fn ready<T: Item>(items: &[T], team: Option<&str>, now: DateTime<Utc>) -> Vec<usize> {
    backlog(items, team, now, true).ready
}

/// What `claim --next` takes (see [`Backlog`]): the position of the first
/// ready item, and how many items are on the backlog.
pub fn next<T: Item>(
    items: &[T],
    team: Option<&str>,
    now: DateTime<Utc>,
) -> (Option<usize>, usize) {
    let b = backlog(items, team, now, false);
    (b.ready.first().copied(), b.waiting)
}

/// The fields of a claim record that the queue reads, borrowed from the
/// file's bytes where no escape needs decoding.
#[derive(Debug, Default, Deserialize)]
pub struct View<'a> {
    #[serde(borrow, default, deserialize_with = "lenient")]
    work_item_id: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient")]
    status: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient")]
    priority: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient")]
    team: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient")]
    created_at: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient")]
    claimed_at: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient")]
    lease_expires_at: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_list")]
    depends_on: Vec<Cow<'a, str>>,
}

impl Item for View<'_> {
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

impl<'a> View<'a> {
    /// The view of one element's text; an element that is not an object
    /// (or does not parse) has no fields.
    pub fn of(text: &'a [u8]) -> View<'a> {
        serde_json::from_slice(text).unwrap_or_default()
    }
}

/// The views of the elements of an array text at `spans`, on every core
/// when there are many.
pub fn views<'a>(bytes: &'a [u8], spans: &[(usize, usize)]) -> Vec<View<'a>> {
    crate::par::map_parts(spans, spans.len() >= 4096, |part| {
        part.iter()
            .map(|(s, e)| View::of(&bytes[*s..*e]))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

/// A string, or nothing for any other value (a field the queue reads may
/// hold anything in a file another tool wrote).
fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    d.deserialize_any(Lenient)
}

struct Lenient;

impl<'de> Visitor<'de> for Lenient {
    type Value = Option<Cow<'de, str>>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any value")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v)))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(Lenient)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
        while a.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
        while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// The strings of a list; nothing for any other value.
fn lenient_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Cow<'de, str>>, D::Error> {
    struct Strings;
    impl<'de> Visitor<'de> for Strings {
        type Value = Vec<Cow<'de, str>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of ids")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut a: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(v) = a.next_element_seed(LenientSeed)? {
                out.extend(v);
            }
            Ok(out)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut a: A,
        ) -> Result<Self::Value, A::Error> {
            while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Vec::new())
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(Strings)
}

struct LenientSeed;

impl<'de> serde::de::DeserializeSeed<'de> for LenientSeed {
    type Value = Option<Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(Lenient)
    }
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
        let views: Vec<View> = texts.iter().map(|t| View::of(t.as_bytes())).collect();
        for (r, v) in records.iter().zip(&views) {
            for key in ["work_item_id", "status", "priority", "team", "claimed_at"] {
                assert_eq!(r.get_text(key), v.get_text(key), "{key} of {r}");
            }
            assert_eq!(Item::deps(r), v.deps(), "deps of {r}");
        }
        let now = parse_time("2026-06-01T00:00:00Z").unwrap();
        let order = ready(&records, None, now);
        assert_eq!(order, ready(&views, None, now));
        // a (low) first; c's lease ran out; b waits on a; e's dependencies
        // are done or unknown.
        assert_eq!(order, vec![0, 2, 4]);
        assert_eq!(ready(&views, Some("t"), now), Vec::<usize>::new());
    }
}
