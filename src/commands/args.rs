//! What the argument structs share: who is calling (over the network, where
//! no AGENT_ID names the agent) and the lenient readings of JSON values that
//! the CLI gets as text.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, de::Error};
use serde_json::Value;

use chrono::Utc;

use crate::config::{Config, var};
use crate::error::{NexusError, Result};
use crate::telemetry::TraceContext;
use crate::telemetry::trace::derived_span_id;

/// Who makes a call from MCP or HTTP, and the id that makes it safe to
/// retry: what AGENT_ID, --request-id and --lease-generation say on the
/// command line.
#[derive(Debug, Default, Clone, Deserialize, JsonSchema)]
pub struct Caller {
    /// Acting agent
    pub agent_id: Option<String>,
    /// Retry key: a repeat gets the first result
    pub request_id: Option<String>,
    /// From next
    pub lease_generation: Option<u64>,
}

impl Caller {
    /// The caller's fields taken out of a call's arguments (the rest are the
    /// command's own); an empty text means "not given".
    pub fn take(args: &mut Value) -> Result<Caller> {
        let Some(map) = args.as_object_mut() else {
            return Ok(Caller::default());
        };
        let mut own = serde_json::Map::new();
        for key in ["agent_id", "request_id", "lease_generation"] {
            if let Some(v) = map.shift_remove(key) {
                own.insert(key.into(), v);
            }
        }
        let mut c: Caller = serde_json::from_value(Value::Object(own))
            .map_err(|e| NexusError::invalid("caller", "", crate::text::line(&e.to_string())))?;
        c.agent_id = given(c.agent_id);
        c.request_id = given(c.request_id);
        Ok(c)
    }

    /// The settings of one call made by this caller: its own clock reading
    /// and trace (a CLI run gets both new), its agent and request id, and no
    /// CURRENT_WORK_ITEM (every call names its item; one server serves many
    /// agents).
    pub fn settings(&self, base: &Config) -> Result<Config> {
        self.settings_traced(base, &var)
    }

    /// The settings of one network request: as [`settings`](Self::settings),
    /// but in the request's own trace (`traceparent`) or a new one, never in
    /// the server process's trace variables, which would put every request
    /// of a long-lived server in one trace.
    pub fn request_settings(&self, base: &Config, traceparent: Option<&str>) -> Result<Config> {
        let mut cfg = self.settings_traced(base, &|_| None)?;
        if let Some((trace, parent)) =
            traceparent.and_then(crate::telemetry::trace::parse_traceparent)
        {
            cfg.trace.trace_id = trace;
            cfg.trace.parent_span_id = parent;
        }
        Ok(cfg)
    }

    fn settings_traced(
        &self,
        base: &Config,
        trace_vars: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Config> {
        let mut cfg = base.clone();
        cfg.json = true;
        cfg.current_work_item = None;
        if !cfg.clock_pinned {
            cfg.now = Utc::now();
        }
        cfg.trace = TraceContext::from_vars(trace_vars)?;
        if cfg.clock_pinned {
            cfg.trace.span_id = derived_span_id(&cfg.trace.trace_id, &cfg.now);
        }
        if let Some(agent) = &self.agent_id {
            crate::input::agent_id("agent_id", agent)?;
            cfg.agent_id = Some(agent.clone());
            cfg.unusable_agent_id = None;
        }
        cfg.request_id = self.request_id.clone();
        cfg.lease_generation = self.lease_generation;
        Ok(cfg)
    }
}

/// An empty text means "not given", as for the CLI's variables.
pub fn given(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
}

/// A number as the CLI receives it: a JSON number, or a text (models often
/// quote numbers), kept as text so the CLI's own check judges it and a bad
/// value gets the CLI's message. Required: absent is an error.
pub fn number<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::String(s) => Ok(Some(s)),
        other => Err(D::Error::custom(format!("expected a number, got {other}"))),
    }
}

/// [`number`], where absent or null means "not given".
pub fn optional_number<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        v => number(v).map_err(D::Error::custom),
    }
}

/// A text the JSON arguments must carry, kept optional for the CLI (where
/// another flag may stand in for it).
pub fn required<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    String::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_caller_is_taken_out_and_empty_texts_mean_not_given() {
        let mut v =
            json!({"work_id": "w", "agent_id": "", "request_id": "r1", "lease_generation": 4});
        let c = Caller::take(&mut v).unwrap();
        assert_eq!(v, json!({"work_id": "w"}));
        assert_eq!(c.agent_id, None);
        assert_eq!(c.request_id.as_deref(), Some("r1"));
        assert_eq!(c.lease_generation, Some(4));
        let mut bad = json!({"lease_generation": "x"});
        assert!(Caller::take(&mut bad).is_err());
        assert!(Caller::take(&mut Value::Null).unwrap().agent_id.is_none());
    }

    #[test]
    fn each_call_reads_the_clock_and_has_its_own_span_agent_and_request() {
        let tmp = tempfile::tempdir().unwrap();
        let mut base = Config::from_env(Some(tmp.path()), false).unwrap();
        if base.clock_pinned {
            return; // NEXUS_NOW in the caller's environment pins every run
        }
        base.now = chrono::DateTime::UNIX_EPOCH;
        base.request_id = Some("from --request-id".into());
        base.current_work_item = Some("work_1".into());
        let a = Caller::default().settings(&base).unwrap();
        let who = Caller {
            agent_id: Some("agent_x".into()),
            request_id: Some("r1".into()),
            lease_generation: Some(4),
        };
        let b = who.settings(&base).unwrap();
        assert!(a.now > base.now);
        assert_ne!(a.trace.span_id, b.trace.span_id);
        assert_eq!(a.request_id, None);
        assert_eq!(a.current_work_item, None);
        assert_eq!(b.request_id.as_deref(), Some("r1"));
        assert_eq!(b.agent_id.as_deref(), Some("agent_x"));
        assert_eq!(b.lease_generation, Some(4));
        let bad = Caller {
            agent_id: Some("a\nb".into()),
            ..Caller::default()
        };
        let e = bad.settings(&base).unwrap_err().to_string();
        assert!(
            e.starts_with("invalid agent_id 'a") && e.contains("control"),
            "{e}"
        );
    }
}
