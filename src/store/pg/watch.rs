//! Waking a dashboard when the PostgreSQL store changes: a thread of its own
//! LISTENs on [`CHANNEL`](super::CHANNEL) and raises a flag on every
//! notification (a wake-up only: the dashboard then re-reads the state).
//! Notifications can be lost (a dropped connection, a restarted server), so
//! [`Watch::poll`] also compares the last event number, at the refresh rate.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;

use super::PgStore;

/// Whether the store changed since the last look.
#[derive(Debug)]
pub struct Watch {
    woken: Arc<AtomicBool>,
    last: Option<i64>,
}

impl Watch {
    /// Start listening on a connection of its own (reconnecting after a loss).
    pub fn start(store: &PgStore) -> Watch {
        let woken = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&woken);
        let (url, connect, lock) = (store.url.clone(), store.connect_timeout, store.lock_timeout);
        thread::spawn(move || {
            let store = PgStore::new(&url, connect, lock);
            loop {
                if let Ok(mut client) = store.listener()
                    && client.batch_execute("LISTEN nexus_changes").is_ok()
                {
                    // A reconnect may have missed notifications: look again.
                    flag.store(true, Ordering::Release);
                    loop {
                        let next = client
                            .notifications()
                            .timeout_iter(Duration::from_secs(5))
                            .next();
                        match next {
                            Ok(Some(_)) => flag.store(true, Ordering::Release),
                            Ok(None) if !client.is_closed() => {}
                            _ => break,
                        }
                    }
                }
                thread::sleep(Duration::from_secs(1));
            }
        });
        Watch { woken, last: None }
    }

    /// Whether a notification arrived since the last call.
    pub fn woken(&self) -> bool {
        self.woken.swap(false, Ordering::AcqRel)
    }

    /// Whether the last event number moved since the last call (the
    /// fallback when notifications are lost).
    pub fn poll(&mut self, store: &PgStore) -> bool {
        let Ok(seq) = store.last_seq() else {
            return false;
        };
        let moved = self.last.is_some_and(|l| l != seq);
        self.last = Some(seq);
        moved
    }
}
