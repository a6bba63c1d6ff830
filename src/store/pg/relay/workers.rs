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
    let Some(wait) = startup(&mut client) else {
        return;
    };
    if conn.as_ref().is_some_and(|c| !quiet(c)) {
        *conn = None;
    }
    if conn.is_none() {
        match wire::open(target, Instant::now() + wait) {
            Ok(c) => *conn = Some(c),
            Err(why) => {
                let _ = client.write_all(&wire::error_response("08006", &format!("relay: {why}")));
                return;
            }
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

/// Read a command's startup (declining TLS); how long it waits for a
/// connection, or `None` when it left or is not speaking protocol 3.
fn startup(client: &mut UnixStream) -> Option<Duration> {
    client.set_read_timeout(Some(WITHIN)).ok()?;
    loop {
        match wire::read_startup(client).ok()? {
            (wire::SSL_REQUEST | wire::GSS_REQUEST, _) => client.write_all(b"N").ok()?,
            (wire::PROTOCOL_3, rest) => {
                let wait = wire::startup_params(&rest)
                    .into_iter()
                    .find(|(k, _)| k == "options")
                    .and_then(|(_, v)| v.strip_prefix(WAIT_OPTION)?.parse().ok())
                    .map_or(DEFAULT_WAIT, Duration::from_millis);
                return Some(wait);
            }
            _ => return None,
        }
    }
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
fn reset(c: &mut Server) -> std::io::Result<()> {
    c.stream.set_timeouts(Some(WITHIN))?;
    c.stream.write_all(&wire::msg(b'Q', b"DISCARD ALL\0"))?;
    loop {
        let m = wire::read_msg(&mut c.stream)?;
        match (m.kind, m.body.first()) {
            (b'Z', Some(b'I')) => break,
            (b'Z', _) | (b'E', _) => return Err(std::io::Error::other("the reset failed")),
            _ => {}
        }
    }
    c.stream.set_timeouts(None)
}
