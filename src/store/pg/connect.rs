//! Opening a connection within the connect timeout, whatever the server
//! does (a silent one never answers the startup).

use std::sync::mpsc;
use std::time::{Duration, Instant};

use postgres::error::SqlState;
use postgres::{Client, NoTls};

use tokio_postgres_rustls::MakeRustlsConnect;

use super::{RETRY_AFTER, db_err, setting, tls};
use crate::error::{NexusError, Result};

/// TCP keepalive: the first probe after this much silence, then one per
/// interval, the connection dropped after this many unanswered.
const KEEPALIVE_IDLE: Duration = Duration::from_secs(2);
const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(1);
const KEEPALIVE_RETRIES: u32 = 3;

/// A connection to the store at `url` (`name` is it redacted), within
/// `bound`.
pub(super) fn open(url: &str, name: &str, bound: Duration) -> Result<Client> {
    let setting = setting::parse(url).map_err(|why| NexusError::invalid("store", name, why))?;
    let tls = tls::connector(&setting).map_err(|why| NexusError::invalid("store", name, why))?;
    let mode = setting.mode;
    let mut config = setting.config;
    config.connect_timeout(bound).application_name("nexus");
    // A peer that goes silent (a dropped route, a vanished host) ends the
    // connection within about 5 s instead of never: TCP keepalives probe an
    // idle connection, and unacknowledged data is given up on.
    config
        .keepalives(true)
        .keepalives_idle(KEEPALIVE_IDLE)
        .keepalives_interval(KEEPALIVE_INTERVAL)
        .keepalives_retries(KEEPALIVE_RETRIES)
        .tcp_user_timeout(KEEPALIVE_IDLE + KEEPALIVE_INTERVAL * KEEPALIVE_RETRIES);
    let deadline = Instant::now() + bound;
    // The attempt runs on a thread of its own, so that its bound holds
    // whatever the other side does.
    let answer = attempt(move || straight(&mut config, tls, deadline));
    let left = deadline.saturating_duration_since(Instant::now());
    match answer.recv_timeout(left + Duration::from_millis(50)) {
        Ok(Ok(client)) => Ok(client),
        Ok(Err(e)) => Err(hint(db_err("cannot connect", &e), mode)),
        Err(_) => Err(NexusError::Database {
            store: String::new(),
            why: format!(
                "cannot connect: no answer within {} ms (NEXUS_PG_CONNECT_TIMEOUT_MS)",
                bound.as_millis()
            ),
        }),
    }
}

/// A TLS refusal, said with what to do about it.
fn hint(e: NexusError, mode: setting::Mode) -> NexusError {
    let NexusError::Database { store, mut why } = e else {
        return e;
    };
    if why.contains("UnknownIssuer") {
        why.push_str(" (the server's certificate is not issued by a trusted root: name its CA with sslrootcert=PATH)");
    } else if why.ends_with("server does not support TLS") {
        why.push_str(&format!(
            " (sslmode={}: plaintext is never used; sslmode=prefer allows it)",
            mode.name()
        ));
    }
    NexusError::Database { store, why }
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
    tls: Option<MakeRustlsConnect>,
    deadline: Instant,
) -> std::result::Result<Client, postgres::Error> {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        config.connect_timeout(left.max(Duration::from_millis(1)));
        let result = match &tls {
            Some(tls) => config.connect(tls.clone()),
            None => config.connect(NoTls),
        };
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

/// Close a connection. The synchronous client closes it by running its own
/// runtime, which may not start inside another one: one dropped on an async
/// thread (a server's, at its end) is closed on a thread of its own.
pub(super) fn close(client: Client) {
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::spawn(move || drop(client));
    } else {
        drop(client);
    }
}
