//! File-system calls of the store, each one a named write point.
//!
//! Every open of a state file refuses symbolic links (`O_NOFOLLOW`), every
//! replaced file keeps the mode and group of the file it replaces, and every
//! call that changes the disk passes through [`point`], so that a debug build
//! can fail or crash at the Nth of them (`NEXUS_FAULT=fail:N` or `crash:N`):
//! the fault-injection tests stop a command at each write in turn. Release
//! builds compile the switch out.

use std::fs::{self, File, OpenOptions};
use std::io::{self, ErrorKind, Write};
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::io::AsRawFd;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::error::{NexusError, Result};

/// Every temp file nexus creates starts with this prefix, so a later command
/// (holding the lock, so no writer is active) can remove strays after a crash.
pub const TEMP_PREFIX: &str = ".nexus-tmp-";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A write point: counts it and, in debug builds with `NEXUS_FAULT` set,
/// fails it with an I/O error or kills the process at the chosen count.
pub fn point(what: &str) -> io::Result<()> {
    #[cfg(debug_assertions)]
    fault::hit(what)?;
    let _ = what;
    Ok(())
}

/// Arm the fault switch with the value of `NEXUS_FAULT` (`fail:N` or
/// `crash:N`), read by the settings; release builds have no switch.
pub fn arm_faults(spec: Option<&str>) {
    #[cfg(debug_assertions)]
    fault::arm(spec);
    let _ = spec;
}

/// A journal size set by the settings past which a step ends with a
/// checkpoint (`NEXUS_CHECKPOINT_BYTES`, debug builds only, so tests reach a
/// checkpoint without writing 64 MiB).
static CHECKPOINT_BYTES: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();

/// Arm the checkpoint size with the value of `NEXUS_CHECKPOINT_BYTES`, read
/// by the settings; release builds ignore it.
pub fn arm_checkpoint(spec: Option<&str>) {
    #[cfg(debug_assertions)]
    let _ = CHECKPOINT_BYTES.set(spec.and_then(|v| v.parse().ok()));
    let _ = spec;
}

/// The journal size past which a step ends with a checkpoint: `default`,
/// unless armed otherwise (debug builds).
pub fn checkpoint_bytes(default: u64) -> u64 {
    CHECKPOINT_BYTES.get().copied().flatten().unwrap_or(default)
}

#[cfg(debug_assertions)]
mod fault {
    use std::io;
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};

    static HITS: AtomicU64 = AtomicU64::new(0);
    static PLAN: OnceLock<Option<(bool, u64)>> = OnceLock::new();

    pub fn arm(spec: Option<&str>) {
        let plan = spec.and_then(|v| {
            let (kind, n) = v.split_once(':')?;
            Some((kind == "crash", n.parse().ok()?))
        });
        let _ = PLAN.set(plan);
    }

    pub fn hit(what: &str) -> io::Result<()> {
        let Some(Some((crash, at))) = PLAN.get().copied() else {
            return Ok(());
        };
        let n = HITS.fetch_add(1, Ordering::SeqCst) + 1;
        if n != at {
            return Ok(());
        }
        eprintln!(
            "nexus-fault: {} at write point {n} ({what})",
            if crash { "crash" } else { "fail" }
        );
        if crash {
            // SIGKILL: no destructor, no flush, exactly like a crash.
            unsafe { libc::kill(libc::getpid(), libc::SIGKILL) };
        }
        Err(io::Error::from_raw_os_error(libc::EIO))
    }
}

/// Options that refuse a symbolic link and never block in `open(2)`: a FIFO
/// put in place of a state file would otherwise hang the open for ever (and a
/// writer with it, holding the lock). On a regular file `O_NONBLOCK` changes
/// nothing; every open is followed by [`regular`].
fn nofollow() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK);
    o
}

/// The file and its length, if it is a regular file; `not_a_file` for a
/// FIFO, a device, a socket or a directory.
fn regular(f: File, path: &Path) -> Result<(File, u64)> {
    match f.metadata() {
        Ok(m) if m.is_file() => Ok((f, m.len())),
        Ok(_) => Err(NexusError::NotAFile(path.to_path_buf())),
        Err(e) => Err(NexusError::io("cannot read", path, e)),
    }
}

/// Map the error of opening a state file to a clear one: a symbolic link
/// (`O_NOFOLLOW`) or something that is no file (a socket opens as `ENXIO`).
fn open_error(action: &'static str, path: &Path, e: io::Error) -> NexusError {
    match e.raw_os_error() {
        Some(libc::ELOOP) => NexusError::Symlink(path.to_path_buf()),
        Some(libc::ENXIO | libc::EISDIR) => NexusError::NotAFile(path.to_path_buf()),
        _ => NexusError::io(action, path, e),
    }
}

/// Open a state file for reading, refusing a symbolic link; `None` if missing.
pub fn open_read(path: &Path) -> Result<Option<File>> {
    Ok(open_read_len(path)?.map(|(f, _)| f))
}

/// [`open_read`], with the file's length when it was opened.
pub fn open_read_len(path: &Path) -> Result<Option<(File, u64)>> {
    match nofollow().read(true).open(path) {
        Ok(f) => regular(f, path).map(Some),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(open_error("cannot read", path, e)),
    }
}

/// Open an existing state file for reading and writing in place, with its
/// length; `None` if missing.
pub fn open_existing_len(path: &Path) -> Result<Option<(File, u64)>> {
    match nofollow().read(true).write(true).open(path) {
        Ok(f) => regular(f, path).map(Some),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(open_error("cannot write", path, e)),
    }
}

/// Read a whole state file; `Ok(None)` when it does not exist.
pub fn read_optional(path: &Path) -> Result<Option<Vec<u8>>> {
    let Some((f, len)) = open_read_len(path)? else {
        return Ok(None);
    };
    let err = |e| NexusError::io("cannot read", path, e);
    let mut buf = read_at_most(&f, 0, len).map_err(err)?;
    // A file that grew since it was measured is read to its new end.
    while buf.len() as u64 >= len {
        let more = read_at_most(&f, buf.len() as u64, 8192).map_err(err)?;
        if more.is_empty() {
            break;
        }
        buf.extend_from_slice(&more);
    }
    Ok(Some(buf))
}

/// Up to `len` bytes of `f` from `offset` on, read by position (the file's
/// own offset is left alone); fewer when the file ends sooner.
fn read_at_most(f: &File, offset: u64, len: u64) -> io::Result<Vec<u8>> {
    let mut buf = vec![0u8; len as usize];
    huge_pages(&mut buf);
    let mut filled = 0;
    while filled < buf.len() {
        match f.read_at(&mut buf[filled..], offset + filled as u64) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buf.truncate(filled);
    Ok(buf)
}

/// Ask the kernel to back a large buffer with huge pages where it can: a
/// reader of a 90 MB claims file otherwise takes 22,000 page faults filling
/// it, a fifth of its time.
#[cfg(target_os = "linux")]
fn huge_pages(buf: &mut Vec<u8>) {
    const HUGE: usize = 2 << 20;
    let (start, cap) = (buf.as_mut_ptr() as usize, buf.capacity());
    if cap < 4 * HUGE {
        return;
    }
    let first = start.next_multiple_of(HUGE);
    let len = (start + cap - first) / HUGE * HUGE;
    // SAFETY: advice on whole huge pages inside the buffer's own allocation;
    // it changes how the pages are backed, never their contents.
    unsafe { libc::madvise(first as *mut libc::c_void, len, libc::MADV_HUGEPAGE) };
}

#[cfg(not(target_os = "linux"))]
fn huge_pages(_: &mut Vec<u8>) {}

/// Read the last `n` bytes of a file and the offset they start at.
pub fn read_tail(path: &Path, n: u64) -> Result<(u64, Vec<u8>)> {
    let Some((f, len)) = open_read_len(path)? else {
        return Ok((0, Vec::new()));
    };
    tail_of(&f, len, n).map_err(|e| NexusError::io("cannot read", path, e))
}

/// The last `n` bytes of the open file `f`, `len` bytes long when measured,
/// and the offset they start at.
pub fn tail_of(f: &File, len: u64, n: u64) -> io::Result<(u64, Vec<u8>)> {
    let start = len.saturating_sub(n);
    Ok((start, read_at_most(f, start, len - start)?))
}

/// Refuse a state file that is a symbolic link (or anything but a file).
pub fn check_target(path: &Path) -> Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(NexusError::Symlink(path.to_path_buf())),
        Ok(m) if !m.is_file() => Err(NexusError::NotAFile(path.to_path_buf())),
        _ => Ok(()),
    }
}

/// Open (creating if needed) a state file for reading and writing in place.
pub fn open_write(path: &Path) -> Result<File> {
    nofollow()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o666)
        .open(path)
        .map_err(|e| open_error("cannot write", path, e))
        .and_then(|f| regular(f, path))
        .map(|(f, _)| f)
}

/// Write `bytes` at `offset` and cut the file right after them.
pub fn patch(f: &File, path: &Path, offset: u64, bytes: &[u8]) -> Result<()> {
    let err = |e| NexusError::io("cannot write", path, e);
    point("write").map_err(err)?;
    f.write_all_at(bytes, offset).map_err(err)?;
    point("truncate").map_err(err)?;
    // A write that ended the file where it now ends (an append) leaves
    // nothing to cut: the call would cost the file system a transaction.
    let end = offset + bytes.len() as u64;
    if f.metadata().map_err(err)?.len() == end {
        return Ok(());
    }
    f.set_len(end).map_err(err)
}

/// Write `bytes` at `offset`, keeping the rest of the file.
pub fn overwrite(f: &File, path: &Path, offset: u64, bytes: &[u8]) -> Result<()> {
    point("write").map_err(|e| NexusError::io("cannot write", path, e))?;
    f.write_all_at(bytes, offset)
        .map_err(|e| NexusError::io("cannot write", path, e))
}

/// Reserve the blocks a later write of `len` bytes at `offset` needs, so that
/// the write cannot fail for want of space. File systems without the call
/// are left as they are.
pub fn reserve(f: &File, path: &Path, offset: u64, len: u64) -> Result<()> {
    if len == 0 {
        return Ok(());
    }
    point("reserve").map_err(|e| NexusError::io("cannot reserve space in", path, e))?;
    // SAFETY: plain syscall on an open descriptor.
    let rc = unsafe {
        libc::fallocate(
            f.as_raw_fd(),
            libc::FALLOC_FL_KEEP_SIZE,
            offset as libc::off_t,
            len as libc::off_t,
        )
    };
    if rc == 0 {
        return Ok(());
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EOPNOTSUPP) | Some(libc::ENOSYS) => Ok(()),
        _ => Err(NexusError::io("cannot reserve space in", path, e)),
    }
}

/// Flush a file's data to disk.
pub fn sync(f: &File, path: &Path) -> Result<()> {
    let err = |e| NexusError::io("cannot flush", path, e);
    point("fsync").map_err(err)?;
    f.sync_data().map_err(err)
}

/// Flush a directory entry change (create, rename) to disk.
pub fn sync_dir(dir: &Path) -> Result<()> {
    let err = |e| NexusError::io("cannot flush", dir, e);
    point("fsync").map_err(err)?;
    File::open(dir).and_then(|d| d.sync_all()).map_err(err)
}

/// Write `bytes` to a new temp file in `dir` (on the file system of
/// `target`, where strays are looked for), with the mode and group of
/// `target` when it exists. Returns the temp's path.
pub fn write_temp(dir: &Path, target: &Path, bytes: &[u8]) -> Result<std::path::PathBuf> {
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("file");
    let tmp = dir.join(format!(
        "{TEMP_PREFIX}{name}.{}.{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        point("create")?;
        let mut f = nofollow()
            .write(true)
            .create_new(true)
            .mode(0o666)
            .open(&tmp)?;
        if let Ok(m) = fs::symlink_metadata(target)
            && m.is_file()
        {
            f.set_permissions(fs::Permissions::from_mode(m.mode() & 0o7777))?;
            // Keep the group of a shared directory's files; best effort.
            // SAFETY: plain syscall on an open descriptor.
            unsafe { libc::fchown(f.as_raw_fd(), u32::MAX, m.gid()) };
        }
        point("write")?;
        f.write_all(bytes)?;
        Ok(())
    })();
    result.map_err(|e: io::Error| {
        let _ = fs::remove_file(&tmp);
        NexusError::io("cannot write", target, e)
    })?;
    Ok(tmp)
}

/// Rename `from` over `to`.
pub fn rename(from: &Path, to: &Path) -> Result<()> {
    let err = |e| NexusError::io("cannot replace", to, e);
    point("rename").map_err(err)?;
    fs::rename(from, to).map_err(err)
}

/// Remove a file that a step created; a missing file is fine.
pub fn remove(path: &Path) -> Result<()> {
    point("remove").map_err(|e| NexusError::io("cannot remove", path, e))?;
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(NexusError::io("cannot remove", path, e)),
    }
}

/// Remove temp files left behind by a crashed writer. Call only under the lock.
pub fn remove_stray_temps(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
        .filter(|e| fs::remove_file(e.path()).is_ok())
        .count()
}

/// Make the directories between `dir` and the state file `name` (e.g.
/// `backups/`), refusing any that is a symbolic link or not a directory.
/// Returns the directory it made, if any.
pub fn create_parents(dir: &Path, name: &str) -> Result<Option<std::path::PathBuf>> {
    let mut made = None;
    let mut at = dir.to_path_buf();
    let parts: Vec<&str> = name.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => return Err(NexusError::Symlink(at)),
            Ok(m) if !m.is_dir() => return Err(NexusError::NotAFile(at)),
            Ok(_) => {}
            Err(_) => {
                create_dir(&at)?;
                made.get_or_insert_with(|| at.clone());
            }
        }
    }
    Ok(made)
}

/// Create the coordination directory itself on the first write, only when
/// its parent exists: a mistyped `--dir` must not grow a new fleet under a
/// path nobody meant. `Ok(true)` when it was created now.
pub fn create_state_dir(dir: &Path) -> Result<bool> {
    if dir.is_dir() {
        return Ok(false);
    }
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        let why = std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!(
                "its parent {} does not exist (check --dir / COORDINATION_DIR, or create the parent first)",
                parent.display()
            ),
        );
        return Err(NexusError::io("cannot create directory", dir, why));
    }
    let err = |e| NexusError::io("cannot create directory", dir, e);
    point("mkdir").map_err(err)?;
    match fs::create_dir(dir) {
        Ok(()) => Ok(true),
        // Another process made it first.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(false),
        Err(e) => Err(err(e)),
    }
}

/// Create a directory (and its parents) of the coordination state.
pub fn create_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let err = |e| NexusError::io("cannot create directory", dir, e);
    point("mkdir").map_err(err)?;
    fs::create_dir_all(dir).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlinks_are_refused_and_modes_kept() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        fs::write(&outside, "x").unwrap();
        let link = dir.path().join("a.json");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        assert!(matches!(read_optional(&link), Err(NexusError::Symlink(_))));
        assert!(matches!(open_write(&link), Err(NexusError::Symlink(_))));
        assert!(matches!(check_target(&link), Err(NexusError::Symlink(_))));
        let file = dir.path().join("b.json");
        fs::write(&file, "old").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).unwrap();
        let tmp = write_temp(dir.path(), &file, b"new").unwrap();
        rename(&tmp, &file).unwrap();
        assert_eq!(fs::metadata(&file).unwrap().mode() & 0o777, 0o600);
        assert_eq!(fs::read(&file).unwrap(), b"new");
        let f = open_write(&file).unwrap();
        reserve(&f, &file, 3, 10).unwrap();
        patch(&f, &file, 1, b"XY").unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"nXY");
        assert_eq!(read_tail(&file, 2).unwrap(), (1, b"XY".to_vec()));
        assert_eq!(read_tail(&file, 10).unwrap(), (0, b"nXY".to_vec()));
        assert_eq!(read_optional(&dir.path().join("none")).unwrap(), None);
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        assert!(matches!(read_optional(&sub), Err(NexusError::NotAFile(_))));
        assert!(matches!(
            open_existing_len(&sub),
            Err(NexusError::NotAFile(_))
        ));
        assert!(matches!(open_write(&sub), Err(NexusError::NotAFile(_))));
        fs::write(dir.path().join(format!("{TEMP_PREFIX}z")), "").unwrap();
        assert_eq!(remove_stray_temps(dir.path()), 1);
    }
}
