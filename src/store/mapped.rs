//! A state file mapped read-only into memory: the whole claims file read
//! under the lock without copying it into fresh memory, which at millions
//! of bytes costs more than the work done on it.

use std::ops::Deref;
use std::os::unix::io::AsRawFd;
use std::path::Path;

use super::fsio;
use crate::error::{NexusError, Result};

/// The bytes of a file as mapped; unmapped when dropped.
pub struct Mapped {
    ptr: *mut libc::c_void,
    len: usize,
}

impl Mapped {
    /// No bytes.
    pub fn empty() -> Mapped {
        Mapped {
            ptr: std::ptr::null_mut(),
            len: 0,
        }
    }

    /// Map the file at `path` (never through a symbolic link); an empty or
    /// missing file gives no bytes.
    ///
    /// Only for a file no nexus process can change meanwhile: one read under
    /// the lock. Other tools replace state files by renaming a new file over
    /// them, which leaves this mapping whole. A file cut shorter in place by
    /// some other program while mapped ends this process before the step has
    /// written anything (its writes all come later, through the journal).
    pub fn under_lock(path: &Path) -> Result<Mapped> {
        let Some(f) = fsio::open_read(path)? else {
            return Ok(Mapped::empty());
        };
        let len = super::journal::file_len(&f) as usize;
        if len == 0 {
            return Ok(Mapped::empty());
        }
        // SAFETY: a fresh private read-only mapping of an open file; the
        // pointer is only read within `len` and unmapped once, in drop.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_POPULATE,
                f.as_raw_fd(),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            let e = std::io::Error::last_os_error();
            return Err(NexusError::io("cannot read", path, e));
        }
        Ok(Mapped { ptr, len })
    }
}

impl Deref for Mapped {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: `ptr` maps `len` readable bytes for as long as `self` lives.
        unsafe { std::slice::from_raw_parts(self.ptr as *const u8, self.len) }
    }
}

impl Drop for Mapped {
    fn drop(&mut self) {
        if self.len > 0 {
            // SAFETY: the mapping made in `under_lock`, unmapped only here.
            unsafe { libc::munmap(self.ptr, self.len) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_a_file_and_nothing_for_missing_or_empty_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        assert!(Mapped::under_lock(&path).unwrap().is_empty());
        std::fs::write(&path, "").unwrap();
        assert!(Mapped::under_lock(&path).unwrap().is_empty());
        std::fs::write(&path, "[1, 2]\n").unwrap();
        assert_eq!(&*Mapped::under_lock(&path).unwrap(), b"[1, 2]\n");
        std::os::unix::fs::symlink(&path, dir.path().join("link")).unwrap();
        assert!(Mapped::under_lock(&dir.path().join("link")).is_err());
    }
}
