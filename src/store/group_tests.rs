//! Group commit: several steps made one journal run give the state their
//! running one by one gives, a failing step (even one that changed records
//! before failing) leaving no trace; and concurrent steps of a group lose
//! nothing and keep the audit chain whole.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use super::audit::{self, Change, Step};
use super::events::EVENTS_FILE;
use super::tx::FileTx;
use super::{
    AGENTS_FILE, ARCHIVE_FILE, CLAIMS_FILE, FileStore, Group, LOG_FILE, SPANS_FILE, State, Store,
    VELOCITY_FILE,
};
use crate::error::{NexusError, Result};

const NOW: &str = "2026-03-01T00:00:00Z";

/// One thing a step does.
#[derive(Debug, Clone)]
pub(super) enum Act {
    Insert(u32),
    /// Change the claim work_N (an error when there is none).
    Touch(u32),
    Agent(u32, bool),
    /// Read every claim (the file is then parsed whole).
    Load,
    /// Take the next ready item.
    Next,
    Archive(u32),
    Complete(u32),
    Span,
    /// Fail here, after whatever came before.
    Fail,
}

fn act(st: &mut dyn State, a: &Act, n: usize) -> Result<()> {
    let id = |k: &u32| format!("work_{k}");
    match a {
        Act::Insert(k) => st.insert_claim(
            json!({"work_item_id": id(k), "status": "available", "priority": "high", "team": "t"}),
        ),
        Act::Touch(k) => {
            let Some(mut c) = st.claim(&id(k))? else {
                return Err(NexusError::WorkNotFound {
                    id: id(k),
                    path: st.claims_path(),
                });
            };
            c["note"] = json!(format!("step {n}"));
            st.put_claim(c)?;
        }
        Act::Agent(k, to_end) => {
            let name = format!("agent_{k}");
            let mut a = st.agent(&name)?.unwrap_or(json!({"agent_id": name}));
            a["seen"] = json!(n);
            st.put_agent(a, *to_end)?;
        }
        Act::Load => {
            st.claims_where(&|_| true)?;
        }
        Act::Next => {
            let now = crate::records::parse_time(NOW).unwrap();
            if let (Some(mut c), _) = st.next_ready(None, now)? {
                c["status"] = json!("active");
                st.put_claim(c)?;
            }
        }
        Act::Archive(k) => st.archive(&[id(k)], NOW)?,
        Act::Complete(k) => st.add_completion(
            json!({"work_item_id": id(k), "completed_at": NOW, "team": "t", "velocity_points": n}),
        )?,
        Act::Span => st.add_span(&format!("{{\"span\":{n}}}")),
        Act::Fail => return Err(NexusError::Usage(format!("step {n} fails"))),
    }
    Ok(())
}

pub(super) fn step(n: usize) -> Step {
    Step {
        command: format!("cmd{n}"),
        agent: Some(format!("agent_{}", n % 3)),
        trace_id: format!("trace{n}"),
        timestamp: NOW.into(),
        audit: true,
        new_work_id: None,
        agent_first: false,
    }
}

/// Run `acts`; what the step says it changed.
pub(super) fn run(st: &mut dyn State, acts: &[Act], n: usize) -> Result<Vec<Change>> {
    acts.iter().try_for_each(|a| act(st, a, n))?;
    Ok(st.changes().to_vec())
}

/// `steps` one by one, each its own step; what each that succeeded said
/// it changed.
fn one_by_one(dir: &Path, steps: &[Vec<Act>], first: usize) -> Vec<Vec<Change>> {
    let store = FileStore::new(dir, Duration::from_secs(5));
    let mut seen = Vec::new();
    for (i, acts) in steps.iter().enumerate() {
        if let Ok(changes) = store.update(&step(first + i), |st| run(st, acts, first + i)) {
            seen.push(changes);
        }
    }
    seen
}

/// `steps` as one batch: one transaction, a savepoint each, one journal
/// run; what each step that succeeded said it changed.
fn batched(dir: &Path, steps: &[Vec<Act>], first: usize) -> Vec<Vec<Change>> {
    let store = FileStore::new(dir, Duration::from_secs(5));
    let (_guard, _) = store.lock().unwrap();
    let mut tx = FileTx::new(dir);
    let (mut done, mut seen) = (Vec::new(), Vec::new());
    for (i, acts) in steps.iter().enumerate() {
        let mark = tx.mark();
        match run(&mut tx, acts, first + i) {
            Ok(changes) => {
                done.push((step(first + i), tx.changes_end()));
                seen.push(changes);
            }
            Err(_) => tx.rollback(mark),
        }
    }
    if !done.is_empty() {
        store.apply_locked(&tx.ops_of(&done).unwrap()).unwrap();
    }
    seen
}

/// The state of `dir`: array files parsed (their layout may differ where
/// a record was changed in place rather than appended), the rest as bytes.
fn state(dir: &Path) -> Vec<(String, Value)> {
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap_or_default();
    let mut out = Vec::new();
    for name in [CLAIMS_FILE, AGENTS_FILE, LOG_FILE] {
        let bytes = read(name);
        let v = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        out.push((name.to_string(), v));
    }
    for name in [
        VELOCITY_FILE,
        SPANS_FILE,
        ARCHIVE_FILE,
        EVENTS_FILE,
        audit::AUDIT_FILE,
        audit::HEAD_FILE,
    ] {
        let text = String::from_utf8(read(name)).unwrap();
        out.push((name.to_string(), Value::from(text)));
    }
    out
}

/// The ids of the claims stored in `dir`, sorted.
pub(super) fn stored_ids(dir: &Path) -> Vec<String> {
    let claims: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir.join(CLAIMS_FILE)).unwrap()).unwrap();
    let mut ids: Vec<String> = claims
        .iter()
        .map(|c| c["work_item_id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

/// A tiny deterministic generator of scripts.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }

    fn act(&mut self) -> Act {
        let k = 1 + self.next(12) as u32;
        match self.next(10) {
            0 | 1 => Act::Insert(100 + self.next(1000) as u32),
            2 | 3 => Act::Touch(k),
            4 => Act::Agent(self.next(4) as u32, self.next(3) == 0),
            5 => Act::Load,
            6 => Act::Next,
            7 => Act::Archive(k),
            8 => Act::Complete(k),
            _ => Act::Span,
        }
    }

    fn steps(&mut self, n: usize) -> Vec<Vec<Act>> {
        (0..n)
            .map(|_| {
                let mut acts: Vec<Act> = (0..1 + self.next(3)).map(|_| self.act()).collect();
                if self.next(10) < 3 {
                    let at = self.next(acts.len() as u64 + 1) as usize;
                    acts.insert(at, Act::Fail);
                }
                acts
            })
            .collect()
    }
}

#[test]
fn a_batch_leaves_the_state_steps_one_by_one_leave_and_failed_ones_leave_nothing() {
    for seed in 0..40 {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let seed_steps: Vec<Vec<Act>> = (1..=12)
            .map(|k| vec![Act::Insert(k), Act::Agent(k % 4, false)])
            .collect();
        let mut rng = Lcg(seed);
        let script = rng.steps(12);
        let after = rng.steps(3);
        for dir in [a.path(), b.path()] {
            one_by_one(dir, &seed_steps, 0);
        }
        let alone = one_by_one(a.path(), &script, 100);
        let together = batched(b.path(), &script, 100);
        // Each step sees its own changes only, as it would alone: they
        // describe its span and its webhook.
        assert_eq!(alone, together, "seed {seed}: {script:?}");
        // Backups of cleaned-up claims aside (a batch backs up the claims
        // as they were before it), the two directories hold the same.
        assert_eq!(state(a.path()), state(b.path()), "seed {seed}: {script:?}");
        // And later steps find the state as they would have.
        one_by_one(a.path(), &after, 200);
        one_by_one(b.path(), &after, 200);
        assert_eq!(state(a.path()), state(b.path()), "seed {seed} after");
        assert_eq!(audit::verify(b.path()).unwrap().map(|_| ()), Ok(()));
    }
}

#[test]
fn a_failed_step_that_changed_records_leaves_no_trace_in_its_batch() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let seed: Vec<Vec<Act>> = (1..=3).map(|k| vec![Act::Insert(k)]).collect();
    use Act::*;
    let script = vec![
        vec![Insert(10), Agent(1, false)],
        // Changes in the file, appended, loaded, reordered: all undone.
        vec![Touch(1), Insert(11), Agent(2, false), Touch(10), Fail],
        vec![Agent(1, false), Touch(10), Touch(2)],
        vec![Load, Touch(3), Insert(12), Fail],
        vec![Agent(1, true), Archive(2), Complete(2), Span, Fail],
        vec![Next],
        vec![Touch(11)],
        vec![Archive(3), Agent(3, false)],
    ];
    for dir in [a.path(), b.path()] {
        one_by_one(dir, &seed, 0);
    }
    one_by_one(a.path(), &script, 10);
    batched(b.path(), &script, 10);
    assert_eq!(state(a.path()), state(b.path()));
    let claims = &state(b.path())[0].1;
    let ids: Vec<&str> = claims
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["work_item_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["work_1", "work_2", "work_10"]);
    assert_eq!(claims[2]["note"], "step 12");
    assert!(claims[0].get("note").is_none());
}

#[test]
fn concurrent_steps_of_a_group_are_all_stored_once_with_their_own_audit_lines() {
    let dir = tempfile::tempdir().unwrap();
    let group = Group::new();
    let threads: Vec<_> = (0..8u32)
        .map(|t| {
            let store = FileStore::new(dir.path(), Duration::from_secs(10)).grouped(&group);
            std::thread::spawn(move || {
                let mut stored = Vec::new();
                for i in 0..25u32 {
                    let k = t * 1000 + i;
                    // Every fifth step fails after changing records.
                    let mut acts = vec![Act::Insert(k), Act::Agent(t, false)];
                    if i % 5 == 4 {
                        acts.push(Act::Fail);
                    }
                    let n = k as usize;
                    if store.update(&step(n), |st| run(st, &acts, n)).is_ok() {
                        stored.push(format!("work_{k}"));
                    }
                }
                stored
            })
        })
        .collect();
    let mut stored: Vec<String> = threads
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    stored.sort();
    assert_eq!(stored.len(), 8 * 20);
    assert_eq!(stored_ids(dir.path()), stored);
    // One audit line per changed record, chained; events numbered 1..n.
    let lines = audit::verify(dir.path()).unwrap().unwrap();
    assert_eq!(lines, 8 * 20 * 2);
    let events = std::fs::read_to_string(dir.path().join(EVENTS_FILE)).unwrap();
    let seqs: Vec<u64> = events
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["seq"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(seqs, (1..=lines as u64).collect::<Vec<_>>());
    let audit = std::fs::read_to_string(dir.path().join(audit::AUDIT_FILE)).unwrap();
    for id in &stored {
        let quoted = format!("\"work_item\":\"{id}\"");
        assert_eq!(audit.matches(&quoted).count(), 1, "{id}");
    }
}

#[test]
fn a_step_that_panics_is_undone_and_the_group_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path(), Duration::from_secs(5)).grouped(&Group::new());
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        store.update(&step(1), |st| -> Result<()> {
            run(st, &[Act::Insert(1)], 1)?;
            panic!("an operation panics after a change")
        })
    }));
    assert!(panicked.is_err());
    store
        .update(&step(2), |st| run(st, &[Act::Insert(2)], 2))
        .unwrap();
    let claims: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir.path().join(CLAIMS_FILE)).unwrap()).unwrap();
    assert_eq!(
        claims,
        [json!({"work_item_id": "work_2", "status": "available", "priority": "high", "team": "t"})]
    );
}
