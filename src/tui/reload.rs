//! Following the store: after one whole read, a reload asks the store what
//! changed since its mark (the events written since and only the claim
//! records they name, or the last event number) and applies just that, so
//! that a check costs the same at 100 records or 100,000 and a change shows
//! in a time that does not grow with their number. When the store cannot
//! tell, everything is read again.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::app::{App, displayable};
use super::digest::Digests;
use crate::records::claim_record::ClaimRecord;
use crate::store::Store;

/// How long a look at the changes waits for writers that keep the files
/// moving.
const WAIT: Duration = Duration::from_millis(crate::config::DEFAULT_LOCK_TIMEOUT_MS);

impl App {
    /// Catch up with the store if it changed, and say whether it did: when
    /// nothing changed, nothing is read or computed again.
    pub fn refresh(&mut self, now: DateTime<Utc>) -> bool {
        self.now = now;
        match changes(self) {
            Followed::Nothing => return false,
            Followed::Applied => {}
            Followed::Unknown => self.reload_all(),
        }
        self.derive(now);
        true
    }

    /// Read everything again.
    fn reload_all(&mut self) {
        self.whole_reads += 1;
        // The mark is taken before the read: changes made during it are
        // applied again next time, which changes nothing. A failed read
        // keeps its mark: nothing is read again until the store changes.
        let (mark, read) = match self.store.follow_mark() {
            Ok(m) => (Some(m), Store::snapshot(&self.store)),
            Err(e) => (None, Err(e)),
        };
        self.mark = mark;
        match read {
            Ok(mut s) => {
                // Agents wrote these strings: shown escaped and shortened.
                for list in [&mut s.agents, &mut s.completions] {
                    list.iter_mut().for_each(crate::text::sanitize_json);
                }
                s.claims = std::mem::take(&mut s.claims)
                    .into_iter()
                    .map(displayable)
                    .collect();
                self.digests = Digests::of_all(&s.claims);
                self.figures
                    .credit(&s.completions, &s.agents, &self.digests);
                self.snapshot = s;
                self.error = None;
            }
            Err(e) => {
                self.error = Some(crate::text::line(&e.to_string()).into_owned());
            }
        }
    }
}

/// What a look at the store found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Followed {
    /// Nothing changed since the mark.
    Nothing,
    /// The changes were applied to the view.
    Applied,
    /// Only a whole read can tell (or the last one failed).
    Unknown,
}

/// Bring `app`'s snapshot up to date from the changes since its mark.
pub fn changes(app: &mut App) -> Followed {
    let Some(mark) = &app.mark else {
        return Followed::Unknown;
    };
    let mut changes = match app.store.changes_after(mark, WAIT) {
        Ok(Some(c)) => c,
        Ok(None) | Err(_) => return Followed::Unknown,
    };
    let quiet = changes.events_end == mark.events_end
        && changes.claims.is_empty()
        && changes.agents.is_none()
        && changes.completions.is_none();
    if quiet {
        return Followed::Nothing;
    }
    // The last read failed: the view is older than the mark.
    if app.error.is_some() {
        return Followed::Unknown;
    }
    let next = changes.take_mark();
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
    app.mark = Some(next);
    Followed::Applied
}
