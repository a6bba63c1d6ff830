//! Test environment: a temp coordination directory and a command builder.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/legacy")
}

/// The file store of the coordination directory `dir`.
pub fn file_store(dir: &Path) -> nexus::store::AnyStore {
    let wait = std::time::Duration::from_millis(nexus::store::DEFAULT_LOCK_TIMEOUT_MS);
    nexus::store::AnyStore::open(&nexus::store::StoreChoice::Files, dir, wait)
}

pub fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("nexus")
}

pub struct Env {
    pub tmp: TempDir,
}

impl Env {
    /// An empty coordination directory (not yet created).
    pub fn new() -> Env {
        Env {
            tmp: tempfile::tempdir().unwrap(),
        }
    }

    /// An existing, empty coordination directory.
    pub fn empty() -> Env {
        let env = Env::new();
        fs::create_dir_all(env.dir()).unwrap();
        env
    }

    /// A coordination directory holding the legacy fixtures.
    pub fn with_fixtures() -> Env {
        let env = Env::new();
        fs::create_dir_all(env.dir()).unwrap();
        for f in fs::read_dir(fixtures()).unwrap() {
            let f = f.unwrap();
            fs::copy(f.path(), env.dir().join(f.file_name())).unwrap();
        }
        env
    }

    pub fn dir(&self) -> PathBuf {
        self.tmp.path().join("coordination")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir().join(name)
    }

    /// `nexus` with COORDINATION_DIR pointing here and a clean environment.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(bin());
        // Every variable nexus reads, so that none exported by the developer
        // changes a result (PATH aside: the tests that need it set it).
        for v in nexus::config::vars::VARIABLES
            .iter()
            .filter(|v| v.name != "PATH")
        {
            c.env_remove(v.name);
        }
        // A `claude` CLI on the PATH would be picked by `auto`: tests choose explicitly.
        c.env("COORDINATION_DIR", self.dir())
            .env("NEXUS_AI_PROVIDER", "offline")
            .current_dir(self.tmp.path());
        c
    }

    /// Run nexus with args, expecting success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        succeeded(&self.cmd().args(args).output().unwrap())
    }

    pub fn read(&self, name: &str) -> String {
        fs::read_to_string(self.path(name)).unwrap()
    }

    pub fn json(&self, name: &str) -> Value {
        serde_json::from_str(&self.read(name)).unwrap()
    }

    /// Every file of the directory with its bytes (to assert nothing changed).
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut m = BTreeMap::new();
        if let Ok(entries) = fs::read_dir(self.dir()) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if e.path().is_file() && !name.starts_with(".nexus") {
                    m.insert(name, fs::read(e.path()).unwrap());
                }
            }
        }
        m
    }

    /// Claim and return the new id, extracted the way legacy callers do.
    pub fn claim(&self, args: &[&str]) -> String {
        let mut all = vec!["claim"];
        all.extend_from_slice(args);
        first_work_id(&self.ok(&all))
    }
}

/// The stdout of a run that must have succeeded (its stderr shown if not).
pub fn succeeded(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "nexus failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The first `work_[0-9]+` in a text, as caller scripts extract it.
pub fn first_work_id(text: &str) -> String {
    let start = text.find("work_").expect("no work id in output");
    let digits: String = text[start + 5..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    assert!(!digits.is_empty(), "no digits after work_ in {text}");
    format!("work_{digits}")
}

/// Keys of a JSON object, in order.
pub fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

/// The spans file parsed line by line (every line must be valid JSON).
pub fn span_lines(env: &Env) -> Vec<Value> {
    env.read("telemetry_spans.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad span line {l}: {e}")))
        .collect()
}

/// The coverage run's variables (its profile path), for a child started with
/// a cleared environment: a child that loses them writes its profile where
/// the report never looks.
pub fn coverage_env() -> Vec<(String, String)> {
    std::env::vars()
        .filter(|(k, _)| k.starts_with("LLVM_PROFILE") || k.starts_with("CARGO_LLVM_COV"))
        .collect()
}
