//! The coordination lock: an advisory `flock` on `<dir>/.nexus.lock` plus the
//! legacy marker `work_claims.json.lock` (own PID, created with O_EXCL), so that
//! nexus processes queue on the kernel lock and a legacy script backs off.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::error::{NexusError, Result};

/// Name of the advisory lock file nexus processes queue on.
pub const LOCK_FILE: &str = ".nexus.lock";
/// Name of the legacy marker that coordination_helper.sh checks with `set -C`.
pub const LEGACY_MARKER: &str = "work_claims.json.lock";

/// Held while a read-modify-write runs; releases both locks when dropped.
#[derive(Debug)]
pub struct LockGuard {
    _file: File,
    marker: PathBuf,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.marker);
    }
}

/// Take the exclusive coordination lock of `dir`, waiting at most `timeout`.
pub fn acquire(dir: &Path, timeout: Duration) -> Result<LockGuard> {
    let deadline = Instant::now() + timeout;
    let path = dir.join(LOCK_FILE);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| NexusError::io("cannot open lock file", &path, e))?;
    let file = flock_until(file, deadline).ok_or_else(|| timeout_error(dir, timeout, ""))?;
    let marker = dir.join(LEGACY_MARKER);
    let mut backoff = Duration::from_millis(1);
    loop {
        match create_marker(&marker) {
            Ok(()) => {
                return Ok(LockGuard {
                    _file: file,
                    marker,
                });
            }
            Err(holder) => {
                if marker_is_stale(&marker, holder) {
                    let _ = fs::remove_file(&marker);
                    continue;
                }
                if Instant::now() >= deadline {
                    let who = match holder {
                        Some(pid) => format!(" (held by pid {pid} via {LEGACY_MARKER})"),
                        None => format!(" ({LEGACY_MARKER} exists)"),
                    };
                    return Err(timeout_error(dir, timeout, &who));
                }
                thread::sleep(backoff.min(deadline.saturating_duration_since(Instant::now())));
                backoff = (backoff * 2).min(Duration::from_millis(50));
            }
        }
    }
}

fn timeout_error(dir: &Path, timeout: Duration, holder: &str) -> NexusError {
    NexusError::LockTimeout {
        dir: dir.to_path_buf(),
        timeout_ms: timeout.as_millis() as u64,
        holder: holder.to_string(),
    }
}

/// Block on `flock` in a helper thread so that the kernel queues the waiters
/// (no polling) while the caller still gives up at the deadline. A lock that
/// arrives after the caller gave up is released at once by the helper.
fn flock_until(file: File, deadline: Instant) -> Option<File> {
    match file.try_lock() {
        Ok(()) => return Some(file),
        Err(std::fs::TryLockError::WouldBlock) => {}
        Err(std::fs::TryLockError::Error(_)) => return None,
    }
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        if file.lock().is_ok() {
            // If the receiver is gone the file is dropped here, which unlocks it.
            let _ = tx.send(file);
        }
    });
    rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
        .ok()
}

/// Create the legacy marker with our PID. On failure returns the holder's PID
/// when the marker can be read.
fn create_marker(marker: &Path) -> Result<(), Option<i32>> {
    match OpenOptions::new().write(true).create_new(true).open(marker) {
        Ok(mut f) => {
            let _ = writeln!(f, "{}", std::process::id());
            Ok(())
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(read_marker_pid(marker)),
        // A directory we cannot write to: report as an unknown holder.
        Err(_) => Err(None),
    }
}

/// The PID written in a legacy marker, if it holds one.
pub fn read_marker_pid(marker: &Path) -> Option<i32> {
    fs::read_to_string(marker).ok()?.trim().parse().ok()
}

/// A marker is stale when its PID is dead, or when it has held no readable PID
/// for longer than a legacy writer needs between creating and filling it.
fn marker_is_stale(marker: &Path, holder: Option<i32>) -> bool {
    match holder {
        Some(pid) => !pid_alive(pid),
        None => fs::metadata(marker)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(10)),
    }
}

/// Whether a process with this PID exists.
pub fn pid_alive(pid: i32) -> bool {
    if pid <= 0 {
        return false;
    }
    // SAFETY: kill with signal 0 only checks for existence and permission.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_acquire_times_out_while_first_is_held() {
        let dir = tempfile::tempdir().unwrap();
        let held = acquire(dir.path(), Duration::from_millis(100)).unwrap();
        let marker = dir.path().join(LEGACY_MARKER);
        assert_eq!(read_marker_pid(&marker), Some(std::process::id() as i32));
        let err = acquire(dir.path(), Duration::from_millis(50)).unwrap_err();
        assert!(err.is_conflict());
        drop(held);
        assert!(!marker.exists());
        acquire(dir.path(), Duration::from_millis(50)).unwrap();
    }

    #[test]
    fn dead_pid_marker_is_reclaimed_and_live_one_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join(LEGACY_MARKER);
        fs::write(&marker, "999999999\n").unwrap();
        drop(acquire(dir.path(), Duration::from_millis(100)).unwrap());
        fs::write(&marker, "1\n").unwrap();
        let err = acquire(dir.path(), Duration::from_millis(30)).unwrap_err();
        assert!(err.to_string().contains("held by pid 1"), "{err}");
    }
}
