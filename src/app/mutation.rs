//! The one path every state change takes: a command declares what it is
//! ([`Spec`]) and hands over its pure operation; the runner opens the span,
//! runs the operation in one store step (the span line and the audit lines
//! join that step), and derives everything else from the step's list of
//! changes: the span's attributes, the webhook event, the OTLP export and the
//! trace fields of the `--json` object.

use std::time::Instant;

use serde_json::{Value, json};

use super::traced::export;
use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::mode::Feature;
use crate::n8n::{Event, events};
use crate::ops::OpContext;
use crate::records::{self, text};
use crate::store::{AnyStore, State, Store};
use crate::store::{Change, Step};
use crate::telemetry::{Span, SpanStatus};

/// What a mutating command is, for its span, audit lines and event.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Span name, e.g. `s2s.work.claim`.
    pub operation: &'static str,
    /// Command name in audit lines and `--json`, e.g. `claim`.
    pub command: &'static str,
    /// Webhook event kind, e.g. `work.claimed`.
    pub event: &'static str,
    /// The agent acting, when known before the step.
    pub agent: Option<String>,
    /// Span attributes known before the step (the request's values).
    pub attrs: Vec<(&'static str, Value)>,
    /// What the step asks first (stores may ask it as the step begins).
    pub ahead: Ahead,
}

/// What a step asks first: a new work id, then its agent's record.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ahead {
    pub work_id: bool,
    pub agent: bool,
}

/// A finished step: the operation's value and what it changed (kept only
/// when a webhook is to be told).
#[derive(Debug)]
pub struct Applied<T> {
    pub value: T,
    pub changes: Vec<Change>,
}

/// The operation context of this run (clock, ids, trace).
pub fn op_context(cfg: &Config) -> OpContext {
    OpContext {
        now: cfg.now,
        now_ns: cfg.now_ns(),
        trace: cfg.trace.clone(),
        service_name: cfg.service.name.clone(),
        lease_ttl: cfg.lease_ttl,
    }
}

/// The trace fields every mutation reports in `--json`, merged with `extra`.
pub fn with_trace(cfg: &Config, extra: Value) -> Value {
    let mut v = json!({"trace_id": cfg.trace.trace_id, "span_id": cfg.trace.span_id,
                       "traceparent": cfg.trace.traceparent()});
    records::merge(&mut v, extra);
    v
}

/// Run `op` as one step of `store` and derive its effects.
pub fn run<T: Send>(
    store: &AnyStore,
    cfg: &Config,
    spec: Spec,
    op: impl FnOnce(&mut dyn State, &OpContext) -> Result<T> + Send,
) -> Result<Applied<T>> {
    if let Some(bad) = &cfg.unusable_agent_id {
        let why = "must not be empty or contain control characters";
        return refuse(
            cfg,
            spec.operation,
            NexusError::invalid("AGENT_ID", bad, why),
        );
    }
    let started = Instant::now();
    let mut span = Span::new(&cfg.trace, spec.operation, cfg.now);
    for (k, v) in &spec.attrs {
        span.attr(k, v.clone());
    }
    let ctx = op_context(cfg);
    let step = Step {
        command: spec.command.to_string(),
        agent: spec.agent.clone(),
        trace_id: cfg.trace.trace_id.clone(),
        timestamp: records::timestamp(cfg.now),
        audit: cfg.mode.on(Feature::Audit),
        new_work_id: spec.ahead.work_id.then_some(ctx.now_ns),
        agent_first: spec.ahead.agent,
    };
    let result = store.update(&step, |st| {
        let value = op(st, &ctx)?;
        describe(&mut span, &spec, st.changes());
        // Kept past the step only for the webhook, which is sent after it.
        let changes = match cfg.n8n.webhook_url {
            Some(_) => st.changes().to_vec(),
            None => Vec::new(),
        };
        span.duration_ms = started.elapsed().as_millis() as u64;
        st.add_span(&span.to_line(&cfg.service));
        Ok(Applied { value, changes })
    });
    match &result {
        Ok(done) => {
            notify(cfg, &spec, &done.changes);
            if cfg.mode.on(Feature::ExpectExporters) {
                super::traced::warn_once_unconfigured(cfg);
            }
        }
        Err(e) => {
            span.status = SpanStatus::Error;
            span.duration_ms = started.elapsed().as_millis() as u64;
            span.attr(
                "s2s.status",
                if e.is_conflict() { "conflict" } else { "error" },
            )
            .attr("s2s.error", e.kind())
            .attr("s2s.error_message", e.to_string());
        }
    }
    export(std::slice::from_ref(&span), cfg);
    result.map_err(|e| retry_hint(e, cfg.request_id.as_deref()))
}

/// Say how to retry a step whose outcome is unknown: with its request id a
/// retry returns the stored result; without one, only a look can tell.
pub fn retry_hint(e: NexusError, request_id: Option<&str>) -> NexusError {
    let NexusError::OutcomeUnknown { store, .. } = e else {
        return e;
    };
    let retry = match request_id {
        Some(r) => format!("run it again with --request-id {r}: a retry with it returns the stored result instead of acting twice"),
        None => "see with `nexus show` or `nexus list` whether it took effect before running it again (a command given --request-id can simply be run again)".into(),
    };
    NexusError::OutcomeUnknown { store, retry }
}

/// A request refused before its step (bad input): its span, with error
/// status, goes to the collector only; no file changes.
pub fn refuse<T>(cfg: &Config, operation: &'static str, e: NexusError) -> Result<T> {
    let mut span = Span::new(&cfg.trace, operation, cfg.now);
    span.status = SpanStatus::Error;
    span.attr("s2s.status", "error")
        .attr("s2s.error", e.kind())
        .attr("s2s.error_message", e.to_string());
    export(std::slice::from_ref(&span), cfg);
    Err(e)
}

/// The first claim and the first agent the step changed, as they are after it.
fn subjects(changes: &[Change]) -> (Option<&Change>, Option<&Change>) {
    (
        changes.iter().find(|c| c.kind == "claim"),
        changes.iter().find(|c| c.kind == "agent"),
    )
}

/// Span attributes derived from the changes.
fn describe(span: &mut Span, spec: &Spec, changes: &[Change]) {
    let (claim, agent) = subjects(changes);
    let after = claim.and_then(|c| c.after.as_ref());
    if let Some(c) = claim {
        span.attr("s2s.work_item_id", c.id.as_str());
    }
    let agent_id = spec
        .agent
        .clone()
        .or_else(|| after.and_then(|a| text(a, "agent_id")).map(str::to_string))
        .or_else(|| agent.map(|a| a.id.clone()));
    if let Some(a) = agent_id {
        span.attr("s2s.agent_id", a);
    }
    if let Some(t) = after.and_then(|a| text(a, "team")) {
        span.attr("s2s.team", t);
    }
    span.attr("s2s.records_changed", changes.len())
        .attr("s2s.status", "success");
}

/// Post the webhook event of a step that changed something.
fn notify(cfg: &Config, spec: &Spec, changes: &[Change]) {
    if changes.is_empty() || cfg.n8n.webhook_url.is_none() {
        return;
    }
    let (claim, agent) = subjects(changes);
    let work_item = claim.and_then(|c| c.after.clone());
    let agent_after = agent.and_then(|a| a.after.as_ref());
    let event = Event {
        kind: spec.event,
        agent_id: spec
            .agent
            .clone()
            .or_else(|| {
                work_item
                    .as_ref()
                    .and_then(|w| text(w, "agent_id"))
                    .map(str::to_string)
            })
            .or_else(|| agent.map(|a| a.id.clone())),
        team: work_item
            .as_ref()
            .and_then(|w| text(w, "team"))
            .or_else(|| agent_after.and_then(|a| text(a, "team")))
            .map(str::to_string),
        work_item,
    };
    let mut all = vec![event];
    // A step that enrols a new agent (a first claim) registers it too.
    if let Some(a) = agent.filter(|a| a.before.is_none() && spec.event != "agent.registered") {
        all.push(Event {
            kind: "agent.registered",
            agent_id: Some(a.id.clone()),
            team: agent_after
                .and_then(|a| text(a, "team"))
                .map(str::to_string),
            work_item: None,
        });
    }
    for event in all {
        let body = event.body(&cfg.trace.trace_id, &records::timestamp(cfg.now));
        if let Some(Err(e)) = events::deliver(&cfg.n8n, &body) {
            tracing::warn!("n8n event {} not delivered: {e}", event.kind);
        }
    }
}
