//! The relay that keeps warm connections to a PostgreSQL store for the
//! commands of one machine: started by the first command, used by the
//! next ones, gone when idle, never in the way when it cannot help.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::pg_server::PgServer;
use crate::stores::On;

/// The relay sockets under a test's private runtime directory.
fn sockets(on: &On) -> Vec<PathBuf> {
    let base = on.env.runtime().join("nexus");
    let Ok(dirs) = std::fs::read_dir(&base) else {
        return Vec::new();
    };
    dirs.filter_map(|d| {
        let s = d.ok()?.path().join(".s.PGSQL.5432");
        s.exists().then_some(s)
    })
    .collect()
}

fn until(what: &str, within: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !done() {
        assert!(Instant::now() < deadline, "{what} within {within:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The server processes the relay of `on`'s database holds.
fn relay_backends(on: &On) -> BTreeSet<i32> {
    let url = on.store.as_deref().unwrap();
    let db = url.rsplit('/').next().unwrap();
    let admin = url.rsplit_once('/').unwrap().0.to_string() + "/postgres";
    let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    c.query(
        "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'nexus relay'",
        &[&db],
    )
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect()
}

fn claimed(on: &On, vars: &[(&str, &str)], what: &str) {
    let out = on.run(&["claim", "relay", what], vars);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("✅ SUCCESS: Claimed work item"), "{text}");
}

#[test]
fn pg_commands_go_through_one_relay_that_keeps_its_connections_and_leaves_when_idle() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let on = On::pg(server);
    let vars = [
        ("AGENT_ID", "agent_relay"),
        ("NEXUS_PG_RELAY_IDLE_MS", "1500"),
    ];
    claimed(&on, &vars, "first, straight");
    until(
        "the first command starts a relay",
        Duration::from_secs(10),
        || sockets(&on).len() == 1,
    );
    claimed(&on, &vars, "through the relay");
    let before = relay_backends(&on);
    assert!(!before.is_empty(), "the relay holds a server connection");
    for i in 0..20 {
        claimed(&on, &vars, &format!("one after another {i}"));
    }
    let after = relay_backends(&on);
    assert_eq!(
        after, before,
        "twenty commands one after another reused the relay's one connection"
    );
    let out = on.run(&["--json", "list"], &[]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 22, "every claim is stored");
    until("an idle relay leaves", Duration::from_secs(10), || {
        sockets(&on).is_empty() && relay_backends(&on).is_empty()
    });
    claimed(&on, &vars, "after it left, straight again");
}

#[test]
fn pg_with_the_relay_off_no_relay_starts() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let on = On::pg(server);
    let vars = [("AGENT_ID", "agent_off"), ("NEXUS_PG_RELAY", "off")];
    for i in 0..3 {
        claimed(&on, &vars, &format!("straight {i}"));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(sockets(&on).is_empty());
    assert!(relay_backends(&on).is_empty());
    let out = on.run(&["list"], &[("NEXUS_PG_RELAY", "sometimes")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("NEXUS_PG_RELAY") && err.contains("sometimes"),
        "{err}"
    );
}

#[test]
fn pg_a_relay_directory_that_is_not_private_is_not_used() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let on = On::pg(server);
    let runtime = on.env.runtime();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), runtime.join("nexus")).unwrap();
    let vars = [("AGENT_ID", "agent_link")];
    for i in 0..3 {
        claimed(&on, &vars, &format!("no relay {i}"));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        std::fs::read_dir(elsewhere.path()).unwrap().count(),
        0,
        "nothing is made through the symlink"
    );
    assert!(relay_backends(&on).is_empty());
}

#[test]
fn pg_a_relay_outlives_a_server_restart_and_a_second_one_is_refused() {
    // A server of its own: it is stopped in the middle.
    let Some(server) = PgServer::start_new() else {
        return;
    };
    let on = On::pg(&server);
    let vars = [
        ("AGENT_ID", "agent_restart"),
        ("NEXUS_PG_CONNECT_TIMEOUT_MS", "1500"),
    ];
    // A relay in the foreground, as a person would run it.
    let mut child = std::process::Command::new(crate::common::bin());
    child
        .args(["store", "relay"])
        .env("NEXUS_STORE", on.store.as_deref().unwrap())
        .env("XDG_RUNTIME_DIR", on.env.runtime())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = child.spawn().unwrap();
    until("the relay listens", Duration::from_secs(10), || {
        sockets(&on).len() == 1
    });
    claimed(&on, &vars, "before the restart");
    assert_eq!(relay_backends(&on).len(), 1);
    let second = on.run(&["store", "relay"], &[]);
    assert_eq!(second.status.code(), Some(1));
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("already running"), "{err}");

    // A connection unused for a while is asked whether the server answers.
    std::thread::sleep(Duration::from_millis(1200));
    claimed(&on, &vars, "after a pause");
    // The relay speaks for the URL's user and database only.
    let dir = sockets(&on)[0].parent().unwrap().to_path_buf();
    let other = postgres::Config::new()
        .host_path(&dir)
        .port(5432)
        .user("nexus")
        .dbname("postgres")
        .connect(postgres::NoTls)
        .err()
        .expect("refused");
    let said = other.as_db_error().map(|d| d.message().to_string());
    assert!(
        said.as_deref()
            .is_some_and(|m| m.contains("another user or database")),
        "{other:?}"
    );

    server.kill();
    let started = Instant::now();
    let down = on.run(&["claim", "relay", "while down"], &vars);
    assert_eq!(down.status.code(), Some(1));
    let err = String::from_utf8_lossy(&down.stderr);
    assert!(err.contains("cannot connect"), "{err}");
    assert!(
        started.elapsed() < Duration::from_millis(4000),
        "within the connect timeout"
    );
    server.start();
    claimed(&on, &vars, "after the restart");
    assert_eq!(relay_backends(&on).len(), 1, "the relay connected again");

    // Interrupted, it stops as when idle: its socket gone, its line said.
    // SAFETY: a plain signal to the relay this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(
        sockets(&on).is_empty(),
        "an interrupted relay removes its socket"
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("🔁 RELAY: postgres://***@")
            && said.contains("stopped after")
            && said.contains("interrupted"),
        "{said}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("serving this machine's commands"), "{err}");
    assert!(!said.contains(":nexus@") && !err.contains(":nexus@"));
    let list = on.run(&["--json", "list"], &[]);
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let stored: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["description"].as_str().unwrap())
        .collect();
    assert_eq!(
        stored,
        vec!["before the restart", "after a pause", "after the restart"]
    );
}

#[test]
fn pg_a_relay_keeps_none_of_its_starters_open_files() {
    let Some(server) = PgServer::shared() else {
        return;
    };
    let on = On::pg(server);
    // A pipe whose write end the command inherits, as a caller's `$(...)`
    // or a locked file would be.
    let (mut reader, writer) = std::io::pipe().unwrap();
    let fd = std::os::fd::AsRawFd::as_raw_fd(&writer);
    // SAFETY: clearing close-on-exec on a descriptor this test owns.
    assert_eq!(unsafe { libc::fcntl(fd, libc::F_SETFD, 0) }, 0);
    let vars = [
        ("AGENT_ID", "agent_fds"),
        ("NEXUS_PG_RELAY_IDLE_MS", "30000"),
    ];
    claimed(&on, &vars, "starts a relay");
    drop(writer);
    until("a relay listens", Duration::from_secs(10), || {
        sockets(&on).len() == 1
    });
    let started = Instant::now();
    let mut rest = Vec::new();
    std::io::Read::read_to_end(&mut reader, &mut rest).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the pipe ends when the command does, not when the relay does"
    );
    let pid = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|p| {
            std::fs::read(format!("/proc/{p}/environ")).is_ok_and(|env| {
                env.split(|b| *b == 0).any(|v| {
                    v == format!("NEXUS_STORE={}", on.store.as_deref().unwrap()).as_bytes()
                })
            }) && std::fs::read(format!("/proc/{p}/cmdline"))
                .is_ok_and(|c| c.windows(5).any(|w| w == b"relay"))
        })
        .expect("the relay process");
    let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap();
    assert!(
        !environ
            .split(|b| *b == 0)
            .any(|v| v.starts_with(b"AGENT_ID=")),
        "the relay keeps none of the caller's other variables"
    );
    // SAFETY: a plain signal to the relay this test started.
    unsafe { libc::kill(pid as i32, libc::SIGTERM) };
}

#[test]
fn pg_a_relay_signs_in_with_each_password_exchange() {
    // A server of its own: its sign-in rules change.
    let Some(server) = PgServer::start_new() else {
        return;
    };
    let url = server.new_db();
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .batch_execute(
            "CREATE ROLE scram_u LOGIN SUPERUSER PASSWORD 'scram pw';
             SET password_encryption = 'md5';
             CREATE ROLE md5_u LOGIN SUPERUSER PASSWORD 'md5 pw';
             CREATE ROLE clear_u LOGIN SUPERUSER PASSWORD 'clear pw';",
        )
        .unwrap();
    server.ask_passwords(&[
        "host all scram_u 127.0.0.1/32 scram-sha-256",
        "host all md5_u 127.0.0.1/32 md5",
        "host all clear_u 127.0.0.1/32 password",
    ]);
    let db = url.rsplit('/').next().unwrap();
    for (user, password) in [
        ("scram_u", "scram%20pw"),
        ("md5_u", "md5%20pw"),
        ("clear_u", "clear%20pw"),
    ] {
        let on = On {
            env: crate::common::Env::new(),
            store: Some(format!(
                "postgres://{user}:{password}@127.0.0.1:{}/{db}",
                server.port
            )),
        };
        let vars = [("AGENT_ID", "agent_pw")];
        claimed(&on, &vars, "straight");
        until("a relay listens", Duration::from_secs(10), || {
            sockets(&on).len() == 1
        });
        claimed(&on, &vars, "through the relay");
        let relays: i64 = admin
            .query_one(
                "SELECT count(*) FROM pg_stat_activity
                 WHERE usename = $1 AND application_name = 'nexus relay'",
                &[&user],
            )
            .unwrap()
            .get(0);
        assert_eq!(relays, 1, "{user}: the relay signed in");
    }
    let wrong = On {
        env: crate::common::Env::new(),
        store: Some(format!(
            "postgres://scram_u:wrong@127.0.0.1:{}/{db}",
            server.port
        )),
    };
    let out = wrong.run(&["list"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("password authentication failed"), "{err}");
    assert!(
        !err.contains("wrong"),
        "the password is never printed: {err}"
    );
}
