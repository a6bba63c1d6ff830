//! One client's session on a server connection: bytes pass both ways as
//! they come, while the relay follows the message boundaries to learn two
//! things: when the client says goodbye (Terminate, kept from the server),
//! and whether the server is then idle outside any transaction, every
//! query answered. Only then may the connection serve another client.

use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;

use super::wire::{self, Stream};

/// How much one direction buffers before it stops reading.
const CAP: usize = 256 * 1024;

/// Follows the messages of one direction as its bytes arrive.
#[derive(Debug, Default)]
struct Pipe {
    buf: Vec<u8>,
    /// Where the next message header starts, when `body_left` is 0.
    scan: usize,
    /// Bytes of the current message's body not scanned yet.
    body_left: usize,
}

impl Pipe {
    /// Walk the complete headers in the buffer, calling `seen` with each
    /// message's type and first body byte (0 when the body is empty); stop
    /// before a header for which `seen` says false. The bytes before the
    /// returned offset may be passed on (an incomplete header is held).
    fn walk(&mut self, mut seen: impl FnMut(u8, u8) -> bool) -> io::Result<usize> {
        loop {
            if self.body_left > 0 {
                let n = self.body_left.min(self.buf.len() - self.scan);
                self.scan += n;
                self.body_left -= n;
                if self.body_left > 0 {
                    return Ok(self.scan);
                }
            }
            let head = &self.buf[self.scan..];
            if head.len() < 5 {
                return Ok(self.scan);
            }
            let len = wire::body_len(head)?;
            if len > 0 && head.len() < 6 {
                return Ok(self.scan);
            }
            if !seen(head[0], if len > 0 { head[5] } else { 0 }) {
                return Ok(self.scan);
            }
            self.scan += 5;
            self.body_left = len;
        }
    }

    /// Take in what `from` has; `Ok(false)` at its end.
    fn fill(&mut self, from: &mut impl Read) -> io::Result<bool> {
        let mut chunk = [0u8; 16 * 1024];
        match from.read(&mut chunk) {
            Ok(0) => Ok(false),
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                Ok(true)
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(true),
            Err(e) => Err(e),
        }
    }

    /// Pass on what may be passed (up to `upto`).
    fn drain(&mut self, upto: usize, to: &mut impl Write) -> io::Result<()> {
        if upto == 0 {
            return Ok(());
        }
        match to.write(&self.buf[..upto]) {
            Ok(n) => {
                self.buf.drain(..n);
                self.scan -= n;
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// Relay between `client` and `server` until the client leaves or either
/// side fails; whether the server connection is clean to reuse.
pub fn run(client: &mut UnixStream, server: &mut Stream) -> bool {
    if client.set_nonblocking(true).is_err() || server.set_nonblocking(true).is_err() {
        return false;
    }
    let clean = pump(client, server).unwrap_or(false);
    clean && server.set_nonblocking(false).is_ok()
}

fn pump(client: &mut UnixStream, server: &mut Stream) -> io::Result<bool> {
    let (mut up, mut down) = (Pipe::default(), Pipe::default());
    // Queries and syncs sent that the server has not answered with
    // ReadyForQuery yet, and the transaction status of the last answer.
    let mut waiting = 0usize;
    let mut status = b'I';
    let mut leaving = false;
    loop {
        let up_to = up.walk(|kind, _| match kind {
            b'X' => {
                leaving = true;
                false
            }
            // Each of these is answered by one ReadyForQuery.
            b'Q' | b'S' | b'F' => {
                waiting += 1;
                true
            }
            _ => true,
        })?;
        let down_to = down.walk(|kind, first| {
            if kind == b'Z' {
                waiting = waiting.saturating_sub(1);
                status = first;
            }
            true
        })?;
        up.drain(up_to, server)?;
        if !leaving {
            down.drain(down_to, client)?;
        } else if up.scan == 0 {
            // Every byte before the goodbye reached the server: clean when
            // every query was answered outside a transaction.
            return Ok(waiting == 0 && status == b'I');
        }
        let mut fds = [
            poll_fd(client, up.buf.len() < CAP, down.scan > 0),
            poll_fd(server, down.buf.len() < CAP, up.scan > 0),
        ];
        if leaving {
            // Only the server's side is left to flush: a negative fd is
            // one poll leaves out.
            fds[0].fd = -1;
        }
        // SAFETY: `fds` is an array of two initialised pollfd, as poll asks.
        let r = unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) };
        if r < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        let ready = libc::POLLIN | libc::POLLHUP | libc::POLLERR;
        if fds[0].revents & ready != 0 && !up.fill(client)? {
            // The client went without a goodbye: clean only as above.
            let sent = up.buf.is_empty() && up.body_left == 0;
            return Ok(sent && waiting == 0 && status == b'I');
        }
        if fds[1].revents & ready != 0 && !down.fill(server)? {
            return Ok(false);
        }
    }
}

fn poll_fd(fd: &impl AsRawFd, read: bool, write: bool) -> libc::pollfd {
    let mut events = 0;
    if read {
        events |= libc::POLLIN;
    }
    if write {
        events |= libc::POLLOUT;
    }
    libc::pollfd {
        fd: fd.as_raw_fd(),
        events,
        revents: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;

    fn pair() -> (UnixStream, UnixStream) {
        UnixStream::pair().unwrap()
    }

    /// Relay one scripted session: the client sends `said` then its
    /// goodbye (or hangs up), the server answers `answer` to each query.
    fn session(said: Vec<Vec<u8>>, answer: &'static [u8], goodbye: bool) -> (bool, Vec<u8>) {
        let (mut client_end, mut relay_client) = pair();
        let (relay_server, mut server_end) = pair();
        let queries = said.iter().filter(|m| m[0] == b'Q').count();
        let server = thread::spawn(move || {
            let mut got = Vec::new();
            for _ in 0..queries {
                let m = wire::read_msg(&mut server_end).unwrap();
                got.push(m.kind);
                server_end.write_all(answer).unwrap();
            }
            // Anything after (a goodbye passed on by mistake) is read too.
            server_end
                .set_read_timeout(Some(std::time::Duration::from_millis(100)))
                .unwrap();
            let mut rest = Vec::new();
            let _ = server_end.read_to_end(&mut rest);
            got.extend(rest.iter().take(1));
            got
        });
        let client = thread::spawn(move || {
            for m in &said {
                client_end.write_all(m).unwrap();
                if m[0] == b'Q' {
                    let mut seen = Vec::new();
                    while !seen.ends_with(&answer[answer.len() - 6..]) {
                        let r = wire::read_msg(&mut client_end).unwrap();
                        seen.extend(wire::msg(r.kind, &r.body));
                    }
                }
            }
            if goodbye {
                client_end.write_all(&wire::msg(b'X', b"")).unwrap();
            }
        });
        let clean = run(&mut relay_client, &mut Stream::Unix(relay_server));
        client.join().unwrap();
        drop(relay_client);
        (clean, server.join().unwrap())
    }

    fn query(sql: &str) -> Vec<u8> {
        wire::msg(b'Q', format!("{sql}\0").as_bytes())
    }

    const IDLE: &[u8] = b"C\0\0\0\x0bSELECT\0Z\0\0\0\x05I";
    const IN_TX: &[u8] = b"C\0\0\0\x0aBEGIN\0Z\0\0\0\x05T";

    #[test]
    fn a_session_that_ends_idle_is_clean_and_its_goodbye_stays_here() {
        let (clean, server_saw) = session(vec![query("SELECT 1"), query("SELECT 2")], IDLE, true);
        assert!(clean);
        assert_eq!(
            server_saw,
            vec![b'Q', b'Q'],
            "no Terminate reached the server"
        );
    }

    #[test]
    fn a_session_left_in_a_transaction_or_without_a_goodbye_mid_query_is_not_clean() {
        let (clean, _) = session(vec![query("BEGIN")], IN_TX, true);
        assert!(!clean, "inside a transaction");
        let (clean, _) = session(vec![query("SELECT 1")], IDLE, false);
        assert!(clean, "a hang-up after every answer, outside a transaction");
    }

    #[test]
    fn message_boundaries_are_found_across_any_split() {
        let stream: Vec<u8> = [
            query("SELECT 1"),
            wire::msg(b'S', b""),
            wire::msg(b'X', b""),
        ]
        .concat();
        for cut in 0..stream.len() {
            let mut p = Pipe::default();
            let (mut kinds, mut stop) = (Vec::new(), 0);
            for part in [&stream[..cut], &stream[cut..]] {
                p.buf.extend_from_slice(part);
                stop = p
                    .walk(|k, _| {
                        if k != b'X' {
                            kinds.push(k);
                        }
                        k != b'X'
                    })
                    .unwrap();
            }
            assert_eq!(kinds, vec![b'Q', b'S'], "cut at {cut}");
            assert_eq!(
                stop,
                stream.len() - 5,
                "everything before the goodbye passes"
            );
        }
        let mut bad = Pipe::default();
        bad.buf.extend_from_slice(&[b'Q', 0, 0, 0, 1]);
        assert!(bad.walk(|_, _| true).is_err());
    }
}
