//! A `COMMIT` whose answer was lost with the connection: whether the step
//! (or batch) is stored is asked of a new connection, so success is said
//! exactly when it was stored.

use super::{PgStore, RETRY_AFTER, sql};
use crate::error::{NexusError, Result};

impl PgStore {
    /// Whether transaction `xid` committed, asked on a new connection after
    /// the one that sent its `COMMIT` was lost before the answer came (a
    /// server killed after writing the commit keeps it when it restarts):
    /// once the transaction is no longer in progress, whether its first
    /// event line (`mark`, the line after its number) is stored under its
    /// id. The id alone is not enough: a server that lost the transaction
    /// in a crash hands its id out again. Within the connect timeout;
    /// `None` when that cannot be learnt.
    fn committed(&self, xid: i64, mark: &str) -> Option<bool> {
        let Ok(mark) = sql::lit(mark) else {
            return Some(false);
        };
        let ask = format!(
            "SELECT txid_status({xid});
             SELECT 1 FROM nexus_events WHERE xmin = '{}'::xid AND substr(line, strpos(line, ',')) = {mark} LIMIT 1",
            xid & 0xffff_ffff
        );
        let deadline = std::time::Instant::now() + self.connect_timeout;
        while std::time::Instant::now() < deadline {
            if let Ok(mut c) = self.connect() {
                // An id the server does not know yet (it lost the step's
                // every record) is an error: not committed either.
                let Ok(answer) = c.simple_query(&ask) else {
                    return Some(false);
                };
                let sets = sql::row_sets(answer);
                let status = sets
                    .first()
                    .and_then(|s| s.first())
                    .map(|r| sql::text(r, 0));
                if status.as_deref() != Some("in progress") {
                    return Some(sets.get(1).is_some_and(|s| !s.is_empty()));
                }
            }
            std::thread::sleep(RETRY_AFTER);
        }
        None
    }

    /// The answer to a step whose `COMMIT` got no answer (`e`): success
    /// when transaction `xid` is found stored by its first event line.
    pub(super) fn after_lost_commit(&self, xid: i64, mark: &str, e: NexusError) -> Result<()> {
        match self.committed(xid, mark) {
            Some(true) => Ok(()),
            Some(false) => Err(e),
            None => Err(NexusError::OutcomeUnknown {
                store: self.name.clone(),
                retry: "see whether it took effect before running it again".into(),
            }),
        }
    }
}
