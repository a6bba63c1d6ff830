//! The live event stream: one reader of the store's events for the whole
//! server (a thread that looks at the events file every 20 ms, or reads the
//! events table when PostgreSQL notifies a change, and once a second anyway), a ring of the newest events for subscribers that resume, and a
//! broadcast to every subscriber. `GET /api/v1/events` is Server-Sent
//! Events: each SSE `id:` is the event's `seq`, so a client that reconnects
//! with `Last-Event-ID` (or `?since=N`) gets exactly the events after it. A
//! subscriber too slow to keep up is sent a last `dropped` event and closed,
//! so it never holds others back or makes the server buffer without bound.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::response::sse::Event;
use serde_json::{Value, json};
use tokio::sync::broadcast;

use crate::store::AnyStore;

/// How often the reader looks for new events.
const POLL: Duration = Duration::from_millis(20);
/// How often a reader whose store failed tries again.
const RETRY: Duration = Duration::from_millis(500);
/// The newest events kept for subscribers that resume.
const RING: usize = 4096;
/// Events a subscriber may fall behind before it is dropped.
pub const BACKLOG: usize = 1024;

/// The server's one reader of events and its subscribers.
pub struct Hub {
    ring: Mutex<VecDeque<Arc<Value>>>,
    sender: broadcast::Sender<Arc<Value>>,
    /// The newest seq read.
    pub last: AtomicU64,
    /// Subscribers connected now.
    pub subscribers: AtomicUsize,
    /// Events delivered to subscribers.
    pub delivered: AtomicU64,
}

impl Hub {
    /// A hub whose reader follows `store` from its newest event on.
    pub fn start(store: AnyStore, stop: tokio::sync::watch::Receiver<bool>) -> Arc<Hub> {
        let (sender, _) = broadcast::channel(BACKLOG);
        let hub = Arc::new(Hub {
            ring: Mutex::new(VecDeque::with_capacity(RING)),
            sender,
            last: AtomicU64::new(0),
            subscribers: AtomicUsize::new(0),
            delivered: AtomicU64::new(0),
        });
        let reader = Arc::clone(&hub);
        let (ready, started) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("nexus-events".into())
            .spawn(move || {
                // The store blocks (PostgreSQL runs a runtime of its own):
                // it is read on this thread only, never on the server's.
                let mut feed = store.event_feed(None).ok();
                if let Some(f) = &mut feed {
                    reader.last.store(f.seen(), Ordering::SeqCst);
                    f.listen(&store);
                }
                let _ = ready.send(());
                let mut failing = false;
                while !*stop.borrow() {
                    if feed.is_none() {
                        feed = store
                            .event_feed(Some(reader.last.load(Ordering::SeqCst)))
                            .ok();
                    }
                    match feed.as_mut().map(|f| f.poll(&store)) {
                        Some(Ok(events)) => {
                            if std::mem::take(&mut failing) {
                                tracing::warn!("reading events again");
                            }
                            reader.publish(events);
                        }
                        // A read that failed (a store that went away) gave
                        // nothing and moved nothing: said once, tried again
                        // every RETRY from the same point.
                        Some(Err(e)) => {
                            if !std::mem::replace(&mut failing, true) {
                                tracing::warn!("reading events: {e}");
                            }
                        }
                        None => failing = true,
                    }
                    std::thread::sleep(if failing { RETRY } else { POLL });
                }
            })
            .expect("start the event reader");
        // Subscribers from now on start after the newest event.
        let _ = started.recv_timeout(Duration::from_secs(10));
        hub
    }

    fn publish(&self, events: Vec<Value>) {
        let mut ring = self.ring.lock().unwrap_or_else(|p| p.into_inner());
        for e in events {
            let Some(seq) = e["seq"].as_u64() else {
                continue;
            };
            let e = Arc::new(e);
            if ring.len() == RING {
                ring.pop_front();
            }
            ring.push_back(Arc::clone(&e));
            self.last.store(seq, Ordering::SeqCst);
            // No subscriber is fine.
            let _ = self.sender.send(e);
        }
    }

    /// A subscription, and the events after `since` it must send first
    /// (`None` when the ring no longer holds them all: read the store).
    pub fn subscribe(
        &self,
        since: u64,
    ) -> (broadcast::Receiver<Arc<Value>>, Option<Vec<Arc<Value>>>) {
        let ring = self.ring.lock().unwrap_or_else(|p| p.into_inner());
        let rx = self.sender.subscribe();
        let first = ring.front().and_then(|e| e["seq"].as_u64());
        let last = self.last.load(Ordering::SeqCst);
        let covered = since >= last || first.is_some_and(|f| since + 1 >= f);
        let replay = covered.then(|| {
            ring.iter()
                .filter(|e| e["seq"].as_u64().is_some_and(|s| s > since))
                .cloned()
                .collect()
        });
        (rx, replay)
    }
}

/// One event as SSE: `id:` its seq, `event:` its kind, `data:` its JSON.
pub fn sse(e: &Value) -> Event {
    Event::default()
        .id(e["seq"].to_string())
        .event(e["event"].as_str().unwrap_or("event"))
        .data(e.to_string())
}

/// The last event of a subscriber that fell behind.
pub fn dropped(last: u64) -> Event {
    Event::default().event("dropped").data(
        json!({"reason": "the subscriber fell too far behind; reconnect with Last-Event-ID",
               "last_seq": last})
        .to_string(),
    )
}
