//! Crash-safe file writes: whole files through a unique temp file, fsync and
//! rename; appends in place behind an fsynced journal entry (see `index`).

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::error::{NexusError, Result};

/// Every temp file nexus creates starts with this prefix, so a later command
/// (holding the lock, so no writer is active) can remove strays after a crash.
pub const TEMP_PREFIX: &str = ".nexus-tmp-";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Replace `path` with `bytes`: unique temp file, fsync, rename, fsync the dir.
/// `durable = false` skips the fsyncs for files that are only caches.
pub fn write_atomic(path: &Path, bytes: &[u8], durable: bool) -> Result<()> {
    write_replacing(path, bytes, durable, durable)
}

/// Like [`write_atomic`] with the file fsynced before the rename (so a crash
/// leaves the old or the new file) but the rename itself not forced to disk:
/// for files where losing the latest version to a power cut is acceptable.
pub fn write_atomic_lazy_rename(path: &Path, bytes: &[u8]) -> Result<()> {
    write_replacing(path, bytes, true, false)
}

fn write_replacing(path: &Path, bytes: &[u8], sync_file: bool, sync_rename: bool) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(
        "{TEMP_PREFIX}{name}.{}.{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        if sync_file {
            f.sync_all()?;
        }
        fs::rename(&tmp, path)?;
        if sync_rename {
            sync_dir(dir);
        }
        Ok(())
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        NexusError::io("cannot write", path, e)
    })
}

/// Flush a directory entry change (rename) to disk; best effort.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Remove temp files left behind by a crashed writer. Call only under the lock.
pub fn remove_stray_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Write `bytes` at `offset` and cut the file right after them, then fdatasync.
pub fn write_tail(path: &Path, offset: u64, bytes: &[u8]) -> Result<()> {
    let err = |e| NexusError::io("cannot append to", path, e);
    let f = OpenOptions::new().write(true).open(path).map_err(err)?;
    f.write_all_at(bytes, offset).map_err(err)?;
    f.set_len(offset + bytes.len() as u64).map_err(err)?;
    f.sync_data().map_err(err)
}

/// Append raw bytes to a text file (O_APPEND, one write).
pub fn append_line(path: &Path, line: &str) -> Result<()> {
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| NexusError::io("cannot open", path, e))?;
    f.write_all(line.as_bytes())
        .map_err(|e| NexusError::io("cannot append to", path, e))
}

/// Read a whole file; `Ok(None)` when it does not exist.
pub fn read_optional(path: &Path) -> Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(NexusError::io("cannot read", path, e)),
    }
}

/// Read the last `n` bytes of a file and the offset they start at.
pub fn read_tail(path: &Path, n: u64) -> Result<(u64, Vec<u8>)> {
    let err = |e| NexusError::io("cannot read", path, e);
    let mut f = File::open(path).map_err(err)?;
    let len = f.metadata().map_err(err)?.len();
    let start = len.saturating_sub(n);
    f.seek(SeekFrom::Start(start)).map_err(err)?;
    let mut buf = Vec::with_capacity((len - start) as usize);
    f.read_to_end(&mut buf).map_err(err)?;
    Ok((start, buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        write_atomic(&p, b"[1]", true).unwrap();
        write_atomic(&p, b"[2]", false).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"[2]");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn strays_are_removed_and_tail_is_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(format!("{TEMP_PREFIX}x.1.0")), "junk").unwrap();
        let p = dir.path().join("a.json");
        fs::write(&p, "[1]\n\n").unwrap();
        remove_stray_temps(dir.path());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        write_tail(&p, 2, b",2]\n").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "[1,2]\n");
        assert_eq!(read_tail(&p, 3).unwrap(), (3, b"2]\n".to_vec()));
        assert!(read_optional(&dir.path().join("none")).unwrap().is_none());
    }
}
