//! Runs one parsed command: validates its arguments into typed requests,
//! applies the mutation through the store, records the span, and returns the
//! human lines and the JSON object to print.

use std::time::Instant;

use serde_json::{Value, json};

use crate::cli::Command;
use crate::config::{Config, DEFAULT_TEAM, unix_nanos};
use crate::error::{NexusError, Result};
use crate::input::{Percent, non_empty, or_default, whole};
use crate::ops::{self, OpContext};
use crate::report::{self, Metrics};
use crate::store::FileStore;
use crate::telemetry::{Span, SpanStatus};

/// What a successful command prints: human lines, or one JSON object.
#[derive(Debug)]
pub struct Outcome {
    pub human: String,
    pub json: Value,
}

impl Outcome {
    fn new(human: String, json: Value) -> Outcome {
        Outcome { human, json }
    }
}

/// Run `cmd` with the settings of this process.
pub fn execute(cmd: &Command, cfg: &Config) -> Result<Outcome> {
    let store = FileStore::new(&cfg.dir, cfg.lock_timeout);
    match cmd {
        Command::Claim {
            work_type,
            description,
            priority,
            team,
        } => claim(
            &store,
            cfg,
            work_type,
            description,
            priority.as_deref(),
            team.as_deref(),
        ),
        Command::Progress { args } => progress(&store, cfg, args),
        Command::Complete {
            work_id,
            result,
            velocity_points,
        } => complete(
            &store,
            cfg,
            work_id.as_deref(),
            result.as_deref(),
            velocity_points.as_deref(),
        ),
        Command::Register {
            agent_id,
            team,
            capacity,
            specialization,
        } => register(
            &store,
            cfg,
            agent_id,
            team.as_deref(),
            capacity.as_deref(),
            specialization.as_deref(),
        ),
        Command::GenerateId => {
            let id = format!("agent_{}", unix_nanos());
            Ok(Outcome::new(format!("{id}\n"), json!({"agent_id": id})))
        }
        Command::Help => Ok(Outcome::new(
            crate::help::overview(),
            json!({"help": crate::help::overview()}),
        )),
        Command::Dashboard {
            text,
            once,
            refresh_ms,
        } => dashboard(&store, cfg, *text, *once, *refresh_ms),
        Command::PiPlanning => {
            report_of(&store, cfg, "pi-planning", report::ceremonies::pi_planning)
        }
        Command::ScrumOfScrums => report_of(
            &store,
            cfg,
            "scrum-of-scrums",
            report::ceremonies::scrum_of_scrums,
        ),
        Command::InnovationPlanning => report_of(
            &store,
            cfg,
            "innovation-planning",
            report::ceremonies::innovation_planning,
        ),
        Command::SystemDemo => {
            report_of(&store, cfg, "system-demo", report::ceremonies::system_demo)
        }
        Command::InspectAdapt => report_of(
            &store,
            cfg,
            "inspect-adapt",
            report::ceremonies::inspect_adapt,
        ),
        Command::ArtSync => report_of(&store, cfg, "art-sync", report::flow::art_sync),
        Command::PortfolioKanban => report_of(
            &store,
            cfg,
            "portfolio-kanban",
            report::flow::portfolio_kanban,
        ),
        Command::CoachTraining => {
            report_of(&store, cfg, "coach-training", report::flow::coach_training)
        }
        Command::ValueStream => report_of(&store, cfg, "value-stream", report::flow::value_stream),
    }
}

fn op_context(cfg: &Config) -> OpContext {
    OpContext {
        now: cfg.now,
        now_ns: unix_nanos(),
        trace: cfg.trace.clone(),
        service_name: cfg.service.name.clone(),
    }
}

/// Finish and append the command's span; a failure to record it is a warning,
/// never a failed command.
fn record_span(store: &FileStore, cfg: &Config, mut span: Span, started: Instant) {
    span.duration_ms = started.elapsed().as_millis() as u64;
    if let Err(e) = store.append_span_line(&span.to_line(&cfg.service)) {
        eprintln!("⚠️ WARNING: span not recorded: {e}");
    }
}

fn claim(
    store: &FileStore,
    cfg: &Config,
    work_type: &str,
    description: &str,
    priority: Option<&str>,
    team: Option<&str>,
) -> Result<Outcome> {
    let started = Instant::now();
    let req = ops::claim::ClaimRequest {
        work_type: non_empty("work type", work_type)?.to_string(),
        description: description.to_string(),
        priority: or_default(priority, "medium"),
        team: or_default(team, DEFAULT_TEAM),
        agent_id: cfg
            .agent_id
            .clone()
            .unwrap_or_else(|| format!("agent_{}", unix_nanos())),
    };
    let ctx = op_context(cfg);
    let mut span = Span::new(&cfg.trace, "s2s.work.claim", cfg.now);
    let result = store.update(|st| ops::claim::claim(st, &req, &ctx));
    let claimed = match result {
        Ok(c) => c,
        Err(e) => {
            if e.is_conflict() {
                span.status = SpanStatus::Error;
                span.attr("s2s.work_type", req.work_type.as_str())
                    .attr("s2s.priority", req.priority.as_str())
                    .attr("s2s.team", req.team.as_str())
                    .attr("s2s.operation", "work_claim")
                    .attr("s2s.status", "conflict")
                    .attr("s2s.error", e.kind());
                record_span(store, cfg, span, started);
            }
            return Err(e);
        }
    };
    span.attr("s2s.work_item_id", claimed.work_id.as_str())
        .attr("s2s.agent_id", req.agent_id.as_str())
        .attr("s2s.work_type", req.work_type.as_str())
        .attr("s2s.priority", req.priority.as_str())
        .attr("s2s.team", req.team.as_str())
        .attr("s2s.operation", "work_claim")
        .attr("s2s.status", "success");
    record_span(store, cfg, span, started);
    let capacity = claimed.agent.get("capacity").cloned().unwrap_or(json!(100));
    let human = format!(
        "🔍 Trace ID: {trace}\n🤖 Agent {agent} claiming work: {id}\n✅ SUCCESS: Claimed work item {id} for team {team}\n🔧 REGISTERED: Agent {agent} in team {team} with {capacity}% capacity\n",
        trace = cfg.trace.trace_id,
        agent = req.agent_id,
        id = claimed.work_id,
        team = req.team,
    );
    Ok(Outcome::new(
        human,
        json!({
            "ok": true,
            "command": "claim",
            "work_item_id": claimed.work_id,
            "agent_id": req.agent_id,
            "team": req.team,
            "trace_id": cfg.trace.trace_id,
            "span_id": cfg.trace.span_id,
            "traceparent": cfg.trace.traceparent(),
            "claim": claimed.record,
            "agent": claimed.agent,
        }),
    ))
}

/// Split legacy progress arguments into (work id, percent, status).
fn progress_args<'a>(cfg: &'a Config, args: &'a [String]) -> Result<(String, Percent, String)> {
    let (id, pct, status) = match args {
        // A lone number is the percent of $CURRENT_WORK_ITEM.
        [one] if Percent::parse(one).is_ok() => (None, Some(one.as_str()), None),
        _ => (
            args.first().map(String::as_str),
            args.get(1).map(String::as_str),
            args.get(2).map(String::as_str),
        ),
    };
    let id = match id.filter(|s| !s.is_empty()) {
        Some(i) => i.to_string(),
        None => cfg.current_work_item.clone().ok_or(NexusError::NoWorkId)?,
    };
    let pct = Percent::parse(pct.unwrap_or(""))?;
    Ok((id, pct, or_default(status, "in_progress")))
}

fn progress(store: &FileStore, cfg: &Config, args: &[String]) -> Result<Outcome> {
    let started = Instant::now();
    let (id, pct, status) = progress_args(cfg, args)?;
    let ctx = op_context(cfg);
    let record = store.update(|st| ops::progress::progress(st, &id, pct, &status, &ctx))?;
    let mut span = Span::new(&cfg.trace, "s2s.work.progress", cfg.now);
    span.attr("s2s.work_item_id", id.as_str())
        .attr("s2s.progress_percent", pct.to_json())
        .attr("s2s.status", status.as_str())
        .attr("s2s.operation", "progress_update");
    record_span(store, cfg, span, started);
    Ok(Outcome::new(
        format!(
            "🔍 Trace ID: {}\n📈 PROGRESS: Updated {id} to {pct}% ({status})\n",
            cfg.trace.trace_id
        ),
        json!({
            "ok": true, "command": "progress", "work_item_id": id, "progress": pct.to_json(),
            "status": status, "trace_id": cfg.trace.trace_id, "traceparent": cfg.trace.traceparent(),
            "claim": record,
        }),
    ))
}

fn complete(
    store: &FileStore,
    cfg: &Config,
    work_id: Option<&str>,
    result: Option<&str>,
    points: Option<&str>,
) -> Result<Outcome> {
    let started = Instant::now();
    let work_id = match work_id.filter(|s| !s.is_empty()) {
        Some(i) => i.to_string(),
        None => cfg.current_work_item.clone().ok_or(NexusError::NoWorkId)?,
    };
    let c = ops::complete::Completion {
        work_id,
        result: or_default(result, "success"),
        points: whole("velocity points", &or_default(points, "5"))?,
        agent_id: cfg.agent_id.clone(),
        velocity_team: cfg.agent_team.clone(),
    };
    let ctx = op_context(cfg);
    let done = store.update(|st| ops::complete::complete(st, &c, &ctx))?;
    let mut span = Span::new(&cfg.trace, "s2s.work.complete", cfg.now);
    span.attr("s2s.work_item_id", c.work_id.as_str())
        .attr("s2s.agent_id", done.log_entry["agent_id"].clone())
        .attr("s2s.team", c.velocity_team.as_str())
        .attr("s2s.result", c.result.as_str())
        .attr("s2s.velocity_points", c.points)
        .attr("s2s.operation", "work_complete");
    record_span(store, cfg, span, started);
    Ok(Outcome::new(
        format!(
            "✅ COMPLETED: Released claim for {id} ({result}) - {n} velocity points\n📊 VELOCITY: Added {n} points to team {team} velocity\n",
            id = c.work_id,
            result = c.result,
            n = c.points,
            team = c.velocity_team
        ),
        json!({
            "ok": true, "command": "complete", "work_item_id": c.work_id, "result": c.result,
            "velocity_points": c.points, "team": c.velocity_team, "trace_id": cfg.trace.trace_id,
            "traceparent": cfg.trace.traceparent(), "claim": done.record, "completion": done.log_entry,
        }),
    ))
}

fn register(
    store: &FileStore,
    cfg: &Config,
    agent_id: &str,
    team: Option<&str>,
    capacity: Option<&str>,
    specialization: Option<&str>,
) -> Result<Outcome> {
    let started = Instant::now();
    let reg = ops::register::Registration {
        agent_id: non_empty("agent id", agent_id)?.to_string(),
        team: or_default(team, DEFAULT_TEAM),
        capacity: whole("capacity", &or_default(capacity, "100"))?,
        specialization: or_default(specialization, "general_development"),
    };
    let ctx = op_context(cfg);
    let agent = store.update(|st| ops::register::register(st, &reg, &ctx))?;
    let mut span = Span::new(&cfg.trace, "s2s.agent.register", cfg.now);
    span.attr("s2s.agent_id", reg.agent_id.as_str())
        .attr("s2s.team", reg.team.as_str())
        .attr("s2s.capacity", reg.capacity)
        .attr("s2s.operation", "agent_register");
    record_span(store, cfg, span, started);
    Ok(Outcome::new(
        format!(
            "🔧 REGISTERED: Agent {} in team {} with {}% capacity\n",
            reg.agent_id, reg.team, reg.capacity
        ),
        json!({"ok": true, "command": "register", "trace_id": cfg.trace.trace_id, "agent": agent}),
    ))
}

fn dashboard(
    store: &FileStore,
    cfg: &Config,
    text: bool,
    once: bool,
    refresh_ms: u64,
) -> Result<Outcome> {
    use std::io::IsTerminal;
    if once {
        let frame = crate::tui::once(cfg);
        return Ok(Outcome::new(
            frame.clone(),
            json!({"ok": true, "command": "dashboard", "frame": frame}),
        ));
    }
    if text || cfg.json || !std::io::stdout().is_terminal() {
        return report_of(store, cfg, "dashboard", report::dashboard::render);
    }
    crate::tui::run(cfg, std::time::Duration::from_millis(refresh_ms))?;
    Ok(Outcome::new(
        String::new(),
        json!({"ok": true, "command": "dashboard"}),
    ))
}

fn report_of(
    store: &FileStore,
    cfg: &Config,
    name: &str,
    render: fn(&crate::store::Snapshot, &Metrics) -> String,
) -> Result<Outcome> {
    let snapshot = store.snapshot()?;
    let metrics = Metrics::compute(&snapshot, cfg.now);
    let text = render(&snapshot, &metrics);
    let json = json!({"ok": true, "command": name, "metrics": metrics, "text": text});
    Ok(Outcome::new(text, json))
}
