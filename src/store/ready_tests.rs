//! The one readiness rule, checked against every way a store answers it:
//! random claims (repeated ids, archived items, dependencies, expired
//! leases, odd statuses) give the same `ready` list and the same sequence of
//! `claim --next` answers from the memory store and from the file store with
//! its index trusted, distrusted (another tool touched the file) and absent,
//! and with the file in another tool's layout.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::index::INDEX_FILE;
use super::{AnyStore, CLAIMS_FILE, FileStore, MemStore, State, Step, Store};
use crate::error::Result;
use crate::records::{parse_time, queue, text};

const IDS: [&str; 6] = ["work_1", "work_2", "work_3", "work_4", "work_5", "work_6"];

fn pick<T: Clone + std::fmt::Debug + 'static>(options: &[T]) -> impl Strategy<Value = T> + use<T> {
    proptest::sample::select(options.to_vec())
}

/// A claim record with a few of the fields the queue reads, each possibly
/// absent or of another type.
fn record() -> impl Strategy<Value = Value> {
    let status = pick(&[
        json!("available"),
        json!("available"),
        json!("active"),
        json!("in_progress"),
        json!("completed"),
        json!("stale"),
        json!("pending"),
        json!(3),
        Value::Null,
    ]);
    let priority = pick(&[
        json!("critical"),
        json!("high"),
        json!("medium"),
        json!("low"),
        json!("urgent"),
        json!(1),
        Value::Null,
    ]);
    let team = pick(&[json!("a"), json!("b"), Value::Null]);
    let when = || {
        pick(&[
            json!("2026-01-01T00:00:00Z"),
            json!("2026-02-01T00:00:00Z"),
            json!("2026-02-01T00:00:00Z"),
            json!(5),
            Value::Null,
        ])
    };
    let lease = pick(&[
        json!("2026-05-01T00:00:00Z"),
        json!("2026-07-01T00:00:00Z"),
        json!("soon"),
        Value::Null,
    ]);
    let dep = pick(&[
        json!("work_1"),
        json!("work_2"),
        json!("work_3"),
        json!("work_4"),
        json!("work_99"),
        json!(7),
    ]);
    let deps = prop_oneof![
        4 => Just(Value::Null),
        4 => proptest::collection::vec(dep, 0..3).prop_map(Value::Array),
        1 => Just(json!("work_1")),
    ];
    (
        pick(&IDS),
        status,
        priority,
        team,
        (when(), when()),
        lease,
        deps,
    )
        .prop_map(
            |(id, status, priority, team, (created, claimed), lease, deps)| {
                let mut r = Map::new();
                r.insert("work_item_id".into(), json!(id));
                for (k, v) in [
                    ("status", status),
                    ("priority", priority),
                    ("team", team),
                    ("created_at", created),
                    ("claimed_at", claimed),
                    ("lease_expires_at", lease),
                    ("depends_on", deps),
                ] {
                    if !v.is_null() {
                        r.insert(k.into(), v);
                    }
                }
                Value::Object(r)
            },
        )
}

/// How the file store's directory is left before each step.
#[derive(Debug, Clone, Copy)]
enum Files {
    /// As nexus wrote it, with its index.
    Trusted,
    /// Touched by another tool since (a byte added): the index no longer
    /// vouches for it, the layout is still nexus's.
    Distrusted,
    /// No index at all.
    Absent,
    /// Rewritten by another tool in a compact layout, no index.
    Foreign,
}

impl Files {
    fn prepare(self, dir: &std::path::Path) {
        let claims = dir.join(CLAIMS_FILE);
        if !claims.exists() {
            return;
        }
        match self {
            Files::Trusted => {}
            Files::Distrusted => {
                let mut bytes = std::fs::read(&claims).unwrap();
                bytes.push(b' ');
                std::fs::write(&claims, bytes).unwrap();
            }
            Files::Absent => {
                let _ = std::fs::remove_file(dir.join(INDEX_FILE));
            }
            Files::Foreign => {
                let records: Value =
                    serde_json::from_slice(&std::fs::read(&claims).unwrap()).unwrap();
                std::fs::write(&claims, serde_json::to_vec(&records).unwrap()).unwrap();
                let _ = std::fs::remove_file(dir.join(INDEX_FILE));
            }
        }
    }
}

fn step() -> Step {
    Step::quiet("test", "2026-06-01T00:00:00Z")
}

/// Archive `archived` (each id moves whole), then add `live`.
fn load<S: Store>(store: &S, archived: &[Value], live: &[Value]) -> Result<()> {
    if !archived.is_empty() {
        store.update(&step(), |s| {
            archived.iter().for_each(|r| s.insert_claim(r.clone()));
            Ok(())
        })?;
        let ids: Vec<String> = archived
            .iter()
            .filter_map(|r| text(r, "work_item_id").map(str::to_string))
            .collect();
        store.update(&step(), |s| s.archive(&ids, "2026-06-01T00:00:00Z"))?;
    }
    store.update(&step(), |s| {
        live.iter().for_each(|r| s.insert_claim(r.clone()));
        Ok(())
    })
}

/// `claim --next` once: the item taken is marked so that it leaves the
/// backlog without completing (items waiting on it keep waiting).
fn take(
    s: &mut dyn State,
    team: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Option<Value>, usize)> {
    let (first, waiting) = s.next_ready(team, now)?;
    if let Some(mut r) = first.clone() {
        // In flight under no lease: it cannot come back by expiring.
        r["status"] = json!("taken");
        if let Some(m) = r.as_object_mut() {
            m.shift_remove("lease_expires_at");
        }
        s.put_claim(r)?;
    }
    Ok((first, waiting))
}

fn check(
    archived: &[Value],
    live: &[Value],
    team: Option<&str>,
) -> std::result::Result<(), TestCaseError> {
    let now = parse_time("2026-06-01T00:00:00Z").unwrap();
    let expected: Vec<Value> = queue::ready(live, team, now)
        .into_iter()
        .map(|i| live[i].clone())
        .collect();
    let (_, waiting) = queue::next(live, team, now);
    let drained = |answers: Vec<(Option<Value>, usize)>, what: &str| {
        let taken: Vec<Value> = answers.iter().filter_map(|a| a.0.clone()).collect();
        prop_assert_eq!(&taken, &expected, "{} took", what);
        for (k, (_, w)) in answers.iter().enumerate() {
            prop_assert_eq!(*w, waiting - k, "{} waiting at {}", what, k);
        }
        Ok(())
    };

    let mem = MemStore::default();
    load(&mem, archived, live).unwrap();
    let answers = (0..=expected.len())
        .map(|_| mem.update(&step(), |s| take(s, team, now)).unwrap())
        .collect();
    drained(answers, "memory")?;

    for files in [
        Files::Trusted,
        Files::Distrusted,
        Files::Absent,
        Files::Foreign,
    ] {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path(), std::time::Duration::from_secs(5));
        load(&store, archived, live).unwrap();
        let any = AnyStore::File(store.clone());
        let mut answers = Vec::new();
        for k in 0..=expected.len() {
            files.prepare(dir.path());
            let listed = any.ready(team, now).unwrap();
            prop_assert_eq!(
                &listed[..],
                &expected[k..],
                "{:?} ready after {} taken",
                files,
                k
            );
            answers.push(store.update(&step(), |s| take(s, team, now)).unwrap());
        }
        drained(answers, &format!("{files:?}"))?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn every_store_and_cache_state_answers_ready_alike(
        archived in proptest::collection::vec(record(), 0..3),
        live in proptest::collection::vec(record(), 0..9),
        team in pick(&[None, Some("a")]),
    ) {
        check(&archived, &live, team)?;
    }
}

#[test]
fn a_repeated_id_counts_by_its_last_record_and_archived_items_are_never_ready() {
    let now = parse_time("2026-06-01T00:00:00Z").unwrap();
    let live = [
        json!({"work_item_id": "work_1", "status": "available", "priority": "critical"}),
        json!({"work_item_id": "work_2", "status": "available", "priority": "high",
               "depends_on": ["work_1", "work_3"]}),
        json!({"work_item_id": "work_1", "status": "completed"}),
        json!({"work_item_id": "work_4", "status": "available", "priority": "low"}),
    ];
    // work_1's first record is history; its last one is completed, and
    // work_3 is archived: work_2 is ready, and the archived available item is not.
    let archived = [
        json!({"work_item_id": "work_3", "status": "available"}),
        json!({"work_item_id": "work_5", "status": "available", "priority": "critical"}),
    ];
    let order = queue::ready(&live, None, now);
    assert_eq!(order, vec![1, 3]);
    check(&archived, &live, None).unwrap();
}
