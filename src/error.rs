//! The error type of nexus and the exit codes it maps to.
//!
//! Every message is written here, once: what failed, the value, and where.

use std::path::PathBuf;

/// Process exit codes: 0 ok, 1 failure, 2 usage (clap's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Failure = 1,
    Usage = 2,
    /// The step may or may not have taken effect (its commit answer was
    /// lost); retry with the same request id.
    Unknown = 3,
}

/// Everything that can make a nexus command fail.
#[derive(Debug, thiserror::Error)]
pub enum NexusError {
    #[error("No work item ID specified (pass it or set CURRENT_WORK_ITEM)")]
    NoWorkId,

    #[error("Work claims file not found: {}", .0.display())]
    ClaimsFileNotFound(PathBuf),

    #[error("work item {id} not found in {}", .path.display())]
    WorkNotFound { id: String, path: PathBuf },

    #[error("work item {id} is already completed in {}; nothing was changed", .path.display())]
    AlreadyCompleted { id: String, path: PathBuf },

    /// A usage mistake clap cannot see (a missing legacy positional): exit 2.
    #[error("{0}")]
    Usage(String),

    #[error(
        "no coordination state in {} (the directory does not exist; check --dir / COORDINATION_DIR)",
        .0.display()
    )]
    NoState(PathBuf),

    /// Spans could not be exported; the reason names the collector.
    #[error("spans not exported: {0}")]
    Export(String),

    #[error("invalid {what} '{value}': {why}")]
    InvalidInput {
        what: &'static str,
        value: String,
        why: String,
    },

    #[error("{} does not parse at line {line}, column {column}: {msg}; it was left untouched (see `nexus doctor`)", .path.display())]
    Corrupt {
        path: PathBuf,
        line: usize,
        column: usize,
        msg: String,
    },

    #[error("{} is not a JSON array of records; it was left untouched", .0.display())]
    NotAnArray(PathBuf),

    #[error("could not acquire the coordination lock in {} within {timeout_ms} ms{holder}", .dir.display())]
    LockTimeout {
        dir: PathBuf,
        timeout_ms: u64,
        holder: String,
    },

    #[error("{} is {why}, not a lock marker: nothing can be changed until it is gone; `nexus doctor --fix` removes it", .path.display())]
    BadLockMarker { path: PathBuf, why: &'static str },

    #[error("no available work item{}: add some with `nexus add`", .0.as_ref().map(|t| format!(" for team {t}")).unwrap_or_default())]
    NothingAvailable(Option<String>),

    /// The backlog has items, but each waits on one not completed yet.
    #[error("no available work item{} is ready: {waiting} wait on dependencies not completed yet (see `nexus blocked`)", .team.as_ref().map(|t| format!(" for team {t}")).unwrap_or_default())]
    NothingReady {
        team: Option<String>,
        waiting: usize,
    },

    #[error(transparent)]
    N8n(#[from] crate::n8n::N8nError),

    #[error("{} is damaged at byte {offset} (not the torn end a crash leaves); nexus will not replay or cut it: run `nexus doctor`", .path.display())]
    JournalDamaged { path: PathBuf, offset: u64 },

    #[error("work item {id} is {status}: only claimed items can be released")]
    NotActive { id: String, status: String },

    /// The caller no longer holds the item's lease: it expired and the item
    /// was handed to another agent (or released), so the write is refused.
    #[error(
        "lease lost on work item {id}: it is now held by {holder} under lease generation {generation}, not by {caller}; nothing was changed (take new work with `nexus claim --next`)"
    )]
    LeaseLost {
        id: String,
        holder: String,
        generation: u64,
        caller: String,
    },

    /// The caller never held the item's lease: another agent took it
    /// (the only hand-over so far), so the write is refused.
    #[error(
        "work item {id} is held by {holder} (lease generation {generation}); {caller} never held it, so nothing was changed (take your own work with `nexus claim --next`)"
    )]
    NotLeaseHolder {
        id: String,
        holder: String,
        generation: u64,
        caller: String,
    },

    #[error(
        "request id '{request_id}' was already used by {used_by}; a retry must come from the same agent with the same command: nothing was changed (use a new request id)"
    )]
    RequestIdClash { request_id: String, used_by: String },

    #[error("dependency refused: {id} would depend on itself through {}; nothing was changed", .cycle.join(" -> "))]
    DependencyCycle { id: String, cycle: Vec<String> },

    #[error("dependency refused: {id} cannot depend on {on}, which is not a work item in {}; nothing was changed", .path.display())]
    UnknownDependency {
        id: String,
        on: String,
        path: PathBuf,
    },

    #[error("agent {0} is not registered (run: nexus register {0})")]
    UnknownAgent(String),

    #[error("the audit trail {} is broken at line {line}: {why}", .path.display())]
    AuditBroken {
        path: PathBuf,
        line: usize,
        why: String,
    },

    #[error("{} is a symbolic link; nexus never follows links for state files (replace it with the file it points to)", .0.display())]
    Symlink(PathBuf),

    #[error("{} is not a regular file; nexus will not write it", .0.display())]
    NotAFile(PathBuf),

    #[error(
        "PostgreSQL store {store}: the outcome is unknown: the connection was lost after COMMIT was sent and the server could not be asked whether it committed; {retry}"
    )]
    OutcomeUnknown { store: String, retry: String },

    /// The PostgreSQL store failed: the server, the schema or a query.
    #[error("PostgreSQL store {store}: {why}")]
    Database { store: String, why: String },

    #[error("{action} {}: {source}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

impl NexusError {
    /// Wrap an I/O error with what was being done and to which file.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        NexusError::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// Whether this is lock contention (printed as a CONFLICT, not an ERROR).
    pub fn is_conflict(&self) -> bool {
        matches!(self, NexusError::LockTimeout { .. })
    }

    /// A short machine-readable kind, used in `--json` output and span attributes.
    pub fn kind(&self) -> &'static str {
        match self {
            NexusError::NoWorkId => "no_work_id",
            NexusError::ClaimsFileNotFound(_) => "claims_file_not_found",
            NexusError::WorkNotFound { .. } => "not_found",
            NexusError::AlreadyCompleted { .. } => "already_completed",
            NexusError::InvalidInput { .. } => "invalid_input",
            NexusError::Usage(_) => "usage",
            NexusError::Export(_) => "otlp_export",
            NexusError::NoState(_) => "no_state",
            NexusError::Corrupt { .. } | NexusError::NotAnArray(_) => "corrupt_file",
            NexusError::LockTimeout { .. } => "file_lock_conflict",
            NexusError::BadLockMarker { .. } => "bad_lock_marker",
            NexusError::N8n(_) => "n8n",
            NexusError::NothingAvailable(_) | NexusError::NothingReady { .. } => {
                "nothing_available"
            }
            NexusError::JournalDamaged { .. } => "journal_damaged",
            NexusError::NotActive { .. } => "not_active",
            NexusError::UnknownAgent(_) => "unknown_agent",
            NexusError::LeaseLost { .. } => "lease_lost",
            NexusError::NotLeaseHolder { .. } => "not_lease_holder",
            NexusError::RequestIdClash { .. } => "request_id_clash",
            NexusError::DependencyCycle { .. } => "dependency_cycle",
            NexusError::UnknownDependency { .. } => "unknown_dependency",
            NexusError::AuditBroken { .. } => "audit_broken",
            NexusError::Symlink(_) => "symlink",
            NexusError::NotAFile(_) => "not_a_file",
            NexusError::Database { .. } => "database",
            NexusError::OutcomeUnknown { .. } => "outcome_unknown",
            NexusError::Io { .. } => "io",
        }
    }

    /// The exit code of this error: 2 for usage mistakes, else 1.
    pub fn exit(&self) -> Exit {
        match self {
            NexusError::Usage(_) => Exit::Usage,
            NexusError::OutcomeUnknown { .. } => Exit::Unknown,
            _ => Exit::Failure,
        }
    }

    /// Shorthand for an invalid argument value.
    pub fn invalid(what: &'static str, value: &str, why: impl Into<String>) -> Self {
        NexusError::InvalidInput {
            what,
            value: value.to_string(),
            why: why.into(),
        }
    }
}

pub type Result<T, E = NexusError> = std::result::Result<T, E>;
