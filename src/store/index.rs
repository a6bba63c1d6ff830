//! `.nexus.index`: what nexus knows about each JSON array file as it last wrote
//! it (size, mtime, inode, where the closing bracket is, the highest work id),
//! plus the journal entry of an append in flight.
//!
//! When a file's stamp still matches, nexus can append a record in place
//! without re-reading or re-serialising the whole file. When it does not match
//! (another tool wrote the file), the file is parsed in full again. The index is
//! a cache: deleting it only costs one full parse.

use std::collections::BTreeMap;
use std::fs::{self, OpenOptions};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{NexusError, Result};

/// Name of the index file in the coordination directory.
pub const INDEX_FILE: &str = ".nexus.index";

/// Identity of a file's content as far as the file system tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub len: u64,
    pub mtime_ns: i64,
    pub ino: u64,
}

impl Stamp {
    /// The stamp of the file at `path`, if it exists.
    pub fn of(path: &Path) -> Option<Stamp> {
        let m = fs::metadata(path).ok()?;
        Some(Stamp {
            len: m.len(),
            mtime_ns: m.mtime() * 1_000_000_000 + m.mtime_nsec(),
            ino: m.ino(),
        })
    }
}

/// What nexus knows of one JSON array file it wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileMeta {
    pub stamp: Stamp,
    /// Offset just past the last record: appends are written from here.
    pub end_of_records: u64,
    /// The highest numeric `work_<n>` id in the file, if any.
    pub max_work_id: Option<u128>,
    /// Whether nexus wrote the whole file in its own layout (elements open
    /// with `\n  {` and close with `\n  }`), so records can be located fast.
    #[serde(default)]
    pub canonical: bool,
}

/// An append in progress: the bytes it overwrites, to undo a torn write.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    pub file: String,
    pub offset: u64,
    pub old_tail: String,
}

/// Audit lines of a step in flight, with the state stamps before the step:
/// recovery appends the lines if the state changed, drops them if not.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditJournal {
    pub lines: String,
    pub len_before: u64,
    pub stamps_before: Vec<Option<Stamp>>,
}

/// The whole index file.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Index {
    #[serde(default)]
    pub files: BTreeMap<String, FileMeta>,
    #[serde(default)]
    pub pending: Option<Pending>,
    #[serde(default)]
    pub audit: Option<AuditJournal>,
    #[serde(skip)]
    path: PathBuf,
}

impl Index {
    /// Load the index of `dir`; a missing or unreadable index is an empty one.
    pub fn load(dir: &Path) -> Index {
        let path = dir.join(INDEX_FILE);
        let mut index: Index = fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        index.path = path;
        index
    }

    /// The meta of `name` if the file on disk is still exactly what nexus wrote.
    pub fn trusted(&self, name: &str, path: &Path) -> Option<&FileMeta> {
        let meta = self.files.get(name)?;
        (Stamp::of(path)? == meta.stamp).then_some(meta)
    }

    /// Save in place (only writers, under the lock, read it); `durable` when
    /// the entry must reach the disk before the next write (the journal). A
    /// torn index reads as empty, which only costs a full parse.
    pub fn save(&self, durable: bool) -> Result<()> {
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        let err = |e| NexusError::io("cannot write", &self.path, e);
        let f = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.path)
            .map_err(err)?;
        f.write_all_at(&bytes, 0).map_err(err)?;
        f.set_len(bytes.len() as u64).map_err(err)?;
        if durable {
            f.sync_data().map_err(err)?;
        }
        Ok(())
    }
}
