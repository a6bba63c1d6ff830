//! Who may call `nexus serve`: bearer tokens with a read or a write scope.
//!
//! Tokens are made by `nexus serve token create`, printed once, and kept
//! only as SHA-256 hashes in `api_tokens` in the coordination directory (one
//! `<scope> sha256:<hex> <created>` line each, mode 0600); `NEXUS_API_TOKEN`
//! adds one write token from the environment. A request proves itself with
//! `Authorization: Bearer <token>` (or the web pages' cookie); hashes are
//! compared in constant time.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{NexusError, Result};

/// The file of token hashes, in the coordination directory.
pub const TOKENS_FILE: &str = "api_tokens";

/// What a token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Read,
    Write,
}

impl Scope {
    pub fn parse(s: &str) -> Option<Scope> {
        match s {
            "read" => Some(Scope::Read),
            "write" => Some(Scope::Write),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
        }
    }
}

/// The tokens a server accepts, as hashes.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    hashes: Vec<(Scope, [u8; 32])>,
}

impl Tokens {
    /// The tokens of `dir`'s file and of `env_token` (NEXUS_API_TOKEN, a
    /// write token). A file that is not a regular file is refused.
    pub fn load(dir: &Path, env_token: Option<&str>) -> Result<Tokens> {
        let mut t = Tokens::default();
        let path = dir.join(TOKENS_FILE);
        crate::store::check_target(&path)?;
        if let Some(bytes) = crate::store::read_optional(&path)? {
            for line in String::from_utf8_lossy(&bytes).lines() {
                let mut parts = line.split_whitespace();
                let (Some(scope), Some(hash)) = (
                    parts.next().and_then(Scope::parse),
                    parts.next().and_then(|h| h.strip_prefix("sha256:")),
                ) else {
                    continue;
                };
                if let Some(h) = unhex(hash) {
                    t.hashes.push((scope, h));
                }
            }
        }
        if let Some(tok) = env_token.filter(|t| !t.is_empty()) {
            t.hashes.push((Scope::Write, hash(tok)));
        }
        Ok(t)
    }

    /// Whether no token is configured.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// The scope `token` carries, if it is one of these.
    pub fn scope_of(&self, token: &str) -> Option<Scope> {
        let h = hash(token);
        let mut best = None;
        for (scope, known) in &self.hashes {
            // Every hash is compared whole, whichever matches.
            if same(known, &h) {
                best = best.max(Some(*scope));
            }
        }
        best
    }
}

/// The tokens of a running server: the file is read again when it changes,
/// so a token made while the server runs works at once.
#[derive(Debug)]
pub struct TokenStore {
    dir: PathBuf,
    env_token: Option<String>,
    cached: std::sync::Mutex<(Option<(std::time::SystemTime, u64)>, Tokens)>,
}

impl TokenStore {
    pub fn open(dir: &Path, env_token: Option<String>) -> Result<TokenStore> {
        let tokens = Tokens::load(dir, env_token.as_deref())?;
        Ok(TokenStore {
            dir: dir.to_path_buf(),
            cached: std::sync::Mutex::new((stamp(dir), tokens)),
            env_token,
        })
    }

    /// The tokens now (re-read when the file changed).
    pub fn current(&self) -> Tokens {
        let mut c = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        let now = stamp(&self.dir);
        if now != c.0
            && let Ok(t) = Tokens::load(&self.dir, self.env_token.as_deref())
        {
            *c = (now, t);
        }
        c.1.clone()
    }
}

fn stamp(dir: &Path) -> Option<(std::time::SystemTime, u64)> {
    let m = std::fs::symlink_metadata(dir.join(TOKENS_FILE)).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// A new token of `scope`: its hash is added to `dir`'s file, the token is
/// returned to be printed once.
pub fn create(dir: &Path, scope: Scope, now: &str) -> Result<String> {
    let mut raw = [0u8; 32];
    crate::telemetry::trace::os_random(&mut raw)
        .map_err(|e| NexusError::io("make a token for", dir, e))?;
    let token = format!("nxs_{}", hex(&raw));
    let path: PathBuf = dir.join(TOKENS_FILE);
    crate::store::check_target(&path)?;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode_private()
        .open(&path)
        .map_err(|e| NexusError::io("open", &path, e))?;
    writeln!(f, "{} sha256:{} {now}", scope.name(), hex(&hash(&token)))
        .and_then(|()| f.sync_all())
        .map_err(|e| NexusError::io("write", &path, e))?;
    Ok(token)
}

trait Private {
    fn mode_private(&mut self) -> &mut Self;
}

impl Private for std::fs::OpenOptions {
    fn mode_private(&mut self) -> &mut Self {
        use std::os::unix::fs::OpenOptionsExt;
        self.mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
    }
}

fn hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Equal in constant time.
fn same(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_created_token_is_stored_hashed_and_carries_its_scope() {
        let tmp = tempfile::tempdir().unwrap();
        let w = create(tmp.path(), Scope::Write, "t0").unwrap();
        let r = create(tmp.path(), Scope::Read, "t1").unwrap();
        let file = std::fs::read_to_string(tmp.path().join(TOKENS_FILE)).unwrap();
        assert!(!file.contains(&w) && !file.contains(&r), "{file}");
        let t = Tokens::load(tmp.path(), Some("env-secret")).unwrap();
        assert_eq!(t.scope_of(&w), Some(Scope::Write));
        assert_eq!(t.scope_of(&r), Some(Scope::Read));
        assert_eq!(t.scope_of("env-secret"), Some(Scope::Write));
        assert_eq!(t.scope_of("nxs_guess"), None);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(tmp.path().join(TOKENS_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(
            Tokens::load(tmp.path().join("none").as_path(), None)
                .unwrap()
                .is_empty()
        );
    }
}
