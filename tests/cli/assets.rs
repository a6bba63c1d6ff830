//! The checked-in completions and man pages match what the code generates.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::Env;

const SHELLS: [(&str, &str); 5] = [
    ("bash", "nexus.bash"),
    ("zsh", "_nexus"),
    ("fish", "nexus.fish"),
    ("elvish", "nexus.elv"),
    ("powershell", "_nexus.ps1"),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn completions_are_current() {
    let env = Env::new();
    for (shell, file) in SHELLS {
        let generated = env.ok(&["completions", shell]);
        let checked_in =
            std::fs::read_to_string(root().join("completions").join(file)).unwrap_or_default();
        assert!(
            generated == checked_in,
            "completions/{file} is stale: run scripts/regenerate-assets.sh"
        );
        assert!(
            generated.contains("claim") && generated.contains("pi-planning"),
            "{shell}"
        );
    }
}

#[test]
fn man_pages_are_current_and_cover_every_subcommand() {
    let env = Env::new();
    let out = env.tmp.path().join("man");
    env.ok(&["man", "--out", out.to_str().unwrap()]);
    let read = |dir: &Path| -> BTreeMap<String, String> {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read_to_string(e.path()).unwrap(),
                )
            })
            .collect()
    };
    let generated = read(&out);
    let checked_in = read(&root().join("man"));
    let names: Vec<_> = generated.keys().collect();
    assert_eq!(
        names,
        checked_in.keys().collect::<Vec<_>>(),
        "man/ is stale: run scripts/regenerate-assets.sh"
    );
    for (name, text) in &generated {
        assert!(
            text == &checked_in[name],
            "man/{name} is stale: run scripts/regenerate-assets.sh"
        );
    }
    for page in [
        "nexus.1",
        "nexus-claim.1",
        "nexus-progress.1",
        "nexus-n8n-list.1",
        "nexus-spans-export.1",
    ] {
        assert!(generated.contains_key(page), "{page}");
    }
    let main = env.ok(&["man"]);
    assert!(main.starts_with(".ie") && main.contains(".TH nexus 1"));
    // `nexus man | head` ends quietly on the closed pipe.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' man | head -1",
            crate::common::bin().display()
        ))
        .output()
        .unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
