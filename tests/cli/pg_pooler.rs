//! A connection pooler (PgBouncer, Debian's `pgbouncer` package) in
//! transaction mode in front of a test server, on a free port on 127.0.0.1:
//! what a fleet puts between its agents and PostgreSQL so that each short
//! nexus process does not pay for a new server backend. Without the binary
//! the tests that need it print a line and skip, unless CI or
//! NEXUS_REQUIRE_PG is set.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use super::pg_server::{as_root, skip};

/// A running pooler, stopped when dropped.
pub struct Pooler {
    pub port: u16,
    tmp: TempDir,
}

impl Drop for Pooler {
    fn drop(&mut self) {
        let pid = std::fs::read_to_string(self.tmp.path().join("pgbouncer.pid"));
        if let Some(pid) = pid.ok().and_then(|p| p.trim().parse::<i32>().ok()) {
            // SAFETY: a plain signal to the daemon this pooler started.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
    }
}

const BINARY: &str = "/usr/sbin/pgbouncer";

impl Pooler {
    /// A pooler in transaction mode for user `user` in front of the server
    /// on 127.0.0.1:`server_port` (every database by its own name).
    pub fn start(server_port: u16, user: &str) -> Option<Pooler> {
        if !Path::new(BINARY).exists() {
            skip("the pooled PostgreSQL tests need pgbouncer", "pgbouncer");
            return None;
        }
        let tmp = tempfile::Builder::new()
            .prefix("nexus-pooler")
            .tempdir()
            .unwrap();
        // pgbouncer refuses to run as root: it runs as the postgres user,
        // which owns the directory of its files.
        if as_root() {
            let owned = Command::new("chown")
                .arg("postgres:")
                .arg(tmp.path())
                .status()
                .unwrap();
            assert!(
                owned.success(),
                "cannot give {} to postgres",
                tmp.path().display()
            );
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tmp.path();
        std::fs::write(dir.join("users.txt"), format!("\"{user}\" \"\"\n")).unwrap();
        let ini = format!(
            "[databases]\n* = host=127.0.0.1 port={server_port}\n\
             [pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n\
             auth_type = trust\nauth_file = {users}\npool_mode = transaction\n\
             max_client_conn = 500\ndefault_pool_size = 16\nlogfile = {log}\npidfile = {pid}\n",
            users = dir.join("users.txt").display(),
            log = dir.join("pgbouncer.log").display(),
            pid = dir.join("pgbouncer.pid").display(),
        );
        std::fs::write(dir.join("pgbouncer.ini"), ini).unwrap();
        let mut command = if as_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", BINARY]);
            c
        } else {
            Command::new(BINARY)
        };
        let started = command
            .arg("-d")
            .arg(dir.join("pgbouncer.ini"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert!(
            started.status.success(),
            "pgbouncer failed: {}",
            String::from_utf8_lossy(&started.stderr)
        );
        let pooler = Pooler { port, tmp };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "pgbouncer did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(pooler)
    }

    /// `url` (of the server behind) through this pooler.
    pub fn url(&self, url: &str) -> String {
        let (head, tail) = url.rsplit_once('/').expect("a URL with a database");
        let host = head.rsplit_once(':').map_or(head, |(h, _)| h);
        format!("{host}:{}/{tail}", self.port)
    }
}
