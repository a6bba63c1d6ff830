//! Group commit on PostgreSQL (`nexus serve`): the steps of a batch (see
//! [`Group`](crate::store::Group)) share one transaction, so one `COMMIT`
//! and one flush of the server's log make them all durable, and the trails
//! lock is taken once for all of them.
//!
//! Each step runs from a savepoint of its own, on the batch's connection.
//! The round trip that begins it carries the writes of the step before,
//! its `SAVEPOINT` and what it will ask first (a new work id, its agent's
//! record); then it makes its reads, and its own last writes wait for the
//! next step's first round trip or the batch's `COMMIT`. A step that fails
//! (or panics) is rolled back to its savepoint and leaves the others
//! alone. A write the server refuses after its step ended (nexus writes
//! only rows it has checked, so this is a lost or failing server) fails
//! the whole batch: no step of it is stored, and every one is answered
//! with the error. The kept steps' event and audit lines, in the order
//! the steps ran (every step keeps its own), are numbered and chained by
//! two statements sent with the batch's `COMMIT`, and listeners are woken
//! once for the batch.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use postgres::Client;

use super::trails::Trails;
use super::tx::PgTx;
use super::{PgStore, TXID, ahead, db_err, first_int, mark_of, schema};
use crate::error::{NexusError, Result};
use crate::store::audit::Step;
use crate::store::{Batch, Group, State};

/// Group commit on PostgreSQL: several groups whose batches run at once,
/// each on its own connection; a step joins the lane of its agent, so the
/// steps of one agent (whose record they lock) are never in two open
/// batches at once.
#[derive(Debug)]
pub struct Lanes(Vec<Group<PgBatch>>);

impl Default for Lanes {
    fn default() -> Self {
        Lanes((0..LANES).map(|_| Group::default()).collect())
    }
}

impl Lanes {
    /// The lane of a step of `agent`.
    pub(super) fn of(&self, agent: Option<&str>) -> &Group<PgBatch> {
        &self.0[self.index(agent)]
    }

    /// The number of the lane a step of `agent` joins.
    pub fn index(&self, agent: Option<&str>) -> usize {
        let hash = agent.map_or(0, |a| crate::text::digest64(a.as_bytes()));
        (hash % self.0.len() as u64) as usize
    }
}

/// How many batches run at once on PostgreSQL.
const LANES: usize = 4;

/// One transaction holding the steps of a batch.
pub struct PgBatch {
    client: Client,
    name: String,
    lock_timeout: Duration,
    claims_written: bool,
    /// The transaction's id, and its first event line once a kept step
    /// has one: how to recognise its commit after a lost answer.
    xid: i64,
    mark: Option<String>,
    /// The lines of the steps kept, sent with `COMMIT`.
    trails: Trails,
    /// Whether any step was kept.
    kept: bool,
    /// The last kept step's writes not sent yet, and how many statements.
    pending: (String, usize),
    /// The number of the last step begun (its savepoint's name), and
    /// whether its savepoint was sent.
    steps: usize,
    sent: bool,
    /// Why the transaction cannot go on (a savepoint that could not be
    /// rolled back to): every step after it fails, and so does the batch.
    broken: Option<NexusError>,
}

impl PgBatch {
    /// Undo the step begun last; when even that fails, the transaction is
    /// done for.
    fn undo(&mut self) {
        if self.broken.is_some() || !std::mem::take(&mut self.sent) {
            return;
        }
        let back = format!("ROLLBACK TO SAVEPOINT nexus_{}", self.steps);
        if let Err(e) = self.client.batch_execute(&back) {
            self.broken = Some(db_err("undoing a step", &e));
        }
    }

    /// Begin a step: the writes of the step before, its savepoint and
    /// first questions, in one round trip. When that fails, either this
    /// step's own questions failed (its savepoint then exists: only it is
    /// undone) or the writes before it did, and the batch is broken.
    fn begin(&mut self, first: &str) -> Result<Vec<Vec<postgres::SimpleQueryRow>>> {
        let (writes, skip) = std::mem::take(&mut self.pending);
        self.sent = true;
        let msgs = (self.client.simple_query(&format!("{writes}{first}")))
            .map_err(|e| super::step_err(&self.name, self.lock_timeout, "beginning a step", &e))?;
        Ok(super::sql::row_sets(msgs).into_iter().skip(skip).collect())
    }

    /// Run one step, from its savepoint: its answer and lines.
    fn step<T>(
        &mut self,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T>,
    ) -> Result<(T, Trails)> {
        if let Some(e) = &self.broken {
            return Err(NexusError::Database {
                store: self.name.clone(),
                why: format!("{e}; nothing was changed"),
            });
        }
        let (first, agent) = ahead(&format!("SAVEPOINT nexus_{};", self.steps + 1), step)?;
        self.steps += 1;
        let sets = self.begin(&first)?;
        let mut st = PgTx::within(
            &mut self.client,
            self.claims_written,
            &self.name,
            self.lock_timeout,
        );
        st.answered(step, agent, &sets);
        let out = f(&mut st)?;
        let trails = st.trails(step)?;
        let pending = st.take_pending();
        if self.mark.is_none() {
            self.mark = mark_of(step, st.changes());
        }
        self.claims_written = st.claims_written;
        self.pending = pending;
        // Kept: a later step's failure never rolls back to its savepoint.
        self.sent = false;
        Ok((out, trails))
    }

    /// Send the kept steps' lines with `COMMIT`; a lost answer is settled
    /// by asking a new connection whether the batch's first event line is
    /// stored, as for a single step.
    fn commit(&mut self, store: &PgStore) -> Result<()> {
        let mut sql = std::mem::take(&mut self.pending.0);
        // The lines are written by the transaction itself, out of every
        // step's savepoint: so their rows carry its id, which a lost
        // answer is settled by.
        sql.push_str("RELEASE SAVEPOINT nexus_1;\n");
        sql.push_str(&self.trails.sql(&self.name)?);
        sql.push_str("COMMIT");
        let Err(e) = self.client.batch_execute(&sql) else {
            return Ok(());
        };
        let e = db_err("committing the steps", &e);
        match &self.mark {
            Some(mark) if self.client.is_closed() => store.after_lost_commit(self.xid, mark, e),
            _ => Err(e),
        }
    }
}

impl Batch for PgBatch {
    type Store = PgStore;
    const OVERLAP: bool = true;
    /// Half the server's cache of subtransaction ids per connection (64):
    /// each step's savepoint is one, and a transaction past the cache
    /// slows every other connection's snapshots.
    const MAX_STEPS: usize = 32;

    fn alone<T: Send>(
        store: &PgStore,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T> + Send,
    ) -> Result<T> {
        store.update_alone(step, f)
    }

    fn accepting(&self) -> bool {
        self.broken.is_none()
    }

    fn timeout(store: &PgStore) -> Duration {
        store.lock_timeout
    }

    /// A connection of its own (one the store kept, or a new one), a
    /// transaction begun on it and the schema checked, within the connect
    /// and lock timeouts.
    fn open(store: &PgStore, _deadline: Instant) -> Result<PgBatch> {
        let begin =
            |client: &mut Client| schema::open(client, &store.name, store.bounds(), true, TXID);
        let mut client = store.checkout()?;
        let mut opened = begin(&mut client);
        // A kept connection the server has closed meanwhile (a restart,
        // an idle timeout) is found out here: a new one is asked once.
        if opened.is_err() && client.is_closed() {
            client = store.connect_new()?;
            opened = begin(&mut client);
        }
        let (meta, sets) = match opened {
            Ok(o) => o,
            Err(e) => {
                store.checkin(client);
                return Err(store.named(e));
            }
        };
        Ok(PgBatch {
            xid: first_int(&sets, 0).unwrap_or(0),
            client,
            name: store.name.clone(),
            lock_timeout: store.lock_timeout,
            claims_written: meta.claims_written,
            mark: None,
            trails: Trails::default(),
            kept: false,
            pending: (String::new(), 0),
            steps: 0,
            sent: false,
            broken: None,
        })
    }

    fn run<T>(
        &mut self,
        step: &Step,
        f: impl FnOnce(&mut dyn State) -> Result<T>,
    ) -> std::thread::Result<Result<T>> {
        let out = catch_unwind(AssertUnwindSafe(|| self.step(step, f)));
        match out {
            Ok(Ok((out, trails))) => {
                self.trails.extend(trails);
                self.kept = true;
                Ok(Ok(out))
            }
            Ok(Err(e)) => {
                self.undo();
                Ok(Err(e))
            }
            Err(panic) => {
                self.undo();
                Err(panic)
            }
        }
    }

    /// Send the kept steps' trails with `COMMIT` (or roll back when no step
    /// was kept); a lost answer is settled as for a single step.
    fn write(mut self, store: &PgStore) -> Result<()> {
        let done = match (self.broken.take(), self.kept) {
            (Some(e), _) => Err(e),
            (None, false) => self
                .client
                .batch_execute("ROLLBACK")
                .map_err(|e| db_err("ending an empty batch", &e)),
            (None, true) => self.commit(store),
        };
        if done.is_err() && !self.client.is_closed() {
            let _ = self.client.batch_execute("ROLLBACK");
        }
        store.checkin(self.client);
        done.map_err(|e| store.named(e))
    }

    fn place(store: &PgStore) -> String {
        store.name.clone()
    }
}
