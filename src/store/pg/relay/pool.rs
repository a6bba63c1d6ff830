//! The relay's server connections: up to a fixed number open, the idle ones
//! handed out most recently used first (their caches are the warmest), a
//! connection the server closed while idle dropped when next taken.

use std::io::Write;
use std::os::fd::AsRawFd;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::wire::{self, Server, Target};

/// How long the reset of a returned connection may take.
const RESET_WITHIN: Duration = Duration::from_secs(5);

#[derive(Debug, Default)]
struct Slots {
    idle: Vec<Server>,
    /// Connections open, idle or in use, or being opened.
    open: usize,
}

/// The connections to one server.
#[derive(Debug)]
pub struct Pool {
    target: Target,
    max: usize,
    slots: Mutex<Slots>,
    freed: Condvar,
}

impl Pool {
    pub fn new(target: Target, max: usize) -> Pool {
        Pool {
            target,
            max: max.max(1),
            slots: Mutex::new(Slots::default()),
            freed: Condvar::new(),
        }
    }

    fn slots(&self) -> MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A connection ready for a new session, by `deadline`: an idle one,
    /// else a new one while fewer than the most are open, else the first
    /// one given back.
    pub fn take(&self, deadline: Instant) -> Result<Server, String> {
        let mut s = self.slots();
        loop {
            while let Some(c) = s.idle.pop() {
                if quiet(&c) {
                    return Ok(c);
                }
                s.open -= 1;
            }
            if s.open < self.max {
                s.open += 1;
                drop(s);
                let opened = wire::open(&self.target, deadline);
                if opened.is_err() {
                    self.give(None);
                }
                return opened;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(format!("all {} connections stayed busy", self.max));
            }
            s = self
                .freed
                .wait_timeout(s, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Give back a connection after a session: reset (as a new session
    /// would find it) when `clean`, else closed.
    pub fn give_back(&self, mut c: Server, clean: bool) {
        let kept = clean && reset(&mut c).is_ok();
        self.give(kept.then_some(c));
    }

    fn give(&self, c: Option<Server>) {
        let mut s = self.slots();
        match c {
            Some(c) => s.idle.push(c),
            None => s.open -= 1,
        }
        drop(s);
        self.freed.notify_one();
    }
}

/// Whether an idle connection has nothing to say: a server that ended it
/// (a restart, an administrator) has closed it or sent an error.
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
    c.stream.set_timeouts(Some(RESET_WITHIN))?;
    c.stream.write_all(&wire::msg(b'Q', b"DISCARD ALL\0"))?;
    loop {
        let m = wire::read_msg(&mut c.stream)?;
        match (m.kind, m.body.first()) {
            (b'Z', Some(b'I')) => break,
            (b'Z', _) | (b'E', _) => {
                return Err(std::io::Error::other("the reset failed"));
            }
            _ => {}
        }
    }
    c.stream.set_timeouts(None)
}
