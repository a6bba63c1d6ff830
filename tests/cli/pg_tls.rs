//! PostgreSQL over TLS: a real server started with `ssl = on`, a certificate
//! for `localhost` issued by a throwaway CA, and `pg_hba.conf` letting the
//! test databases in over TLS only, so a connection that succeeds was
//! encrypted. Each `sslmode` is driven through `nexus` itself.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::common::bin;
use crate::pg_server::PgServer;

/// The TLS server, its CA's certificate and the directory holding it.
struct Tls {
    server: PgServer,
    ca: PathBuf,
    _certs: tempfile::TempDir,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA and a server certificate for `localhost` only (no IP address).
fn certificates(dir: &Path) {
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
    let ca = [
        &["req", "-x509", "-nodes", "-days", "2"][..],
        &ec,
        &[
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-subj",
            "/CN=nexus test CA",
        ],
        &["-addext", "basicConstraints=critical,CA:TRUE"],
        &["-addext", "keyUsage=critical,keyCertSign,cRLSign"],
    ]
    .concat();
    openssl(dir, &ca);
    let csr = [
        &["req", "-nodes"][..],
        &ec,
        &["-keyout", "server.key", "-out", "server.csr"],
        &["-subj", "/CN=localhost"],
    ]
    .concat();
    openssl(dir, &csr);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n\
         keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-out",
            "server.crt",
            "-extfile",
            "ext.cnf",
        ],
    );
}

/// The server every test here shares; `None` (skipped) without PostgreSQL.
fn tls() -> Option<&'static Tls> {
    static TLS: OnceLock<Option<Tls>> = OnceLock::new();
    TLS.get_or_init(|| {
        let certs = tempfile::tempdir().unwrap();
        certificates(certs.path());
        let server = PgServer::start_configured(|data| {
            for name in ["server.crt", "server.key"] {
                std::fs::copy(certs.path().join(name), data.join(name)).unwrap();
                PgServer::own(&data.join(name));
            }
            // Test databases over TLS only; the `postgres` database also in
            // plaintext, for the harness to create them.
            std::fs::write(
                data.join("pg_hba.conf"),
                "local all all trust\n\
                 hostssl all all 127.0.0.1/32 trust\n\
                 hostnossl postgres all 127.0.0.1/32 trust\n",
            )
            .unwrap();
            "-c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key".into()
        })?;
        Some(Tls {
            server,
            ca: certs.path().join("ca.pem"),
            _certs: certs,
        })
    })
    .as_ref()
}

/// `nexus args` against `store`, in a directory of its own.
fn nexus(store: &str, args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(bin())
        .args(args)
        .current_dir(home.path())
        .env("COORDINATION_DIR", home.path().join("coordination"))
        .env("NEXUS_STORE", store)
        .env("AGENT_ID", "agent_tls")
        .env("NEXUS_PG_CONNECT_TIMEOUT_MS", "5000")
        .output()
        .unwrap()
}

/// A new database on the TLS server, reached through `host` with `query`.
fn store(tls: &Tls, host: &str, query: &str) -> String {
    let url = tls.server.new_db();
    let db = url.rsplit('/').next().unwrap();
    let port = tls.server.port;
    let sep = if query.is_empty() { "" } else { "&" };
    format!("postgres://nexus:S3CRET@{host}:{port}/{db}?hostaddr=127.0.0.1{sep}{query}")
}

/// A store on the TLS server under `mode`, trusting another throwaway CA
/// than the one that issued the server's certificate.
fn with_other_ca(tls: &Tls, mode: &str) -> String {
    static OTHER: OnceLock<tempfile::TempDir> = OnceLock::new();
    let other = OTHER.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        certificates(dir.path());
        dir
    });
    let ca = other.path().join("ca.pem");
    let query = format!("sslmode={mode}&sslrootcert={}", ca.display());
    store(tls, "localhost", &query)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A claim works through `store`, and its item is there to list.
fn claims(store: &str) {
    let out = nexus(store, &["claim", "tls", "over TLS", "high"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list = nexus(store, &["--json", "list"]);
    assert!(String::from_utf8_lossy(&list.stdout).contains("over TLS"));
}

/// Refused at connection, with `why` in the one-line error, nothing stored.
fn refused(store: &str, why: &str) {
    let out = nexus(store, &["claim", "tls", "must not land", "high"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "connected: {err}");
    assert!(err.contains(why), "expected {why:?} in: {err}");
    assert!(!err.contains("S3CRET"), "the password is printed: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}

#[test]
fn verify_full_connects_to_the_name_the_certificate_is_for() {
    let Some(tls) = tls() else { return };
    let ca = tls.ca.display();
    claims(&store(
        tls,
        "localhost",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    ));
}

#[test]
fn verify_full_refuses_a_host_name_the_certificate_is_not_for() {
    let Some(tls) = tls() else { return };
    let ca = tls.ca.display();
    let url = store(
        tls,
        "127.0.0.1",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    );
    refused(&url, "not valid for name");
    // verify-ca checks the chain only, so the same address is accepted.
    claims(&url.replace("verify-full", "verify-ca"));
}

#[test]
fn a_certificate_from_an_untrusted_ca_is_refused() {
    let Some(tls) = tls() else { return };
    // The system roots (no sslrootcert) do not hold the throwaway CA.
    refused(
        &store(tls, "localhost", "sslmode=verify-full"),
        "not issued by a trusted root: name its CA with sslrootcert=PATH",
    );
    refused(&with_other_ca(tls, "verify-ca"), "invalid peer certificate");
}

#[test]
fn prefer_and_require_encrypt_without_checking_unless_given_roots() {
    let Some(tls) = tls() else { return };
    // The test databases take TLS only: these connected encrypted.
    claims(&store(tls, "127.0.0.1", ""));
    claims(&store(tls, "127.0.0.1", "sslmode=require"));
    // With roots given, require checks the chain as libpq does.
    refused(&with_other_ca(tls, "require"), "invalid peer certificate");
    // disable never tries TLS, so the server turns it away.
    refused(&store(tls, "127.0.0.1", "sslmode=disable"), "no encryption");
}

#[test]
fn require_never_falls_back_to_plaintext() {
    let Some(plain) = PgServer::shared() else {
        return;
    };
    let url = format!("{}?sslmode=require", plain.new_db());
    refused(&url, "server does not support TLS (sslmode=require");
    // prefer does fall back, as libpq's default does.
    let url = url.replace("require", "prefer");
    claims(&url);
}

#[test]
fn bad_tls_settings_are_named_before_any_connection() {
    let bad = [
        ("sslmode=verify", "sslmode verify: expected disable"),
        (
            "sslmode=verify-full&sslrootcert=/nonexistent/ca.pem",
            "sslrootcert /nonexistent/ca.pem",
        ),
        ("sslrootcert=", "sslrootcert: expected a file path"),
    ];
    for (query, why) in bad {
        let url = format!("postgres://u:S3CRET@127.0.0.1:1/d?{query}");
        let out = nexus(&url, &["claim", "tls", "x", "high"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{query}: {err}");
        assert!(err.contains("127.0.0.1:1/d"), "{query}: {err}");
        assert!(err.contains(why), "{query}: {err}");
        assert!(!err.contains("S3CRET"), "{err}");
    }
}
