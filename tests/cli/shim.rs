//! The legacy entry point `coordination/coordination_helper.sh`.

use std::path::Path;
use std::process::Command;

use crate::common::{Env, bin, first_work_id};

fn shim(env: &Env, args: &[&str]) -> std::process::Output {
    Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("coordination/coordination_helper.sh"))
        .args(args)
        .env("NEXUS_BIN", bin())
        .env("COORDINATION_DIR", env.dir())
        .env_remove("AGENT_ID")
        .output()
        .unwrap()
}

#[test]
fn shim_forwards_arguments_and_output() {
    let env = Env::new();
    let out = shim(&env, &["claim", "bug", "via shim", "low", "shim_team"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let id = first_work_id(&text);
    assert!(text.contains(&format!(
        "✅ SUCCESS: Claimed work item {id} for team shim_team"
    )));
    let out = shim(&env, &["progress", &id, "30"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("PROGRESS: Updated"));
    assert_eq!(env.json("work_claims.json")[0]["progress"], 30);
}

#[test]
fn shim_turns_unknown_commands_into_help_with_exit_0() {
    let env = Env::new();
    for args in [&["no-such-command"][..], &[]] {
        let out = shim(&env, args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout)
                .contains("SCRUM AT SCALE AGENT COORDINATION HELPER")
        );
    }
    // Errors still fail under the shim.
    let out = shim(&env, &["progress", "work_1", "50"]);
    assert_eq!(out.status.code(), Some(1));
}
