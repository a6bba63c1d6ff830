//! The relay's workers: each holds at most one server connection and serves
//! the commands queued at the socket one after the other, a whole session
//! each. A connection is kept for the next command only when its session
//! ended with the server idle outside a transaction, and after `DISCARD
//! ALL`; before a kept connection serves again it must be quiet (a server
//! that ended it, restarting or by an administrator, has closed it).

use std::collections::VecDeque;
use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::session;
use super::wire::{self, Server, Target};

/// How long a command may take to send its startup, and a reset to finish.
const WITHIN: Duration = Duration::from_secs(5);
/// How long a server connection serves before it is replaced.
const LIFETIME: Duration = Duration::from_secs(60);
/// How long a kept connection may go unused before it is asked whether the
/// server still answers.
const PING_AFTER: Duration = Duration::from_secs(1);
/// The wait for a connection a command that says none gets.
const DEFAULT_WAIT: Duration = Duration::from_secs(3);
/// The startup option in which a command says how long it waits.
pub const WAIT_OPTION: &str = "nexus-wait-ms=";

/// Commands accepted and not yet served to the end.
pub type Pending = Arc<AtomicUsize>;

/// Hands each accepted command to the worker that became idle last (its
/// connection is the warmest, and a fleet that runs one command at a time
/// keeps one connection), else queues it for the first to finish.
#[derive(Debug, Default)]
pub struct Dispatch {
    state: Mutex<(Vec<Sender<UnixStream>>, VecDeque<UnixStream>)>,
}

impl Dispatch {
    fn state(&self) -> MutexGuard<'_, (Vec<Sender<UnixStream>>, VecDeque<UnixStream>)> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Give `client` to a worker.
    pub fn give(&self, client: UnixStream) {
        let mut s = self.state();
        let mut client = Some(client);
        while let Some(worker) = s.0.pop() {
            match worker.send(client.take().expect("not sent yet")) {
                Ok(()) => return,
                Err(back) => client = Some(back.0),
            }
        }
        s.1.extend(client);
    }

    /// The next command for a worker: a queued one, else the one it is given
    /// once idle.
    fn next(&self, me: &Sender<UnixStream>, inbox: &Receiver<UnixStream>) -> Option<UnixStream> {
        let mut s = self.state();
        if let Some(c) = s.1.pop_front() {
            return Some(c);
        }
        s.0.push(me.clone());
        drop(s);
        inbox.recv().ok()
    }
}

/// Start `n` workers serving what `dispatch` hands them.
pub fn start(n: usize, target: &Target, dispatch: &Arc<Dispatch>, pending: &Pending) {
    for _ in 0..n {
        let (dispatch, target, pending) =
            (Arc::clone(dispatch), target.clone(), Arc::clone(pending));
        std::thread::spawn(move || {
            let (me, inbox) = channel();
            let mut conn = None;
            while let Some(client) = dispatch.next(&me, &inbox) {
                serve(client, &target, &mut conn);
                pending.fetch_sub(1, Ordering::AcqRel);
            }
        });
    }
}

/// One command's session on `conn` (opened or replaced as needed).
fn serve(mut client: UnixStream, target: &Target, conn: &mut Option<Server>) {
    let refuse = |client: &mut UnixStream, why: &str| {
        let _ = client.write_all(&wire::error_response("08006", &format!("relay: {why}")));
    };
    let Some((wait, who)) = startup(&mut client) else {
        return;
    };
    // The relay speaks for one user on one database: the URL's.
    if who.0.as_deref().is_some_and(|u| u != target.user)
        || who.1.as_deref().is_some_and(|d| d != target.dbname)
    {
        return refuse(&mut client, "this relay serves another user or database");
    }
    let deadline = Instant::now() + wait;
    if conn.as_mut().is_some_and(|c| !usable(c, deadline)) {
        *conn = None;
    }
    if conn.is_none() {
        match wire::open(target, deadline) {
            Ok(c) => *conn = Some(c),
            Err(why) => return refuse(&mut client, &why),
        }
    }
    let Some(server) = conn.as_mut() else {
        return;
    };
    let mut hello = wire::msg(b'R', &0i32.to_be_bytes());
    hello.extend_from_slice(&server.hello);
    hello.extend_from_slice(&wire::msg(b'Z', b"I"));
    let _ = client.set_read_timeout(None);
    let clean = client.write_all(&hello).is_ok() && session::run(&mut client, &mut server.stream);
    drop(client);
    if !(clean && reset(server).is_ok()) {
        *conn = None;
    }
}

/// The user and database a command asked for.
type Who = (Option<String>, Option<String>);

/// Read a command's startup (declining TLS): how long it waits for a
/// connection and who it asks to be; `None` when it left or is not
/// speaking protocol 3.
fn startup(client: &mut UnixStream) -> Option<(Duration, Who)> {
    client.set_read_timeout(Some(WITHIN)).ok()?;
    loop {
        match wire::read_startup(client).ok()? {
            (wire::SSL_REQUEST | wire::GSS_REQUEST, _) => client.write_all(b"N").ok()?,
            (wire::PROTOCOL_3, rest) => {
                let params = wire::startup_params(&rest);
                let get = |key: &str| {
                    params
                        .iter()
                        .find(|(k, _)| k == key)
                        .map(|(_, v)| v.clone())
                };
                let wait = get("options")
                    .and_then(|v| v.strip_prefix(WAIT_OPTION)?.parse().ok())
                    .map_or(DEFAULT_WAIT, Duration::from_millis);
                return Some((wait, (get("user"), get("database"))));
            }
            _ => return None,
        }
    }
}

/// Whether a kept connection may serve the next command: not older than
/// [`LIFETIME`] (so that a revoked login or a changed password takes effect),
/// nothing unasked on it (a server that ended it has closed it or sent an
/// error), and, after [`PING_AFTER`] unused, answering a Sync by `deadline`
/// (a server gone silent is never handed out).
fn usable(c: &mut Server, deadline: Instant) -> bool {
    if c.opened.elapsed() > LIFETIME || !quiet(c) {
        return false;
    }
    if c.used.elapsed() < PING_AFTER {
        return true;
    }
    let left = deadline.saturating_duration_since(Instant::now());
    let answered = c
        .stream
        .set_timeouts(Some(left.max(Duration::from_millis(1))))
        .and_then(|()| c.stream.write_all(&wire::msg(b'S', b"")))
        .and_then(|()| wire::read_msg(&mut c.stream))
        .is_ok_and(|m| m.kind == b'Z' && m.body.first() == Some(&b'I'));
    answered && c.stream.set_timeouts(None).is_ok()
}

/// Whether an idle connection has nothing to say.
fn quiet(c: &Server) -> bool {
    let mut byte = 0u8;
    // SAFETY: a one-byte peek into a live local, on a descriptor `c` owns.
    let n = unsafe {
        libc::recv(
            c.stream.as_raw_fd(),
            (&mut byte as *mut u8).cast(),
            1,
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    n < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::WouldBlock
}

/// Undo what a session may have left: prepared statements, settings,
/// listens, session advisory locks, temporary tables.
/// Only the reset's own answer may follow it: anything before its
/// completion means the session left more behind than it showed.
fn reset(c: &mut Server) -> std::io::Result<()> {
    c.stream.set_timeouts(Some(WITHIN))?;
    c.stream.write_all(&wire::msg(b'Q', b"DISCARD ALL\0"))?;
    let failed = || std::io::Error::other("the reset failed");
    let done = wire::read_msg(&mut c.stream)?;
    if done.kind != b'C' || !done.body.starts_with(b"DISCARD ALL") {
        return Err(failed());
    }
    let ready = wire::read_msg(&mut c.stream)?;
    if ready.kind != b'Z' || ready.body.first() != Some(&b'I') {
        return Err(failed());
    }
    c.used = Instant::now();
    c.stream.set_timeouts(None)
}
