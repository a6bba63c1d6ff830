//! Argument values validated once at the edge: a bad value dies here with a
//! message naming it, before any file is touched.

use serde_json::Value;

use crate::error::{NexusError, Result};

/// A progress percentage, 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percent(f64);

impl Percent {
    /// A whole number from 0 to 100.
    pub fn parse(s: &str) -> Result<Percent> {
        let p = percent_like("progress", s)?;
        Ok(Percent(p as f64))
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
    pub fn to_json(self) -> Value {
        if self.0.fract() == 0.0 {
            Value::from(self.0 as u64)
        } else {
            Value::from(self.0)
        }
    }
}

impl std::fmt::Display for Percent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

/// A whole number from 0 to 100 (progress, capacity).
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

/// A status from [`STATUSES`].
pub fn status(s: &str) -> Result<String> {
    if STATUSES.contains(&s) {
        Ok(s.to_string())
    } else {
        Err(NexusError::invalid(
            "status",
            s,
            format!("must be one of {}", STATUSES.join(", ")),
        ))
    }
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

/// Longest agent id accepted.
pub const AGENT_ID_MAX: usize = 128;

/// An agent id (AGENT_ID, `register`, `heartbeat`): 1 to 128 characters of
/// `A-Z a-z 0-9 . _ -`, without `work_`, so that it can neither break a line
/// of output nor be taken for a work id by the documented
/// `grep -o 'work_[0-9]*' | head -1` idiom (whose `*` also matches a bare
/// `work_`).
pub fn agent_id<'a>(what: &'static str, s: &'a str) -> Result<&'a str> {
    let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    let why = if s.is_empty() || s.len() > AGENT_ID_MAX || !s.chars().all(safe) {
        "must be 1 to 128 characters of A-Z a-z 0-9 . _ -"
    } else if s.contains("work_") {
        "must not contain work_ (claim output would show it before the work id)"
    } else {
        return Ok(s);
    };
    Err(NexusError::invalid(what, s, why))
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
    fn agent_ids_are_a_safe_set() {
        for ok in ["agent_1", "a", "bob.work-x", "A-9_z", &"a".repeat(128)] {
            assert!(agent_id("AGENT_ID", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "bob_work_42",
            "work_7",
            "homework_x",
            "a b",
            "a\nb",
            "ü",
            &"a".repeat(129),
        ] {
            assert!(agent_id("AGENT_ID", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn percent_bounds_and_formats() {
        assert_eq!(Percent::parse("75").unwrap().to_string(), "75");
        for bad in ["101", "-1", "abc", "", "NaN", "12.5", "50.0"] {
            assert!(Percent::parse(bad).is_err(), "{bad}");
        }
        assert!(matches!(Percent::required(None), Err(NexusError::Usage(_))));
        assert!(capacity("100").is_ok() && capacity("500").is_err() && capacity("1.5").is_err());
        assert!(status("review").is_ok() && status("weird_status").is_err());
        assert_eq!(whole("capacity", "80").unwrap(), 80);
        assert!(whole("velocity points", "5x").is_err());
        assert!(non_empty("work type", " ").is_err());
        assert_eq!(or_default(Some(""), "d"), "d");
        assert_eq!(or_default(Some("x"), "d"), "x");
    }
}
