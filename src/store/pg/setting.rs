//! The store setting: a `postgres://` URL read by the PostgreSQL client's own
//! parser, with the two TLS keys libpq knows and that parser does not
//! (`sslmode=verify-ca|verify-full`, `sslrootcert`) taken out first, and the
//! form in which the setting may be shown (password masked).

use std::path::PathBuf;

use postgres::config::{Host, SslMode};

/// How a connection is protected, as libpq's `sslmode` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Plaintext only.
    Disable,
    /// TLS when the server offers it, else plaintext (libpq's default;
    /// `allow` is read as this, which never protects less).
    Prefer,
    /// TLS or no connection; the certificate is checked only against an
    /// `sslrootcert` given (as libpq does when a root file is present).
    Require,
    /// TLS with a certificate that chains to a trusted root.
    VerifyCa,
    /// As `verify-ca`, and the certificate names the host connected to.
    VerifyFull,
}

impl Mode {
    /// The mode as `sslmode` names it.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Disable => "disable",
            Mode::Prefer => "prefer",
            Mode::Require => "require",
            Mode::VerifyCa => "verify-ca",
            Mode::VerifyFull => "verify-full",
        }
    }
}

/// The roots a server certificate is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Roots {
    /// The system's trusted roots (`sslrootcert=system`, or none given).
    System,
    /// The certificates in a PEM file.
    File(PathBuf),
}

/// A parsed store setting.
#[derive(Debug, Clone)]
pub struct Setting {
    pub config: postgres::Config,
    pub mode: Mode,
    /// `sslrootcert`, when given.
    pub root: Option<Roots>,
}

/// Parse a store setting; the error names what is wrong, never the setting
/// (it may hold a password).
pub fn parse(setting: &str) -> Result<Setting, String> {
    let (mut config, tls) = split(setting)?;
    let mut mode = Mode::Prefer;
    let mut root = None;
    for (key, value) in tls {
        match key.as_str() {
            "sslmode" => mode = mode_of(&value)?,
            _ => {
                root = Some(match value.as_str() {
                    "" => return Err("sslrootcert: expected a file path or `system`".into()),
                    "system" => Roots::System,
                    path => Roots::File(PathBuf::from(path)),
                })
            }
        }
    }
    config.ssl_mode(match mode {
        Mode::Disable => SslMode::Disable,
        Mode::Prefer => SslMode::Prefer,
        Mode::Require | Mode::VerifyCa | Mode::VerifyFull => SslMode::Require,
    });
    Ok(Setting { config, mode, root })
}

/// The setting without its TLS keys, read by the client's parser, and the
/// TLS keys with their decoded values, in order.
fn split(setting: &str) -> Result<(postgres::Config, Vec<(String, String)>), String> {
    let (base, query) = split_query(setting);
    let mut tls = Vec::new();
    let mut rest = Vec::new();
    for pair in query.into_iter().flat_map(|q| q.split('&')) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match decode(key).as_str() {
            key @ ("sslmode" | "sslrootcert") => tls.push((key.to_string(), decode(value))),
            _ => rest.push(pair),
        }
    }
    let mut plain = base.to_string();
    if !rest.is_empty() {
        plain.push('?');
        plain.push_str(&rest.join("&"));
    }
    let config = plain
        .parse()
        .map_err(|e: postgres::Error| crate::text::line(&crate::text::causes(&e)).into_owned())?;
    Ok((config, tls))
}

fn mode_of(value: &str) -> Result<Mode, String> {
    Ok(match value {
        "disable" => Mode::Disable,
        "allow" | "prefer" => Mode::Prefer,
        "require" => Mode::Require,
        "verify-ca" => Mode::VerifyCa,
        "verify-full" => Mode::VerifyFull,
        other => {
            return Err(format!(
                "sslmode {}: expected disable, prefer, require, verify-ca or verify-full",
                crate::text::escape_controls(other)
            ));
        }
    })
}

/// The setting before its query and the query, found as the client's
/// parser finds them: the credentials run to the first `@`, the query
/// starts at the first `?` after them.
fn split_query(setting: &str) -> (&str, Option<&str>) {
    let after_scheme = setting.find("://").map_or(0, |i| i + 3);
    let hosts = after_scheme + setting[after_scheme..].find('@').map_or(0, |i| i + 1);
    match setting[hosts..].find('?') {
        Some(q) => (&setting[..hosts + q], Some(&setting[hosts + q + 1..])),
        None => (setting, None),
    }
}

/// Percent-decoding, as the client's parser does (bad escapes kept as they are).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A store setting as it may be shown: printed from what the parser read,
/// as a URL with the userinfo masked; a setting the parser refuses is
/// masked whole, since nobody can tell which part is the secret.
pub fn shown(setting: &str) -> String {
    let Ok((config, _)) = split(setting) else {
        return "*** (a store setting that does not parse)".to_string();
    };
    let mut out = String::from("postgres://");
    // The userinfo is masked whole, as in every other URL shown.
    if config.get_user().is_some() || config.get_password().is_some() {
        out.push_str("***@");
    }
    let ports = config.get_ports();
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let host = match h {
                Host::Tcp(name) => name.clone(),
                Host::Unix(path) => path.display().to_string().replace('/', "%2F"),
            };
            match ports.get(i).or(ports.first()) {
                Some(p) => format!("{host}:{p}"),
                None => host,
            }
        })
        .collect();
    out.push_str(&crate::text::escape_controls(&hosts.join(",")));
    if let Some(db) = config.get_dbname() {
        out.push('/');
        out.push_str(&crate::text::escape_controls(db));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tls_keys_are_read_and_the_rest_goes_to_the_client_parser() {
        let s = parse(
            "postgres://u:p@h:5433/db?sslmode=verify-full&sslrootcert=%2Fca.pem&application_name=x",
        )
        .unwrap();
        assert_eq!(s.mode, Mode::VerifyFull);
        assert_eq!(s.root, Some(Roots::File("/ca.pem".into())));
        assert_eq!(s.config.get_ssl_mode(), SslMode::Require);
        assert_eq!(s.config.get_application_name(), Some("x"));
        assert_eq!(s.config.get_password(), Some(&b"p"[..]));
        let s = parse("postgresql://h/db").unwrap();
        assert_eq!((s.mode, s.root), (Mode::Prefer, None));
        assert_eq!(s.config.get_ssl_mode(), SslMode::Prefer);
        let s = parse("postgres://h/db?sslmode=disable&sslrootcert=system").unwrap();
        assert_eq!((s.mode, s.root), (Mode::Disable, Some(Roots::System)));
        assert_eq!(s.config.get_ssl_mode(), SslMode::Disable);
    }

    #[test]
    fn a_question_mark_in_the_password_is_not_the_query() {
        let s = parse("postgres://u:pa?ss@h/db?sslmode=require").unwrap();
        assert_eq!(s.mode, Mode::Require);
        assert_eq!(s.config.get_password(), Some(&b"pa?ss"[..]));
    }

    #[test]
    fn a_bad_mode_is_named_and_nothing_else_is() {
        let e = parse("postgres://u:SECRET@h/db?sslmode=verify").unwrap_err();
        assert!(e.contains("sslmode verify: expected"), "{e}");
        assert!(!e.contains("SECRET"));
        assert!(parse("postgres://h/db?sslrootcert=").is_err());
    }

    #[test]
    fn store_settings_show_what_the_client_parsed_never_the_password() {
        assert_eq!(
            shown("postgres://u:SECRET@db.example:5433/nexus"),
            "postgres://***@db.example:5433/nexus"
        );
        assert_eq!(
            shown("host=h port=5432 user=u password=SECRET dbname=d"),
            "postgres://***@h:5432/d"
        );
        for bad in [
            "postgres:/u:SECRET@h/d",
            "postgres//u:SECRET@h/d",
            "postgres://u:SE/CRET@h/d",
            "password='SECRET",
        ] {
            let shown = shown(bad);
            assert!(
                !shown.contains("SECRET") && !shown.contains("CRET"),
                "{bad}: {shown}"
            );
        }
    }

    #[test]
    fn shown_masks_the_userinfo_and_not_the_tls_keys() {
        assert_eq!(
            shown("postgres://u:p%2Fw@h:5433/db?sslmode=verify-full&sslrootcert=/ca.pem"),
            "postgres://***@h:5433/db"
        );
    }
}
