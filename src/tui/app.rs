//! State of the live dashboard: the last good view of the store, what the
//! person selected, filtered and sorted, and how keys change it.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::digest::{Digests, Figures};
use crate::records::claim_record::ClaimRecord;
use crate::records::text;
use crate::store::{AnyStore, Changes, Snapshot};

/// The panels, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Work,
    Agents,
    Completions,
    Spans,
}

impl Panel {
    const ORDER: [Panel; 4] = [Panel::Work, Panel::Agents, Panel::Completions, Panel::Spans];

    fn next(self) -> Panel {
        let i = Panel::ORDER.iter().position(|p| *p == self).unwrap_or(0);
        Panel::ORDER[(i + 1) % Panel::ORDER.len()]
    }
}

/// How the work list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    PriorityAge,
    Age,
    Progress,
    Team,
}

impl Sort {
    pub fn label(self) -> &'static str {
        match self {
            Sort::PriorityAge => "priority, age",
            Sort::Age => "age",
            Sort::Progress => "progress",
            Sort::Team => "team",
        }
    }

    fn next(self) -> Sort {
        match self {
            Sort::PriorityAge => Sort::Age,
            Sort::Age => Sort::Progress,
            Sort::Progress => Sort::Team,
            Sort::Team => Sort::PriorityAge,
        }
    }
}

/// What a key asks the loop to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    None,
    Quit,
}

/// A key, reduced to what the dashboard distinguishes (keeps `App` free of
/// terminal types so it can be driven by tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Up,
    Down,
    PageUp,
    PageDown,
    Tab,
    Enter,
    Esc,
    Backspace,
    CtrlC,
}

/// Everything the dashboard shows.
#[derive(Debug)]
pub struct App {
    pub dir: PathBuf,
    pub mode: String,
    pub now: DateTime<Utc>,
    /// Seconds without a heartbeat after which an agent shows offline.
    pub offline_after_secs: i64,
    pub snapshot: Snapshot,
    /// What the frames need of each claim, beside it.
    pub digests: Digests,
    pub figures: Figures,
    pub spans: Vec<Value>,
    /// Indices into `snapshot.claims` of the visible work rows, in order:
    /// the items in flight and the pending items that wait on others.
    pub rows: Vec<usize>,
    /// Ids of the open items that wait on items not completed yet.
    pub blocked: std::collections::HashSet<String>,
    pub panel: Panel,
    pub selected: [usize; 4],
    pub filter: String,
    pub editing_filter: bool,
    pub priority: Option<&'static str>,
    pub sort: Sort,
    pub detail: bool,
    pub help: bool,
    /// Set when the last reload failed; the previous view stays on screen.
    pub error: Option<String>,
    /// The store the view is read from.
    pub store: AnyStore,
    /// What every frame shows of all the rows, computed when they change
    /// (a frame then costs the same at 100 items or 100,000).
    pub seen: Seen,
    /// Where the store was last read up to, to read only what changed.
    pub mark: Option<Changes>,
    /// How many reloads read everything.
    pub whole_reads: usize,
}

/// A claim record as the dashboard keeps it: agents wrote its strings, so
/// they are shown escaped and shortened; most need nothing and stay views
/// of the file's bytes.
pub fn displayable(c: ClaimRecord) -> ClaimRecord {
    if c.displayable() {
        return c;
    }
    let mut v = c.to_value();
    crate::text::sanitize_json(&mut v);
    ClaimRecord::from(v)
}

/// Figures over all rows and claims that the frames show.
#[derive(Debug, Default)]
pub struct Seen {
    /// The longest work id among the rows, in characters.
    pub longest_id: usize,
    /// Rows that wait on others (not in flight).
    pub blocked: usize,
    /// The rows on the backlog that wait on nothing.
    pub ready: usize,
    /// When the leases of the rows in flight run out (ms since the epoch).
    pub leases: Vec<i64>,
    /// Items in flight per agent number (see [`Digests::names`]).
    pub wip: Vec<usize>,
    /// When these figures were made (ms since the epoch): rows are marked
    /// stale as of then, as the header counts them.
    pub at: i64,
}

impl Seen {
    /// Rows whose lease ran out before `now`.
    pub fn expired(&self, now: DateTime<Utc>) -> usize {
        let now = now.timestamp_millis();
        self.leases.iter().filter(|t| **t <= now).count()
    }
}

/// The priorities `p` cycles through (None = all).
const PRIORITIES: [Option<&str>; 5] = [
    None,
    Some("critical"),
    Some("high"),
    Some("medium"),
    Some("low"),
];

impl App {
    /// An empty view of `store`, read by the first [`reload`](Self::reload).
    pub fn new(store: AnyStore, mode: String, now: DateTime<Utc>) -> App {
        let dir = PathBuf::from(store.name());
        let snapshot = Snapshot {
            dir: dir.clone(),
            ..Snapshot::default()
        };
        let mut figures = Figures::default();
        figures.count(&Digests::default(), 0, now);
        App {
            dir,
            mode,
            now,
            offline_after_secs: crate::model::HEARTBEAT_TIMEOUT_SECS,
            snapshot,
            digests: Digests::default(),
            figures,
            spans: Vec::new(),
            rows: Vec::new(),
            blocked: Default::default(),
            panel: Panel::Work,
            selected: [0; 4],
            filter: String::new(),
            editing_filter: false,
            priority: None,
            sort: Sort::PriorityAge,
            detail: false,
            help: false,
            error: None,
            store,
            seen: Seen::default(),
            mark: None,
            whole_reads: 0,
        }
    }

    /// Take a new view of the store; on failure keep the last good one and
    /// show the error. After a first whole read, only the records that
    /// changed since are read again.
    pub fn reload(&mut self, now: DateTime<Utc>) {
        self.refresh(now);
        self.derive(now);
    }

    /// Everything the frames show that is computed over all the records.
    pub(super) fn derive(&mut self, now: DateTime<Utc>) {
        let s = &self.snapshot;
        self.figures.count(&self.digests, s.agents.len(), now);
        self.seen.at = now.timestamp_millis();
        if std::mem::take(&mut self.digests.graph_changed) {
            let graph_claims = crate::records::claim_record::graph_records(s.live());
            self.blocked = crate::ops::graph::Graph::new(&graph_claims)
                .blocked(None)
                .iter()
                .filter_map(|w| text(w.item, "work_item_id").map(str::to_string))
                .collect();
        }
        self.seen.wip = self.digests.wip();
        if let Ok(spans) = self.store.spans_tail() {
            self.spans = spans;
            self.spans.iter_mut().for_each(crate::text::sanitize_json);
        }
        self.recompute_rows();
    }

    /// Apply filter, priority and sort to the active work.
    /// Rows are chosen and ordered by the claims' digests; the records
    /// themselves are read only to match a filter text.
    pub fn recompute_rows(&mut self) {
        let needle = self.filter.to_lowercase();
        let claims = &self.snapshot.claims;
        let (d, names) = (&self.digests.of, &self.digests.names);
        // A priority no record has matches nothing.
        let priority = self.priority.map(|p| names.find(p));
        // In flight, waiting on others, and (after them) the backlog: the
        // items an agent's `claim --next` would take.
        let mut rows: Vec<usize> = (0..claims.len())
            .filter(|&i| {
                d[i].in_flight()
                    || d[i].status == crate::records::Status::Available
                    || (!self.blocked.is_empty() && self.is_blocked(&claims[i]))
            })
            .filter(|&i| priority.is_none_or(|p| p.is_some() && d[i].priority == p))
            .filter(|&i| needle.is_empty() || matches_filter(&claims[i], &needle))
            .collect();
        let team = |i: &usize| d[*i].team.map_or("", |t| names.name(t));
        // The ready backlog after the work in flight and the work that waits.
        let waiting = |i: usize| !d[i].in_flight() && !self.is_blocked(&claims[i]);
        match self.sort {
            Sort::PriorityAge => rows.sort_by_key(|&i| (waiting(i), d[i].rank, d[i].claimed)),
            Sort::Age => rows.sort_by_key(|&i| (waiting(i), d[i].claimed)),
            Sort::Progress => rows.sort_by_key(|&i| (waiting(i), std::cmp::Reverse(d[i].progress))),
            Sort::Team => rows.sort_by_cached_key(|i| (waiting(*i), team(i), d[*i].rank)),
        }
        self.seen.longest_id = (rows.iter())
            .filter_map(|&i| d[i].id_chars)
            .max()
            .map_or(2, |n| n as usize);
        self.seen.blocked = (rows.iter())
            .filter(|&&i| !d[i].in_flight() && self.is_blocked(&claims[i]))
            .count();
        self.seen.ready = (rows.iter())
            .filter(|&&i| !d[i].in_flight() && !self.is_blocked(&claims[i]))
            .count();
        self.seen.leases = rows.iter().filter_map(|&i| d[i].lease).collect();
        self.rows = rows;
        self.clamp();
    }

    /// Whether the claim at `i` is in flight and untouched for too long.
    pub fn is_stale(&self, i: usize) -> bool {
        (self.digests.of.get(i)).is_some_and(|d| d.stale(self.seen.at))
    }

    /// Items an agent has in flight.
    pub fn wip(&self, agent: &str) -> usize {
        (self.digests.names.find(agent))
            .and_then(|n| self.seen.wip.get(n as usize).copied())
            .unwrap_or(0)
    }

    /// Whether the item waits on items not completed yet.
    pub fn is_blocked<T: crate::records::queue::WorkItem + ?Sized>(&self, c: &T) -> bool {
        c.get_text("work_item_id")
            .is_some_and(|id| self.blocked.contains(id))
    }

    /// Whether the item is in flight under a lease that ran out.
    pub fn is_expired(&self, c: &Value) -> bool {
        crate::records::lease_expired(c, self.now)
    }

    /// Number of rows in a panel.
    pub fn len(&self, panel: Panel) -> usize {
        match panel {
            Panel::Work => self.rows.len(),
            Panel::Agents => self.snapshot.agents.len(),
            Panel::Completions => self.snapshot.completions.len(),
            Panel::Spans => self.spans.len(),
        }
    }

    fn idx(panel: Panel) -> usize {
        Panel::ORDER.iter().position(|p| *p == panel).unwrap_or(0)
    }

    /// The selected row of a panel.
    pub fn selection(&self, panel: Panel) -> usize {
        self.selected[App::idx(panel)]
    }

    fn clamp(&mut self) {
        for p in Panel::ORDER {
            let n = self.len(p);
            let s = &mut self.selected[App::idx(p)];
            *s = (*s).min(n.saturating_sub(1));
        }
    }

    fn move_by(&mut self, delta: isize) {
        let n = self.len(self.panel) as isize;
        let s = &mut self.selected[App::idx(self.panel)];
        *s = (*s as isize + delta).clamp(0, (n - 1).max(0)) as usize;
    }

    /// The work item shown in the detail view.
    pub fn selected_claim(&self) -> Option<&Value> {
        let i = *self.rows.get(self.selection(Panel::Work))?;
        self.snapshot.claims.get(i).map(ClaimRecord::value)
    }

    /// The record selected in the focused panel: a claim, an agent, a
    /// completion or a span (the last two are listed newest first).
    pub fn selected_record(&self) -> Option<&Value> {
        let sel = self.selection(self.panel);
        let newest_first =
            |list: &'_ [Value]| -> Option<usize> { list.len().checked_sub(1)?.checked_sub(sel) };
        match self.panel {
            Panel::Work => self.selected_claim(),
            Panel::Agents => self.snapshot.agents.get(sel),
            Panel::Completions => self
                .snapshot
                .completions
                .get(newest_first(&self.snapshot.completions)?),
            Panel::Spans => self.spans.get(newest_first(&self.spans)?),
        }
    }

    /// The claim of a work id (the last record with it).
    pub fn claim_of(&self, id: &str) -> Option<&Value> {
        self.snapshot
            .claims
            .iter()
            .rfind(|c| text(c, "work_item_id") == Some(id))
            .map(ClaimRecord::value)
    }

    /// Spans of the selected item's traces.
    pub fn claim_spans(&self, claim: &Value) -> Vec<&Value> {
        let t = claim.get("telemetry");
        let ids: Vec<&str> = ["trace_id", "last_progress_trace_id"]
            .iter()
            .filter_map(|k| t?.get(*k)?.as_str())
            .filter(|s| !s.is_empty())
            .collect();
        self.spans
            .iter()
            .filter(|s| text(s, "trace_id").is_some_and(|t| ids.contains(&t)))
            .collect()
    }

    /// Apply one key.
    pub fn on_key(&mut self, key: Key) -> Action {
        if self.editing_filter {
            match key {
                Key::Enter => self.editing_filter = false,
                // Esc abandons the filter being typed.
                Key::Esc => {
                    self.editing_filter = false;
                    self.filter.clear();
                }
                Key::Backspace => {
                    self.filter.pop();
                }
                Key::Char(c) => self.filter.push(c),
                Key::CtrlC => return Action::Quit,
                _ => {}
            }
            self.recompute_rows();
            return Action::None;
        }
        if self.help || self.detail {
            match key {
                Key::Char('q') | Key::CtrlC => return Action::Quit,
                Key::Esc | Key::Enter | Key::Char('?') => {
                    self.help = false;
                    self.detail = false;
                }
                _ => {}
            }
            return Action::None;
        }
        match key {
            Key::Char('q') | Key::CtrlC => return Action::Quit,
            // Esc never quits: it clears the filters, if any.
            Key::Esc => {
                self.filter.clear();
                self.priority = None;
                self.recompute_rows();
            }
            Key::Up | Key::Char('k') => self.move_by(-1),
            Key::Down | Key::Char('j') => self.move_by(1),
            Key::PageUp => self.move_by(-10),
            Key::PageDown => self.move_by(10),
            Key::Tab => self.panel = self.panel.next(),
            Key::Enter if self.selected_record().is_some() => self.detail = true,
            Key::Char('/') => {
                self.editing_filter = true;
                self.filter.clear();
                self.recompute_rows();
            }
            Key::Char('p') => {
                let i = PRIORITIES
                    .iter()
                    .position(|p| *p == self.priority)
                    .unwrap_or(0);
                self.priority = PRIORITIES[(i + 1) % PRIORITIES.len()];
                self.recompute_rows();
            }
            Key::Char('s') => {
                self.sort = self.sort.next();
                self.recompute_rows();
            }
            Key::Char('?') => self.help = true,
            _ => {}
        }
        Action::None
    }
}

fn matches_filter(c: &Value, needle: &str) -> bool {
    [
        "work_item_id",
        "description",
        "work_type",
        "team",
        "agent_id",
        "priority",
    ]
    .iter()
    .any(|k| text(c, k).is_some_and(|v| v.to_lowercase().contains(needle)))
}
