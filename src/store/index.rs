//! `.nexus.index`: what nexus knows about each JSON array file as it last
//! wrote it (length, a hash of its last bytes, where the last record ends,
//! the highest work id, whether the layout is nexus's own).
//!
//! While a file still has that length and those last bytes, nexus can append
//! a record in place or find one record without parsing the whole file. When
//! another tool wrote the file, the fingerprint no longer matches and the
//! file is parsed in full again. The index is written in the same step as the
//! files it describes, and it is a cache: deleting it costs one full parse.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::fsio;
use super::journal::Op;

/// Name of the index file in the coordination directory.
pub const INDEX_FILE: &str = ".nexus.index";
/// How many of a file's last bytes its fingerprint covers.
const TAIL: usize = 64;

/// Identity of a file's content as far as the file system tells (length,
/// modification time, inode): cheap change detection for the live dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub len: u64,
    pub mtime_ns: i64,
    pub ino: u64,
}

impl Stamp {
    /// The stamp of the file at `path`, if it exists.
    pub fn of(path: &Path) -> Option<Stamp> {
        let m = fs::symlink_metadata(path).ok()?;
        Some(Stamp {
            len: m.len(),
            mtime_ns: m.mtime() * 1_000_000_000 + m.mtime_nsec(),
            ino: m.ino(),
        })
    }
}

/// What nexus knows of one JSON array file it wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMeta {
    pub len: u64,
    /// SHA-256 (hex) of the last `min(len, 64)` bytes.
    pub tail: String,
    /// Offset just past the last record, `None` for an empty array.
    pub end_of_records: Option<u64>,
    /// The highest numeric `work_<n>` id in the file, if any.
    pub max_work_id: Option<u128>,
    /// Whether nexus wrote the whole file in its own layout (elements open
    /// with `\n  {` and close with `\n  }`), so records can be located fast.
    pub canonical: bool,
    /// Whether every record has a `work_<n>` id and the ids strictly ascend
    /// in file order (as nexus numbers them), so that one record is found by
    /// bisection of the file.
    #[serde(default)]
    pub ascending: bool,
}

fn tail_hash(bytes: &[u8]) -> String {
    let from = bytes.len().saturating_sub(TAIL);
    Sha256::digest(&bytes[from..])
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl FileMeta {
    /// The meta of a file whose content ends with `tail` (at least its last
    /// 64 bytes, or all of it) and is `len` bytes long.
    pub fn new(
        len: u64,
        tail: &[u8],
        end_of_records: Option<u64>,
        max_work_id: Option<u128>,
        canonical: bool,
    ) -> FileMeta {
        FileMeta {
            len,
            tail: tail_hash(tail),
            end_of_records,
            max_work_id,
            canonical,
            ascending: false,
        }
    }

    /// This meta, saying whether the file's work ids ascend.
    pub fn ascending(mut self, ascending: bool) -> FileMeta {
        self.ascending = ascending;
        self
    }

    /// Whether the file at `path` still is what this meta describes.
    fn matches(&self, path: &Path) -> bool {
        let Ok(Some((f, len))) = fsio::open_read_len(path) else {
            return false;
        };
        len == self.len
            && fsio::tail_of(&f, len, TAIL as u64).is_ok_and(|(_, t)| tail_hash(&t) == self.tail)
    }
}

/// The whole index file.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    #[serde(default)]
    pub files: BTreeMap<String, FileMeta>,
    #[serde(skip)]
    path: PathBuf,
    /// What [`trusted`](Self::trusted) found of each file. An index is
    /// loaded for one step, under the lock, while no file changes: a batch
    /// of steps asks about the same files many times, and the answer is
    /// checked on disk once.
    #[serde(skip)]
    checked: std::cell::RefCell<BTreeMap<(String, u64, String), bool>>,
}

impl Index {
    /// Load the index of `dir`; a missing or unreadable index is an empty one.
    pub fn load(dir: &Path) -> Index {
        let path = dir.join(INDEX_FILE);
        let mut index: Index = fsio::read_optional(&path)
            .ok()
            .flatten()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        index.path = path;
        index
    }

    /// The meta of `name` if the file on disk is still exactly what nexus wrote.
    pub fn trusted(&self, name: &str, path: &Path) -> Option<&FileMeta> {
        let meta = self.files.get(name)?;
        let key = (name.to_string(), meta.len, meta.tail.clone());
        let known = self.checked.borrow().get(&key).copied();
        let ok = known.unwrap_or_else(|| {
            let ok = meta.matches(path);
            self.checked.borrow_mut().insert(key, ok);
            ok
        });
        ok.then_some(meta)
    }

    /// The change that writes this index, for the step's list: in place,
    /// padded with spaces to the length it had (a file only nexus reads needs
    /// no new file renamed over it; a reader that catches it half written
    /// finds no index, and parses the files in full).
    pub fn op(&self) -> Op {
        let mut bytes = serde_json::to_vec(self).unwrap_or_default();
        let had = fs::symlink_metadata(&self.path).map_or(0, |m| m.len()) as usize;
        if bytes.len() < had {
            bytes.resize(had, b' ');
        }
        Op::in_place(INDEX_FILE, 0, bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_is_rewritten_in_place_and_a_shorter_one_still_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(INDEX_FILE);
        let write = |index: &Index| {
            let op = index.op();
            assert!(op.keep_rest && op.offset == 0, "in place, never renamed");
            let old = fs::read(&path).ok();
            fs::write(&path, super::super::journal::overlay(&op, old)).unwrap();
        };
        let meta = |len| FileMeta::new(len, b"[]", None, Some(7), true).ascending(true);
        let mut index = Index::load(dir.path());
        index.files.insert("a.json".into(), meta(2));
        index.files.insert("b.json".into(), meta(3));
        write(&index);
        let long = fs::metadata(&path).unwrap().len();
        assert_eq!(Index::load(dir.path()), index);
        index.files.remove("b.json");
        write(&index);
        assert_eq!(fs::metadata(&path).unwrap().len(), long, "padded");
        let back = Index::load(dir.path());
        assert_eq!(back, index);
        assert!(back.files["a.json"].ascending);
    }
}
