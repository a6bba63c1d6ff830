//! Argument values validated once at the edge: a bad value dies here with a
//! message naming it, before any file is touched.

use serde_json::Value;

use crate::error::{NexusError, Result};

/// A progress percentage from 0 to 100, whole or decimal (`33.5`), with the
/// text the caller passed, which the legacy PROGRESS line echoed as given.
#[derive(Debug, Clone, PartialEq)]
pub struct Percent {
    value: f64,
    given: String,
}

impl Percent {
    /// A number from 0 to 100: digits with at most one decimal point,
    /// spaces around it allowed (the legacy stored `tonumber` of it).
    pub fn parse(s: &str) -> Result<Percent> {
        let t = s.trim();
        let digits = t.chars().filter(char::is_ascii_digit).count();
        let shape = digits > 0
            && t.chars().all(|c| c.is_ascii_digit() || c == '.')
            && t.matches('.').count() <= 1;
        let value: f64 = match t.parse() {
            Ok(v) if shape => v,
            _ => {
                return Err(NexusError::invalid(
                    "progress",
                    s,
                    "must be a number from 0 to 100",
                ));
            }
        };
        if value > 100.0 {
            return Err(NexusError::invalid("progress", s, "must be from 0 to 100"));
        }
        Ok(Percent {
            value,
            given: s.to_string(),
        })
    }

    /// The percent argument of `progress`: missing is a usage mistake (exit 2),
    /// a bad value an invalid input (exit 1).
    pub fn required(s: Option<&str>) -> Result<Percent> {
        match s.filter(|s| !s.trim().is_empty()) {
            Some(s) => Percent::parse(s),
            None => Err(NexusError::Usage(
                "progress needs a percent: nexus progress [work_id] <percent 0-100> [status]"
                    .into(),
            )),
        }
    }

    /// As a JSON number: an integer when whole (what jq's `tonumber` gives).
    pub fn to_json(&self) -> Value {
        if self.value.fract() == 0.0 {
            Value::from(self.value as u64)
        } else {
            Value::from(self.value)
        }
    }

    /// The text the caller passed (`33.5`, ` 50`), for the PROGRESS line.
    pub fn given(&self) -> &str {
        &self.given
    }
}

impl std::fmt::Display for Percent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

/// A whole number from 0 to 100 (capacity).
fn percent_like(what: &'static str, s: &str) -> Result<u64> {
    let n: u64 = s
        .trim()
        .parse()
        .map_err(|_| NexusError::invalid(what, s, "must be a whole number from 0 to 100"))?;
    if n > 100 {
        return Err(NexusError::invalid(what, s, "must be from 0 to 100"));
    }
    Ok(n)
}

/// Whether a lone legacy argument is meant as a number (`50`, `-5`, `50.5`).
pub fn looks_numeric(s: &str) -> bool {
    s.trim().parse::<f64>().is_ok()
}

/// An agent's capacity in percent: a whole number from 0 to 100.
pub fn capacity(s: &str) -> Result<u64> {
    percent_like("capacity", s)
}

/// The statuses a work item can be given: the legacy script's (`active`,
/// `in_progress`, `pending`, `blocked`, `review`, `completed`) and nexus's
/// backlog and cleanup states (`available`, `stale`).
pub const STATUSES: [&str; 8] = [
    "active",
    "in_progress",
    "pending",
    "blocked",
    "review",
    "completed",
    "available",
    "stale",
];

/// A progress status: one of [`STATUSES`], which nexus gives meaning, or
/// any other non-empty text without control characters (legacy callers set
/// their own phases: `testing`, `design`, `trace_validation_in_progress`),
/// stored as given and counted as in flight.
pub fn status(s: &str) -> Result<String> {
    if s.trim().is_empty() {
        return Err(NexusError::invalid("status", s, "must not be empty"));
    }
    if s.chars().any(char::is_control) {
        return Err(NexusError::invalid(
            "status",
            s,
            "must not contain control characters",
        ));
    }
    Ok(s.to_string())
}

/// A filter value (`list --status`): one of `builtin` or of the values
/// `present` in the state (custom statuses count), else an error naming them.
pub fn known_value<'a>(
    what: &'static str,
    value: &str,
    builtin: &[&str],
    present: impl Iterator<Item = &'a str>,
) -> Result<()> {
    let mut known: Vec<&str> = builtin.to_vec();
    for p in present {
        if !known.contains(&p) {
            known.push(p);
        }
    }
    if known.contains(&value) {
        return Ok(());
    }
    Err(NexusError::invalid(
        what,
        value,
        format!("no such {what}; known: {}", known.join(", ")),
    ))
}

/// A whole, non-negative number such as velocity points.
pub fn whole(what: &'static str, s: &str) -> Result<u64> {
    s.trim()
        .parse()
        .map_err(|_| NexusError::invalid(what, s, "must be a whole number (0 or more)"))
}

/// A non-empty identifier-like value (work type, agent id, team).
pub fn non_empty<'a>(what: &'static str, s: &'a str) -> Result<&'a str> {
    if s.trim().is_empty() {
        return Err(NexusError::invalid(what, s, "must not be empty"));
    }
    Ok(s)
}

/// An agent id (AGENT_ID, `register`, `heartbeat`): any non-empty text
/// without control characters, as the legacy script stored it (spaces,
/// non-ASCII letters and names like `network_agent_1` included). Output
/// lines print a new work id before any agent id, so the documented
/// `grep -o 'work_[0-9]*' | head -1` idiom still finds the id.
pub fn agent_id<'a>(what: &'static str, s: &'a str) -> Result<&'a str> {
    if s.trim().is_empty() {
        return Err(NexusError::invalid(what, s, "must not be empty"));
    }
    if s.chars().any(char::is_control) {
        return Err(NexusError::invalid(
            what,
            s,
            "must not contain control characters",
        ));
    }
    Ok(s)
}

/// An age like `90s`, `30m`, `24h` or `7d`.
pub fn age(what: &'static str, s: &str) -> Result<chrono::Duration> {
    let bad = || NexusError::invalid(what, s, "use a number with s, m, h or d, like 24h or 7d");
    let (num, unit) = s.trim().split_at(s.trim().len().saturating_sub(1));
    let n: i64 = num.parse().map_err(|_| bad())?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86400,
        _ => return Err(bad()),
    };
    if n < 0 {
        return Err(bad());
    }
    Ok(chrono::Duration::seconds(secs))
}

/// `--since`: an RFC 3339 time, a date, or an age like `90m`, `24h`, `7d`.
pub fn since(s: &str, now: chrono::DateTime<chrono::Utc>) -> Result<chrono::DateTime<chrono::Utc>> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.to_utc());
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    }
    Ok(now - age("since", s)?)
}

/// The four priorities strict mode accepts.
pub const PRIORITIES: [&str; 4] = ["critical", "high", "medium", "low"];

/// The value, or `default` when it is missing or empty (legacy semantics).
pub fn or_default(value: Option<&str>, default: &str) -> String {
    match value {
        Some(v) if !v.is_empty() => v.to_string(),
        _ => default.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_ids_are_what_the_legacy_stored() {
        for ok in [
            "agent_1",
            "network_agent_1",
            "framework_bot",
            "work_7",
            "Agent Smith",
            "agent_müller",
            &"a".repeat(300),
        ] {
            assert_eq!(agent_id("AGENT_ID", ok).unwrap(), ok);
        }
        for bad in ["", " ", "a\nb", "a\x1bb", "a\u{85}b"] {
            assert!(agent_id("AGENT_ID", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn percent_bounds_and_formats() {
        assert_eq!(Percent::parse("75").unwrap().to_string(), "75");
        let p = Percent::parse("33.5").unwrap();
        assert_eq!((p.to_json(), p.given()), (serde_json::json!(33.5), "33.5"));
        let p = Percent::parse(" 50").unwrap();
        assert_eq!((p.to_json(), p.given()), (serde_json::json!(50), " 50"));
        for ok in ["0", "100", "100.0", "0.5", "50."] {
            assert!(Percent::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "101", "100.5", "-1", "abc", "", ".", "NaN", "inf", "1e2", "1.2.3",
        ] {
            assert!(Percent::parse(bad).is_err(), "{bad}");
        }
        assert!(matches!(Percent::required(None), Err(NexusError::Usage(_))));
        assert!(capacity("100").is_ok() && capacity("500").is_err() && capacity("1.5").is_err());
        for ok in [
            "review",
            "testing",
            "comprehensive_validation_step_3",
            "phase 2",
        ] {
            assert_eq!(status(ok).unwrap(), ok);
        }
        assert!(status("").is_err() && status("a\nb").is_err());
        assert_eq!(whole("capacity", "80").unwrap(), 80);
        assert!(whole("velocity points", "5x").is_err());
        assert!(non_empty("work type", " ").is_err());
        assert_eq!(or_default(Some(""), "d"), "d");
        assert_eq!(or_default(Some("x"), "d"), "x");
    }
}
