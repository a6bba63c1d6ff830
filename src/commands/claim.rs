//! `claim`: create a work item and claim it for the calling agent (or, with
//! `--next` on the command line, take one from the backlog: see [`super::next`]).

use clap::Args;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use super::args::required;
use super::{HelpGroup, Http, Method, Verb};
use crate::app::changes::{acting_agent, claimed_outcome, spec, strict_agent, strict_priority};
use crate::app::mutation;
use crate::app::queue_cmd::lease_arg;
use crate::config::{Config, DEFAULT_TEAM};
use crate::error::Result;
use crate::input::or_default;
use crate::ops;
use crate::outcome::Outcome;
use crate::store::{AnyStore, Store};

/// Claim a new work item for this agent ($AGENT_ID, else a new agent id)
///
/// Prints the new id in the line `✅ SUCCESS: Claimed work item work_<n> for team <team>`.
/// Example: nexus claim bug_fix "Fix login timeout" high backend_team
#[derive(Debug, Clone, Default, Args, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimArgs {
    /// Kind of work, e.g. bug_fix, feature, review
    #[arg(required_unless_present = "next")]
    #[serde(deserialize_with = "required")]
    #[schemars(with = "String")]
    pub work_type: Option<String>,
    /// What the work is about (stored exactly, any characters)
    #[arg(allow_hyphen_values = true, required_unless_present = "next")]
    #[serde(deserialize_with = "required")]
    #[schemars(with = "String")]
    pub description: Option<String>,
    /// critical, high, medium or low [default: medium]
    pub priority: Option<String>,
    /// Team that owns the item [default: autonomous_team]
    pub team: Option<String>,
    /// Instead, take the highest-priority, oldest item from the backlog (see `add`)
    #[arg(long, conflicts_with_all = ["work_type", "description", "priority", "team"])]
    #[serde(skip)]
    #[schemars(skip)]
    pub next: bool,
    /// With --next: only items of this team
    #[arg(long = "team", value_name = "TEAM", requires = "next")]
    #[serde(skip)]
    #[schemars(skip)]
    pub next_team: Option<String>,
    /// Hold the item under a lease this long (90s, 10m, 2h) [default: $NEXUS_LEASE_TTL, else 30m
    /// with --next; no lease without --next]
    #[arg(long, value_name = "TTL")]
    pub lease: Option<String>,
}

impl Verb for ClaimArgs {
    const NAME: &'static str = "claim";
    const ABOUT: &'static str = "Create a work item and claim it.";
    const MUTATES: bool = true;
    const HTTP: Option<Http> = Some(Http {
        method: Method::Post,
        path: "/api/v1/work/claim",
        params: &[],
        created: true,
    });
    const GROUP: Option<HelpGroup> = Some(HelpGroup::Work);

    fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        if self.next {
            let next = super::next::NextArgs {
                team: self.next_team.clone(),
                lease: self.lease.clone(),
            };
            return next.run(store, cfg);
        }
        claim(store, cfg, self)
    }
}

/// A new item claimed by the acting agent.
pub fn claim(store: &AnyStore, cfg: &Config, args: &ClaimArgs) -> Result<Outcome> {
    let work_type = args.work_type.as_deref().unwrap_or_default();
    let lease =
        lease_arg(args.lease.as_deref()).or_else(|e| mutation::refuse(cfg, "s2s.work.claim", e))?;
    // The legacy claim's hook, before the lock (its failure only warns).
    crate::hook::ttl_validation(&cfg.dir, cfg.ttl_hook_timeout);
    let req = ops::claim::ClaimRequest {
        work_type: work_type.to_string(),
        description: args.description.clone().unwrap_or_default(),
        priority: or_default(args.priority.as_deref(), "medium"),
        team: or_default(args.team.as_deref(), DEFAULT_TEAM),
        agent_id: acting_agent(cfg),
        named: cfg.agent_id.is_some(),
        request_id: cfg.request_id.clone(),
        lease,
    };
    // An empty work type is claimed as the legacy script did.
    strict_priority(cfg, &req.priority)
        .and_then(|()| strict_agent(cfg))
        .or_else(|e| mutation::refuse(cfg, "s2s.work.claim", e))?;
    let s = mutation::Spec {
        agent: Some(req.agent_id.clone()),
        attrs: vec![
            ("s2s.work_type", json!(req.work_type)),
            ("s2s.priority", json!(req.priority)),
            ("s2s.operation", json!("work_claim")),
        ],
        // A claim makes an id, then enrols its agent.
        ahead: mutation::Ahead {
            work_id: true,
            agent: true,
        },
        ..spec("s2s.work.claim", "claim", "work.claimed")
    };
    let done = mutation::run(store, cfg, s, |st, ctx| ops::claim::claim(st, &req, ctx))?;
    Ok(claimed_outcome(cfg, &req.agent_id, &req.team, done.value))
}

/// Claim work with the team and priority the analysis suggests (when not given)
///
/// Example: nexus claim-intelligent bug_fix "Fix flaky login test"
#[derive(Debug, Args)]
pub struct ClaimIntelligentArgs {
    /// Kind of work
    pub work_type: String,
    /// What the work is about
    #[arg(allow_hyphen_values = true)]
    pub description: String,
    /// critical, high, medium or low [default: suggested]
    pub priority: Option<String>,
    /// Team [default: suggested]
    pub team: Option<String>,
}

/// `claim-intelligent`: claim with the suggested team and priority, and say
/// what the suggestion changed.
pub fn intelligent(store: &AnyStore, cfg: &Config, args: &ClaimIntelligentArgs) -> Result<Outcome> {
    let (work_type, description) = (args.work_type.as_str(), args.description.as_str());
    let (priority, team) = (args.priority.as_deref(), args.team.as_deref());
    let snapshot = store.snapshot()?;
    let (t, p, why) =
        crate::app::ai_suggest::suggest_claim(&snapshot, cfg, work_type, team, priority);
    let args = ClaimArgs {
        work_type: Some(work_type.to_string()),
        description: Some(description.to_string()),
        priority: Some(p.clone()),
        team: Some(t.clone()),
        ..ClaimArgs::default()
    };
    let mut out = claim(store, cfg, &args)?;
    let was = |v: Option<&str>, d: &str| v.filter(|x| !x.is_empty()).unwrap_or(d).to_string();
    out.human.push_str(&format!(
        "🧠 AI SUGGESTION: team {} (default {}), priority {} (default {}): {}\n",
        crate::text::field(&t),
        crate::text::field(&was(team, DEFAULT_TEAM)),
        crate::text::field(&p),
        crate::text::field(&was(priority, "medium")),
        crate::text::line(&why)
    ));
    out.json["suggestion"] = json!({"team": t, "priority": p, "reason": why});
    Ok(out)
}
