//! The arguments of each MCP tool and the `cli::Command` each one becomes.
//!
//! The field names are the CLI's words; the doc comments are the input
//! schema's descriptions, so they stay short (every client sends the whole
//! tool list to its model).

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, de::Error};
use serde_json::Value;

use crate::cli::Command;

/// `next`: claim from the backlog.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NextArgs {
    /// Only items of this team
    pub team: Option<String>,
    /// Acting agent (default: AGENT_ID)
    pub agent_id: Option<String>,
    /// A retry with the same id returns the first result
    pub request_id: Option<String>,
}

/// `claim`: create and claim an item.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimArgs {
    /// e.g. bug_fix, feature, review
    pub work_type: String,
    pub description: String,
    /// critical, high, medium (default) or low
    pub priority: Option<String>,
    /// default: autonomous_team
    pub team: Option<String>,
    /// Acting agent (default: AGENT_ID)
    pub agent_id: Option<String>,
    /// A retry with the same id returns the first result
    pub request_id: Option<String>,
}

/// `add`: put an unclaimed item on the backlog.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddArgs {
    pub work_type: String,
    pub description: String,
    /// critical, high, medium (default) or low
    pub priority: Option<String>,
    /// default: autonomous_team
    pub team: Option<String>,
    /// Acting agent (default: AGENT_ID)
    pub agent_id: Option<String>,
    /// A retry with the same id returns the first result
    pub request_id: Option<String>,
}

/// `progress`: report progress.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressArgs {
    pub work_id: String,
    /// 0 to 100
    #[serde(deserialize_with = "number")]
    #[schemars(with = "i64")]
    pub percent: String,
    /// in_progress (default), blocked, review, pending, ...
    pub status: Option<String>,
    /// Acting agent (default: AGENT_ID)
    pub agent_id: Option<String>,
    /// The lease generation `next` handed you (proves you still hold it)
    pub lease_generation: Option<u64>,
}

/// `complete`: finish an item.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteArgs {
    pub work_id: String,
    /// default: success
    pub result: Option<String>,
    /// default: 5
    #[serde(default, deserialize_with = "optional_number")]
    #[schemars(with = "Option<i64>")]
    pub velocity_points: Option<String>,
    /// Acting agent (default: AGENT_ID)
    pub agent_id: Option<String>,
    /// A retry with the same id returns the first result
    pub request_id: Option<String>,
    /// The lease generation `next` handed you (proves you still hold it)
    pub lease_generation: Option<u64>,
}

/// `release`: give an item back.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseArgs {
    pub work_id: String,
    /// Acting agent (default: AGENT_ID)
    pub agent_id: Option<String>,
    /// The lease generation `next` handed you (proves you still hold it)
    pub lease_generation: Option<u64>,
}

/// `show`: one item.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkIdArgs {
    pub work_id: String,
}

/// `list`: filters and a page.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListArgs {
    pub status: Option<String>,
    pub team: Option<String>,
    pub agent: Option<String>,
    pub priority: Option<String>,
    /// Items to skip (default 0)
    pub offset: Option<u64>,
    /// Page size (default 50)
    #[schemars(range(min = 1, max = 500))]
    pub limit: Option<u64>,
}

/// The default and the largest page of `list`.
pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 500;

/// A number as the CLI receives it: a JSON number, or a text (models often
/// quote numbers), kept as text so the CLI's own check judges it and a bad
/// value gets the CLI's message.
fn number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::Number(n) => Ok(n.to_string()),
        Value::String(s) => Ok(s),
        other => Err(D::Error::custom(format!("expected a number, got {other}"))),
    }
}

fn optional_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        v => number(v).map(Some).map_err(D::Error::custom),
    }
}

/// An empty text means "not given", as for the CLI's variables.
fn given(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
}

impl NextArgs {
    pub fn command(&self) -> Command {
        Command::Claim {
            work_type: None,
            description: None,
            priority: None,
            team: None,
            next: true,
            next_team: given(self.team.clone()),
            lease: None,
        }
    }
}

impl ClaimArgs {
    pub fn command(&self) -> Command {
        Command::Claim {
            work_type: Some(self.work_type.clone()),
            description: Some(self.description.clone()),
            priority: self.priority.clone(),
            team: self.team.clone(),
            next: false,
            next_team: None,
            lease: None,
        }
    }
}

impl AddArgs {
    pub fn command(&self) -> Command {
        Command::Add {
            work_type: self.work_type.clone(),
            description: self.description.clone(),
            priority: self.priority.clone(),
            team: self.team.clone(),
            depends_on: Vec::new(),
        }
    }
}

impl ProgressArgs {
    pub fn command(&self) -> Command {
        let mut args = vec![self.work_id.clone(), self.percent.clone()];
        args.extend(self.status.clone());
        Command::Progress { args }
    }
}

impl CompleteArgs {
    pub fn command(&self) -> Command {
        Command::Complete {
            work_id: Some(self.work_id.clone()),
            result: self.result.clone(),
            velocity_points: self.velocity_points.clone(),
        }
    }
}

impl ListArgs {
    pub fn command(&self) -> Command {
        Command::List {
            status: given(self.status.clone()),
            team: given(self.team.clone()),
            agent: given(self.agent.clone()),
            priority: given(self.priority.clone()),
        }
    }
}

/// The acting agent and request id of a call, when given.
pub fn identity(agent_id: &Option<String>, request_id: &Option<String>) -> Identity {
    Identity {
        agent_id: given(agent_id.clone()),
        request_id: given(request_id.clone()),
        lease_generation: None,
    }
}

/// Who acts in a call, and the id that makes it safe to retry.
#[derive(Debug, Default, Clone)]
pub struct Identity {
    pub agent_id: Option<String>,
    pub request_id: Option<String>,
    /// The lease generation the caller holds, when it says.
    pub lease_generation: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn progress_without_status_passes_two_arguments() {
        for percent in [json!(250), json!("250")] {
            let a: ProgressArgs =
                serde_json::from_value(json!({"work_id": "work_1", "percent": percent})).unwrap();
            match a.command() {
                Command::Progress { args } => assert_eq!(args, ["work_1", "250"]),
                other => panic!("{other:?}"),
            }
        }
        let bad: Result<ProgressArgs, _> =
            serde_json::from_value(json!({"work_id": "w", "percent": [1]}));
        assert!(bad.is_err());
    }

    #[test]
    fn velocity_points_may_be_absent_null_or_quoted() {
        let points = |v: Value| {
            let a: CompleteArgs = serde_json::from_value(v).unwrap();
            a.velocity_points
        };
        assert_eq!(points(json!({"work_id": "w"})), None);
        assert_eq!(
            points(json!({"work_id": "w", "velocity_points": null})),
            None
        );
        assert_eq!(
            points(json!({"work_id": "w", "velocity_points": "8"})).as_deref(),
            Some("8")
        );
        assert_eq!(
            points(json!({"work_id": "w", "velocity_points": 8})).as_deref(),
            Some("8")
        );
    }

    #[test]
    fn empty_filters_and_team_mean_not_given() {
        let next = NextArgs {
            team: Some(String::new()),
            agent_id: None,
            request_id: None,
        };
        assert!(matches!(
            next.command(),
            Command::Claim {
                next: true,
                next_team: None,
                ..
            }
        ));
        let id = identity(&Some(String::new()), &Some("r1".into()));
        assert_eq!(id.agent_id, None);
        assert_eq!(id.request_id.as_deref(), Some("r1"));
    }

    #[test]
    fn unknown_arguments_are_refused() {
        let bad: Result<WorkIdArgs, _> = serde_json::from_str(r#"{"work_id":"w","id":"x"}"#);
        assert!(bad.is_err());
    }
}
