//! `/metrics` in the Prometheus text format: requests by route and status
//! with latency histograms, commits and their latency by command, claims,
//! active event subscribers and events delivered, and (read at scrape time)
//! work items by status and team.

use std::sync::atomic::{AtomicI64, AtomicU64};
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use serde_json::Value;

use crate::records::claim_record::ClaimRecord;
use crate::records::text;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteOnly {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CommandLabels {
    command: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct WorkLabels {
    status: String,
    team: String,
}

fn latency() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.0, 14))
}

/// The server's running totals at a scrape.
#[derive(Debug, Clone, Copy)]
pub struct Totals {
    pub subscribers: usize,
    pub delivered: u64,
    pub state_reads: u64,
}

/// The server's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RouteLabels, Counter>,
    request_seconds: Family<RouteOnly, Histogram, fn() -> Histogram>,
    commits: Family<CommandLabels, Counter>,
    commit_seconds: Family<CommandLabels, Histogram, fn() -> Histogram>,
    claims: Counter,
    subscribers: Gauge<i64, AtomicI64>,
    delivered: Counter<u64, AtomicU64>,
    work: Family<WorkLabels, Gauge>,
    state_reads: Counter<u64, AtomicU64>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut m = Metrics {
            registry: Registry::with_prefix("nexus"),
            requests: Family::default(),
            request_seconds: Family::new_with_constructor(latency),
            commits: Family::default(),
            commit_seconds: Family::new_with_constructor(latency),
            claims: Counter::default(),
            subscribers: Gauge::default(),
            delivered: Counter::default(),
            work: Family::default(),
            state_reads: Counter::default(),
        };
        let r = &mut m.registry;
        r.register(
            "http_requests",
            "HTTP requests by route, method and status",
            m.requests.clone(),
        );
        r.register(
            "http_request_seconds",
            "HTTP request latency by route",
            m.request_seconds.clone(),
        );
        r.register(
            "commits",
            "State changes committed, by command",
            m.commits.clone(),
        );
        r.register(
            "commit_seconds",
            "Time from request to durable commit, by command",
            m.commit_seconds.clone(),
        );
        r.register(
            "claims",
            "Work items claimed (claim and next)",
            m.claims.clone(),
        );
        r.register(
            "sse_subscribers",
            "Event stream subscribers connected",
            m.subscribers.clone(),
        );
        r.register(
            "sse_events_delivered",
            "Events sent to subscribers",
            m.delivered.clone(),
        );
        r.register(
            "work_items",
            "Work items by status and team",
            m.work.clone(),
        );
        r.register(
            "state_reads",
            "Whole reads of the state kept in memory for the pages and the list (one at start; more mean the events could not tell what changed)",
            m.state_reads.clone(),
        );
        m
    }
}

impl Metrics {
    /// One answered request.
    pub fn request(&self, route: &str, method: &str, status: u16, took: Duration) {
        self.requests
            .get_or_create(&RouteLabels {
                route: route.into(),
                method: method.into(),
                status,
            })
            .inc();
        self.request_seconds
            .get_or_create(&RouteOnly {
                route: route.into(),
            })
            .observe(took.as_secs_f64());
    }

    /// One committed change and the time it took to be durable.
    pub fn commit(&self, command: &str, took: Duration, json: &Value) {
        let labels = CommandLabels {
            command: command.into(),
        };
        self.commits.get_or_create(&labels).inc();
        self.commit_seconds
            .get_or_create(&labels)
            .observe(took.as_secs_f64());
        if json["command"] == "claim" {
            self.claims.inc();
        }
    }

    /// The text exposition, with the work items counted from `claims` (the
    /// server's current copy) and the server's running totals.
    pub fn render(&self, claims: &[ClaimRecord], now: Totals) -> String {
        self.subscribers
            .set(i64::try_from(now.subscribers).unwrap_or(i64::MAX));
        for (counter, total) in [
            (&self.delivered, now.delivered),
            (&self.state_reads, now.state_reads),
        ] {
            counter.inc_by(total.saturating_sub(counter.get()));
        }
        self.work.clear();
        for c in claims {
            self.work
                .get_or_create(&WorkLabels {
                    status: text(c, "status").unwrap_or("unknown").into(),
                    team: text(c, "team").unwrap_or("").into(),
                })
                .inc();
        }
        let mut out = String::new();
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}
