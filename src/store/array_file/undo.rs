//! Savepoints inside one transaction: several requests that share one step
//! (a group commit) each run from a [`mark`](ArrayFile::mark), and one whose
//! operation fails is [rolled back](ArrayFile::rollback) to it, as if it had
//! never run, while the others' changes stay.
//!
//! Undoing is cheap because little is copied: the small fields are saved at
//! the mark, and each change since then logs what it overwrote (one record,
//! one replaced entry); only a change through [`records_mut`]
//! (ArrayFile::records_mut) copies the records whole, once.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{ArrayFile, Pos, Replaced};
use crate::error::Result;

/// The file as it was at the mark, and what changed it since.
#[derive(Debug)]
pub(super) struct Undo {
    loaded: bool,
    dirty: bool,
    appended: usize,
    renumbered: bool,
    located: Option<(String, String, Pos, Value)>,
    absent: Option<(String, String)>,
    copied: bool,
    log: Vec<Undone>,
}

/// One thing overwritten since the mark, undone in reverse order.
#[derive(Debug)]
pub(super) enum Undone {
    /// A replaced record's entry (none before).
    Replaced(usize, Option<Replaced>),
    /// The replaced records, as merged into the records when they loaded.
    AllReplaced(BTreeMap<usize, Replaced>),
    /// A loaded record, by position.
    Record(usize, Value),
    /// Every loaded record, before a change of any shape.
    AllRecords(Vec<Value>),
    /// An appended record, by position.
    Appended(usize, Value),
    /// Every appended record, before some were removed.
    AllAppended(Vec<Value>),
}

impl ArrayFile {
    /// Start a savepoint: [`rollback`](Self::rollback) returns here.
    pub fn mark(&mut self) {
        self.undo = Some(Box::new(Undo {
            loaded: self.records.is_some(),
            dirty: self.dirty,
            appended: self.appended.len(),
            renumbered: self.renumbered,
            located: self.located.clone(),
            absent: self.absent.clone(),
            copied: false,
            log: Vec::new(),
        }));
    }

    /// Undo every change since the last [`mark`](Self::mark) (none without one).
    pub fn rollback(&mut self) {
        let Some(u) = self.undo.take() else {
            return;
        };
        for undone in u.log.into_iter().rev() {
            match undone {
                Undone::Replaced(start, Some(r)) => {
                    self.replaced.insert(start, r);
                }
                Undone::Replaced(start, None) => {
                    self.replaced.remove(&start);
                }
                Undone::AllReplaced(all) => self.replaced = all,
                Undone::Record(i, v) => {
                    if let Some(slot) = self.records.as_mut().and_then(|r| r.get_mut(i)) {
                        *slot = v;
                    }
                }
                Undone::AllRecords(all) => self.records = Some(all),
                Undone::Appended(i, v) => {
                    if let Some(slot) = self.appended.get_mut(i) {
                        *slot = v;
                    }
                }
                Undone::AllAppended(all) => self.appended = all,
            }
        }
        self.appended.truncate(u.appended);
        if !u.loaded {
            // Loaded since: read again from the file (unchanged under the lock).
            self.records = None;
            self.raw = None;
            self.spans.clear();
            self.canonical = false;
        }
        self.dirty = u.dirty;
        self.renumbered = u.renumbered;
        self.located = u.located;
        self.absent = u.absent;
    }

    /// Log `undone` when a savepoint is open.
    pub(super) fn note(&mut self, undone: Undone) {
        if let Some(u) = &mut self.undo {
            u.log.push(undone);
        }
    }

    /// Set the replaced record at `start`.
    pub(super) fn put_replaced(&mut self, start: usize, r: Replaced) {
        let old = self.replaced.insert(start, r);
        if self.undo.is_some() {
            self.note(Undone::Replaced(start, old));
        }
    }

    /// Set the loaded record `i` (nothing when the records are not loaded).
    pub(super) fn set_record(&mut self, i: usize, record: Value) {
        let loaded_at_mark = self.undo.as_ref().is_some_and(|u| u.loaded);
        if let Some(slot) = self.records.as_mut().and_then(|r| r.get_mut(i)) {
            let old = std::mem::replace(slot, record);
            // Records loaded after the mark are dropped on rollback anyway.
            if loaded_at_mark {
                self.note(Undone::Record(i, old));
            }
        }
    }

    /// Set the appended record `i`.
    pub(super) fn set_appended(&mut self, i: usize, record: Value) {
        if let Some(slot) = self.appended.get_mut(i) {
            let old = std::mem::replace(slot, record);
            self.note(Undone::Appended(i, old));
        }
    }

    /// Before the records change in any way: copy them, once per savepoint,
    /// when they were loaded before it.
    pub(super) fn keep_records(&mut self) {
        if let Some(u) = &mut self.undo
            && u.loaded
            && !u.copied
        {
            u.copied = true;
            let all = self.records.clone().unwrap_or_default();
            self.note(Undone::AllRecords(all));
        }
    }

    /// The records this step added, in order.
    pub fn appended(&self) -> &[Value] {
        &self.appended
    }

    /// The records loaded from the file (as this step changed them), then
    /// those it added.
    pub fn all_records(&mut self) -> Result<(&[Value], &[Value])> {
        self.records()?;
        Ok((self.records.as_deref().unwrap_or_default(), &self.appended))
    }

    /// Remove every record (loaded or added) for which `go` is true; the
    /// removed ones, in order.
    pub fn remove_where(&mut self, go: &dyn Fn(&Value) -> bool) -> Result<Vec<Value>> {
        let mut moved = Vec::new();
        self.records_mut()?.retain(|r| {
            let out = go(r);
            if out {
                moved.push(r.clone());
            }
            !out
        });
        if self.appended.iter().any(go) {
            let all = self.appended.clone();
            self.note(Undone::AllAppended(all));
            self.appended.retain(|r| {
                let out = go(r);
                if out {
                    moved.push(r.clone());
                }
                !out
            });
        }
        Ok(moved)
    }
}
