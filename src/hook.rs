//! The legacy `ttl_validation.sh` hook: a coordination directory may hold
//! this script, which the legacy `claim` ran before claiming
//! (`auto-cleanup`, then `validate`, warning when validation fails). nexus
//! runs it the same way, before taking the lock, each run bounded in time;
//! it never stops the claim.

use std::io::Write;
use std::os::fd::AsFd;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The hook's file name in the coordination directory.
pub const TTL_HOOK: &str = "ttl_validation.sh";

/// Default bound on each run of the hook.
pub const DEFAULT_TTL_HOOK_TIMEOUT_MS: u64 = 10_000;

/// Run `<dir>/ttl_validation.sh auto-cleanup`, then `validate`, when the
/// file exists, each bounded by `timeout`. The hook's output goes to stderr
/// (stdout belongs to the claim lines, whose first `work_<n>` is the new
/// id); a failed or overdue validation is one warning line on stderr.
pub fn ttl_validation(dir: &Path, timeout: Duration) {
    let script = dir.join(TTL_HOOK);
    if !script.is_file() {
        return;
    }
    // The legacy script ignored what auto-cleanup said and how it ended.
    let _ = run(&script, dir, "auto-cleanup", timeout, false);
    if let Err(why) = run(&script, dir, "validate", timeout, true) {
        eprintln!(
            "⚠️ WARNING: {} validate {why}; consider running cleanup: {}",
            script.display(),
            dir.join("benchmark_cleanup_script.sh").display()
        );
    }
}

/// Run `script action`, its stdout (when `shown`) and stderr on this
/// process's stderr; `Err` says how it failed.
fn run(
    script: &Path,
    dir: &Path,
    action: &str,
    timeout: Duration,
    shown: bool,
) -> Result<(), String> {
    let out = || -> Stdio {
        if !shown {
            return Stdio::null();
        }
        let _ = std::io::stderr().flush();
        std::io::stderr()
            .as_fd()
            .try_clone_to_owned()
            .map(Stdio::from)
            .unwrap_or_else(|_| Stdio::null())
    };
    use std::os::unix::process::CommandExt;
    let child = Command::new(script)
        .arg(action)
        // Its own process group, so that a timeout stops what it started too.
        .process_group(0)
        .env("COORDINATION_DIR", dir)
        .stdin(Stdio::null())
        .stdout(out())
        .stderr(out())
        .spawn()
        .map_err(|e| format!("could not run ({e})"))?;
    wait_bounded(child, timeout)
}

/// Wait for `child` up to `timeout`; past it, kill it.
fn wait_bounded(mut child: Child, timeout: Duration) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(format!("failed ({status})")),
            Ok(None) if Instant::now() >= deadline => {
                // SAFETY: kill(2) on the group this child leads; no memory involved.
                unsafe { libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL) };
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "took longer than {} ms and was stopped",
                    timeout.as_millis()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("could not be waited for ({e})")),
        }
    }
}
