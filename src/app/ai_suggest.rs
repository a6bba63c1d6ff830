//! What `claim-intelligent` should use: the team and priority the completed
//! history, the specialisations and the bottlenecks suggest (or the
//! configured model's answer), saved as the legacy recommendation file.

use std::time::Instant;

use serde_json::json;

use super::ai_cmd::save;
use crate::ai::{self, Provider};
use crate::config::Config;
use crate::records::text;
use crate::store::Snapshot;

/// What `claim-intelligent` should use: (team, priority, reason).
pub fn suggest_claim(
    s: &Snapshot,
    cfg: &Config,
    work_type: &str,
    team: Option<&str>,
    priority: Option<&str>,
) -> (String, String, String) {
    let facts = ai::offline::Facts::new(s, cfg.now, cfg.ai.offline_after_secs);
    let given = |v: Option<&str>| v.filter(|x| !x.is_empty()).map(str::to_string);
    let history = s
        .claims
        .iter()
        .filter(|c| {
            text(c, "work_type") == Some(work_type) && text(c, "status") == Some("completed")
        })
        .filter_map(|c| text(c, "team"))
        .fold(
            std::collections::BTreeMap::<&str, usize>::new(),
            |mut m, t| {
                *m.entry(t).or_default() += 1;
                m
            },
        );
    let (team_given, prio_given) = (given(team).is_some(), given(priority).is_some());
    let (team, team_why) = match given(team) {
        Some(t) => (t, "team as given".to_string()),
        None => match history
            .iter()
            .max_by_key(|(t, n)| (**n, std::cmp::Reverse(**t)))
        {
            Some((t, n)) => (
                t.to_string(),
                format!("{t} completed {n} {work_type} items"),
            ),
            None => match facts.best_agent(None, Some(work_type)) {
                Some(p) if p.by_specialization => {
                    let why = format!("{} has an agent specialised in {work_type}", p.team);
                    (p.team, why)
                }
                _ => (
                    crate::config::DEFAULT_TEAM.into(),
                    "no history for this work type".into(),
                ),
            },
        },
    };
    let pressure = facts
        .bottlenecks()
        .iter()
        .any(|b| b["work_type"] == work_type || b["team"] == team.as_str());
    let (priority, prio_why) = match given(priority) {
        Some(p) => (p, "priority as given".to_string()),
        None if pressure => (
            "high".into(),
            "its type or team is a bottleneck".to_string(),
        ),
        None => (
            "medium".into(),
            "no pressure on this type or team".to_string(),
        ),
    };
    let offline = (team, priority, format!("{team_why}; {prio_why}"));
    let (source, chosen) = match ask_model(s, cfg, work_type) {
        Some((name, (t, p, why))) => (
            name,
            (
                if team_given { offline.0 } else { t },
                if prio_given { offline.1 } else { p },
                why,
            ),
        ),
        None => ("offline", offline),
    };
    save_recommendation(cfg, work_type, &chosen, source);
    chosen
}

/// Save the routing decision as the legacy `claude_work_recommendation_<agent>.json`
/// (`recommendation.action` is what legacy callers read).
fn save_recommendation(
    cfg: &Config,
    work_type: &str,
    (team, priority, why): &(String, String, String),
    source: &str,
) {
    let agent = cfg.agent_id.as_deref().unwrap_or("anonymous");
    let v = json!({
        "analysis_timestamp": crate::records::timestamp(cfg.now),
        "requesting_agent": agent,
        "requested_work_type": work_type,
        "recommendation": {
            "action": format!("claim {work_type} for team {team} at priority {priority}"),
            "team": team,
            "priority": priority,
            "reasoning": why,
        },
        "confidence_score": if source == "offline" { 0.5 } else { 0.8 },
        "analysis_source": source,
    });
    let path = cfg
        .dir
        .join(format!("claude_work_recommendation_{agent}.json"));
    if let Err(e) = save(&path, &v) {
        tracing::warn!("cannot save the work recommendation: {e}");
    }
}

/// Ask the configured model for a team and priority; `None` when offline or
/// when its answer is not usable. The answer may be flat or, as in the legacy
/// file, inside `recommendation`.
fn ask_model(
    s: &Snapshot,
    cfg: &Config,
    work_type: &str,
) -> Option<(&'static str, (String, String, String))> {
    let provider = cfg.ai.provider.clone();
    if provider == Provider::Offline {
        return None;
    }
    let facts = ai::offline::Facts::new(s, cfg.now, cfg.ai.offline_after_secs);
    let system = "You route new work items in a fleet of AI coding agents. Answer with one JSON object only: {\"recommendation\": {\"action\": \"<what to do>\", \"team\": \"<team>\", \"priority\": \"critical|high|medium|low\", \"reasoning\": \"<one sentence>\"}}";
    let prompt = format!(
        "New work item of type {work_type}. Teams and their load:\n{}",
        json!(facts.m.teams)
    );
    let answer = provider
        .ask(system, &prompt, Instant::now() + cfg.ai.timeout)
        .ok()?;
    let answer = ai::schema::extract_json(&answer)?;
    let v = answer.get("recommendation").unwrap_or(&answer);
    let team = v["team"].as_str().filter(|t| !t.is_empty())?.to_string();
    let priority = v["priority"]
        .as_str()
        .filter(|p| crate::input::PRIORITIES.contains(p))?
        .to_string();
    let reason = text(v, "reason")
        .or_else(|| text(v, "reasoning"))
        .unwrap_or("");
    let why = format!("{}: {reason}", provider.name());
    Some((provider.name(), (team, priority, why)))
}
