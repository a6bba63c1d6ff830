//! Runs one parsed command and returns its [`Outcome`].
//!
//! - `mutate`: the state-changing commands, each a request validated at the
//!   edge plus a pure operation from `ops`, run through `mutation`, the one
//!   path that makes it a store step and derives span, audit, webhook event
//!   and trace fields from the step's changes;
//! - `views`, the reports here, `ai_cmd` and `doctor`: readers of a snapshot
//!   (doctor's repairs go through the store's own examination);
//! - `n8n_cmd`, `assets`, `traced`: n8n workflows, completions and man
//!   pages, span export.

mod ai_cmd;
pub mod assets;
mod doctor;
mod mutate;
mod mutation;
mod n8n_cmd;
mod queue;
mod store_cmd;
mod traced;
mod views;
mod watch;

use serde_json::json;

use crate::ai::Kind;
use crate::cli::{Command, SpansCommand};
use crate::config::{Config, unix_nanos};
use crate::error::Result;
use crate::report::{self, Metrics};
use crate::store::{AnyStore, Store};
use mutate::{claim, complete, progress, register};

pub use crate::outcome::Outcome;

/// Run `cmd` with the settings of this process.
pub fn execute(cmd: &Command, cfg: &Config) -> Result<Outcome> {
    let store = AnyStore::open(cfg);
    match cmd {
        Command::Claim {
            next: true,
            next_team,
            lease,
            ..
        } => mutate::claim_next(&store, cfg, next_team.as_deref(), lease.as_deref()),
        Command::Claim {
            work_type,
            description,
            priority,
            team,
            lease,
            ..
        } => claim(
            &store,
            cfg,
            work_type.as_deref().unwrap_or_default(),
            description.as_deref().unwrap_or_default(),
            priority.as_deref(),
            team.as_deref(),
            lease.as_deref(),
        ),
        Command::Add {
            work_type,
            description,
            priority,
            team,
            depends_on,
        } => mutate::add(
            &store,
            cfg,
            work_type,
            description,
            priority.as_deref(),
            team.as_deref(),
            depends_on,
        ),
        Command::Dep { action } => queue::dep(&store, cfg, action),
        Command::Ready { team } => queue::ready(&store, cfg, team.as_deref()),
        Command::Blocked { team } => queue::blocked(&store, team.as_deref()),
        Command::Watch {
            since,
            team,
            no_follow,
        } => watch::run(
            cfg,
            &watch::Watch {
                since: *since,
                team: team.as_deref(),
                follow: !*no_follow,
            },
        ),
        Command::Release { work_id } => mutate::release(&store, cfg, work_id),
        Command::Heartbeat { agent_id } => mutate::heartbeat(&store, cfg, agent_id.as_deref()),
        Command::Cleanup {
            ttl,
            archive_after,
            dry_run,
        } => mutate::cleanup(&store, cfg, ttl, archive_after, *dry_run),
        Command::List {
            status,
            team,
            agent,
            priority,
        } => views::list(
            &store,
            cfg.json,
            [
                status.as_deref(),
                team.as_deref(),
                agent.as_deref(),
                priority.as_deref(),
            ],
        ),
        Command::Show { work_id } => views::show(&store, cfg, work_id),
        Command::Status => views::status(&store, cfg),
        Command::Audit { action } => views::audit(&store, cfg, action),
        Command::Mode => Ok(Outcome::new(
            cfg.mode.describe(),
            json!({"ok": true, "command": "mode", "mode": cfg.mode.name, "features": cfg.mode.features}),
        )),
        Command::Doctor { fix } => doctor::run(&store, cfg, *fix),
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
        c @ (Command::PiPlanning
        | Command::ScrumOfScrums
        | Command::InnovationPlanning
        | Command::SystemDemo
        | Command::InspectAdapt
        | Command::ArtSync
        | Command::PortfolioKanban
        | Command::CoachTraining
        | Command::ValueStream) => {
            let (name, render) = ceremony(c);
            report_of(&store, cfg, name, render)
        }
        Command::N8n { action } => n8n_cmd::run(cfg, action),
        Command::Completions { shell } => {
            let script = assets::completions(*shell);
            Ok(Outcome::new(
                script.clone(),
                json!({"ok": true, "command": "completions", "script": script}),
            ))
        }
        Command::Man { out } => assets::man(out.as_deref()),
        Command::Mcp => crate::mcp::serve(cfg),
        Command::ClaudePriorities => ai_cmd::analysis(&store, cfg, Kind::Priorities, None),
        Command::ClaudeOptimize { team } => {
            ai_cmd::analysis(&store, cfg, Kind::Assignments, team.as_deref())
        }
        Command::ClaudeHealth => ai_cmd::analysis(&store, cfg, Kind::Health, None),
        Command::ClaudeTeam { team } => ai_cmd::analysis(&store, cfg, Kind::Team, team.as_deref()),
        Command::ClaudeDashboard => ai_cmd::dashboard(cfg),
        Command::ClaimIntelligent {
            work_type,
            description,
            priority,
            team,
        } => claim_intelligent(
            &store,
            cfg,
            work_type,
            description,
            priority.as_deref(),
            team.as_deref(),
        ),
        Command::ClaudeStream {
            focus,
            duration,
            interval,
        } => ai_cmd::stream(
            &store,
            cfg,
            focus.as_deref().unwrap_or("system"),
            duration.unwrap_or(60),
            *interval,
        ),
        Command::ClaudePipe { analysis_type } => ai_cmd::pipe(cfg, analysis_type.as_deref()),
        Command::ClaudeEnhanced {
            analysis_type,
            input,
            output,
        } => ai_cmd::enhanced(cfg, analysis_type, input, output),
        Command::Spans {
            action: SpansCommand::Export { since },
        } => traced::replay(&store, cfg, since.as_deref()),
        Command::Store { action } => store_cmd::run(&store, action),
    }
}

/// `claim-intelligent`: claim with the suggested team and priority, and say
/// what the suggestion changed.
fn claim_intelligent(
    store: &AnyStore,
    cfg: &Config,
    work_type: &str,
    description: &str,
    priority: Option<&str>,
    team: Option<&str>,
) -> Result<Outcome> {
    let snapshot = store.snapshot()?;
    let (t, p, why) = ai_cmd::suggest_claim(&snapshot, cfg, work_type, team, priority);
    let mut out = claim(store, cfg, work_type, description, Some(&p), Some(&t), None)?;
    let was = |v: Option<&str>, d: &str| v.filter(|x| !x.is_empty()).unwrap_or(d).to_string();
    out.human.push_str(&format!(
        "🧠 AI SUGGESTION: team {} (default {}), priority {} (default {}): {}\n",
        crate::text::field(&t),
        crate::text::field(&was(team, crate::config::DEFAULT_TEAM)),
        crate::text::field(&p),
        crate::text::field(&was(priority, "medium")),
        crate::text::line(&why)
    ));
    out.json["suggestion"] = json!({"team": t, "priority": p, "reason": why});
    Ok(out)
}

fn dashboard(
    store: &AnyStore,
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

/// A ceremony's name and its report.
type Render = fn(&crate::store::Snapshot, &Metrics) -> String;

fn ceremony(cmd: &Command) -> (&'static str, Render) {
    use report::{ceremonies as c, flow as f};
    match cmd {
        Command::PiPlanning => ("pi-planning", c::pi_planning),
        Command::ScrumOfScrums => ("scrum-of-scrums", c::scrum_of_scrums),
        Command::InnovationPlanning => ("innovation-planning", c::innovation_planning),
        Command::SystemDemo => ("system-demo", c::system_demo),
        Command::InspectAdapt => ("inspect-adapt", c::inspect_adapt),
        Command::ArtSync => ("art-sync", f::art_sync),
        Command::PortfolioKanban => ("portfolio-kanban", f::portfolio_kanban),
        Command::CoachTraining => ("coach-training", f::coach_training),
        _ => ("value-stream", f::value_stream),
    }
}

fn report_of(store: &AnyStore, cfg: &Config, name: &str, render: Render) -> Result<Outcome> {
    let snapshot = store.snapshot()?;
    let metrics = Metrics::compute(&snapshot, cfg.now);
    let text = render(&snapshot, &metrics);
    // The metrics list every stale item: built as JSON only when printed.
    let json = match cfg.json {
        true => json!({"ok": true, "command": name, "metrics": metrics, "text": text}),
        false => serde_json::Value::Null,
    };
    Ok(Outcome::new(text, json))
}
