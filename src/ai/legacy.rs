//! The legacy shapes of the `claude_*.json` files. Scripts written for
//! coordination_helper.sh read these fields with jq, so every analysis, from a
//! model or offline, is normalised to them before it is saved: the legacy
//! field names keep their legacy types, and nexus's richer data goes into
//! extra fields (`system_health_score`, `priority_details`, `team_details`, …).
//!
//! A model may answer in the legacy shape or in nexus's richer one; both are
//! accepted here, and anything else is refused with the field at fault.

use serde_json::{Map, Value, json};

use super::Kind;

/// The values `system_health` takes in the priority analysis.
pub const HEALTH_STATES: [&str; 4] = ["healthy", "degraded", "critical", "unknown"];
/// The priority levels and recommendation horizons of the priority analysis.
pub const LEVELS: [&str; 4] = ["critical", "high", "medium", "low"];
pub const HORIZONS: [&str; 3] = ["immediate", "short_term", "long_term"];

/// What normalisation needs beyond the answer itself.
#[derive(Debug, Clone)]
pub struct Context {
    /// `analysis_timestamp` when the answer has none.
    pub timestamp: String,
    /// Active items in the analysed state (for the efficiency figures).
    pub active_items: usize,
}

type Obj = Map<String, Value>;
type Res<T> = Result<T, String>;

/// The answer in the legacy shape of `kind`, or what is wrong with it.
pub fn normalize(kind: Kind, v: Value, ctx: &Context) -> Res<Value> {
    let Value::Object(mut o) = v else {
        return Err("the answer must be a JSON object".into());
    };
    if !o.get("analysis_timestamp").is_some_and(Value::is_string) {
        o.insert("analysis_timestamp".into(), json!(ctx.timestamp));
    }
    confidence(&mut o, kind == Kind::Priorities)?;
    match kind {
        Kind::Priorities => priorities(&mut o)?,
        Kind::Assignments => assignments(&mut o, ctx)?,
        Kind::Health => health(&mut o)?,
        Kind::Team => team(&mut o)?,
    }
    Ok(Value::Object(o))
}

/// `confidence_score` from 0 to 1: required in the priority analysis (its
/// legacy schema has it); elsewhere the legacy `confidence`, else 0.5.
fn confidence(o: &mut Obj, required: bool) -> Res<()> {
    let n = match o.get("confidence_score").or_else(|| o.get("confidence")) {
        Some(v) => v
            .as_f64()
            .ok_or("confidence_score must be a number from 0 to 1")?,
        None if required => return Err("missing field confidence_score".into()),
        None => 0.5,
    };
    if !(0.0..=1.0).contains(&n) {
        return Err(format!("confidence_score must be from 0 to 1, not {n}"));
    }
    o.insert("confidence_score".into(), json!(n));
    Ok(())
}

/// An array field, empty when missing.
fn list(o: &Obj, path: &str, key: &str) -> Res<Vec<Value>> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => Ok(a.clone()),
        Some(_) => Err(format!("{path}{key} must be an array")),
    }
}

/// A recommendation as text: a string, or an object's action/description.
fn as_text(v: &Value, path: &str) -> Res<String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Object(o) => ["description", "action", "message", "text"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_str))
            .map(str::to_string)
            .ok_or_else(|| format!("{path} must be a string")),
        _ => Err(format!("{path} must be a string")),
    }
}

fn str_of<'a>(o: &'a Value, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| o.get(*k).and_then(Value::as_str))
}

fn priorities(o: &mut Obj) -> Res<()> {
    match o.get("system_health").cloned() {
        Some(Value::String(s)) => {
            let s = s.to_lowercase();
            if !HEALTH_STATES.contains(&s.as_str()) {
                return Err(format!(
                    "system_health must be one of {}, not {s}",
                    HEALTH_STATES.join(", ")
                ));
            }
            o.insert("system_health".into(), json!(s));
        }
        Some(Value::Object(h)) => {
            let status = h
                .get("status")
                .and_then(Value::as_str)
                .ok_or("system_health.status must be a string")?;
            o.insert("system_health".into(), json!(status.to_lowercase()));
            if let Some(score) = h.get("score").and_then(Value::as_f64) {
                o.insert("system_health_score".into(), json!(score));
            }
        }
        Some(_) => return Err("system_health must be a string".into()),
        None => return Err("missing field system_health".into()),
    }
    let p = o
        .get("priorities")
        .and_then(Value::as_object)
        .cloned()
        .ok_or("missing field priorities (an object of arrays of work ids)")?;
    let mut ids = Obj::new();
    let mut details = Obj::new();
    for level in LEVELS {
        let mut level_ids = Vec::new();
        let mut level_details = Vec::new();
        for (i, item) in list(&p, "priorities.", level)?.into_iter().enumerate() {
            match &item {
                Value::String(id) => level_ids.push(json!(id)),
                Value::Object(_) => {
                    let id = str_of(&item, &["work_item_id", "id"]).ok_or_else(|| {
                        format!("missing field priorities.{level}[{i}].work_item_id")
                    })?;
                    level_ids.push(json!(id));
                    level_details.push(item.clone());
                }
                _ => return Err(format!("priorities.{level}[{i}] must be a work id")),
            }
        }
        ids.insert(level.into(), Value::Array(level_ids));
        details.insert(level.into(), Value::Array(level_details));
    }
    o.insert("priorities".into(), Value::Object(ids));
    if details
        .values()
        .any(|d| d.as_array().is_some_and(|a| !a.is_empty()))
    {
        o.insert("priority_details".into(), Value::Object(details));
    }
    super::recommend::legacy_shape(o)?;
    let formation = match o.get("team_formation").cloned() {
        Some(Value::Object(f)) => list(&f, "team_formation.", "suggested_teams")?,
        Some(Value::Array(teams)) => {
            o.insert("team_details".into(), json!(teams));
            teams.iter().map(suggested_team).collect()
        }
        None | Some(Value::Null) => Vec::new(),
        Some(_) => return Err("team_formation must be an object with suggested_teams".into()),
    };
    o.insert(
        "team_formation".into(),
        json!({"suggested_teams": formation}),
    );
    let bottlenecks = list(o, "", "bottlenecks")?
        .into_iter()
        .enumerate()
        .map(|(i, b)| bottleneck(b, i))
        .collect::<Res<Vec<Value>>>()?;
    o.insert("bottlenecks".into(), json!(bottlenecks));
    Ok(())
}

/// A team of nexus's `team_formation` list as a legacy suggested team.
fn suggested_team(t: &Value) -> Value {
    json!({
        "team_name": str_of(t, &["team_name", "team"]).unwrap_or(""),
        "focus": str_of(t, &["focus", "suggestion", "status"]).unwrap_or(""),
        "members_needed": t.get("members_needed").and_then(Value::as_u64).unwrap_or(0),
    })
}

/// A bottleneck with the legacy `type`, `description` and `severity` strings;
/// other fields are kept.
fn bottleneck(b: Value, i: usize) -> Res<Value> {
    let Value::Object(mut b) = b else {
        return Err(format!("bottlenecks[{i}] must be an object"));
    };
    if !b.get("description").is_some_and(Value::is_string) {
        return Err(format!("missing field bottlenecks[{i}].description"));
    }
    if !b.get("type").is_some_and(Value::is_string) {
        let t = match b.get("kind").and_then(Value::as_str) {
            Some("team_load" | "work_type_pileup") => "resource",
            Some("stuck_progress") => "dependency",
            _ => "coordination",
        };
        b.insert("type".into(), json!(t));
    }
    if !b.get("severity").is_some_and(Value::is_string) {
        b.insert("severity".into(), json!("medium"));
    }
    Ok(Value::Object(b))
}

fn assignments(o: &mut Obj, ctx: &Context) -> Res<()> {
    let confidence = o["confidence_score"].clone();
    let changes = if o.contains_key("assignment_changes") {
        let changes = list(o, "", "assignment_changes")?;
        for (i, c) in changes.iter().enumerate() {
            for k in ["work_item", "to_agent"] {
                if str_of(c, &[k]).is_none() {
                    return Err(format!("missing field assignment_changes[{i}].{k}"));
                }
            }
        }
        changes
    } else if o.contains_key("assignments") {
        let mut changes = Vec::new();
        for (i, a) in list(o, "", "assignments")?.iter().enumerate() {
            let (Some(item), Some(to)) = (
                str_of(a, &["work_item_id"]),
                str_of(a, &["agent_id", "to_agent"]),
            ) else {
                return Err(format!(
                    "assignments[{i}] needs work_item_id and agent_id strings"
                ));
            };
            changes.push(json!({
                "work_item": item,
                "from_agent": str_of(a, &["from_agent"]).unwrap_or("unassigned"),
                "to_agent": to,
                "confidence": confidence,
                "reasoning": str_of(a, &["reason", "reasoning"]).unwrap_or(""),
            }));
        }
        changes
    } else {
        return Err("missing field assignment_changes".into());
    };
    let unassigned = list(o, "", "unassigned")?;
    if !o.get("optimization_type").is_some_and(Value::is_string) {
        o.insert("optimization_type".into(), json!("assignment_optimization"));
    }
    // Share of the active items that need no change now, and after the changes.
    let n = ctx.active_items.max(1) as f64;
    let needing = (changes.len() + unassigned.len()).min(ctx.active_items) as f64;
    let round = |x: f64| (x * 100.0).round() / 100.0;
    let current = round(1.0 - needing / n);
    let optimized = round(1.0 - (unassigned.len() as f64).min(n) / n);
    for (k, v) in [
        ("current_efficiency", current),
        ("optimized_efficiency", optimized),
        ("efficiency_gain", round(optimized - current)),
    ] {
        if !o.get(k).is_some_and(Value::is_number) {
            o.insert(k.into(), json!(v));
        }
    }
    o.insert("assignment_changes".into(), json!(changes));
    o.insert("unassigned".into(), json!(unassigned));
    Ok(())
}

fn health(o: &mut Obj) -> Res<()> {
    let score = o
        .get("health_score")
        .ok_or("missing field health_score")?
        .as_f64()
        .ok_or("health_score must be a number")?;
    // The legacy score is a fraction; nexus's answers give a percentage.
    let percent = if score > 1.0 { score } else { score * 100.0 };
    if !(0.0..=100.0).contains(&percent) {
        return Err(format!("health_score must be from 0 to 1, not {score}"));
    }
    o.insert("health_score".into(), json!(percent.round() / 100.0));
    o.insert("health_score_percent".into(), json!(percent.round()));
    if !o.get("status").is_some_and(Value::is_string) {
        let status = match percent {
            p if p >= 80.0 => "healthy",
            p if p >= 50.0 => "degraded",
            _ => "critical",
        };
        o.insert("status".into(), json!(status));
    }
    match o.get("component_health") {
        None | Some(Value::Null) => {
            o.insert("component_health".into(), json!({}));
        }
        Some(Value::Object(_)) => {}
        Some(_) => return Err("component_health must be an object".into()),
    }
    let alerts = list(o, "", "alerts")?
        .into_iter()
        .map(|a| match a {
            Value::String(s) => json!({"severity": "info", "message": s}),
            other => other,
        })
        .collect::<Vec<Value>>();
    o.insert("alerts".into(), json!(alerts));
    let recs = match o.get("recommendations").cloned() {
        // The other legacy health shape: recommendations by horizon.
        Some(Value::Object(by)) => {
            let mut out = Vec::new();
            for (h, prio) in HORIZONS.iter().zip(["high", "medium", "low"]) {
                for (i, r) in list(&by, "recommendations.", h)?.iter().enumerate() {
                    out.push(recommendation(
                        r,
                        prio,
                        &format!("recommendations.{h}[{i}]"),
                    )?);
                }
            }
            out
        }
        _ => list(o, "", "recommendations")?
            .iter()
            .enumerate()
            .map(|(i, r)| recommendation(r, "medium", &format!("recommendations[{i}]")))
            .collect::<Res<Vec<Value>>>()?,
    };
    o.insert("recommendations".into(), json!(recs));
    if let Some(m) = o.get("metrics")
        && !m.is_object()
    {
        return Err("metrics must be an object".into());
    }
    Ok(())
}

/// A legacy health recommendation: `{priority, action, description}`.
fn recommendation(r: &Value, priority: &str, path: &str) -> Res<Value> {
    let description = as_text(r, path)?;
    let mut out = match r {
        Value::Object(o) => o.clone(),
        _ => Obj::new(),
    };
    if !out.get("priority").is_some_and(Value::is_string) {
        out.insert("priority".into(), json!(priority));
    }
    if !out.get("action").is_some_and(Value::is_string) {
        out.insert("action".into(), json!(action_slug(&description)));
    }
    out.insert("description".into(), json!(description));
    Ok(Value::Object(out))
}

/// `Review the 3 stale items` → `review_the_stale_items`: a short action key.
pub(super) fn action_slug(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .take(4)
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        "review".into()
    } else {
        words.join("_")
    }
}

fn team(o: &mut Obj) -> Res<()> {
    let teams = list(o, "", "teams")?;
    for (i, t) in teams.iter().enumerate() {
        if str_of(t, &["team"]).is_none() {
            return Err(format!("missing field teams[{i}].team"));
        }
    }
    let suggested = match o.get("team_formation") {
        Some(Value::Object(f)) => list(f, "team_formation.", "suggested_teams")?,
        Some(Value::Array(_)) => {
            return Err("team_formation must be an object with suggested_teams".into());
        }
        _ if !o.contains_key("teams") => {
            return Err("missing field teams (or team_formation.suggested_teams)".into());
        }
        _ => teams
            .iter()
            .filter(|t| str_of(t, &["status"]).is_some_and(|s| s != "ok"))
            .map(suggested_team)
            .collect(),
    };
    o.insert("teams".into(), json!(teams));
    o.insert(
        "team_formation".into(),
        json!({"suggested_teams": suggested}),
    );
    let recs = list(o, "", "recommendations")?
        .iter()
        .enumerate()
        .map(|(i, r)| as_text(r, &format!("recommendations[{i}]")))
        .collect::<Res<Vec<String>>>()?;
    o.insert("recommendations".into(), json!(recs));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        Context {
            timestamp: "2025-06-17T00:00:00Z".into(),
            active_items: 4,
        }
    }

    #[test]
    fn legacy_and_rich_priority_answers_give_the_legacy_shape() {
        let legacy = json!({"system_health": "Degraded", "priorities": {"critical": ["work_1"], "high": []},
            "recommendations": {"immediate": ["a"]}, "team_formation": {"suggested_teams": []},
            "bottlenecks": [{"type": "resource", "description": "d", "severity": "high"}], "confidence_score": 0.8});
        let v = normalize(Kind::Priorities, legacy, &ctx()).unwrap();
        assert_eq!(v["system_health"], "degraded");
        assert_eq!(v["priorities"]["critical"], json!(["work_1"]));
        assert_eq!(v["priorities"]["low"], json!([]));
        assert_eq!(v["recommendations_by_horizon"]["long_term"], json!([]));
        assert_eq!(v["recommendations"][0]["reasoning"], "a");
        assert_eq!(v["confidence"], 0.8);
        assert_eq!(v["analysis_timestamp"], "2025-06-17T00:00:00Z");
        let rich = json!({"system_health": {"score": 70, "status": "degraded"},
            "priorities": {"high": [{"work_item_id": "work_2", "reason": "r"}]},
            "recommendations": {}, "team_formation": [{"team": "t", "suggestion": "s", "members_needed": 2}],
            "bottlenecks": [{"kind": "team_load", "description": "d"}], "confidence_score": 1});
        let v = normalize(Kind::Priorities, rich, &ctx()).unwrap();
        assert_eq!(v["system_health"], "degraded");
        assert_eq!(v["system_health_score"], 70.0);
        assert_eq!(v["priorities"]["high"], json!(["work_2"]));
        assert_eq!(v["priority_details"]["high"][0]["reason"], "r");
        assert_eq!(
            v["team_formation"]["suggested_teams"][0],
            json!({"team_name": "t", "focus": "s", "members_needed": 2})
        );
        assert_eq!(v["bottlenecks"][0]["type"], "resource");
        assert_eq!(v["bottlenecks"][0]["severity"], "medium");
    }

    #[test]
    fn bad_answers_name_the_field() {
        let no_health = json!({"priorities": {}, "recommendations": {}, "confidence_score": 0.5});
        let e = normalize(Kind::Priorities, no_health, &ctx()).unwrap_err();
        assert_eq!(e, "missing field system_health");
        let bad = json!({"system_health": "fine", "confidence_score": 0.5});
        assert!(
            normalize(Kind::Priorities, bad, &ctx())
                .unwrap_err()
                .contains("healthy, degraded, critical, unknown")
        );
        let e = normalize(Kind::Team, json!({"confidence_score": 2}), &ctx()).unwrap_err();
        assert!(e.contains("confidence_score"), "{e}");
        assert!(normalize(Kind::Team, json!([]), &ctx()).is_err());
    }

    #[test]
    fn health_and_assignments_take_their_legacy_types() {
        let v = normalize(
            Kind::Health,
            json!({"health_score": 88, "recommendations": ["Rebalance a"]}),
            &ctx(),
        )
        .unwrap();
        assert_eq!(v["health_score"], 0.88);
        assert_eq!(v["health_score_percent"], 88.0);
        assert_eq!(v["status"], "healthy");
        assert_eq!(v["recommendations"][0]["action"], "rebalance_a");
        assert_eq!(v["recommendations"][0]["description"], "Rebalance a");
        let v = normalize(
            Kind::Assignments,
            json!({"assignments": [{"work_item_id": "w", "agent_id": "a", "from_agent": "b", "reason": "r"}], "unassigned": ["x"]}),
            &ctx(),
        )
        .unwrap();
        assert_eq!(v["assignment_changes"][0]["to_agent"], "a");
        assert_eq!(v["assignment_changes"][0]["from_agent"], "b");
        assert_eq!(v["current_efficiency"], 0.5);
        assert_eq!(v["optimized_efficiency"], 0.75);
        assert_eq!(v["efficiency_gain"], 0.25);
        assert_eq!(v["optimization_type"], "assignment_optimization");
    }
}
