//! A new user's first hour: the README's set-up steps and the test command
//! that CI runs are the ones that work.

use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn readme_install_steps_are_the_working_ones() {
    let readme = read("README.md");
    assert!(!readme.contains("cargo install --path ."), "use --locked");
    assert!(readme.contains("cargo install --locked --path ."));
    let mkdir = readme
        .find("mkdir -p ~/.local/share/bash-completion/completions")
        .expect("the completions directory is created first");
    let completions = readme
        .find("nexus completions bash > ~/.local/share/bash-completion/completions/nexus")
        .unwrap();
    assert!(mkdir < completions);
    assert!(readme.contains("about 5 minutes on 2 cores"));
}

#[test]
fn ci_runs_the_readme_test_script_after_fmt_and_clippy() {
    let readme = read("README.md");
    assert!(
        readme.contains("```sh\nscripts/test.sh\n```"),
        "README's test command"
    );
    let ci = read(".ci/run");
    let at = |needle: &str| {
        ci.find(needle)
            .unwrap_or_else(|| panic!(".ci/run lacks {needle}"))
    };
    assert!(at("cargo fmt --check") < at("cargo clippy --all-targets"));
    assert!(at("cargo clippy --all-targets") < at("sh scripts/test.sh"));
    assert!(at("install -y -qq tmux") < at("cargo fmt --check"));
    assert!(at("install -y -qq jq") < at("cargo fmt --check"));
    let script = read("scripts/test.sh");
    for needle in ["tmux jq", "apt-get install", "exec cargo test \"$@\""] {
        assert!(script.contains(needle), "scripts/test.sh lacks {needle}");
    }
    let mode =
        std::fs::metadata(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/test.sh")).unwrap();
    assert!(
        std::os::unix::fs::PermissionsExt::mode(&mode.permissions()) & 0o111 != 0,
        "scripts/test.sh is executable"
    );
}
