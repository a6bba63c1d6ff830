//! AI misconfiguration is refused loudly, and a provider call shows a
//! spinner on a terminal (and nothing when stderr is piped).

use std::process::Command;
use std::time::Duration;

use serde_json::json;

use crate::common::{Env, bin};
use crate::mock_http::{MockServer, Recorded};

#[test]
fn an_unknown_provider_is_refused_with_the_valid_ones() {
    let env = Env::with_fixtures();
    let before = env.files();
    let out = env
        .cmd()
        .env("NEXUS_AI_PROVIDER", "antropic")
        .arg("claude-priorities")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("❌ ERROR: invalid NEXUS_AI_PROVIDER 'antropic'")
            && stderr.contains("auto, anthropic, openai, claude-cli, offline"),
        "{stderr}"
    );
    assert!(before == env.files(), "nothing written");
    // Commands that never ask a model are not affected.
    env.cmd()
        .env("NEXUS_AI_PROVIDER", "antropic")
        .arg("status")
        .assert()
        .success();
}

#[test]
fn unknown_analysis_names_are_refused_with_the_list() {
    let env = Env::with_fixtures();
    let output = env.tmp.path().join("out.json");
    let out = env
        .cmd()
        .args(["enhanced", "bogus"])
        .arg(env.path("work_claims.json"))
        .arg(&output)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("invalid analysis type 'bogus'")
            && stderr.contains("priorities, bottlenecks, recommendations"),
        "{stderr}"
    );
    assert!(!output.exists());
    let out = env
        .cmd()
        .args(["pipe", "bogus"])
        .write_stdin("[]")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // Known names still work.
    env.cmd()
        .args(["enhanced", "recommendations"])
        .arg(env.path("work_claims.json"))
        .arg(&output)
        .assert()
        .success();
    assert!(output.exists());
}

fn slow_anthropic() -> MockServer {
    MockServer::start(|_r: &Recorded| {
        std::thread::sleep(Duration::from_millis(400));
        let answer = json!({"teams": [], "recommendations": [], "confidence_score": 0.5});
        (
            200,
            json!({"content": [{"type": "text", "text": answer.to_string()}]}).to_string(),
        )
    })
}

#[test]
fn a_spinner_shows_on_a_terminal_and_never_when_piped() {
    let server = slow_anthropic();
    let env = Env::with_fixtures();
    let out = env
        .cmd()
        .env("NEXUS_AI_PROVIDER", "anthropic")
        .env("ANTHROPIC_API_KEY", "k")
        .env("ANTHROPIC_BASE_URL", &server.url)
        .arg("claude-team")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("asking") && !stderr.contains('\r'),
        "{stderr:?}"
    );

    // Under a pseudo-terminal (util-linux `script`), stderr is a TTY.
    let inner = format!(
        "COORDINATION_DIR='{}' NEXUS_AI_PROVIDER=anthropic ANTHROPIC_API_KEY=k ANTHROPIC_BASE_URL='{}' '{}' claude-team",
        env.dir().display(),
        server.url,
        bin().display()
    );
    let Ok(tty) = Command::new("script")
        .args(["-qec", &inner, "/dev/null"])
        .env_remove("ANTHROPIC_API_KEY")
        .output()
    else {
        panic!("`script` (util-linux) is needed to give nexus a terminal");
    };
    let screen = String::from_utf8_lossy(&tty.stdout);
    assert!(tty.status.success(), "{screen}");
    assert!(screen.contains("⠋ asking anthropic…"), "{screen:?}");
    assert!(screen.contains("\x1b[2K"), "the spinner line is cleared");
    assert!(screen.contains("answered by anthropic"), "{screen:?}");
}
