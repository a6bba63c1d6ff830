//! Following a coordination directory: after one whole read, a reload reads
//! the events written since and only the claim records they name, so that a
//! change shows in a time that does not grow with the number of records.

use std::path::Path;
use std::time::Duration;

use super::app::{App, displayable};
use crate::records::claim_record::ClaimRecord;
use crate::store::{CLAIMS_FILE, Stamp, changes_since, events_len};

/// How long a reload waits for writers that keep the files moving.
const WAIT: Duration = Duration::from_millis(crate::config::DEFAULT_LOCK_TIMEOUT_MS);

/// Where the files were read up to.
#[derive(Debug, Default)]
pub struct Follow {
    /// The end of the events read.
    events_end: u64,
    /// The claims file as last seen: a change without an event to name it
    /// came from another tool.
    claims: Option<Stamp>,
}

impl Follow {
    /// Taken before a whole read: events written during it are read again
    /// next time, which changes nothing.
    pub fn start(dir: &Path) -> Follow {
        Follow {
            events_end: events_len(dir),
            claims: Stamp::of(&dir.join(CLAIMS_FILE)),
        }
    }
}

/// Bring `app`'s snapshot up to date from the events since its last read;
/// `false` when they cannot tell (the caller then reads everything again).
pub fn changes(app: &mut App) -> bool {
    let Some(follow) = &mut app.follow else {
        return false;
    };
    let claims_now = Stamp::of(&app.dir.join(CLAIMS_FILE));
    let Ok(Some(changes)) = changes_since(&app.dir, follow.events_end, WAIT) else {
        return false;
    };
    if changes.claims.is_empty() && claims_now != follow.claims {
        return false;
    }
    let s = &mut app.snapshot;
    // Completions credited by their item's team: a claim's change may move them.
    let mut credit = app.figures.by_items && !changes.claims.is_empty();
    for (id, record) in changes.claims {
        let record = displayable(ClaimRecord::from(record));
        app.digests.put(&mut s.claims, id, record);
    }
    credit |= changes.agents.is_some() || changes.completions.is_some();
    if let Some(mut agents) = changes.agents {
        agents.iter_mut().for_each(crate::text::sanitize_json);
        s.agents = agents;
    }
    if let Some((mut completions, velocity)) = changes.completions {
        completions.iter_mut().for_each(crate::text::sanitize_json);
        s.completions = completions;
        s.velocity_lines = velocity;
    }
    if credit {
        app.figures.credit(&s.completions, &s.agents, &app.digests);
    }
    follow.events_end = changes.events_end;
    follow.claims = claims_now;
    app.error = None;
    true
}
