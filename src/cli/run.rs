//! Runs one parsed command line: the shared commands through their
//! handlers in [`crate::commands`], the rest through [`crate::app`].

use serde_json::json;

use super::Command;
use crate::ai::Kind;
use crate::app::{Outcome, Render, ai_cmd, doctor, report_of};
use crate::commands::Verb;
use crate::config::{Config, unix_nanos};
use crate::error::Result;

/// Run `cmd` with the settings of this process.
pub fn execute(cmd: &Command, cfg: &Config) -> Result<Outcome> {
    let store = cfg.open_store();
    match cmd {
        Command::Claim(a) => a.run(&store, cfg),
        Command::Add(a) => a.run(&store, cfg),
        Command::Dep(a) => a.run(&store, cfg),
        Command::Ready(a) => a.run(&store, cfg),
        Command::Blocked(a) => a.run(&store, cfg),
        Command::Release(a) => a.run(&store, cfg),
        Command::Heartbeat(a) => a.run(&store, cfg),
        Command::Priority(a) => a.run(&store, cfg),
        Command::List(a) => a.run(&store, cfg),
        Command::Show(a) => a.run(&store, cfg),
        Command::Status(a) => a.run(&store, cfg),
        Command::Agents(a) => a.run(&store, cfg),
        Command::Progress(a) => a.run(&store, cfg),
        Command::Complete(a) => a.run(&store, cfg),
        Command::Watch(a) => crate::app::watch::run(cfg, a),
        Command::Cleanup(a) => crate::app::changes::cleanup(&store, cfg, a),
        Command::Audit(a) => crate::app::reads::audit(&store, cfg, &a.action),
        Command::Mode => Ok(Outcome::new(
            cfg.mode.describe(),
            json!({"ok": true, "command": "mode", "mode": cfg.mode.name, "features": cfg.mode.features}),
        )),
        Command::Doctor(a) => doctor::run(&store, cfg, a.fix),
        Command::Register(a) => crate::app::changes::register(&store, cfg, a),
        Command::GenerateId => {
            let id = format!("agent_{}", unix_nanos());
            Ok(Outcome::new(format!("{id}\n"), json!({"agent_id": id})))
        }
        Command::Help(a) => super::help::topic(a.topic.as_deref()),
        Command::Dashboard(a) => a.run(&store, cfg),
        c if c.is_ceremony() => {
            let (name, render) = ceremony(c);
            report_of(&store, cfg, name, render)
        }
        Command::N8n(a) => crate::app::n8n_cmd::run(cfg, a),
        Command::Completions(a) => Ok(a.run()),
        Command::Man(a) => super::assets::man(a.out.as_deref()),
        Command::Mcp => crate::mcp::serve(cfg),
        Command::Serve(a) => crate::serve::run(cfg, a),
        Command::ClaudePriorities => ai_cmd::analysis(&store, cfg, Kind::Priorities, None),
        Command::ClaudeOptimize(a) => {
            ai_cmd::analysis(&store, cfg, Kind::Assignments, a.team.as_deref())
        }
        Command::ClaudeHealth => ai_cmd::analysis(&store, cfg, Kind::Health, None),
        Command::ClaudeTeam(a) => ai_cmd::analysis(&store, cfg, Kind::Team, a.team.as_deref()),
        Command::ClaudeDashboard => ai_cmd::dashboard(cfg),
        Command::ClaimIntelligent(a) => crate::commands::claim::intelligent(&store, cfg, a),
        Command::ClaudeStream(a) => ai_cmd::stream(&store, cfg, a),
        Command::ClaudePipe(a) => ai_cmd::pipe(cfg, a),
        Command::ClaudeEnhanced(a) => ai_cmd::enhanced(cfg, a),
        Command::Spans(a) => a.run(&store, cfg),
        Command::Store(a) => crate::app::store_cmd::run(&store, a),
        _ => unreachable!("every ceremony is matched above"),
    }
}

/// A ceremony's name and its report.
fn ceremony(cmd: &Command) -> (&'static str, Render) {
    let name = match cmd {
        Command::PiPlanning => "pi-planning",
        Command::ScrumOfScrums => "scrum-of-scrums",
        Command::InnovationPlanning => "innovation-planning",
        Command::SystemDemo => "system-demo",
        Command::InspectAdapt => "inspect-adapt",
        Command::ArtSync => "art-sync",
        Command::PortfolioKanban => "portfolio-kanban",
        Command::CoachTraining => "coach-training",
        _ => "value-stream",
    };
    crate::report::by_name(name).expect("every ceremony has a report")
}
