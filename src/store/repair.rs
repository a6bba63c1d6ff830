//! What `doctor` finds wrong in a coordination directory, and the repairs
//! `doctor --fix` makes: each finding says what it would do; with `fix` the
//! repairs of the files run as one step under the lock (the damaged file is
//! saved whole under `backups/` first), and nothing is ever "repaired" by
//! resetting a file or by restoring an older copy over newer records.

use std::fs;
use std::path::Path;

use serde_json::Value;

use super::array_file::parse_array;
use super::fsio::{self, TEMP_PREFIX};
use super::index::INDEX_FILE;
use super::journal::{self, Op};
use super::lock::{self, LEGACY_MARKER, LOCK_FILE, MarkerState};
use super::tx::FileTx;
use super::{
    AGENTS_FILE, ARCHIVE_FILE, BACKUP_DIR, CLAIMS_FILE, FileStore, LOG_FILE, SPANS_FILE, SpanRead,
    Step,
};
use crate::error::{NexusError, Result};
use crate::records::scan::complete_prefix;

mod holders;
mod writable;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Ok,
    Warn,
    Error,
}

/// One thing doctor checked: what it found, and the repair it made (with
/// `--fix`) or would make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub name: String,
    pub level: Level,
    pub detail: String,
    /// The exact repair `--fix` applies, when there is one.
    pub fix: Option<String>,
    /// Whether this run applied it.
    pub fixed: bool,
}

fn found(level: Level, name: &str, detail: impl Into<String>) -> Finding {
    Finding {
        name: name.to_string(),
        level,
        detail: detail.into(),
        fix: None,
        fixed: false,
    }
}

fn fixable(level: Level, name: &str, detail: impl Into<String>, fix: String) -> Finding {
    Finding {
        fix: Some(fix),
        ..found(level, name, detail)
    }
}

/// Examine the state of `store` and, with `fix`, repair what can be repaired
/// without losing a complete record.
pub fn examine(
    store: &FileStore,
    fix: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<Finding>> {
    let dir = store.dir();
    let mut out = Vec::new();
    let unusable = writable::state_files(dir, &mut out);
    writable::write_probe(dir, &mut out);
    lock_file(dir, fix, &mut out);
    if unusable {
        // No step can run, nor can the files be read as one state: what is
        // found so far is the answer.
        return Ok(out);
    }
    marker(dir, fix, &mut out);
    let locked = if fix {
        Some(store.lock_with(true)?)
    } else {
        None
    };
    match &locked {
        Some((_, rec)) if rec.set_aside => {
            let mut f = fixable(
                Level::Error,
                "journal",
                "damaged in the middle (not by a crash)",
                format!("move it to {BACKUP_DIR}/journal_damaged_<time> and start a new one, keeping the files as they are"),
            );
            f.fixed = true;
            out.push(f);
        }
        Some((_, rec)) => {
            let mut f = found(Level::Ok, "journal", "no step left unfinished");
            if rec.replayed > 0 || rec.torn {
                f.detail = format!(
                    "finished {} step(s) a dead writer left committed{}",
                    rec.replayed,
                    if rec.torn {
                        "; dropped a torn, uncommitted one"
                    } else {
                        ""
                    }
                );
                f.fixed = true;
            }
            out.push(f);
            out.push(found(
                Level::Ok,
                "temp files",
                format!("{} left over by a crash removed", rec.temps),
            ));
        }
        None if journal::damaged(dir) => out.push(fixable(
            Level::Error,
            "journal",
            "damaged in the middle (not by a crash): writing commands refuse to run until it is dealt with",
            format!(
                "move it to {BACKUP_DIR}/journal_damaged_<time> and start a new one, keeping the files as they are (check them: a step in the damaged part may be lost)"
            ),
        )),
        None => {
            out.push(match journal::pending(dir) {
                Err(e) => found(Level::Error, "journal", e.to_string()),
                Ok(Some(_)) => fixable(
                    Level::Warn,
                    "journal",
                    "a dead writer left a committed step unfinished (readers already see it)",
                    "finish it (any writing command does too)".into(),
                ),
                Ok(None) => found(Level::Ok, "journal", "no step left unfinished"),
            });
            let temps = count_temps(dir);
            out.push(if temps == 0 {
                found(Level::Ok, "temp files", "none left over")
            } else {
                fixable(
                    Level::Warn,
                    "temp files",
                    format!("{temps} left over by a crash (or in use by a writer now)"),
                    "remove the strays under the lock".into(),
                )
            });
        }
    }
    // Every repair is one step: the files' repairs first, then the records'
    // repairs on the records as the files' repairs leave them.
    let mut ops = Vec::new();
    let mut tx = FileTx::new(dir);
    for name in [CLAIMS_FILE, AGENTS_FILE, LOG_FILE] {
        if let Some(kept) = array_file(dir, name, &mut ops, &mut out)? {
            tx.preset(name, kept);
        }
    }
    jsonl_tail(dir, ARCHIVE_FILE, &mut ops, &mut out)?;
    spans(dir, &mut ops, &mut out)?;
    index(dir, &mut ops, &mut out);
    // Records that cannot be read (damage that is not a torn end) are
    // reported above; their records are not judged.
    let plan = holders::plan(&mut tx, now).ok();
    if let Some(plan) = &plan {
        holders::report(plan, &mut out);
    }
    if fix {
        if let Some(plan) = &plan {
            holders::apply(plan, &mut tx, now)?;
        }
        ops.extend(tx.ops(&Step::quiet("doctor", &crate::records::timestamp(now)))?);
        if !ops.is_empty() {
            store.apply_locked(&ops)?;
            out.iter_mut()
                .filter(|f| f.fix.is_some() && f.name != "journal" && f.name != "temp files")
                .for_each(|f| f.fixed = true);
        }
    }
    drop(locked);
    Ok(out)
}

fn count_temps(dir: &Path) -> usize {
    fs::read_dir(dir).map_or(0, |r| {
        r.flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
            .count()
    })
}

/// `.nexus.lock` must be a file nexus can lock; a directory in its place
/// stops every command.
fn lock_file(dir: &Path, fix: bool, out: &mut Vec<Finding>) {
    let path = dir.join(LOCK_FILE);
    let Ok(meta) = fs::symlink_metadata(&path) else {
        return;
    };
    if meta.is_file() {
        return;
    }
    let mut f = fixable(
        Level::Error,
        LOCK_FILE,
        format!("{LOCK_FILE} is not a file: every change fails until it is gone"),
        "remove it (when it is an empty directory); the next command creates the file".into(),
    );
    if fix && fs::remove_dir(&path).is_ok() {
        f.fixed = true;
        f.level = Level::Ok;
    }
    out.push(f);
}

/// The legacy marker, judged while holding the kernel lock, so a running
/// nexus is never disturbed.
fn marker(dir: &Path, fix: bool, out: &mut Vec<Finding>) {
    let path = dir.join(LEGACY_MARKER);
    // Without the lock file (a read-only directory) judge, but never remove.
    let (_held, fix) = match lock::try_hold(dir) {
        Ok(Some(held)) => (Some(held), fix),
        Ok(None) => {
            out.push(found(Level::Ok, "lock marker", "held by a running nexus"));
            return;
        }
        Err(_) => (None, false),
    };
    let mut f = match lock::marker_state(&path) {
        MarkerState::Absent => found(Level::Ok, "lock marker", "none held"),
        MarkerState::Held(pid) => found(
            Level::Ok,
            "lock marker",
            format!("held by running legacy script pid {pid}"),
        ),
        MarkerState::Filling => found(Level::Ok, "lock marker", "being written by a legacy script"),
        MarkerState::NotAFile => fixable(
            Level::Error,
            "lock marker",
            format!(
                "{LEGACY_MARKER} is not a file (a directory?): every change fails until it is gone"
            ),
            format!("remove {LEGACY_MARKER}"),
        ),
        MarkerState::Stale(who) => fixable(
            Level::Warn,
            "lock marker",
            format!("{LEGACY_MARKER} is stale ({who}); nexus reclaims it"),
            "remove the stale marker".into(),
        ),
    };
    let removable = f.fix.is_some();
    if fix
        && removable
        && fs::remove_dir_all(&path)
            .or_else(|_| fs::remove_file(&path))
            .is_ok()
    {
        f.fixed = true;
        f.level = Level::Ok;
    }
    out.push(f);
}

/// The name a damaged file is saved under before its repair.
fn backup_name(name: &str) -> String {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, "bak"));
    let stamp = chrono::Utc::now().format("%Y%m%d_%H%M%S");
    format!("{BACKUP_DIR}/{stem}_damaged_{stamp}.{ext}")
}

/// The id a torn record was about, when its text still shows one.
fn torn_id(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    for key in ["\"work_item_id\"", "\"agent_id\""] {
        if let Some(at) = text.find(key) {
            let rest = &text[at + key.len()..];
            let rest = rest.trim_start().strip_prefix(':')?.trim_start();
            let value = rest.strip_prefix('"')?;
            return value.find('"').map(|end| value[..end].to_string());
        }
    }
    None
}

/// Check one JSON array file; a torn last record is dropped (and the file
/// closed) by `--fix`. Returns the records a repair keeps, when one is
/// planned (the damaged file's backup is in `ops`).
fn array_file(
    dir: &Path,
    name: &str,
    ops: &mut Vec<Op>,
    out: &mut Vec<Finding>,
) -> Result<Option<Vec<Value>>> {
    let path = dir.join(name);
    let bytes = match fsio::read_optional(&path) {
        Ok(Some(b)) => b,
        Ok(None) => {
            out.push(found(Level::Ok, name, "not created yet"));
            return Ok(None);
        }
        Err(e) => {
            out.push(found(Level::Error, name, e.to_string()));
            return Ok(None);
        }
    };
    let err = match parse_array(&path, &bytes) {
        Ok(v) => {
            out.push(found(
                Level::Ok,
                name,
                crate::text::count(v.len(), "record", "records"),
            ));
            return Ok(None);
        }
        Err(e) => e,
    };
    let where_ = match &err {
        NexusError::Corrupt {
            line, column, msg, ..
        } => {
            format!("does not parse at line {line}, column {column} ({msg})")
        }
        e => e.to_string(),
    };
    let Some((spans, torn)) = complete_prefix(&bytes).filter(|(_, t)| t.is_some()) else {
        out.push(found(
            Level::Error,
            name,
            format!(
                "{where_}; the damage is not a torn end, so no repair keeps every record: restore the newest copy from {BACKUP_DIR}/ that has all your records, or fix the file by hand at that line, then run doctor again"
            ),
        ));
        return Ok(None);
    };
    let torn_at = torn.unwrap_or(bytes.len());
    let dropped = torn_id(&bytes[torn_at..]).map_or("unreadable id".into(), |id| id);
    let kept: Vec<Value> = spans
        .iter()
        .filter_map(|(s, e)| serde_json::from_slice(&bytes[*s..*e]).ok())
        .collect();
    let backup = backup_name(name);
    out.push(fixable(
        Level::Error,
        name,
        format!("{where_}: its end is torn (a writer died mid-write)"),
        format!(
            "keep the {} complete records, drop the torn last one ({dropped}), close the array; the damaged file is saved as {backup}",
            spans.len()
        ),
    ));
    ops.push(Op::to_end(&backup, 0, bytes.clone()));
    Ok(Some(kept))
}

/// A JSON-lines file whose last line is torn: `--fix` drops that line.
fn jsonl_tail(dir: &Path, name: &str, ops: &mut Vec<Op>, out: &mut Vec<Finding>) -> Result<()> {
    let Some(bytes) = fsio::read_optional(&dir.join(name))? else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(&bytes);
    let last_start = text.trim_end_matches('\n').rfind('\n').map_or(0, |i| i + 1);
    let last = &text[last_start..];
    if last.trim().is_empty() || serde_json::from_str::<Value>(last.trim()).is_ok() {
        out.push(found(
            Level::Ok,
            name,
            format!("{} lines", text.lines().count()),
        ));
        return Ok(());
    }
    let backup = backup_name(name);
    out.push(fixable(
        Level::Error,
        name,
        "its last line is torn",
        format!("drop the torn last line; the damaged file is saved as {backup}"),
    ));
    ops.push(Op::to_end(&backup, 0, bytes.clone()));
    ops.push(Op::to_end(name, last_start as u64, Vec::new()));
    Ok(())
}

/// The spans file: legacy multi-line objects and invalid ones are rewritten
/// one object per line (the invalid ones dropped, the file saved first).
fn spans(dir: &Path, ops: &mut Vec<Op>, out: &mut Vec<Finding>) -> Result<()> {
    let r = SpanRead::read(dir)?;
    if r.multi_line == 0 && r.skipped == 0 {
        out.push(found(
            Level::Ok,
            SPANS_FILE,
            format!("{} spans, one per line", r.spans.len()),
        ));
        return Ok(());
    }
    let backup = backup_name(SPANS_FILE);
    out.push(fixable(
        Level::Warn,
        SPANS_FILE,
        format!(
            "{} spans, {} spread over several lines (legacy), {} invalid",
            r.spans.len(),
            r.multi_line,
            r.skipped
        ),
        format!(
            "rewrite it one span per line, dropping the {} invalid; the file is saved as {backup}",
            r.skipped
        ),
    ));
    ops.push(Op::to_end(
        &backup,
        0,
        fsio::read_optional(&dir.join(SPANS_FILE))?.unwrap_or_default(),
    ));
    ops.push(Op::to_end(
        SPANS_FILE,
        0,
        r.spans
            .iter()
            .map(|s| format!("{s}\n"))
            .collect::<String>()
            .into_bytes(),
    ));
    Ok(())
}

/// The index is a cache: one that does not parse is replaced by an empty one.
fn index(dir: &Path, ops: &mut Vec<Op>, out: &mut Vec<Finding>) {
    let Ok(Some(bytes)) = fsio::read_optional(&dir.join(INDEX_FILE)) else {
        return;
    };
    if serde_json::from_slice::<super::index::Index>(&bytes).is_ok() {
        return;
    }
    out.push(fixable(
        Level::Warn,
        INDEX_FILE,
        "does not parse (it is a cache: nexus ignores it and parses the files in full)",
        "replace it with an empty index".into(),
    ));
    ops.push(Op::to_end(INDEX_FILE, 0, b"{}".to_vec()));
}
