//! `nexus watch`: follow `events.jsonl` and print one line per change as it
//! happens. Every event carries its gap-free `seq`, so a consumer that
//! remembers the last one it saw resumes with `--since` and misses nothing.
//! Idle, it checks the file's size every 200 ms; it ends on Ctrl-C, SIGTERM
//! or when its reader goes away (a closed pipe).

use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;

use super::Outcome;
use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::text::line;

/// How often an idle watch looks for new events.
const POLL: Duration = Duration::from_millis(200);

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

/// Print one line per change as it happens, from events.jsonl
///
/// Blocks and follows the event feed (added, claimed, progressed, completed,
/// released, expired, dependency_changed, ...). Every line carries its seq: resume
/// after a restart with --since <last seq seen> and miss nothing. Without --since,
/// only changes made after it starts. Ends on Ctrl-C or when its reader goes away.
/// Example: nexus watch --since 0 --json | jq -c 'select(.event == "completed")'
#[derive(Debug, Clone, clap::Args)]
pub struct WatchArgs {
    /// Print the events after this sequence number first (0: all of them)
    #[arg(long, value_name = "SEQ")]
    pub since: Option<u64>,
    /// Only events of this team
    #[arg(long)]
    pub team: Option<String>,
    /// Print what is there and exit instead of following
    #[arg(long)]
    pub no_follow: bool,
}

/// Follow the events of the store until stopped.
pub fn run(cfg: &Config, w: &WatchArgs) -> Result<Outcome> {
    let store = cfg.open_store();
    if !w.no_follow {
        // SAFETY: the handler only stores to an atomic, which is signal-safe.
        unsafe {
            libc::signal(libc::SIGINT, on_signal as *const () as libc::sighandler_t);
            libc::signal(libc::SIGTERM, on_signal as *const () as libc::sighandler_t);
        }
    }
    // Without --since, only what happens from now on.
    let mut feed = store.event_feed(w.since)?;
    if !w.no_follow {
        feed.listen(&store);
    }
    let mut out = std::io::stdout().lock();
    loop {
        for event in feed.poll(&store)? {
            if w.team
                .as_deref()
                .is_some_and(|t| event["team"].as_str() != Some(t))
            {
                continue;
            }
            let text = if cfg.json {
                format!("{event}\n")
            } else {
                human(&event)
            };
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::BrokenPipe => return Ok(done()),
                Err(e) => return Err(NexusError::io("write", "stdout", e)),
            }
        }
        if w.no_follow || STOP.load(Ordering::SeqCst) || reader_gone() {
            return Ok(done());
        }
        std::thread::sleep(POLL);
        if STOP.load(Ordering::SeqCst) {
            return Ok(done());
        }
    }
}

fn done() -> Outcome {
    Outcome::new(String::new(), Value::Null)
}

/// One event as a human line: seq, time, event, item, status, team, agent.
pub fn human(e: &Value) -> String {
    let s = |k: &str| e[k].as_str().unwrap_or("-").to_string();
    line(&format!(
        "#{} {} {:<18} {} {} team={} agent={} ({})",
        e["seq"],
        s("at"),
        s("event"),
        s("id"),
        s("status"),
        s("team"),
        s("agent_id"),
        s("command"),
    ))
    .into_owned()
        + "\n"
}

/// Whether stdout is a pipe or socket whose reader has gone.
fn reader_gone() -> bool {
    let mut fd = libc::pollfd {
        fd: 1,
        events: 0,
        revents: 0,
    };
    // SAFETY: one valid pollfd, no timeout.
    let n = unsafe { libc::poll(&mut fd, 1, 0) };
    n > 0 && fd.revents & (libc::POLLERR | libc::POLLHUP) != 0
}
