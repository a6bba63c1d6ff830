//! A relay on each machine that keeps warm connections to the PostgreSQL
//! store, so that a command does not pay for a new server process and a
//! cold cache every time it runs (about 3 ms of a 7 ms claim).
//!
//! The first command that connects straight to the server starts
//! `nexus store relay` in the background; later commands of the same user
//! and URL connect to its Unix socket instead, in a directory only that user
//! can enter (`$XDG_RUNTIME_DIR/nexus`, else `nexus-UID` in the temporary
//! directory, refused when it is not private). The relay gives each of them
//! a whole session on one of its server connections (at most
//! [`connections`] open), passes the bytes both ways untouched, and takes
//! the connection back when the command leaves with the server idle outside
//! a transaction, after `DISCARD ALL`; any other ending closes it. It exits
//! after NEXUS_PG_RELAY_IDLE_MS (default 30 s) without a command.
//!
//! A relay that is missing, stopped, busy or cannot reach the server is
//! never an error: the command waits for it at most half its connect timeout
//! (at most 1 s), then connects straight within the rest and says what that
//! attempt says. NEXUS_PG_RELAY=off turns the relay off. A lock file beside
//! the socket keeps one relay per user and URL; the URL reaches the relay in
//! its environment (cleared of all else but a few variables), never its
//! arguments, and a spawned relay closes every file its starter left open.

mod session;
mod wire;
mod workers;

use std::fs::{File, OpenOptions};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::net::UnixListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::error::{NexusError, Result};
use wire::{Addr, Target};
use workers::WAIT_OPTION;

/// The port in the relay's socket name (`.s.PGSQL.5432`, as clients look for).
const PORT: u16 = 5432;
/// How long a relay waits for a command before it exits, by default.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(30);

/// The variables a relay started by a command keeps of its environment.
const KEPT_ENV: [&str; 8] = [
    "PATH",
    "HOME",
    "TMPDIR",
    "XDG_RUNTIME_DIR",
    "NEXUS_PG_RELAY_IDLE_MS",
    "NEXUS_LOG",
    "PGPASSFILE",
    "LLVM_PROFILE_FILE",
];

/// How many server connections a relay keeps at most: two per core, 4 to 32.
pub fn connections() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (cores * 2).clamp(4, 32)
}

/// The relay of one URL for this user on this machine.
#[derive(Debug, Clone)]
pub struct Relay {
    dir: PathBuf,
    lock: PathBuf,
}

impl Relay {
    /// The relay for `url`; `None` when the URL is not one a relay serves
    /// (several hosts, TLS required) or no private directory can be had.
    pub fn for_url(url: &str) -> Option<Relay> {
        let config: postgres::Config = url.parse().ok()?;
        target(&config)?;
        let base = private_dir()?;
        // A socket's path must fit in sun_path (108 bytes on Linux, 104 on
        // the BSDs); a deeper directory means no relay.
        if base.as_os_str().len() + 40 > 100 {
            return None;
        }
        // FNV-1a: a stable name, without waking the hashers' CPU probes.
        let hash = url.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        let name = format!("{hash:016x}");
        Some(Relay {
            dir: base.join(format!("pg-{name}")),
            lock: base.join(format!("pg-{name}.lock")),
        })
    }

    /// The relay's socket file.
    pub fn socket(&self) -> PathBuf {
        self.dir.join(format!(".s.PGSQL.{PORT}"))
    }

    /// Whether a socket is where the relay's should be (something else
    /// there, a directory say, means no relay: one could not bind).
    pub fn listening(&self) -> Option<bool> {
        match std::fs::symlink_metadata(self.socket()) {
            Ok(m) => m.file_type().is_socket().then_some(true),
            Err(_) => Some(false),
        }
    }

    /// Settings to reach the store through the relay: the user and database
    /// of `straight`, and how long the command waits for a connection.
    pub fn config(&self, straight: &postgres::Config, wait: Duration) -> postgres::Config {
        let mut c = postgres::Config::new();
        c.host_path(&self.dir)
            .port(PORT)
            .user(straight.get_user().unwrap_or_default())
            .application_name("nexus")
            .options(&format!("{WAIT_OPTION}{}", wait.as_millis()))
            .connect_timeout(wait);
        if let Some(db) = straight.get_dbname() {
            c.dbname(db);
        }
        c
    }

    /// Start the relay in the background, unless one runs or is starting:
    /// the lock is taken here and handed to the relay as its stdin.
    pub fn spawn(&self, url: &str) {
        let Some(lock) = open_lock(&self.lock) else {
            return;
        };
        if !try_lock(&lock) {
            return;
        }
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        // Only what the relay needs of the caller's environment (not its API
        // keys, say); the profile file lets coverage runs count the relay.
        let mut cmd = Command::new(exe);
        cmd.env_clear();
        for keep in KEPT_ENV {
            if let Some(v) = std::env::var_os(keep) {
                cmd.env(keep, v);
            }
        }
        let _ = cmd
            .args(["store", "relay", "--lock-on-stdin"])
            .env("NEXUS_STORE", url)
            .stdin(Stdio::from(lock))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .current_dir("/")
            .process_group(0)
            .spawn();
    }
}

/// Where a URL's server is, if a relay can serve it.
fn target(c: &postgres::Config) -> Option<Target> {
    use postgres::config::{Host, SslMode};
    let [host] = c.get_hosts() else {
        return None;
    };
    let port = match c.get_ports() {
        [] => PORT,
        [p] => *p,
        _ => return None,
    };
    if !c.get_hostaddrs().is_empty() || c.get_ssl_mode() == SslMode::Require {
        return None;
    }
    let addr = match host {
        Host::Tcp(h) => Addr::Tcp(h.clone(), port),
        Host::Unix(dir) => Addr::Unix(dir.join(format!(".s.PGSQL.{port}"))),
    };
    let user = c.get_user()?.to_string();
    Some(Target {
        addr,
        dbname: c.get_dbname().unwrap_or(&user).to_string(),
        user,
        password: c.get_password().map(<[u8]>::to_vec),
        options: c.get_options().map(str::to_string),
    })
}

/// This user's private directory for relay sockets, made when missing;
/// `None` when it is not a directory of this user's that only they can
/// enter (a symlink, someone else's, open to others).
fn private_dir() -> Option<PathBuf> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let uid = unsafe { libc::geteuid() };
    let base = match std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from) {
        Some(d) if d.is_absolute() && private(&d, uid) => d.join("nexus"),
        _ => std::env::temp_dir().join(format!("nexus-{uid}")),
    };
    let _ = std::fs::DirBuilder::new().mode(0o700).create(&base);
    private(&base, uid).then_some(base)
}

fn private(dir: &Path, uid: u32) -> bool {
    std::fs::symlink_metadata(dir)
        .is_ok_and(|m| m.is_dir() && m.uid() == uid && m.mode() & 0o077 == 0)
}

fn open_lock(path: &Path) -> Option<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .ok()
}

fn try_lock(f: &File) -> bool {
    // SAFETY: flock on a descriptor `f` owns.
    unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

/// Run the relay of `url` until it has been idle for `idle`. With
/// `lock_on_stdin` the lock was taken by the command that started it;
/// else it is taken here, and a relay already running is an error.
pub fn serve(url: &str, name: &str, lock_on_stdin: bool, idle: Duration) -> Result<Duration> {
    let refuse = |why: &str| NexusError::invalid("store", name, why);
    let config: postgres::Config = url.parse().map_err(|_| refuse("not a valid URL"))?;
    let target = target(&config)
        .ok_or_else(|| refuse("a relay serves one host, one port and no required TLS"))?;
    let relay =
        Relay::for_url(url).ok_or_else(|| refuse("no private directory for the relay's socket"))?;
    let _lock = if lock_on_stdin {
        // The same open file as the lock the starter took: ours now.
        let stdin = std::io::stdin();
        let ours = |m: &std::fs::Metadata| {
            std::fs::symlink_metadata(&relay.lock)
                .is_ok_and(|l| l.dev() == m.dev() && l.ino() == m.ino())
        };
        let is_lock = std::fs::metadata("/dev/stdin").is_ok_and(|m| ours(&m));
        // SAFETY: flock on the standard input's descriptor, which we hold.
        let held = is_lock
            && unsafe { libc::flock(stdin.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 };
        if !held {
            return Err(refuse("started without its lock on the standard input"));
        }
        // Whatever else the starter's caller left open (a locked file, the
        // write end of a pipe) is not the relay's to keep.
        close_inherited();
        None
    } else {
        let f =
            open_lock(&relay.lock).ok_or_else(|| refuse("cannot open the relay's lock file"))?;
        if !try_lock(&f) {
            return Err(refuse("a relay for this store is already running"));
        }
        Some(f)
    };
    let _ = std::fs::DirBuilder::new().mode(0o700).create(&relay.dir);
    let socket = relay.socket();
    let _ = std::fs::remove_file(&socket);
    let listener =
        UnixListener::bind(&socket).map_err(|e| NexusError::io("binding", &socket, e))?;
    let _ = std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o600));
    listener
        .set_nonblocking(true)
        .map_err(|e| NexusError::io("binding", &socket, e))?;
    let dispatch = Arc::new(workers::Dispatch::default());
    let pending: workers::Pending = Arc::new(AtomicUsize::new(0));
    workers::start(connections(), &target, &dispatch, &pending);
    let started = Instant::now();
    let mut last = Instant::now();
    stop_on_signals();
    while !STOP.load(Ordering::Acquire) {
        while let Ok((client, _)) = listener.accept() {
            pending.fetch_add(1, Ordering::AcqRel);
            dispatch.give(client);
        }
        if pending.load(Ordering::Acquire) > 0 {
            last = Instant::now();
        } else if last.elapsed() >= idle {
            break;
        }
        wait_readable(&listener, Duration::from_millis(200));
    }
    let _ = std::fs::remove_file(&socket);
    let _ = std::fs::remove_dir(&relay.dir);
    Ok(started.elapsed())
}

/// Set by SIGTERM, SIGINT or SIGHUP: the relay stops taking commands and
/// removes its socket, as when idle.
static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_stop_signal(_: libc::c_int) {
    STOP.store(true, Ordering::Release);
}

/// Whether the relay stopped on a signal rather than idle.
pub fn interrupted() -> bool {
    STOP.load(Ordering::Acquire)
}

fn stop_on_signals() {
    for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
        // SAFETY: the handler only stores to an atomic, which is
        // async-signal-safe.
        unsafe { libc::signal(sig, on_stop_signal as *const () as libc::sighandler_t) };
    }
}

/// Close every descriptor above the standard three.
fn close_inherited() {
    let open: Vec<i32> = match std::fs::read_dir("/proc/self/fd") {
        Ok(dir) => dir
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
            .collect(),
        Err(_) => (3..1024).collect(),
    };
    for fd in open.into_iter().filter(|fd| *fd > 2) {
        // SAFETY: nothing in this process owns a descriptor above 2 yet:
        // these came from the parent.
        unsafe { libc::close(fd) };
    }
}

fn wait_readable(l: &UnixListener, within: Duration) {
    let mut fd = libc::pollfd {
        fd: l.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one initialised pollfd, as poll asks.
    unsafe { libc::poll(&mut fd, 1, within.as_millis() as i32) };
}
