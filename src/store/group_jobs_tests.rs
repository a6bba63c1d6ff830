//! Group commit with waiting steps run by the batch's leader: a member's
//! operation runs on the leader's thread and its panic reaches the member; a
//! full batch leaves the rest to a next one led by one of them; a step kept
//! waiting past its patience takes its job back; a batch that cannot open
//! frees the group. Each step is stored once.

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::group::Batch;
use super::group_tests::{Act, run, step, stored_ids};
use super::{FileBatch, FileStore, Group, Store};
use crate::error::{NexusError, Result};

/// Step `n` (from 1) of each store inserts `work_n`, each on a thread of its
/// own started `gap` after the one before; `meanwhile` runs once all are
/// started. Each step's result, with how long it took.
fn staggered(
    stores: &[FileStore],
    gap: Duration,
    meanwhile: impl FnOnce(),
) -> Vec<(Result<()>, Duration)> {
    std::thread::scope(|s| {
        let steps: Vec<_> = stores
            .iter()
            .enumerate()
            .map(|(i, store)| {
                std::thread::sleep(gap);
                s.spawn(move || {
                    let (t, n) = (Instant::now(), i + 1);
                    let done = store.update(&step(n), |st| run(st, &[Act::Insert(n as u32)], n));
                    (done.map(drop), t.elapsed())
                })
            })
            .collect();
        meanwhile();
        steps.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

/// Two stores of one group on `dir`, waiting at most `timeout` for its lock.
fn two(dir: &Path, group: &std::sync::Arc<Group>, timeout: Duration) -> Vec<FileStore> {
    (0..2)
        .map(|_| FileStore::new(dir, timeout).grouped(group))
        .collect()
}

#[test]
fn a_step_run_by_another_steps_batch_panics_in_its_own_thread_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let group = Group::new();
    let store = FileStore::new(dir.path(), Duration::from_secs(5)).grouped(&group);
    let member = FileStore::new(dir.path(), Duration::from_secs(5)).grouped(&group);
    let ran_on = Mutex::new(Vec::new());
    let panicked = std::thread::scope(|s| {
        let joiner = s.spawn(|| {
            member.update(&step(2), |st| -> Result<()> {
                ran_on.lock().unwrap().push(std::thread::current().id());
                run(st, &[Act::Insert(2)], 2)?;
                panic!("a member's operation panics after a change")
            })
        });
        store
            .update(&step(1), |st| {
                ran_on.lock().unwrap().push(std::thread::current().id());
                // The member asks while this step runs: it queues.
                while group.queued() == 0 {
                    std::thread::sleep(Duration::from_millis(1));
                }
                run(st, &[Act::Insert(1)], 1)
            })
            .unwrap();
        joiner.join()
    });
    assert!(panicked.is_err(), "the panic reaches the step's own thread");
    let ran_on = ran_on.into_inner().unwrap();
    assert_eq!(ran_on.len(), 2);
    assert_eq!(
        ran_on[0], ran_on[1],
        "the leader ran the member's operation"
    );
    // The group is free again at once.
    let t = Instant::now();
    store
        .update(&step(3), |st| run(st, &[Act::Insert(3)], 3))
        .unwrap();
    assert!(t.elapsed() < Duration::from_millis(200));
    assert_eq!(stored_ids(dir.path()), ["work_1", "work_3"]);
}

#[test]
fn a_full_batch_leaves_the_steps_it_cannot_take_to_a_next_one_led_by_one_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let group = Group::new();
    let members = FileBatch::MAX_STEPS + 6;
    let store = |_| FileStore::new(dir.path(), Duration::from_secs(5)).grouped(&group);
    let ran_on = Mutex::new(Vec::new());
    let log = |n: usize| {
        ran_on
            .lock()
            .unwrap()
            .push((n, std::thread::current().id()))
    };
    let results = std::thread::scope(|s| {
        let mut handles = Vec::new();
        let (leader, group, log) = (store(0), &group, &log);
        handles.push(s.spawn(move || {
            leader.update(&step(0), |st| {
                log(0);
                // Every member queues while the leader's own step runs.
                while group.queued() < members {
                    std::thread::sleep(Duration::from_millis(1));
                }
                run(st, &[Act::Insert(0)], 0)
            })
        }));
        while ran_on.lock().unwrap().is_empty() {
            std::thread::sleep(Duration::from_millis(1));
        }
        for n in 1..=members {
            let store = store(n);
            handles.push(s.spawn(move || {
                store.update(&step(n), |st| {
                    log(n);
                    run(st, &[Act::Insert(n as u32)], n)
                })
            }));
        }
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect::<Vec<_>>()
    });
    assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
    let ran_on = ran_on.into_inner().unwrap();
    let leader = ran_on[0].1;
    let by_leader = ran_on.iter().filter(|(_, t)| *t == leader).count();
    assert_eq!(by_leader, FileBatch::MAX_STEPS, "a full first batch");
    let others: std::collections::HashSet<_> = ran_on.iter().map(|(_, t)| *t).collect();
    assert!(others.len() >= 2, "a member led the next batch");
    let mut want: Vec<String> = (0..=members).map(|n| format!("work_{n}")).collect();
    want.sort();
    assert_eq!(stored_ids(dir.path()), want, "each stored once");
}

#[test]
fn a_step_queued_behind_a_lock_another_holds_takes_its_job_back_and_runs_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    // Patience: a quarter of the lock timeout, at most 250 ms.
    let stores = two(dir.path(), &Group::new(), Duration::from_secs(5));
    let held = super::lock::acquire(dir.path(), Duration::from_secs(1)).unwrap();
    // The first leads and waits for the lock; the second queues.
    let done = staggered(&stores, Duration::from_millis(50), || {
        std::thread::sleep(Duration::from_millis(600));
        drop(held);
    });
    for (r, t) in &done {
        assert!(r.is_ok(), "{r:?}");
        assert!(*t >= Duration::from_millis(400), "{done:?}");
    }
    assert_eq!(
        stored_ids(dir.path()),
        ["work_1", "work_2"],
        "each stored once"
    );
    // Two commits: the second step was not kept waiting for the first's batch.
    let journal = std::fs::read(dir.path().join(".nexus.journal")).unwrap();
    assert_eq!(journal.windows(4).filter(|w| w == b"NXR1").count(), 2);
}

#[test]
fn a_batch_that_cannot_open_fails_its_step_and_a_waiting_step_tries_itself() {
    let dir = tempfile::tempdir().unwrap();
    let stores = two(dir.path(), &Group::new(), Duration::from_millis(300));
    let held = super::lock::acquire(dir.path(), Duration::from_secs(1)).unwrap();
    for (r, _) in staggered(&stores, Duration::from_millis(20), || {}) {
        assert!(matches!(r, Err(NexusError::LockTimeout { .. })), "{r:?}");
    }
    assert!(
        !dir.path().join(super::CLAIMS_FILE).exists(),
        "nothing stored"
    );
    drop(held);
    stores[0]
        .update(&step(3), |st| run(st, &[Act::Insert(3)], 3))
        .unwrap();
}
