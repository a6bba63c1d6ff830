//! Doctor's findings about writing at all: every file a step may write must
//! be a regular file (or absent), and a real write, flushed, must succeed in
//! the directory, so "0 errors" is never said while every command fails.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::{Finding, Level, found};
use crate::store::audit::{AUDIT_FILE, HEAD_FILE};
use crate::store::events::EVENTS_FILE;
use crate::store::fsio::TEMP_PREFIX;
use crate::store::index::INDEX_FILE;
use crate::store::journal::JOURNAL_FILE;
use crate::store::{
    AGENTS_FILE, ARCHIVE_FILE, CLAIMS_FILE, LOG_FILE, SPANS_FILE, VELOCITY_FILE, fsio,
};

/// Every file a writing step may touch.
const WRITTEN: [&str; 11] = [
    CLAIMS_FILE,
    AGENTS_FILE,
    LOG_FILE,
    VELOCITY_FILE,
    SPANS_FILE,
    ARCHIVE_FILE,
    EVENTS_FILE,
    AUDIT_FILE,
    HEAD_FILE,
    JOURNAL_FILE,
    INDEX_FILE,
];

/// How much the probe writes: about what a large step journals.
const PROBE_BYTES: usize = 64 << 10;

/// A finding for each state file that is not a regular file; whether there
/// was one.
pub fn state_files(dir: &Path, out: &mut Vec<Finding>) -> bool {
    let mut bad = 0;
    for name in WRITTEN {
        if let Err(e) = fsio::check_target(&dir.join(name)) {
            bad += 1;
            out.push(found(
                Level::Error,
                name,
                format!(
                    "{e}: every change fails until it is moved away (it is not removed for you)"
                ),
            ));
        }
    }
    if bad == 0 {
        out.push(found(
            Level::Ok,
            "state files",
            "all regular files (or not yet written)",
        ));
    }
    bad > 0
}

/// Write, flush and remove a scratch file in `dir`, as a step would: a full
/// disk, a read-only mount or a directory nexus may not write fail here.
pub fn write_probe(dir: &Path, out: &mut Vec<Finding>) {
    if !dir.is_dir() {
        return;
    }
    let path = dir.join(format!("{TEMP_PREFIX}doctor.{}", std::process::id()));
    let result = (|| {
        fsio::point("write")?;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&path)?;
        f.write_all(&vec![b'\n'; PROBE_BYTES])?;
        fsio::point("fsync")?;
        f.sync_data()
    })();
    let _ = std::fs::remove_file(&path);
    out.push(match result {
        Ok(()) => found(Level::Ok, "write", "a step's worth written and flushed"),
        Err(e) => {
            let journal = std::fs::metadata(dir.join(JOURNAL_FILE)).map_or(0, |m| m.len());
            found(
                Level::Error,
                "write",
                format!(
                    "writing {} failed: {e}; every change fails until it succeeds (the journal holds {} KiB)",
                    dir.display(),
                    journal >> 10
                ),
            )
        }
    });
}
