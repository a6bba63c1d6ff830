//! Opening a connection: through this machine's relay when one answers,
//! else straight to the server (then starting the relay for the commands
//! after), all within the connect timeout whatever either side does.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use postgres::error::SqlState;
use postgres::{Client, NoTls};

use super::relay::Relay;
use super::{RETRY_AFTER, db_err};
use crate::error::{NexusError, Result};

/// The share of the connect timeout a relay may spend finding a server
/// connection, and the most it may spend: a relay answers within
/// milliseconds unless it is stopped or wedged, and then the rest of the
/// timeout is for connecting straight.
const RELAY_SHARE: f64 = 0.5;
const RELAY_MOST: Duration = Duration::from_secs(1);

/// A connection to the store at `url` (`name` is it redacted), within
/// `bound`; through `relay` when given and running.
pub(super) fn open(
    url: &str,
    name: &str,
    bound: Duration,
    relay: Option<&Relay>,
) -> Result<Client> {
    let mut config: postgres::Config = url.parse().map_err(|e: postgres::Error| {
        NexusError::invalid("store", name, crate::text::line(&e.to_string()))
    })?;
    config.connect_timeout(bound).application_name("nexus");
    let deadline = Instant::now() + bound;
    // Each attempt runs on a thread of its own, so that its bound holds
    // whatever the other side does (a silent server never answers the
    // startup, a stopped relay never answers at all).
    let listening = relay.and_then(Relay::listening);
    if let Some(r) = relay
        && listening == Some(true)
    {
        let wait = bound.mul_f64(RELAY_SHARE).min(RELAY_MOST);
        let via = r.config(&config, wait);
        let answer = attempt(move || via.connect(NoTls)).recv_timeout(wait);
        if let Ok(Ok(client)) = answer {
            return Ok(client);
        }
    }
    let (relay, url) = (relay.cloned(), url.to_string());
    let answer = attempt(move || {
        let result = straight(&mut config, deadline);
        if result.is_ok()
            && listening.is_some()
            && let Some(r) = &relay
        {
            r.spawn(&url);
        }
        result
    });
    let left = deadline.saturating_duration_since(Instant::now());
    match answer.recv_timeout(left + Duration::from_millis(50)) {
        Ok(Ok(client)) => Ok(client),
        Ok(Err(e)) => Err(db_err("cannot connect", &e)),
        Err(_) => Err(NexusError::Database {
            store: String::new(),
            why: format!(
                "cannot connect: no answer within {} ms (NEXUS_PG_CONNECT_TIMEOUT_MS)",
                bound.as_millis()
            ),
        }),
    }
}

/// Run `f` on a thread of its own; its answer arrives on the receiver.
fn attempt<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> mpsc::Receiver<T> {
    let (send, recv) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(f());
    });
    recv
}

/// Connect straight to the server by `deadline`, asking again a server that
/// is full or still starting.
fn straight(
    config: &mut postgres::Config,
    deadline: Instant,
) -> std::result::Result<Client, postgres::Error> {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        config.connect_timeout(left.max(Duration::from_millis(1)));
        let result = config.connect(NoTls);
        let busy = result
            .as_ref()
            .err()
            .and_then(postgres::Error::code)
            .is_some_and(|c| {
                *c == SqlState::TOO_MANY_CONNECTIONS || *c == SqlState::CANNOT_CONNECT_NOW
            });
        if !busy || Instant::now() + RETRY_AFTER >= deadline {
            return result;
        }
        std::thread::sleep(RETRY_AFTER);
    }
}
