//! One change made ready before the commit point (so applying it cannot
//! run out of space), applied after it, and undone when a later change of
//! the same step fails.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::Op;
use crate::error::{NexusError, Result};
use crate::store::fsio;

/// Apply an op by writing in place (replay).
pub(super) fn apply_in_place(dir: &Path, op: &Op) -> Result<()> {
    let path = dir.join(&op.name);
    fsio::create_parents(dir, &op.name)?;
    let f = fsio::open_write(&path)?;
    write(&f, &path, op)
}

fn write(f: &File, path: &Path, op: &Op) -> Result<()> {
    if op.keep_rest {
        fsio::overwrite(f, path, op.offset, &op.bytes)
    } else {
        fsio::patch(f, path, op.offset, &op.bytes)
    }
}

/// An op made ready to apply without needing new space: a whole new file
/// written beside its target (to be renamed over it), or an open file with
/// the blocks of the change reserved. Keeps what the change overwrites.
pub(super) struct Prepared {
    path: PathBuf,
    how: How,
    /// The file before: `None` when it did not exist, else its bytes that
    /// the op changes (from its offset on) and its length.
    before: Option<(u64, Vec<u8>)>,
    op: Op,
    /// A directory made for this change (removed again if it does not happen).
    created: Option<PathBuf>,
}

enum How {
    Rename(PathBuf),
    Patch(File),
}

impl Prepared {
    pub(super) fn new(dir: &Path, op: &Op) -> Result<Prepared> {
        let path = dir.join(&op.name);
        let created = fsio::create_parents(dir, &op.name)?;
        let prepared = Prepared::prepare(dir, op, path, created.clone());
        if prepared.is_err()
            && let Some(d) = created
        {
            let _ = std::fs::remove_dir(d);
        }
        prepared
    }

    fn prepare(dir: &Path, op: &Op, path: PathBuf, created: Option<PathBuf>) -> Result<Prepared> {
        // A whole file (or a new one) is written beside its target first, so
        // a crash before the commit leaves only a temp file behind; any other
        // change is made in the file itself, opened once here.
        let whole = op.offset == 0 && !op.keep_rest;
        let opened = match whole {
            true => fsio::open_read_len(&path)?,
            false => fsio::open_existing_len(&path)?,
        };
        let before = match &opened {
            None => None,
            Some((f, len)) => {
                let from = op.offset.min(*len);
                let to = if op.keep_rest {
                    op.end().min(*len)
                } else {
                    *len
                };
                let mut old = vec![0u8; (to - from) as usize];
                f.read_exact_at(&mut old, from)
                    .map_err(|e| NexusError::io("cannot read", &path, e))?;
                Some((*len, old))
            }
        };
        let how = if whole {
            How::Rename(fsio::write_temp(dir, &path, &op.bytes)?)
        } else {
            let (f, len) = match opened {
                Some(open) => open,
                None => (fsio::open_write(&path)?, 0),
            };
            // Only the blocks past the file's end need reserving.
            let from = op.offset.max(len);
            if let Err(e) = fsio::reserve(&f, &path, from, op.end().saturating_sub(from)) {
                if before.is_none() {
                    let _ = std::fs::remove_file(&path);
                }
                return Err(e);
            }
            How::Patch(f)
        };
        Ok(Prepared {
            path,
            how,
            before,
            op: op.clone(),
            created,
        })
    }

    pub(super) fn apply(&self) -> Result<()> {
        match &self.how {
            How::Rename(tmp) => fsio::rename(tmp, &self.path),
            How::Patch(f) => write(f, &self.path, &self.op),
        }
    }

    /// Put the file back as it was before [`apply`](Self::apply).
    pub(super) fn undo(&self) -> Result<()> {
        match &self.before {
            None => fsio::remove(&self.path),
            Some((len, old)) => {
                let f = fsio::open_write(&self.path)?;
                let from = self.op.offset.min(*len);
                // A change in place that made the file longer is cut back too.
                if self.op.keep_rest && self.op.end() <= *len {
                    fsio::overwrite(&f, &self.path, from, old)
                } else {
                    fsio::patch(&f, &self.path, from, old)
                }
            }
        }
    }

    /// Remove what preparing left behind: the temp file, or the new empty
    /// file opened for a change that did not take place.
    pub(super) fn discard(&self) {
        match &self.how {
            How::Rename(tmp) => {
                let _ = std::fs::remove_file(tmp);
            }
            How::Patch(f) if self.before.is_none() && super::file_len(f) == 0 => {
                let _ = std::fs::remove_file(&self.path);
            }
            How::Patch(_) => {}
        }
        if let Some(d) = &self.created {
            let _ = std::fs::remove_dir(d);
        }
    }
}
