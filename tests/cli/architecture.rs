//! The layers of the library, checked on its source: every `crate::` path
//! (and a top-level module's `super::`) outside tests must point to a module
//! of a lower layer. Equal ranks may not use each other, so no cycle between
//! top-level modules can form. A new top-level module must be placed here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level modules by layer, bottom first.
const LAYERS: &[(&str, &[&str])] = &[
    ("leaves", &["text", "par", "hook"]),
    ("redaction", &["redact"]),
    ("the HTTP client builder", &["http"]),
    ("the n8n client", &["n8n"]),
    ("errors", &["error"]),
    (
        "domain words and clients",
        &["input", "mode", "outcome", "model", "telemetry"],
    ),
    ("records", &["records"]),
    ("store", &["store"]),
    ("ops", &["ops"]),
    ("settings", &["config"]),
    ("reports", &["report"]),
    ("analyses", &["ai"]),
    ("terminal dashboard", &["tui"]),
    ("runner and effects", &["app"]),
    ("the command table", &["commands"]),
    ("MCP on stdio", &["mcp"]),
    (
        "the web pages, which the service mounts and reads the command table through",
        &["web"],
    ),
    ("the service, which carries MCP over HTTP", &["serve"]),
    ("the command line", &["cli"]),
];

/// The places above the store that may still ask which store is in use,
/// each with why.
const STORE_KIND_ALLOWED: &[(&str, &str)] = &[
    (
        "app/store_cmd.rs",
        "`nexus store` manages the PostgreSQL store itself",
    ),
    (
        "app/doctor.rs",
        "doctor examines the files or the server it is given",
    ),
];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, ms)| ms.contains(&module))
}

/// Each top-level module's uses of the others: (user, used) -> a place.
fn uses(src: &Path) -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    for path in rust_files(src) {
        let rel = path
            .strip_prefix(src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        // Test modules (`*_tests.rs`) may drive a layer through those above.
        if rel == "main.rs" || rel == "lib.rs" || rel.ends_with("_tests.rs") {
            continue;
        }
        let parts: Vec<&str> = rel.split('/').collect();
        let top = parts[0].trim_end_matches(".rs").to_string();
        let top_file = parts.len() == 1 || (parts.len() == 2 && parts[1] == "mod.rs");
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.starts_with("#[cfg(test)]") {
                break;
            }
            if line.starts_with("//") {
                continue;
            }
            let mut found = named_after(line, "crate::");
            if top_file {
                found.extend(named_after(line, "super::"));
            }
            for used in found {
                if used != top {
                    out.entry((top.clone(), used))
                        .or_insert_with(|| format!("src/{rel}:{}", n + 1));
                }
            }
        }
    }
    out
}

/// The module names that follow `prefix` in `line`.
fn named_after(line: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().last();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
            .collect();
        if !name.is_empty() {
            names.push(name);
        }
    }
    names
}

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

fn src() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn every_import_goes_down_the_layers() {
    let mut wrong = Vec::new();
    let mut modules = BTreeSet::new();
    for ((user, used), place) in uses(&src()) {
        modules.insert(user.clone());
        match (rank(&user), rank(&used)) {
            (Some(a), Some(b)) if b < a => {}
            (None, _) => wrong.push(format!("{place}: module {user} is in no layer")),
            (_, None) => wrong.push(format!("{place}: module {used} is in no layer")),
            (Some(a), Some(b)) => wrong.push(format!(
                "{place}: {user} ({}) uses {used} ({}), {}",
                LAYERS[a].0,
                LAYERS[b].0,
                if a == b {
                    "a module beside it"
                } else {
                    "a layer above it"
                }
            )),
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
    assert!(modules.len() > 15, "too few modules read: {modules:?}");
}

#[test]
fn the_layer_check_sees_a_wrong_import() {
    assert_eq!(named_after("use crate::cli::Command;", "crate::"), ["cli"]);
    assert_eq!(
        named_after("x(crate::store::a, super::ops::b, nocrate::z)", "super::"),
        ["ops"]
    );
    assert!(named_after("use foo_crate::x;", "crate::").is_empty());
    // The table itself forbids the old knots.
    for (user, used) in [("store", "config"), ("records", "store"), ("mcp", "cli")] {
        assert!(rank(used) >= rank(user), "{user} -> {used}");
    }
}

#[test]
fn only_the_store_and_settings_ask_which_store_is_in_use() {
    let mut wrong = Vec::new();
    for path in rust_files(&src()) {
        let rel = path
            .strip_prefix(src())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if rel.starts_with("store/")
            || rel.starts_with("config/")
            || STORE_KIND_ALLOWED.iter().any(|(f, _)| *f == rel)
        {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            if ["AnyStore::File", "AnyStore::Pg", ".pg()", "StoreChoice::"]
                .iter()
                .any(|k| line.contains(k))
            {
                wrong.push(format!("src/{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "branches on the store kind above the store:\n{}",
        wrong.join("\n")
    );
}
