//! Settings of one run, read once from flags and the environment.

pub mod vars;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};

use crate::error::{NexusError, Result};
use crate::mode::Mode;
use crate::store::{AnyStore, CLAIMS_FILE, StoreChoice};
use crate::telemetry::{Service, TraceContext};

pub use crate::records::DEFAULT_TEAM;
/// How long a claim's lease lasts unless NEXUS_LEASE_TTL or `--lease` says otherwise.
pub const DEFAULT_LEASE_TTL: &str = "30m";
pub use crate::store::DEFAULT_LOCK_TIMEOUT_MS;

/// A variable's value, with an empty string meaning unset (legacy semantics).
/// The name must be in [`vars::VARIABLES`], the one list of them.
#[allow(clippy::disallowed_methods)] // the one place that reads the environment
pub fn var(name: &str) -> Option<String> {
    debug_assert!(
        vars::listed(name),
        "{name} is not in config::vars::VARIABLES"
    );
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// A variable of whole milliseconds, if set; another value is refused,
/// naming the variable.
pub fn millis_var(name: &'static str) -> Result<Option<u64>> {
    var(name)
        .map(|v| {
            v.parse().map_err(|_| {
                NexusError::invalid(name, &v, "must be a whole number of milliseconds")
            })
        })
        .transpose()
}

/// Whether nexus runs under the legacy shim (NEXUS_LEGACY_SHIM), where an
/// unknown command prints the help and exits 0 as the old script did;
/// production mode (NEXUS_MODE) never turns a mistyped command into help.
/// Read before the arguments parse, so before a [`Config`] exists.
pub fn legacy_shim() -> bool {
    let production = var("NEXUS_MODE").as_deref() == Some("production");
    var("NEXUS_LEGACY_SHIM").is_some() && !production
}

/// Everything a command needs to know about its surroundings.
#[derive(Debug, Clone)]
pub struct Config {
    pub dir: PathBuf,
    pub json: bool,
    pub agent_id: Option<String>,
    /// An AGENT_ID that cannot be recorded (control characters): commands
    /// that change state refuse it, read-only ones never look at it.
    pub unusable_agent_id: Option<String>,
    /// AGENT_TEAM: the team credited with velocity (else the item's team).
    pub agent_team: Option<String>,
    pub current_work_item: Option<String>,
    pub lock_timeout: Duration,
    pub service: Service,
    pub trace: TraceContext,
    /// The clock of this run (NEXUS_NOW pins it for reproducible reports
    /// and tests: new ids then derive from it too).
    pub now: DateTime<Utc>,
    /// Whether NEXUS_NOW pinned the clock.
    pub clock_pinned: bool,
    /// `--request-id`: the caller's id that makes claim, add and complete
    /// safe to retry.
    pub request_id: Option<String>,
    /// The mode and the features it turns on.
    pub mode: Mode,
    /// How long a lease taken by `claim --next` lasts (NEXUS_LEASE_TTL).
    pub lease_ttl: chrono::Duration,
    /// `--lease-generation`: the lease the caller holds, for callers without
    /// a stable AGENT_ID.
    pub lease_generation: Option<u64>,
    /// OTLP export, when an endpoint is configured.
    pub otlp: Option<crate::telemetry::otlp::OtlpSettings>,
    /// The AI provider and its bounds.
    pub ai: crate::model::AiSettings,
    /// The n8n API and webhook.
    pub n8n: crate::n8n::N8nSettings,
    /// Where the state lives: the directory, or a shared PostgreSQL server.
    pub store: StoreChoice,
    /// Bound on each run of the legacy `ttl_validation.sh` hook
    /// (NEXUS_TTL_HOOK_TIMEOUT_MS).
    pub ttl_hook_timeout: Duration,
}

/// Default bound on connecting to a PostgreSQL store.
pub const DEFAULT_PG_CONNECT_TIMEOUT_MS: u64 = 3000;
/// Default bound on one statement of a PostgreSQL store.
pub const DEFAULT_PG_STATEMENT_TIMEOUT_MS: u64 = 30_000;

/// The store of `flag` (`--store`), else NEXUS_STORE; only
/// `postgres://` and `postgresql://` URLs name a server.
pub fn store_choice(flag: Option<&str>) -> Result<StoreChoice> {
    let Some(url) = flag
        .filter(|f| !f.is_empty())
        .map(str::to_string)
        .or_else(|| var("NEXUS_STORE"))
    else {
        return Ok(StoreChoice::Files);
    };
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(NexusError::invalid(
            "store",
            &crate::store::pg::setting::shown(&url),
            "expected postgres://user@host:port/database (unset NEXUS_STORE for the directory)",
        ));
    }
    let ms = millis_var("NEXUS_PG_CONNECT_TIMEOUT_MS")?.unwrap_or(DEFAULT_PG_CONNECT_TIMEOUT_MS);
    let statement =
        millis_var("NEXUS_PG_STATEMENT_TIMEOUT_MS")?.unwrap_or(DEFAULT_PG_STATEMENT_TIMEOUT_MS);
    Ok(StoreChoice::Postgres {
        url,
        connect_timeout: Duration::from_millis(ms),
        statement_timeout: Duration::from_millis(statement),
    })
}

impl Config {
    /// A read command needs the coordination directory to exist (a mistyped
    /// --dir would otherwise show an empty fleet and exit 0); an existing but
    /// empty one is fine, and a server store has no directory.
    pub fn require_state(&self) -> Result<()> {
        if self.store != StoreChoice::Files || self.dir.is_dir() {
            Ok(())
        } else {
            Err(NexusError::NoState(self.dir.clone()))
        }
    }

    /// The store these settings name.
    pub fn open_store(&self) -> AnyStore {
        AnyStore::open(&self.store, &self.dir, self.lock_timeout)
    }

    /// Read the environment; `dir_flag` is `--dir`, which wins over everything.
    pub fn from_env(dir_flag: Option<&Path>, json: bool) -> Result<Config> {
        Config::from_env_with(dir_flag, None, json)
    }

    /// [`from_env`](Self::from_env) with `--store` too (it wins over NEXUS_STORE).
    pub fn from_env_with(
        dir_flag: Option<&Path>,
        store_flag: Option<&str>,
        json: bool,
    ) -> Result<Config> {
        crate::store::arm_faults(var("NEXUS_FAULT").as_deref());
        crate::store::arm_checkpoint(var("NEXUS_CHECKPOINT_BYTES").as_deref());
        // An explicit --dir names the directory as the store: NEXUS_STORE
        // (but not --store) gives way to it.
        let store = match (dir_flag, store_flag) {
            (Some(_), None) => StoreChoice::Files,
            _ => store_choice(store_flag)?,
        };
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let dir = resolve_dir(dir_flag, var("COORDINATION_DIR").as_deref(), &cwd);
        let lock_timeout = millis_var("NEXUS_LOCK_TIMEOUT_MS")?.unwrap_or(DEFAULT_LOCK_TIMEOUT_MS);
        let offline_after_secs = match var("NEXUS_OFFLINE_AFTER") {
            Some(v) => crate::input::age("NEXUS_OFFLINE_AFTER", &v)?.num_seconds(),
            None => crate::model::HEARTBEAT_TIMEOUT_SECS,
        };
        let ttl_hook_timeout = millis_var("NEXUS_TTL_HOOK_TIMEOUT_MS")?
            .unwrap_or(crate::hook::DEFAULT_TTL_HOOK_TIMEOUT_MS);
        let clock_pinned = var("NEXUS_NOW").is_some();
        let now = match var("NEXUS_NOW") {
            Some(v) => DateTime::parse_from_rfc3339(&v)
                .map_err(|e| NexusError::invalid("NEXUS_NOW", &v, e.to_string()))?
                .with_timezone(&Utc),
            None => Utc::now(),
        };
        // DEPLOYMENT_ENV only labels spans, as in the legacy script.
        let mode = Mode::resolve(&dir, var("NEXUS_MODE"), var("NEXUS_FEATURES"))?;
        let lease_ttl = lease_ttl(
            "NEXUS_LEASE_TTL",
            &var("NEXUS_LEASE_TTL").unwrap_or_else(|| DEFAULT_LEASE_TTL.into()),
        )?;
        let (mut trace, warnings) = TraceContext::resolve(var);
        for w in warnings {
            eprintln!("{w}");
        }
        if clock_pinned {
            // A pinned clock makes a run reproducible: its span id too.
            trace.span_id = crate::telemetry::trace::derived_span_id(&trace.trace_id, &now);
        }
        let (agent_id, unusable_agent_id) = match var("AGENT_ID") {
            Some(a) if crate::input::agent_id("AGENT_ID", &a).is_err() => (None, Some(a)),
            a => (a, None),
        };
        Ok(Config {
            json,
            agent_id,
            unusable_agent_id,
            agent_team: var("AGENT_TEAM"),
            current_work_item: var("CURRENT_WORK_ITEM"),
            lock_timeout: Duration::from_millis(lock_timeout),
            service: Service {
                name: var("OTEL_SERVICE_NAME").unwrap_or_else(|| "s2s-coordination".into()),
                version: var("OTEL_SERVICE_VERSION")
                    .unwrap_or_else(|| env!("CARGO_PKG_VERSION").into()),
                environment: var("DEPLOYMENT_ENV").unwrap_or_else(|| mode.name.clone()),
            },
            trace,
            now,
            clock_pinned,
            request_id: None,
            mode,
            lease_ttl,
            lease_generation: None,
            otlp: crate::telemetry::otlp::OtlpSettings::from_vars(&var),
            ai: crate::model::AiSettings {
                offline_after_secs,
                ..crate::model::AiSettings::from_vars(&var)
            },
            n8n: crate::n8n::N8nSettings::from_vars(&var),
            dir,
            store,
            ttl_hook_timeout: Duration::from_millis(ttl_hook_timeout),
        })
    }

    /// Nanoseconds of "now" for new ids: the pinned clock when NEXUS_NOW is
    /// set (ids still never repeat: the store bumps them), else the real one.
    pub fn now_ns(&self) -> u128 {
        if self.clock_pinned {
            self.now.timestamp_nanos_opt().unwrap_or(0).max(0) as u128
        } else {
            unix_nanos()
        }
    }
}

/// A lease length (`90s`, `10m`, `2h`): an age of at least one second.
pub fn lease_ttl(what: &'static str, v: &str) -> Result<chrono::Duration> {
    let d = crate::input::age(what, v)?;
    if d < chrono::Duration::seconds(1) {
        return Err(NexusError::invalid(what, v, "a lease lasts at least 1s"));
    }
    Ok(d)
}

/// `--dir`, else COORDINATION_DIR, else the nearest ancestor of `cwd` holding
/// `coordination/work_claims.json`, else `./coordination`.
pub fn resolve_dir(flag: Option<&Path>, env: Option<&str>, cwd: &Path) -> PathBuf {
    if let Some(d) = flag {
        return d.to_path_buf();
    }
    if let Some(d) = env {
        return PathBuf::from(d);
    }
    cwd.ancestors()
        .map(|a| a.join("coordination"))
        .find(|c| c.join(CLAIMS_FILE).is_file())
        .unwrap_or_else(|| cwd.join("coordination"))
}

/// Nanoseconds since the Unix epoch, for `work_<ns>` and `agent_<ns>` ids.
pub fn unix_nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dir_resolution_order() {
        let root = tempfile::tempdir().unwrap();
        let deep = root.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(resolve_dir(None, None, &deep), deep.join("coordination"));
        std::fs::create_dir_all(root.path().join("coordination")).unwrap();
        std::fs::write(root.path().join("coordination").join(CLAIMS_FILE), "[]").unwrap();
        assert_eq!(
            resolve_dir(None, None, &deep),
            root.path().join("coordination")
        );
        assert_eq!(resolve_dir(None, Some("/e"), &deep), PathBuf::from("/e"));
        assert_eq!(
            resolve_dir(Some(Path::new("/f")), Some("/e"), &deep),
            PathBuf::from("/f")
        );
    }
}
