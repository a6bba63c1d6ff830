//! A bound on waiting for the server that holds whatever the network does:
//! a path that goes silent without resetting the connection (a stuck load
//! balancer or proxy, a dropped route behind one) is not noticed by TCP
//! keepalives, since the near end still answers them, and the synchronous
//! client has no read timeout. Each store call is watched by one thread of
//! the process; a call that runs past its bound is given up: the program
//! that installed [`on_stuck`] (the command line) is told, says so and
//! exits. The server, for its part, ends a transaction left idle past the
//! same bound (`idle_in_transaction_session_timeout`), so no row stays
//! locked behind a vanished client.

use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::error::NexusError;

type Hook = Box<dyn Fn(NexusError) + Send + Sync>;

static HOOK: OnceLock<Hook> = OnceLock::new();
static WATCHED: Mutex<Option<Watched>> = Mutex::new(None);
static WAKE: Condvar = Condvar::new();

/// The call being watched.
struct Watched {
    deadline: Instant,
    bound: Duration,
    store: String,
    /// Whether its `COMMIT` may have reached the server.
    committing: bool,
}

/// Install what a process does with a call that got no answer in time (at
/// most once; a process without it keeps waiting, as before).
pub fn on_stuck(hook: impl Fn(NexusError) + Send + Sync + 'static) {
    let _ = HOOK.set(Box::new(hook));
}

/// Watches one store call while it lives.
#[must_use]
pub struct Guard(bool);

/// Watch the calls until the guard drops: past `bound`, the error names
/// `store`. Only one call is watched at a time (the command line makes
/// one); a nested or concurrent call is not watched.
pub fn guard(bound: Duration, store: &str) -> Guard {
    static WATCHER: OnceLock<bool> = OnceLock::new();
    // The watching thread starts with the first call (a command on the
    // files never starts it).
    let started = HOOK.get().is_some()
        && *WATCHER.get_or_init(|| {
            std::thread::Builder::new()
                .name("nexus-pg-watch".into())
                .spawn(watch)
                .is_ok()
        });
    if !started {
        return Guard(false);
    }
    let mut slot = WATCHED.lock().unwrap_or_else(|e| e.into_inner());
    if slot.is_some() {
        return Guard(false);
    }
    *slot = Some(Watched {
        deadline: Instant::now() + bound,
        bound,
        store: store.to_string(),
        committing: false,
    });
    WAKE.notify_all();
    Guard(true)
}

/// The watched call got an answer and goes on with another round trip (a
/// long import): its bound starts again.
pub fn alive() {
    if let Some(w) = WATCHED.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
        w.deadline = Instant::now() + w.bound;
    }
}

/// The watched call is about to send its `COMMIT`: from now on, giving up
/// cannot say the step was not stored.
pub fn committing() {
    if let Some(w) = WATCHED.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
        w.committing = true;
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if self.0 {
            *WATCHED.lock().unwrap_or_else(|e| e.into_inner()) = None;
        }
    }
}

/// The watching thread: sleeps until the watched call's deadline (or a new
/// call), and tells the hook about a call still running past it.
fn watch() {
    let mut slot = WATCHED.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        let wait = match slot.as_ref() {
            None => Duration::from_secs(3600),
            Some(w) if Instant::now() >= w.deadline => {
                let e = stuck(w);
                drop(slot);
                if let Some(hook) = HOOK.get() {
                    hook(e);
                }
                return;
            }
            Some(w) => w.deadline - Instant::now(),
        };
        slot = WAKE
            .wait_timeout(slot, wait)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
}

/// The error of a call given up on.
fn stuck(w: &Watched) -> NexusError {
    let ms = w.bound.as_millis();
    if w.committing {
        NexusError::OutcomeUnknown {
            store: w.store.clone(),
            retry: format!(
                "no answer to COMMIT within {ms} ms: see whether it took effect before running it again (a command given --request-id can simply be run again)"
            ),
        }
    } else {
        NexusError::Database {
            store: w.store.clone(),
            why: format!(
                "no answer from the server within {ms} ms (twice NEXUS_PG_STATEMENT_TIMEOUT_MS, plus NEXUS_PG_CONNECT_TIMEOUT_MS): the network path is silent; nothing was changed"
            ),
        }
    }
}
