//! A real PostgreSQL server for the tests: Debian's binaries, a throwaway data
//! directory, a free port on 127.0.0.1. One server serves the whole test run
//! (each test gets a database of its own); it is stopped when the test binary
//! exits, also after a panicking test. Without the server binaries the tests
//! that need it print a line and skip, unless CI or NEXUS_REQUIRE_PG is set.
//!
//! The server runs with `fsync=off`, as throwaway test servers do: a commit
//! still writes its WAL to the kernel before it returns, so stopping the
//! server with `-m immediate` (a crash of PostgreSQL, not of the machine)
//! loses nothing that was committed.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use tempfile::TempDir;

/// A running server.
pub struct PgServer {
    bin: PathBuf,
    data: PathBuf,
    pub port: u16,
    /// Whether commits reach the disk (`fsync=on`), as in production.
    durable: bool,
    /// More server settings (`-c key=value ...`).
    extra: String,
    _tmp: TempDir,
}

static SHARED: OnceLock<Option<PgServer>> = OnceLock::new();
/// Data directories to stop at exit.
static RUNNING: Mutex<Vec<(PathBuf, PathBuf)>> = Mutex::new(Vec::new());
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

/// Say that tests needing `package` are skipped, straight to the terminal
/// (the harness hides what tests print); under CI or NEXUS_REQUIRE_PG, fail.
pub fn skip(why: &str, package: &str) {
    let required =
        std::env::var_os("CI").is_some() || std::env::var_os("NEXUS_REQUIRE_PG").is_some();
    assert!(
        !required,
        "{why}: {package} is missing (apt-get install {package})"
    );
    let line = format!("SKIPPED: {why} (apt-get install {package})\n");
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
}

pub fn as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// `program args` as the `postgres` user when running as root (initdb refuses root).
fn pg_command(program: &Path) -> Command {
    if as_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

/// The directory of initdb and pg_ctl, newest version first.
fn binaries() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").exists() && b.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions.pop()
}

extern "C" fn stop_all() {
    if let Ok(list) = RUNNING.lock() {
        for (bin, data) in list.iter() {
            let _ = pg_command(&bin.join("pg_ctl"))
                .args(["stop", "-m", "immediate", "-D"])
                .arg(data)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            if let Some(tmp) = data.parent() {
                let _ = std::fs::remove_dir_all(tmp);
            }
        }
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let _ = pg_command(&self.bin.join("pg_ctl"))
            .args(["stop", "-m", "immediate", "-D"])
            .arg(&self.data)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if let Ok(mut running) = RUNNING.lock() {
            running.retain(|(_, d)| d != &self.data);
        }
    }
}

impl PgServer {
    /// Start a new server (not the shared one).
    pub fn start_new() -> Option<PgServer> {
        PgServer::start_with(false, |_| String::new())
    }

    /// Start a new server configured by `setup`, which is given the data
    /// directory (initialised, owned by the server's user) and returns
    /// more `-c key=value` options.
    #[allow(dead_code)]
    pub fn start_configured(setup: impl FnOnce(&Path) -> String) -> Option<PgServer> {
        PgServer::start_with(false, setup)
    }

    /// Give `path` (in the data directory) to the server's user, readable by
    /// it alone, as the server wants its key.
    #[allow(dead_code)]
    pub fn own(path: &Path) {
        let mut perm = std::fs::metadata(path).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o600);
        std::fs::set_permissions(path, perm).unwrap();
        if as_root() {
            let owned = Command::new("chown").arg("postgres:").arg(path).status();
            assert!(owned.unwrap().success(), "cannot give {}", path.display());
        }
    }

    /// Start a new server whose commits reach the disk, for measurements
    /// (the benchmark's; the tests need no durability).
    #[allow(dead_code)]
    pub fn start_durable() -> Option<PgServer> {
        PgServer::start_with(true, |_| String::new())
    }

    fn start_with(durable: bool, setup: impl FnOnce(&Path) -> String) -> Option<PgServer> {
        let Some(bin) = binaries() else {
            skip("PostgreSQL tests need the server binaries", "postgresql");
            return None;
        };
        let tmp = tempfile::Builder::new()
            .prefix("nexus-pg")
            .tempdir()
            .unwrap();
        // The server user must reach its data directory through the temp dir.
        let mut perm = std::fs::metadata(tmp.path()).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o711);
        std::fs::set_permissions(tmp.path(), perm).unwrap();
        let data = tmp.path().join("data");
        std::fs::create_dir(&data).unwrap();
        let mut perm = std::fs::metadata(&data).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o700);
        std::fs::set_permissions(&data, perm).unwrap();
        if as_root() {
            let owned = Command::new("chown")
                .arg("postgres:")
                .arg(&data)
                .status()
                .unwrap();
            assert!(
                owned.success(),
                "cannot give {} to postgres",
                data.display()
            );
        }
        let init = pg_command(&bin.join("initdb"))
            .args([
                "-U",
                "nexus",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(&data)
            .output()
            .unwrap();
        assert!(
            init.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&init.stderr)
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let extra = setup(&data);
        let server = PgServer {
            bin,
            data,
            port,
            durable,
            extra,
            _tmp: tmp,
        };
        let mut running = RUNNING.lock().unwrap();
        if running.is_empty() {
            // SAFETY: registers a plain function without captured state.
            unsafe { libc::atexit(stop_all) };
        }
        running.push((server.bin.clone(), server.data.clone()));
        drop(running);
        server.start();
        Some(server)
    }

    /// The server every test shares (started on first use).
    pub fn shared() -> Option<&'static PgServer> {
        SHARED.get_or_init(PgServer::start_new).as_ref()
    }

    /// Start (or restart) the server and wait until it accepts connections.
    pub fn start(&self) {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=32MB -c fsync={} {}",
            self.port,
            self.data.display(),
            if self.durable { "on" } else { "off" },
            self.extra
        );
        let out = pg_command(&self.bin.join("pg_ctl"))
            .args(["start", "-w", "-t", "60", "-D"])
            .arg(&self.data)
            .args(["-l"])
            .arg(self.data.join("server.log"))
            .args(["-o", &opts])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_ctl start failed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }

    /// Stop the server at once, as a crash would (`-m immediate`).
    pub fn kill(&self) {
        let out = pg_command(&self.bin.join("pg_ctl"))
            .args(["stop", "-m", "immediate", "-D"])
            .arg(&self.data)
            .output()
            .unwrap();
        assert!(out.status.success(), "pg_ctl stop failed");
    }

    /// A URL on database `db`.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://nexus@127.0.0.1:{}/{db}", self.port)
    }

    /// A new empty database; returns its URL.
    pub fn new_db(&self) -> String {
        let name = format!(
            "t{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::SeqCst)
        );
        let mut c = postgres::Client::connect(&self.url("postgres"), postgres::NoTls).unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        self.url(&name)
    }
}
