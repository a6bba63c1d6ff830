//! The recommendations of the priority analysis in the shape its callers
//! read. The legacy script defines the analysis twice and the second
//! definition wins: `.recommendations` is an array of objects
//! (`work_type`, `priority_score`, `reasoning`, `recommended_action`) and
//! `.confidence` a number from 0 to 1; scripts read
//! `.recommendations[0].work_type`. The first definition's horizons
//! (`immediate`, `short_term`, `long_term`) stay in the extra field
//! `recommendations_by_horizon`. A model may answer in either shape.

use serde_json::{Map, Value, json};

use super::legacy::{HORIZONS, action_slug as slug};

type Obj = Map<String, Value>;
type Res<T> = Result<T, String>;

/// The work type of a recommendation that names none.
pub const GENERAL_WORK_TYPE: &str = "coordination";

/// Rewrite `o.recommendations` (horizons or an array) into the array of
/// objects plus `recommendations_by_horizon`, and set `confidence` from
/// `confidence_score`.
pub fn legacy_shape(o: &mut Obj) -> Res<()> {
    let mut items: Vec<(Value, &'static str)> = Vec::new();
    match o.get("recommendations") {
        Some(Value::Object(h)) => {
            for horizon in HORIZONS {
                match h.get(horizon) {
                    None | Some(Value::Null) => {}
                    Some(Value::Array(a)) => items.extend(a.iter().map(|v| (v.clone(), horizon))),
                    Some(_) => return Err(format!("recommendations.{horizon} must be an array")),
                }
            }
        }
        Some(Value::Array(a)) => {
            for v in a {
                let score = v.get("priority_score").and_then(Value::as_f64);
                items.push((v.clone(), horizon_of(score)));
            }
        }
        _ => {
            return Err(
                "missing field recommendations (an array of objects with work_type, or immediate, short_term, long_term)"
                    .into(),
            );
        }
    }
    let mut by_horizon: Obj = HORIZONS
        .iter()
        .map(|h| (h.to_string(), json!([])))
        .collect();
    let mut rank: Map<String, Value> = Map::new();
    let mut out = Vec::new();
    for (i, (item, horizon)) in items.into_iter().enumerate() {
        let path = format!("recommendations[{i}]");
        let reasoning = reasoning(&item)
            .ok_or_else(|| format!("{path} must be a string or an object with reasoning"))?;
        let nth = rank.entry(horizon).or_insert(json!(0));
        let n = nth.as_u64().unwrap_or(0);
        *nth = json!(n + 1);
        let mut rec = match item {
            Value::Object(m) => m,
            _ => Obj::new(),
        };
        if !rec.get("work_type").is_some_and(Value::is_string) {
            rec.insert("work_type".into(), json!(GENERAL_WORK_TYPE));
        }
        if !rec.get("priority_score").is_some_and(Value::is_number) {
            let base: u64 = match horizon {
                "immediate" => 95,
                "short_term" => 75,
                _ => 55,
            };
            rec.insert(
                "priority_score".into(),
                json!(base.saturating_sub(5 * n).max(1)),
            );
        }
        rec.insert("reasoning".into(), json!(reasoning));
        if !rec.get("recommended_action").is_some_and(Value::is_string) {
            let action = rec
                .get("action")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| slug(&reasoning));
            rec.insert("recommended_action".into(), json!(action));
        }
        rec.insert("horizon".into(), json!(horizon));
        if let Some(Value::Array(a)) = by_horizon.get_mut(horizon) {
            a.push(json!(reasoning));
        }
        out.push(Value::Object(rec));
    }
    o.insert("recommendations".into(), Value::Array(out));
    o.insert(
        "recommendations_by_horizon".into(),
        Value::Object(by_horizon),
    );
    if let Some(c) = o.get("confidence_score").cloned() {
        o.insert("confidence".into(), c);
    }
    Ok(())
}

/// The horizon of a legacy priority score (1-100).
fn horizon_of(score: Option<f64>) -> &'static str {
    match score {
        Some(s) if s >= 80.0 => "immediate",
        Some(s) if s >= 60.0 => "short_term",
        Some(_) => "long_term",
        None => "immediate",
    }
}

/// The text of a recommendation: a string, or an object's reasoning.
fn reasoning(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => ["reasoning", "description", "action", "message", "text"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_str))
            .map(str::to_string),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shaped(v: Value) -> Value {
        let mut o = v.as_object().unwrap().clone();
        legacy_shape(&mut o).unwrap();
        Value::Object(o)
    }

    #[test]
    fn horizons_become_the_array_callers_read() {
        let v = shaped(json!({"confidence_score": 0.8, "recommendations": {
            "immediate": [{"description": "Unblock 3 stale items", "work_type": "bug_fix"}, "Staff critical work"],
            "short_term": [], "long_term": ["Bring agents back"]}}));
        assert_eq!(v["recommendations"][0]["work_type"], "bug_fix");
        assert_eq!(v["recommendations"][0]["priority_score"], 95);
        assert_eq!(
            v["recommendations"][0]["reasoning"],
            "Unblock 3 stale items"
        );
        assert_eq!(
            v["recommendations"][0]["recommended_action"],
            "unblock_stale_items"
        );
        assert_eq!(v["recommendations"][1]["work_type"], GENERAL_WORK_TYPE);
        assert_eq!(v["recommendations"][1]["priority_score"], 90);
        assert_eq!(v["recommendations"][2]["horizon"], "long_term");
        assert_eq!(
            v["recommendations_by_horizon"]["long_term"][0],
            "Bring agents back"
        );
        assert_eq!(v["confidence"], 0.8);
    }

    #[test]
    fn the_legacy_array_is_kept_and_sorted_into_horizons() {
        let legacy = json!([{"work_type": "observability_metrics", "priority_score": 95,
            "reasoning": "r", "recommended_action": "implement_custom_metrics", "observability_focus": ["x"]}]);
        let v = shaped(json!({"confidence_score": 0.6, "recommendations": legacy}));
        assert_eq!(
            v["recommendations"][0]["recommended_action"],
            "implement_custom_metrics"
        );
        assert_eq!(v["recommendations"][0]["observability_focus"], json!(["x"]));
        assert_eq!(v["recommendations_by_horizon"]["immediate"], json!(["r"]));
        let mut bad = json!({"recommendations": [7]}).as_object().unwrap().clone();
        assert!(
            legacy_shape(&mut bad)
                .unwrap_err()
                .contains("recommendations[0]")
        );
    }
}
