//! The store a run uses, chosen once from the settings: the directory's
//! JSON files (the default) or a PostgreSQL server shared across machines.
//! Commands see only [`Store`]; the few things that differ (where the audit
//! trail and the spans are read, how a dashboard learns of changes) are
//! asked of [`AnyStore`] here.

use std::sync::Arc;

use serde_json::Value;

use super::audit::{self, Head, Step};
use super::pg::{Lanes, PgStore, Watch};
use super::{FileBatch, FileStore, Group, Snapshot, SpanRead, State, Store};
use crate::error::Result;

/// Where the state of a run lives: `--store URL`, else NEXUS_STORE, else the
/// directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreChoice {
    /// The JSON files of the coordination directory (the default).
    Files,
    /// A PostgreSQL server: its URL and how long to wait for a connection.
    Postgres {
        url: String,
        connect_timeout: std::time::Duration,
        /// Bound on each statement on the server (NEXUS_PG_STATEMENT_TIMEOUT_MS).
        statement_timeout: std::time::Duration,
    },
}

/// The store of this run.
#[derive(Debug)]
pub enum AnyStore {
    File(FileStore),
    Pg(Box<PgStore>),
}

/// The batches of a long-lived process's stores, one group per kind.
#[derive(Debug, Default)]
pub struct Groups {
    files: Arc<Group<FileBatch>>,
    pg: Arc<Lanes>,
}

/// How many of the newest spans a dashboard shows.
const SPANS_SHOWN: i64 = 200;

impl AnyStore {
    /// The store `choice` names; the directory's lock is awaited at most
    /// `lock_timeout`.
    pub fn open(
        choice: &StoreChoice,
        dir: &std::path::Path,
        lock_timeout: std::time::Duration,
    ) -> AnyStore {
        match choice {
            StoreChoice::Files => AnyStore::File(FileStore::new(dir, lock_timeout)),
            StoreChoice::Postgres {
                url,
                connect_timeout,
                statement_timeout,
            } => AnyStore::Pg(Box::new(
                PgStore::new(url, *connect_timeout, lock_timeout)
                    .with_statement_timeout(*statement_timeout),
            )),
        }
    }

    /// This store with its steps committed in the batches of `groups`
    /// (group commit, for a long-lived process), used from many threads
    /// at once: up to `keep` PostgreSQL connections stay open between uses.
    pub fn grouped(self, groups: &Groups, keep: usize) -> AnyStore {
        match self {
            AnyStore::File(f) => AnyStore::File(f.grouped(&groups.files)),
            AnyStore::Pg(p) => AnyStore::Pg(Box::new(p.grouped(&groups.pg, keep))),
        }
    }

    /// Where the state lives, for people: the directory, or the server's URL
    /// with its password redacted.
    pub fn name(&self) -> String {
        match self {
            AnyStore::File(f) => f.dir().display().to_string(),
            AnyStore::Pg(p) => p.name().to_string(),
        }
    }

    /// Where the claims live, for "not found" messages: the claims file, or
    /// the server.
    pub fn claims_place(&self) -> std::path::PathBuf {
        match self {
            AnyStore::File(f) => f.dir().join(super::CLAIMS_FILE),
            AnyStore::Pg(p) => p.name().into(),
        }
    }

    /// Where the audit trail lives, for messages: the audit file, or the server.
    pub fn audit_place(&self) -> std::path::PathBuf {
        match self {
            AnyStore::File(f) => f.dir().join(audit::AUDIT_FILE),
            AnyStore::Pg(p) => p.name().into(),
        }
    }

    /// The items `claim --next` would take, in that order, by the one
    /// readiness rule ([`queue::ready`](crate::records::queue::ready)) over
    /// the live claims: the file store answers from views of the claims
    /// file when it is in nexus's layout, else from a snapshot.
    pub fn ready(
        &self,
        team: Option<&str>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<Value>> {
        if let AnyStore::File(f) = self
            && let Some(items) = f.ready(team, now)?
        {
            return Ok(items);
        }
        // The live claims only: archived items are never taken.
        let s = self.snapshot()?;
        let live = &s.claims[s.archived.min(s.claims.len())..];
        Ok(crate::records::queue::ready(live, team, now)
            .into_iter()
            .map(|i| live[i].value().clone())
            .collect())
    }

    /// Whether the store can take writes as it is: `Err` when the file
    /// store's journal is damaged in a way recovery refuses (doctor then
    /// says what to do); a committed step not applied yet is fine (the
    /// next writer applies it).
    pub fn journal_clean(&self) -> Result<()> {
        match self {
            AnyStore::File(f) if super::journal::damaged(f.dir()) => {
                Err(crate::error::NexusError::invalid(
                    "journal",
                    &f.dir()
                        .join(super::journal::JOURNAL_FILE)
                        .display()
                        .to_string(),
                    "is damaged and recovery refuses it: run `nexus doctor`",
                ))
            }
            _ => Ok(()),
        }
    }

    /// The PostgreSQL store, when that is the one in use.
    pub fn pg(&self) -> Option<&PgStore> {
        match self {
            AnyStore::Pg(p) => Some(p),
            AnyStore::File(_) => None,
        }
    }

    /// The audit lines and the recorded head (`None` when no trail exists).
    pub fn audit_trail(&self) -> Result<Option<(String, Option<Head>)>> {
        match self {
            AnyStore::File(f) => {
                let path = f.dir().join(audit::AUDIT_FILE);
                let Some(bytes) = super::fsio::read_optional(&path)? else {
                    return Ok(None);
                };
                let head = f
                    .dir()
                    .join(audit::HEAD_FILE)
                    .exists()
                    .then(|| Head::read(f.dir()))
                    .transpose()?;
                Ok(Some((String::from_utf8_lossy(&bytes).into_owned(), head)))
            }
            AnyStore::Pg(p) => {
                let (lines, head) = p.audit_trail()?;
                if lines.is_empty() && head.is_none() {
                    return Ok(None);
                }
                let text = lines.iter().map(|l| format!("{l}\n")).collect();
                Ok(Some((text, head)))
            }
        }
    }

    /// The newest spans, oldest first.
    pub fn spans_tail(&self) -> Result<Vec<Value>> {
        match self {
            AnyStore::File(f) => Ok(SpanRead::read_tail(f.dir(), 64 * 1024)?.spans),
            AnyStore::Pg(p) => Ok(SpanRead::parse(&p.spans_tail(SPANS_SHOWN)?.join("\n")).spans),
        }
    }

    /// Every recorded span (for `spans export`).
    pub fn spans(&self) -> Result<SpanRead> {
        match self {
            AnyStore::File(f) => SpanRead::read(f.dir()),
            AnyStore::Pg(p) => Ok(SpanRead::parse(&p.spans_tail(i64::MAX)?.join("\n"))),
        }
    }

    /// Start watching for changes (a shared store only: files are stat-polled
    /// by their readers).
    pub fn watch(&self) -> Option<Watch> {
        self.pg().map(Watch::start)
    }

    /// Whether the store changed: a notification arrived (`woken`) or, as a
    /// fallback, the last event number moved.
    pub fn changed(&self, watch: &mut Watch, woken: bool) -> bool {
        match self {
            AnyStore::Pg(p) => watch.poll(p) || woken,
            AnyStore::File(_) => woken,
        }
    }
}

impl Store for AnyStore {
    fn update<T: Send>(
        &self,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T> + Send,
    ) -> Result<T> {
        match self {
            AnyStore::File(s) => s.update(step, f),
            AnyStore::Pg(s) => s.update(step, f),
        }
    }

    fn snapshot(&self) -> Result<Snapshot> {
        match self {
            AnyStore::File(s) => s.snapshot(),
            AnyStore::Pg(s) => s.snapshot(),
        }
    }
}
