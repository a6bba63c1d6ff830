//! As much of the PostgreSQL wire protocol (version 3) as the relay speaks:
//! messages read and built whole, the startup a client sends, and the
//! startup of a connection to the server, password exchange included
//! (cleartext, MD5 or SCRAM-SHA-256, the exchange done by `postgres-protocol`).

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use postgres_protocol::authentication::md5_hash;
use postgres_protocol::authentication::sasl::{ChannelBinding, SCRAM_SHA_256, ScramSha256};

/// The startup code of protocol 3.0.
pub const PROTOCOL_3: i32 = 196_608;
/// A client asking for TLS (or GSS encryption) before its startup.
pub const SSL_REQUEST: i32 = 80_877_103;
pub const GSS_REQUEST: i32 = 80_877_104;
/// The largest message the relay reads whole (startup and handshake only).
const LARGEST: usize = 1 << 20;

/// One message: its type byte and body.
#[derive(Debug)]
pub struct Msg {
    pub kind: u8,
    pub body: Vec<u8>,
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

fn be32(b: &[u8]) -> i32 {
    i32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// The length a message header (type byte, then a length counting itself)
/// announces for its body.
pub fn body_len(head: &[u8]) -> io::Result<usize> {
    usize::try_from(be32(&head[1..5]))
        .ok()
        .and_then(|n| n.checked_sub(4))
        .ok_or_else(|| invalid("message length"))
}

/// Read one typed message.
pub fn read_msg(r: &mut impl Read) -> io::Result<Msg> {
    let mut head = [0u8; 5];
    r.read_exact(&mut head)?;
    let n = body_len(&head)?;
    if n > LARGEST {
        return Err(invalid("message too long"));
    }
    let mut body = vec![0; n];
    r.read_exact(&mut body)?;
    Ok(Msg {
        kind: head[0],
        body,
    })
}

/// A typed message's bytes.
pub fn msg(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 5);
    out.push(kind);
    out.extend_from_slice(&(body.len() as i32 + 4).to_be_bytes());
    out.extend_from_slice(body);
    out
}

/// Read a client's first packet (untyped): its code and the rest.
pub fn read_startup(r: &mut impl Read) -> io::Result<(i32, Vec<u8>)> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len)?;
    let n = usize::try_from(be32(&len))
        .ok()
        .filter(|n| (8..=10_000).contains(n))
        .ok_or_else(|| invalid("startup length"))?;
    let mut rest = vec![0; n - 4];
    r.read_exact(&mut rest)?;
    Ok((be32(&rest), rest.split_off(4)))
}

/// The `name=value` pairs of a startup packet's rest.
pub fn startup_params(rest: &[u8]) -> Vec<(String, String)> {
    let strings: Vec<String> = rest
        .split(|b| *b == 0)
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect();
    strings
        .chunks(2)
        .filter(|p| p.len() == 2 && !p[0].is_empty())
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect()
}

/// An ErrorResponse that ends a client's startup.
pub fn error_response(code: &str, message: &str) -> Vec<u8> {
    let mut body = Vec::new();
    for (field, value) in [
        (b'S', "FATAL"),
        (b'V', "FATAL"),
        (b'C', code),
        (b'M', message),
    ] {
        body.push(field);
        body.extend_from_slice(value.as_bytes());
        body.push(0);
    }
    body.push(0);
    msg(b'E', &body)
}

/// The message field of an ErrorResponse body.
pub fn error_text(body: &[u8]) -> String {
    body.split(|b| *b == 0)
        .find(|f| f.first() == Some(&b'M'))
        .map(|f| String::from_utf8_lossy(&f[1..]).into_owned())
        .unwrap_or_else(|| "the server refused the connection".into())
}

/// Where the server is and who to be there.
#[derive(Debug, Clone)]
pub struct Target {
    pub addr: Addr,
    pub user: String,
    pub password: Option<Vec<u8>>,
    pub dbname: String,
    pub options: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Addr {
    Tcp(String, u16),
    /// A socket file (the directory and port of a Unix-socket URL).
    Unix(PathBuf),
}

/// A connection to the server, either kind.
#[derive(Debug)]
pub enum Stream {
    Tcp(TcpStream),
    Unix(UnixStream),
}

impl Stream {
    pub fn set_nonblocking(&self, on: bool) -> io::Result<()> {
        match self {
            Stream::Tcp(s) => s.set_nonblocking(on),
            Stream::Unix(s) => s.set_nonblocking(on),
        }
    }

    pub fn set_timeouts(&self, t: Option<Duration>) -> io::Result<()> {
        match self {
            Stream::Tcp(s) => s.set_read_timeout(t).and(s.set_write_timeout(t)),
            Stream::Unix(s) => s.set_read_timeout(t).and(s.set_write_timeout(t)),
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.read(buf),
            Stream::Unix(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.write(buf),
            Stream::Unix(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl AsRawFd for Stream {
    fn as_raw_fd(&self) -> RawFd {
        match self {
            Stream::Tcp(s) => s.as_raw_fd(),
            Stream::Unix(s) => s.as_raw_fd(),
        }
    }
}

/// A server connection ready for queries, with what its startup said (the
/// ParameterStatus and BackendKeyData messages, replayed to each client).
#[derive(Debug)]
pub struct Server {
    pub stream: Stream,
    pub hello: Vec<u8>,
    /// When it was opened, and when a session last ended on it.
    pub opened: Instant,
    pub used: Instant,
}

fn connect(addr: &Addr, deadline: Instant) -> Result<Stream, String> {
    match addr {
        Addr::Unix(path) => UnixStream::connect(path)
            .map(Stream::Unix)
            .map_err(|e| format!("{}: {e}", path.display())),
        Addr::Tcp(host, port) => {
            let addrs = (host.as_str(), *port)
                .to_socket_addrs()
                .map_err(|e| format!("{host}: {e}"))?;
            let mut last = format!("{host}: no address");
            for a in addrs {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(format!("{host}:{port}: no answer in time"));
                }
                match TcpStream::connect_timeout(&a, left) {
                    Ok(s) => {
                        s.set_nodelay(true).map_err(|e| e.to_string())?;
                        keepalive(&s);
                        return Ok(Stream::Tcp(s));
                    }
                    Err(e) => last = format!("{a}: {e}"),
                }
            }
            Err(last)
        }
    }
}

/// Ask the kernel to probe an idle connection, so that a server gone
/// silent in the middle of a session ends it within half a minute.
fn keepalive(s: &TcpStream) {
    let set = |level, name, value: libc::c_int| {
        // SAFETY: setsockopt with a pointer to a live int and its size, on a
        // socket `s` owns.
        unsafe {
            libc::setsockopt(
                s.as_raw_fd(),
                level,
                name,
                (&value as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
    };
    set(libc::SOL_SOCKET, libc::SO_KEEPALIVE, 1);
    #[cfg(target_os = "linux")]
    {
        set(libc::IPPROTO_TCP, libc::TCP_KEEPIDLE, 10);
        set(libc::IPPROTO_TCP, libc::TCP_KEEPINTVL, 5);
        set(libc::IPPROTO_TCP, libc::TCP_KEEPCNT, 3);
    }
}

/// Open and start a server connection by `deadline`.
pub fn open(t: &Target, deadline: Instant) -> Result<Server, String> {
    let mut s = connect(&t.addr, deadline)?;
    let left = deadline.saturating_duration_since(Instant::now());
    s.set_timeouts(Some(left.max(Duration::from_millis(1))))
        .map_err(|e| e.to_string())?;
    let mut hello = Vec::new();
    let mut p = Vec::new();
    p.extend_from_slice(&PROTOCOL_3.to_be_bytes());
    let mut params = vec![
        ("user", t.user.as_str()),
        ("database", t.dbname.as_str()),
        ("client_encoding", "UTF8"),
        ("application_name", "nexus relay"),
    ];
    if let Some(o) = &t.options {
        params.push(("options", o));
    }
    for (k, v) in params {
        for s in [k, v] {
            p.extend_from_slice(s.as_bytes());
            p.push(0);
        }
    }
    p.push(0);
    let mut packet = ((p.len() + 4) as i32).to_be_bytes().to_vec();
    packet.extend_from_slice(&p);
    let io = |e: io::Error| format!("starting a session: {e}");
    s.write_all(&packet).map_err(io)?;
    let mut scram = None;
    loop {
        let m = read_msg(&mut s).map_err(io)?;
        match m.kind {
            b'R' => {
                if let Some(reply) = authenticate(t, &m.body, &mut scram)? {
                    s.write_all(&msg(b'p', &reply)).map_err(io)?;
                }
            }
            b'S' | b'K' => hello.extend_from_slice(&msg(m.kind, &m.body)),
            b'E' => return Err(error_text(&m.body)),
            b'Z' => break,
            _ => {}
        }
    }
    s.set_timeouts(None).map_err(|e| e.to_string())?;
    let now = Instant::now();
    Ok(Server {
        stream: s,
        hello,
        opened: now,
        used: now,
    })
}

/// The answer to one authentication request, if it needs one.
fn authenticate(
    t: &Target,
    body: &[u8],
    scram: &mut Option<ScramSha256>,
) -> Result<Option<Vec<u8>>, String> {
    if body.len() < 4 {
        return Err("a malformed authentication request".into());
    }
    let code = be32(body);
    let data = &body[4..];
    let password = || {
        t.password
            .as_deref()
            .ok_or_else(|| "the server asks for a password and the URL has none".to_string())
    };
    let cstr = |b: &[u8]| {
        let mut v = b.to_vec();
        v.push(0);
        v
    };
    let bad = |e: io::Error| format!("password exchange: {e}");
    match code {
        0 => Ok(None),
        3 => Ok(Some(cstr(password()?))),
        5 if data.len() >= 4 => {
            let salt = [data[0], data[1], data[2], data[3]];
            let hash = md5_hash(t.user.as_bytes(), password()?, salt);
            Ok(Some(cstr(hash.as_bytes())))
        }
        10 => {
            if !data
                .split(|b| *b == 0)
                .any(|m| m == SCRAM_SHA_256.as_bytes())
            {
                return Err("the server offers no password exchange nexus knows".into());
            }
            let s = ScramSha256::new(password()?, ChannelBinding::unsupported());
            let mut out = cstr(SCRAM_SHA_256.as_bytes());
            out.extend_from_slice(&(s.message().len() as i32).to_be_bytes());
            out.extend_from_slice(s.message());
            *scram = Some(s);
            Ok(Some(out))
        }
        11 => {
            let s = scram.as_mut().ok_or("an unexpected SASL step")?;
            s.update(data).map_err(bad)?;
            Ok(Some(s.message().to_vec()))
        }
        12 => {
            let s = scram.as_mut().ok_or("an unexpected SASL step")?;
            s.finish(data).map_err(bad)?;
            Ok(None)
        }
        other => Err(format!(
            "the server asks for authentication method {other}, which nexus does not speak"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_and_errors_read_back() {
        let m = msg(b'Z', b"I");
        assert_eq!(m, vec![b'Z', 0, 0, 0, 5, b'I']);
        let back = read_msg(&mut &m[..]).unwrap();
        assert_eq!((back.kind, back.body), (b'Z', b"I".to_vec()));
        let e = error_response("08006", "no server");
        let back = read_msg(&mut &e[..]).unwrap();
        assert_eq!(error_text(&back.body), "no server");
        assert!(read_msg(&mut &[b'Q', 0, 0, 0, 2][..]).is_err());
    }

    #[test]
    fn a_startup_packet_reads_as_its_code_and_pairs() {
        let mut p = PROTOCOL_3.to_be_bytes().to_vec();
        p.extend_from_slice(b"user\0ann\0database\0db\0\0");
        let mut packet = ((p.len() + 4) as i32).to_be_bytes().to_vec();
        packet.extend_from_slice(&p);
        let (code, rest) = read_startup(&mut &packet[..]).unwrap();
        assert_eq!(code, PROTOCOL_3);
        assert_eq!(
            startup_params(&rest),
            vec![
                ("user".into(), "ann".into()),
                ("database".into(), "db".into())
            ]
        );
        assert!(read_startup(&mut &[0u8, 0, 0, 2][..]).is_err());
    }
}
