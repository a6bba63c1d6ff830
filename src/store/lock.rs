//! The coordination lock: an advisory `flock` on `<dir>/.nexus.lock` plus the
//! legacy marker `work_claims.json.lock` (own PID), so that nexus processes
//! queue on the kernel lock and a legacy script backs off.
//!
//! Once nexus holds the kernel lock no other nexus can be inside, so a marker
//! found then belongs to a legacy script or to nobody: it is stale when its
//! process is gone, a zombie, not running `coordination_helper`, or started
//! after the marker was written (its PID was reused), and when it holds no PID
//! past a short grace (legacy writers write the PID at once). nexus's own
//! marker never exists without its PID: it is written to a temp file and
//! hard-linked into place, which fails atomically when a marker exists.

/// Default bound on waiting for the lock.
pub const DEFAULT_LOCK_TIMEOUT_MS: u64 = 5000;

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::alarm::Alarm;
use super::fsio::TEMP_PREFIX;
use crate::error::{NexusError, Result};

/// Name of the advisory lock file nexus processes queue on.
pub const LOCK_FILE: &str = ".nexus.lock";
/// Name of the legacy marker that coordination_helper.sh checks with `set -C`.
pub const LEGACY_MARKER: &str = "work_claims.json.lock";
/// What a legacy holder's command line mentions.
const LEGACY_SCRIPT: &str = "coordination_helper";
/// How long a marker may hold no PID before it is stale.
const EMPTY_GRACE: Duration = Duration::from_millis(250);

/// Held while a read-modify-write runs; releases both locks when dropped.
#[derive(Debug)]
pub struct LockGuard {
    _file: File,
    _dir: File,
    marker: PathBuf,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.marker);
    }
}

/// What a legacy marker is, as judged by a process holding the kernel lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkerState {
    Absent,
    /// A live legacy script holds it.
    Held(i32),
    /// Nobody holds it; the reason says why.
    Stale(String),
    /// It holds no PID yet and is younger than the grace period.
    Filling,
    /// Not a file (a directory, a socket…): nexus cannot remove it safely.
    NotAFile,
}

/// Take the exclusive coordination lock of `dir`, waiting at most `timeout`.
pub fn acquire(dir: &Path, timeout: Duration) -> Result<LockGuard> {
    let deadline = Instant::now() + timeout;
    let path = dir.join(LOCK_FILE);
    let file = loop {
        let file = open_lock_file(&path)?;
        let file = flock_until(file, deadline).ok_or_else(|| timeout_error(dir, timeout, ""))?;
        // Someone deleted (and perhaps recreated) the lock file while we
        // waited: the lock we hold guards nothing any more.
        if names_inode(&path, &file) {
            break file;
        }
    };
    // The directory itself cannot be unlinked under a writer: its lock keeps
    // writers apart even when the lock file is deleted while one is inside.
    let dir_lock = open_dir(dir)?;
    let dir_lock =
        flock_until(dir_lock, deadline).ok_or_else(|| timeout_error(dir, timeout, ""))?;
    let marker = dir.join(LEGACY_MARKER);
    let mut backoff = Duration::from_millis(1);
    loop {
        if create_marker(dir, &marker)? {
            return Ok(LockGuard {
                _file: file,
                _dir: dir_lock,
                marker,
            });
        }
        let holder = match marker_state(&marker) {
            MarkerState::Absent => continue,
            MarkerState::Stale(_) => {
                let _ = fs::remove_file(&marker);
                continue;
            }
            MarkerState::NotAFile => {
                return Err(NexusError::BadLockMarker {
                    path: marker,
                    why: "a directory or another non-file",
                });
            }
            MarkerState::Held(pid) => Some(pid),
            MarkerState::Filling => None,
        };
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

fn open_lock_file(path: &Path) -> Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => NexusError::Symlink(path.to_path_buf()),
            Some(libc::ENXIO) => NexusError::NotAFile(path.to_path_buf()),
            _ => NexusError::io("cannot open lock file", path, e),
        })
        .and_then(|f| match f.metadata() {
            Ok(m) if !m.is_file() => Err(NexusError::NotAFile(path.to_path_buf())),
            _ => Ok(f),
        })
}

fn open_dir(dir: &Path) -> Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY)
        .open(dir)
        .map_err(|e| NexusError::io("cannot open directory", dir, e))
}

/// Whether `path` still names the inode `file` has open.
fn names_inode(path: &Path, file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::symlink_metadata(path), file.metadata()) {
        (Ok(p), Ok(f)) => p.dev() == f.dev() && p.ino() == f.ino(),
        _ => false,
    }
}

fn timeout_error(dir: &Path, timeout: Duration, holder: &str) -> NexusError {
    NexusError::LockTimeout {
        dir: dir.to_path_buf(),
        timeout_ms: timeout.as_millis() as u64,
        holder: holder.to_string(),
    }
}

/// Block on `flock` until it is granted or `deadline` passes: the kernel
/// queues the waiters (no polling), and an [`Alarm`] ends the wait at the
/// deadline.
fn flock_until(file: File, deadline: Instant) -> Option<File> {
    match file.try_lock() {
        Ok(()) => return Some(file),
        Err(std::fs::TryLockError::WouldBlock) => {}
        Err(std::fs::TryLockError::Error(_)) => return None,
    }
    let Some(_alarm) = Alarm::at(deadline) else {
        return poll_until(file, deadline);
    };
    loop {
        // SAFETY: flock on the descriptor of an open file.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
            return Some(file);
        }
        let interrupted = std::io::Error::last_os_error().kind() == ErrorKind::Interrupted;
        if !interrupted || Instant::now() >= deadline {
            return None;
        }
    }
}

/// Try the lock every millisecond until `deadline` (where no timer can
/// interrupt a wait).
fn poll_until(file: File, deadline: Instant) -> Option<File> {
    loop {
        match file.try_lock() {
            Ok(()) => return Some(file),
            Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(1));
            }
            Err(_) => return None,
        }
    }
}

/// Create the legacy marker holding our PID: `Ok(true)` when created,
/// `Ok(false)` when a marker exists, an error at once for anything else (a
/// directory we may not write is not contention).
fn create_marker(dir: &Path, marker: &Path) -> Result<bool> {
    let pid = std::process::id();
    let temp = dir.join(format!("{TEMP_PREFIX}marker.{pid}"));
    let cannot = |e| NexusError::io("cannot create", marker, e);
    let written = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&temp)
        .and_then(|mut f| f.write_all(format!("{pid}\n").as_bytes()));
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(cannot(e));
    }
    let linked = fs::hard_link(&temp, marker);
    let _ = fs::remove_file(&temp);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
        // A filesystem without hard links: create with O_EXCL, then write.
        Err(e) if matches!(e.raw_os_error(), Some(libc::EPERM | libc::EOPNOTSUPP)) => {
            match OpenOptions::new()
                .write(true)
                .create_new(true)
                .custom_flags(libc::O_NOFOLLOW)
                .open(marker)
            {
                Ok(mut f) => {
                    writeln!(f, "{pid}").map_err(cannot)?;
                    Ok(true)
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
                Err(e) => Err(cannot(e)),
            }
        }
        Err(e) => Err(cannot(e)),
    }
}

/// The kernel lock of `dir` if no nexus holds it now (`Ok(None)` when one
/// does), for readers such as `doctor` that judge or repair the marker;
/// released when dropped.
pub fn try_hold(dir: &Path) -> std::io::Result<Option<(File, File)>> {
    let path = dir.join(LOCK_FILE);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(&path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a file"));
    }
    if file.try_lock().is_err() || !names_inode(&path, &file) {
        return Ok(None);
    }
    let dir_lock = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY)
        .open(dir)?;
    Ok(dir_lock.try_lock().ok().map(|()| (file, dir_lock)))
}

/// The PID written in a legacy marker, if it holds one.
pub fn read_marker_pid(marker: &Path) -> Option<i32> {
    fs::read_to_string(marker).ok()?.trim().parse().ok()
}

/// Judge the marker, assuming the caller holds the kernel lock (or only
/// reports, like `doctor`).
pub fn marker_state(marker: &Path) -> MarkerState {
    let meta = match fs::symlink_metadata(marker) {
        Ok(m) => m,
        Err(_) => return MarkerState::Absent,
    };
    if !meta.is_file() {
        return MarkerState::NotAFile;
    }
    let written = meta.modified().ok();
    match read_marker_pid(marker) {
        Some(pid) => match legacy_holder(pid, written) {
            Ok(()) => MarkerState::Held(pid),
            Err(DEAD) => MarkerState::Stale(format!("dead pid {pid}")),
            Err(why) => MarkerState::Stale(format!("pid {pid} {why}")),
        },
        None => {
            let age = written.and_then(|t| t.elapsed().ok());
            if age.is_some_and(|a| a < EMPTY_GRACE) {
                MarkerState::Filling
            } else {
                MarkerState::Stale("no pid".into())
            }
        }
    }
}

const DEAD: &str = "is dead";

/// Whether `pid` can be a legacy script holding a marker written at
/// `written`; if not, why.
fn legacy_holder(pid: i32, written: Option<SystemTime>) -> std::result::Result<(), &'static str> {
    if !pid_alive(pid) {
        return Err(DEAD);
    }
    let proc_dir = PathBuf::from(format!("/proc/{pid}"));
    let Ok(stat) = fs::read_to_string(proc_dir.join("stat")) else {
        // No /proc to ask (or not ours to read): trust that it is alive.
        return Ok(());
    };
    let fields = stat_fields(&stat);
    if matches!(fields.first().copied(), Some("Z" | "X" | "x")) {
        return Err("is a zombie");
    }
    if let Ok(cmdline) = fs::read(proc_dir.join("cmdline"))
        && !String::from_utf8_lossy(&cmdline).contains(LEGACY_SCRIPT)
    {
        return Err("is not a coordination_helper script");
    }
    let started = fields.get(19).and_then(|t| t.parse::<u64>().ok());
    if let (Some(start), Some(written)) = (started.and_then(start_time), written) {
        // Boot time has a one-second grain: allow that much.
        if start > written + Duration::from_secs(1) {
            return Err("started after the marker was written (pid reused)");
        }
    }
    Ok(())
}

/// The fields of `/proc/PID/stat` after the command name, from the state
/// (field 3) on.
fn stat_fields(stat: &str) -> Vec<&str> {
    stat.rfind(')')
        .map(|i| stat[i + 1..].split_whitespace().collect())
        .unwrap_or_default()
}

/// When a process started, from its start time in clock ticks since boot.
fn start_time(ticks: u64) -> Option<SystemTime> {
    let boot: u64 = fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    // SAFETY: sysconf only reads a configuration value.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let hz = u64::try_from(hz).ok().filter(|h| *h > 0)?;
    Some(UNIX_EPOCH + Duration::from_secs(boot) + Duration::from_millis(ticks * 1000 / hz))
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
    use std::process::{Child, Command};

    /// A live process that looks like the legacy script.
    fn legacy_script() -> Child {
        Command::new("sh")
            .args(["-c", "sleep 30; true", "coordination_helper.sh"])
            .spawn()
            .unwrap()
    }

    fn stop(mut c: Child) {
        let _ = c.kill();
        let _ = c.wait();
    }

    #[test]
    fn second_acquire_times_out_while_first_is_held() {
        let dir = tempfile::tempdir().unwrap();
        let held = acquire(dir.path(), Duration::from_millis(100)).unwrap();
        let marker = dir.path().join(LEGACY_MARKER);
        assert_eq!(read_marker_pid(&marker), Some(std::process::id() as i32));
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 2, "only the lock file and the marker: {left:?}");
        let err = acquire(dir.path(), Duration::from_millis(50)).unwrap_err();
        assert!(err.is_conflict());
        drop(held);
        assert!(!marker.exists());
        acquire(dir.path(), Duration::from_millis(50)).unwrap();
    }

    #[test]
    fn deleting_the_lock_file_under_a_holder_lets_no_second_writer_in() {
        let dir = tempfile::tempdir().unwrap();
        let held = acquire(dir.path(), Duration::from_millis(100)).unwrap();
        fs::remove_file(dir.path().join(LOCK_FILE)).unwrap();
        let err = acquire(dir.path(), Duration::from_millis(50)).unwrap_err();
        assert!(err.is_conflict(), "{err}");
        assert!(try_hold(dir.path()).unwrap().is_none());
        drop(held);
        drop(acquire(dir.path(), Duration::from_millis(50)).unwrap());
    }

    #[test]
    fn a_waiter_whose_lock_file_was_replaced_locks_the_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LOCK_FILE);
        let old = open_lock_file(&path).unwrap();
        fs::remove_file(&path).unwrap();
        let new = open_lock_file(&path).unwrap();
        assert!(!names_inode(&path, &old));
        assert!(names_inode(&path, &new));
    }

    #[test]
    fn dead_pid_marker_is_reclaimed_and_a_legacy_script_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join(LEGACY_MARKER);
        fs::write(&marker, "999999999\n").unwrap();
        drop(acquire(dir.path(), Duration::from_millis(100)).unwrap());
        let legacy = legacy_script();
        thread::sleep(Duration::from_millis(50));
        fs::write(&marker, format!("{}\n", legacy.id())).unwrap();
        let err = acquire(dir.path(), Duration::from_millis(30)).unwrap_err();
        assert!(
            err.to_string()
                .contains(&format!("held by pid {}", legacy.id())),
            "{err}"
        );
        stop(legacy);
    }

    #[test]
    fn markers_of_unrelated_zombie_or_younger_processes_are_stale() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join(LEGACY_MARKER);
        let stale = |pid: u32| {
            fs::write(&marker, format!("{pid}\n")).unwrap();
            matches!(marker_state(&marker), MarkerState::Stale(_))
        };
        // PID 1 is alive but is no legacy script.
        assert!(stale(1));
        let mut zombie = Command::new("sh")
            .args(["-c", "exit 0", "coordination_helper.sh"])
            .spawn()
            .unwrap();
        thread::sleep(Duration::from_millis(100));
        assert!(pid_alive(zombie.id() as i32));
        assert!(stale(zombie.id()));
        let _ = zombie.wait();
        // A legacy-looking process started after the marker was written.
        fs::write(&marker, "0\n").unwrap();
        let old = SystemTime::now() - Duration::from_secs(3600);
        let legacy = legacy_script();
        fs::write(&marker, format!("{}\n", legacy.id())).unwrap();
        File::options()
            .write(true)
            .open(&marker)
            .unwrap()
            .set_modified(old)
            .unwrap();
        assert!(matches!(marker_state(&marker), MarkerState::Stale(_)));
        stop(legacy);
    }

    #[test]
    fn a_marker_that_cannot_be_created_is_an_error_at_once_not_contention() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone");
        let err = create_marker(&gone, &gone.join(LEGACY_MARKER)).unwrap_err();
        assert!(!err.is_conflict());
        assert!(err.to_string().starts_with("cannot create "), "{err}");
        let marker = dir.path().join(LEGACY_MARKER);
        assert!(create_marker(dir.path(), &marker).unwrap());
        assert!(!create_marker(dir.path(), &marker).unwrap());
    }

    #[test]
    fn empty_markers_wait_a_grace_and_directories_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join(LEGACY_MARKER);
        fs::write(&marker, "").unwrap();
        assert_eq!(marker_state(&marker), MarkerState::Filling);
        let start = Instant::now();
        drop(acquire(dir.path(), Duration::from_millis(2000)).unwrap());
        assert!(start.elapsed() < Duration::from_millis(1500));
        fs::create_dir(&marker).unwrap();
        let err = acquire(dir.path(), Duration::from_millis(2000)).unwrap_err();
        assert!(!err.is_conflict());
        assert!(err.to_string().contains("nexus doctor --fix"), "{err}");
        assert!(start.elapsed() < Duration::from_millis(1500));
    }
}
