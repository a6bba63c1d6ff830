//! `nexus help`: the overview of every command and alias, grouped the way the
//! legacy helper grouped them, so callers that grep it keep working.

/// The overview text.
pub fn overview() -> String {
    format!(
        "🤖 SCRUM AT SCALE AGENT COORDINATION HELPER (nexus {version})
Usage: nexus [--dir DIR] [--json] <command> [args...]

🎯 Work Management Commands:
  claim <work_type> <description> [priority] [team]   Claim work with a nanosecond id
  progress [work_id] <percent> [status]               Update work progress (0-100)
  complete [work_id] [result] [velocity_points]       Complete work and add team velocity
  register <agent_id> [team] [capacity] [spec]        Register an agent in a team
  generate-id                                         Print a new agent_<nanoseconds> id

📊 Scrum at Scale Commands:
  dashboard [--text]                                  Scrum at Scale dashboard
  pi-planning                                         PI planning: objectives, team capacity
  scrum-of-scrums                                     Updates of every team
  innovation-planning | ip                            Innovation & planning iteration
  system-demo                                         What the PI delivered
  inspect-adapt | ia                                  Inspect & adapt workshop
  art-sync                                            Risks and cross-team dependencies
  portfolio-kanban                                    Work by flow state
  coach-training                                      Coaching exercises from the state
  value-stream | vsm                                  Lead time and flow efficiency

🧠 AI Analysis Commands (a model when configured, else computed from the files):
  claude-analyze-priorities | claude-priorities       Priority buckets, stale items, bottlenecks
  claude-optimize-assignments | claude-optimize [team] Who should take stale or unassigned work
  claude-health-analysis | claude-health              Health score, alerts, recommendations
  claude-team-analysis | claude-team [team]           Load and status of every team
  claude-dashboard | intelligence                     The latest saved analyses
  claim-intelligent | claim-ai <type> <desc> [priority] [team]  Claim with suggested team/priority
  claude-stream | stream [focus] [duration]           A new insight every --interval seconds
  claude-pipe | pipe [analysis_type]                  Analyse JSON from stdin
  claude-enhanced | enhanced <type> <input> <output>  Analyse a file into another file

🔌 Integrations:
  n8n list|export|import|activate|deactivate|executions|trigger   n8n workflows (REST API v1)
  spans export [--since 24h]                          Replay telemetry_spans.jsonl to OTLP

🔧 Utility Commands:
  help                                                Show this overview
  <command> --help                                    Arguments, defaults and an example

Defaults: an empty argument (\"\") means the default. priority=medium,
team=autonomous_team, status=in_progress, result=success, velocity_points=5,
capacity=100, specialization=general_development.

Examples:
  id=$(nexus claim bug_fix \"Fix login timeout\" high | grep -o 'work_[0-9]*' | head -1)
  nexus progress \"$id\" 50
  nexus complete \"$id\" success 8
  nexus --json claim feature \"Add export\" | jq -r .work_item_id

Environment Variables:
  COORDINATION_DIR        Coordination directory (after --dir)
  AGENT_ID                This agent's id (claim, complete)
  AGENT_TEAM              Team credited with velocity on complete
  CURRENT_WORK_ITEM       Default work id of progress and complete
  FORCE_TRACE_ID, COORDINATION_TRACE_ID, TRACE_ID, OTEL_TRACE_ID, TRACEPARENT
                          Trace id to use, in that order; else a random one
  OTEL_PARENT_SPAN_ID     Parent span of this command's span
  OTEL_SERVICE_NAME       Service name in spans (default s2s-coordination)
  NEXUS_LOCK_TIMEOUT_MS   How long to wait for the lock (default 5000)
  NEXUS_MODE / DEPLOYMENT_ENV  development, staging or production
  OTEL_EXPORTER_OTLP_ENDPOINT  Export spans over OTLP/HTTP (see README)
  NEXUS_AI_PROVIDER       auto, anthropic, openai, claude-cli or offline
  N8N_BASE_URL, N8N_API_KEY, N8N_WEBHOOK_URL   n8n API and event webhook

Exit codes: 0 success, 1 failure (error or lock conflict), 2 usage error.
",
        version = env!("CARGO_PKG_VERSION")
    )
}
