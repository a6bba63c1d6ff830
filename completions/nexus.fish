# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_nexus_global_optspecs
    string join \n dir= json print-traceparent request-id= lease-generation= store= h/help V/version
end

function __fish_nexus_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_nexus_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_nexus_using_subcommand
    set -l cmd (__fish_nexus_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c nexus -n "__fish_nexus_needs_command" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_needs_command" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_needs_command" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_needs_command" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_needs_command" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_needs_command" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_needs_command" -s h -l help -d 'Print help'
complete -c nexus -n "__fish_nexus_needs_command" -s V -l version -d 'Print version'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "claim" -d 'Claim a new work item for this agent ($AGENT_ID, else a new agent id)'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "add" -d 'Put an unclaimed item on the backlog for agents to pull with `claim --next`'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "dep" -d 'Make items wait on others: `dep add ID --on OTHER`, `dep rm ID --on OTHER`'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "ready" -d 'The items `claim --next` would take, in claim order (priority, then age)'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "blocked" -d 'The open items that wait on others, each with what it waits on'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "release" -d 'Put a claimed item back on the backlog (status available)'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "heartbeat" -d 'Tell the fleet this agent is alive (updates last_heartbeat)'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "priority" -d 'Change an open item\'s priority (critical, high, medium or low): its place in the queue `claim --next` takes from'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "watch" -d 'Print one line per change as it happens, from events.jsonl'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "cleanup" -d 'Mark items idle past the TTL as stale and archive old completed items'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "doctor" -d 'Check the coordination directory and the configured services'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "register" -d 'Register an agent in a team (replaces its record if it exists)'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "list" -d 'List work items as a table (an array with --json)'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "show" -d 'Every field of one work item (archived ones too) and its audit history'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "status" -d 'Counts by status and team, velocity, stale and offline counts, mode'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "agents" -d 'The agents: team, capacity, heartbeat age, active work and completions'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "audit" -d 'The audit trail: verify its hash chain or show its history'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "mode" -d 'The mode in force and the features it turns on'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "progress" -d 'Report progress on a work item'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "complete" -d 'Complete a work item and credit velocity points to $AGENT_TEAM'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "dashboard" -d 'Show the dashboard: live on a terminal, the text report when piped'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "generate-id" -d 'Print a new nanosecond agent id: agent_<unix nanoseconds>'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "help" -d 'Print the overview of every command, alias and variable'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "pi-planning" -d 'PI planning: objectives and team capacity from the recorded velocity'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "scrum-of-scrums" -d 'Scrum of scrums: per-team updates from the current work'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "innovation-planning" -d 'Innovation and planning iteration: backlog of debt and stale work'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "ip" -d 'Innovation and planning iteration: backlog of debt and stale work'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "system-demo" -d 'System demo: what was completed this PI and the ART metrics'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "inspect-adapt" -d 'Inspect and adapt: PI results, problems and improvement items'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "ia" -d 'Inspect and adapt: PI results, problems and improvement items'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "art-sync" -d 'ART sync: risks, cross-team dependencies and health metrics'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "portfolio-kanban" -d 'Portfolio kanban: work grouped by flow state'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "coach-training" -d 'Coach training: exercises built on the current state'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "value-stream" -d 'Value stream mapping: lead times and flow efficiency'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "vsm" -d 'Value stream mapping: lead times and flow efficiency'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "claude-analyze-priorities" -d 'AI: priority buckets, stale items, bottlenecks and recommendations'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "claude-priorities" -d 'AI: priority buckets, stale items, bottlenecks and recommendations'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "claude-optimize-assignments" -d 'AI: who should take stale or unassigned work (claude_optimization_results.json)'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "claude-optimize" -d 'AI: who should take stale or unassigned work (claude_optimization_results.json)'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "claude-health-analysis" -d 'AI: health score, alerts and recommendations (claude_health_analysis.json)'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "claude-health" -d 'AI: health score, alerts and recommendations (claude_health_analysis.json)'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "claude-team-analysis" -d 'AI: load and status of every team (claude_team_analysis.json)'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "claude-team" -d 'AI: load and status of every team (claude_team_analysis.json)'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "claude-dashboard" -d 'Show the latest saved AI analyses side by side'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "intelligence" -d 'Show the latest saved AI analyses side by side'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "claim-intelligent" -d 'Claim work with the team and priority the analysis suggests (when not given)'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "claim-ai" -d 'Claim work with the team and priority the analysis suggests (when not given)'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "claude-stream" -d 'Print a fresh insight every interval for a while'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "stream" -d 'Print a fresh insight every interval for a while'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "claude-pipe" -d 'Analyse JSON from stdin (a claims array or a state object) and print the result'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "pipe" -d 'Analyse JSON from stdin (a claims array or a state object) and print the result'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "claude-enhanced" -d 'Analyse a JSON file and write the result to another file'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "enhanced" -d 'Analyse a JSON file and write the result to another file'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "n8n" -d 'Manage n8n workflows over the n8n REST API ($N8N_BASE_URL, $N8N_API_KEY)'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "completions" -d 'Print shell completions: bash, zsh, fish, elvish or powershell'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "man" -d 'Print the man page, or write every page (nexus.1, nexus-claim.1, …) to a directory'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "serve" -d 'Serve the coordinator over HTTP: the JSON API, live events, MCP, metrics'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "mcp" -d 'Serve the Model Context Protocol on stdin/stdout, for agents without a shell'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "spans" -d 'Work with the recorded spans (telemetry_spans.jsonl)'
complete -c nexus -n "__fish_nexus_needs_command" -f -a "store" -d 'Set up the PostgreSQL store and move state between it and a directory'
complete -c nexus -n "__fish_nexus_using_subcommand claim" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand claim" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand claim" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claim" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claim" -l team -d 'With --next: only items of this team' -r
complete -c nexus -n "__fish_nexus_using_subcommand claim" -l lease -d 'Hold the item under a lease this long (90s, 10m, 2h) [default: $NEXUS_LEASE_TTL, else 30m with --next; no lease without --next]' -r
complete -c nexus -n "__fish_nexus_using_subcommand claim" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand claim" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand claim" -l next -d 'Instead, take the highest-priority, oldest item from the backlog (see `add`)'
complete -c nexus -n "__fish_nexus_using_subcommand claim" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand add" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand add" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand add" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand add" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand add" -l depends-on -d 'Items that must be completed before this one is ready (comma-separated)' -r
complete -c nexus -n "__fish_nexus_using_subcommand add" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand add" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand dep; and not __fish_seen_subcommand_from add rm" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand dep; and not __fish_seen_subcommand_from add rm" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand dep; and not __fish_seen_subcommand_from add rm" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand dep; and not __fish_seen_subcommand_from add rm" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand dep; and not __fish_seen_subcommand_from add rm" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand dep; and not __fish_seen_subcommand_from add rm" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand dep; and not __fish_seen_subcommand_from add rm" -s h -l help -d 'Print help'
complete -c nexus -n "__fish_nexus_using_subcommand dep; and not __fish_seen_subcommand_from add rm" -f -a "add" -d 'Make an item wait until another is completed'
complete -c nexus -n "__fish_nexus_using_subcommand dep; and not __fish_seen_subcommand_from add rm" -f -a "rm" -d 'Stop an item waiting on another'
complete -c nexus -n "__fish_nexus_using_subcommand dep; and __fish_seen_subcommand_from add" -l on -d 'The items it waits on (a comma-separated list for several)' -r
complete -c nexus -n "__fish_nexus_using_subcommand dep; and __fish_seen_subcommand_from add" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand dep; and __fish_seen_subcommand_from add" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand dep; and __fish_seen_subcommand_from add" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand dep; and __fish_seen_subcommand_from add" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand dep; and __fish_seen_subcommand_from add" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand dep; and __fish_seen_subcommand_from add" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand dep; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand dep; and __fish_seen_subcommand_from rm" -l on -d 'The item it no longer waits on' -r
complete -c nexus -n "__fish_nexus_using_subcommand dep; and __fish_seen_subcommand_from rm" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand dep; and __fish_seen_subcommand_from rm" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand dep; and __fish_seen_subcommand_from rm" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand dep; and __fish_seen_subcommand_from rm" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand dep; and __fish_seen_subcommand_from rm" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand dep; and __fish_seen_subcommand_from rm" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand dep; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand ready" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand ready" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand ready" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand ready" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand ready" -l team -d 'Only items of this team' -r
complete -c nexus -n "__fish_nexus_using_subcommand ready" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand ready" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand ready" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand blocked" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand blocked" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand blocked" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand blocked" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand blocked" -l team -d 'Only items of this team' -r
complete -c nexus -n "__fish_nexus_using_subcommand blocked" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand blocked" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand blocked" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand release" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand release" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand release" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand release" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand release" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand release" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand release" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand heartbeat" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand heartbeat" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand heartbeat" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand heartbeat" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand heartbeat" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand heartbeat" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand heartbeat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand priority" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand priority" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand priority" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand priority" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand priority" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand priority" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand priority" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand watch" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand watch" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand watch" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand watch" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand watch" -l since -d 'Print the events after this sequence number first (0: all of them)' -r
complete -c nexus -n "__fish_nexus_using_subcommand watch" -l team -d 'Only events of this team' -r
complete -c nexus -n "__fish_nexus_using_subcommand watch" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand watch" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand watch" -l no-follow -d 'Print what is there and exit instead of following'
complete -c nexus -n "__fish_nexus_using_subcommand watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand cleanup" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand cleanup" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand cleanup" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand cleanup" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand cleanup" -l ttl -d 'Active items without activity for longer than this become stale' -r
complete -c nexus -n "__fish_nexus_using_subcommand cleanup" -l archive-after -d 'Completed items older than this move to the archive' -r
complete -c nexus -n "__fish_nexus_using_subcommand cleanup" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand cleanup" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand cleanup" -l dry-run -d 'Show what would change, change nothing'
complete -c nexus -n "__fish_nexus_using_subcommand cleanup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand doctor" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand doctor" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand doctor" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand doctor" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand doctor" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand doctor" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand doctor" -l fix -d 'Make every repair listed'
complete -c nexus -n "__fish_nexus_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand register" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand register" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand register" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand register" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand register" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand register" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand register" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand list" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand list" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand list" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand list" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand list" -l status -d 'Only items with this status' -r
complete -c nexus -n "__fish_nexus_using_subcommand list" -l team -d 'Only items of this team' -r
complete -c nexus -n "__fish_nexus_using_subcommand list" -l agent -d 'Only items held by this agent' -r
complete -c nexus -n "__fish_nexus_using_subcommand list" -l priority -d 'Only items of this priority' -r
complete -c nexus -n "__fish_nexus_using_subcommand list" -l search -d 'Only items whose id, type or description holds this text (any case)' -r
complete -c nexus -n "__fish_nexus_using_subcommand list" -l offset -d 'Skip this many matching items first' -r
complete -c nexus -n "__fish_nexus_using_subcommand list" -l limit -d 'Show at most this many (1 to 500)' -r
complete -c nexus -n "__fish_nexus_using_subcommand list" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand list" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand show" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand show" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand show" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand show" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand show" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand show" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand status" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand status" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand status" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand status" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand status" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand status" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand agents" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand agents" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand agents" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand agents" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand agents" -l team -d 'Only agents of this team' -r
complete -c nexus -n "__fish_nexus_using_subcommand agents" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand agents" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand agents" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand audit; and not __fish_seen_subcommand_from verify log" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand audit; and not __fish_seen_subcommand_from verify log" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand audit; and not __fish_seen_subcommand_from verify log" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand audit; and not __fish_seen_subcommand_from verify log" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand audit; and not __fish_seen_subcommand_from verify log" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand audit; and not __fish_seen_subcommand_from verify log" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand audit; and not __fish_seen_subcommand_from verify log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand audit; and not __fish_seen_subcommand_from verify log" -f -a "verify" -d 'Check the whole hash chain; names the first broken line'
complete -c nexus -n "__fish_nexus_using_subcommand audit; and not __fish_seen_subcommand_from verify log" -f -a "log" -d 'Show the history, oldest first'
complete -c nexus -n "__fish_nexus_using_subcommand audit; and __fish_seen_subcommand_from verify" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand audit; and __fish_seen_subcommand_from verify" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand audit; and __fish_seen_subcommand_from verify" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand audit; and __fish_seen_subcommand_from verify" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand audit; and __fish_seen_subcommand_from verify" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand audit; and __fish_seen_subcommand_from verify" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand audit; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand audit; and __fish_seen_subcommand_from log" -l item -d 'Only this work item' -r
complete -c nexus -n "__fish_nexus_using_subcommand audit; and __fish_seen_subcommand_from log" -l agent -d 'Only changes by this agent' -r
complete -c nexus -n "__fish_nexus_using_subcommand audit; and __fish_seen_subcommand_from log" -l since -d 'Only changes after this: a time, a date, or an age (24h, 7d)' -r
complete -c nexus -n "__fish_nexus_using_subcommand audit; and __fish_seen_subcommand_from log" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand audit; and __fish_seen_subcommand_from log" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand audit; and __fish_seen_subcommand_from log" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand audit; and __fish_seen_subcommand_from log" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand audit; and __fish_seen_subcommand_from log" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand audit; and __fish_seen_subcommand_from log" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand audit; and __fish_seen_subcommand_from log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand mode" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand mode" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand mode" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand mode" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand mode" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand mode" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand mode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand progress" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand progress" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand progress" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand progress" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand progress" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand progress" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand progress" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand complete" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand complete" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand complete" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand complete" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand complete" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand complete" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand complete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand dashboard" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand dashboard" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand dashboard" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand dashboard" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand dashboard" -l refresh-ms -d 'How often the live view checks the files for changes' -r
complete -c nexus -n "__fish_nexus_using_subcommand dashboard" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand dashboard" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand dashboard" -l text -d 'Print the text report even on a terminal'
complete -c nexus -n "__fish_nexus_using_subcommand dashboard" -l once -d 'Render one frame of the live view to stdout and exit'
complete -c nexus -n "__fish_nexus_using_subcommand dashboard" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand generate-id" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand generate-id" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand generate-id" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand generate-id" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand generate-id" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand generate-id" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand generate-id" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand help" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand help" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand help" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand help" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand help" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand help" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand pi-planning" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand pi-planning" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand pi-planning" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand pi-planning" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand pi-planning" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand pi-planning" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand pi-planning" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand scrum-of-scrums" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand scrum-of-scrums" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand scrum-of-scrums" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand scrum-of-scrums" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand scrum-of-scrums" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand scrum-of-scrums" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand scrum-of-scrums" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand innovation-planning" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand innovation-planning" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand innovation-planning" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand innovation-planning" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand innovation-planning" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand innovation-planning" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand innovation-planning" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand ip" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand ip" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand ip" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand ip" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand ip" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand ip" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand ip" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand system-demo" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand system-demo" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand system-demo" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand system-demo" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand system-demo" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand system-demo" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand system-demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand inspect-adapt" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand inspect-adapt" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand inspect-adapt" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand inspect-adapt" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand inspect-adapt" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand inspect-adapt" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand inspect-adapt" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand ia" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand ia" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand ia" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand ia" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand ia" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand ia" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand ia" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand art-sync" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand art-sync" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand art-sync" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand art-sync" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand art-sync" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand art-sync" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand art-sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand portfolio-kanban" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand portfolio-kanban" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand portfolio-kanban" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand portfolio-kanban" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand portfolio-kanban" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand portfolio-kanban" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand portfolio-kanban" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand coach-training" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand coach-training" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand coach-training" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand coach-training" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand coach-training" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand coach-training" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand coach-training" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand value-stream" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand value-stream" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand value-stream" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand value-stream" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand value-stream" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand value-stream" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand value-stream" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand vsm" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand vsm" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand vsm" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand vsm" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand vsm" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand vsm" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand vsm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand claude-analyze-priorities" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand claude-analyze-priorities" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-analyze-priorities" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-analyze-priorities" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-analyze-priorities" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand claude-analyze-priorities" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand claude-analyze-priorities" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand claude-priorities" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand claude-priorities" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-priorities" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-priorities" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-priorities" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand claude-priorities" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand claude-priorities" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand claude-optimize-assignments" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand claude-optimize-assignments" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-optimize-assignments" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-optimize-assignments" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-optimize-assignments" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand claude-optimize-assignments" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand claude-optimize-assignments" -s h -l help -d 'Print help'
complete -c nexus -n "__fish_nexus_using_subcommand claude-optimize" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand claude-optimize" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-optimize" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-optimize" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-optimize" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand claude-optimize" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand claude-optimize" -s h -l help -d 'Print help'
complete -c nexus -n "__fish_nexus_using_subcommand claude-health-analysis" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand claude-health-analysis" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-health-analysis" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-health-analysis" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-health-analysis" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand claude-health-analysis" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand claude-health-analysis" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand claude-health" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand claude-health" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-health" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-health" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-health" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand claude-health" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand claude-health" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand claude-team-analysis" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand claude-team-analysis" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-team-analysis" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-team-analysis" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-team-analysis" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand claude-team-analysis" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand claude-team-analysis" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand claude-team" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand claude-team" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-team" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-team" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-team" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand claude-team" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand claude-team" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand claude-dashboard" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand claude-dashboard" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-dashboard" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-dashboard" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-dashboard" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand claude-dashboard" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand claude-dashboard" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand intelligence" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand intelligence" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand intelligence" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand intelligence" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand intelligence" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand intelligence" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand intelligence" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand claim-intelligent" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand claim-intelligent" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand claim-intelligent" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claim-intelligent" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claim-intelligent" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand claim-intelligent" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand claim-intelligent" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand claim-ai" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand claim-ai" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand claim-ai" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claim-ai" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claim-ai" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand claim-ai" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand claim-ai" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand claude-stream" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand claude-stream" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-stream" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-stream" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-stream" -l interval -d 'Seconds between insights' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-stream" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand claude-stream" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand claude-stream" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand stream" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand stream" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand stream" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand stream" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand stream" -l interval -d 'Seconds between insights' -r
complete -c nexus -n "__fish_nexus_using_subcommand stream" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand stream" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand stream" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand claude-pipe" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand claude-pipe" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-pipe" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-pipe" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-pipe" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand claude-pipe" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand claude-pipe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand pipe" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand pipe" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand pipe" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand pipe" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand pipe" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand pipe" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand pipe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand claude-enhanced" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand claude-enhanced" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-enhanced" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-enhanced" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand claude-enhanced" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand claude-enhanced" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand claude-enhanced" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand enhanced" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand enhanced" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand enhanced" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand enhanced" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand enhanced" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand enhanced" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand enhanced" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and not __fish_seen_subcommand_from list export import activate deactivate executions trigger" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and not __fish_seen_subcommand_from list export import activate deactivate executions trigger" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and not __fish_seen_subcommand_from list export import activate deactivate executions trigger" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and not __fish_seen_subcommand_from list export import activate deactivate executions trigger" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and not __fish_seen_subcommand_from list export import activate deactivate executions trigger" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and not __fish_seen_subcommand_from list export import activate deactivate executions trigger" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and not __fish_seen_subcommand_from list export import activate deactivate executions trigger" -s h -l help -d 'Print help'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and not __fish_seen_subcommand_from list export import activate deactivate executions trigger" -f -a "list" -d 'List every workflow: id, active, name'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and not __fish_seen_subcommand_from list export import activate deactivate executions trigger" -f -a "export" -d 'Print a workflow as pretty JSON, or write it to a file'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and not __fish_seen_subcommand_from list export import activate deactivate executions trigger" -f -a "import" -d 'Create a workflow from a JSON file, with its tags, and print its new id'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and not __fish_seen_subcommand_from list export import activate deactivate executions trigger" -f -a "activate" -d 'Activate a workflow'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and not __fish_seen_subcommand_from list export import activate deactivate executions trigger" -f -a "deactivate" -d 'Deactivate a workflow'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and not __fish_seen_subcommand_from list export import activate deactivate executions trigger" -f -a "executions" -d 'List recent executions'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and not __fish_seen_subcommand_from list export import activate deactivate executions trigger" -f -a "trigger" -d 'POST JSON to a webhook: <base>/webhook/<path> (or /webhook-test/ with --test), with N8N_WEBHOOK_AUTH and never the API key'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from list" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from list" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from list" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from list" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from list" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from list" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from export" -s o -l output -d 'Write to this file instead of stdout' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from export" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from export" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from export" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from export" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from export" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from export" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from import" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from import" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from import" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from import" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from import" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from import" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from activate" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from activate" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from activate" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from activate" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from activate" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from activate" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from activate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from deactivate" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from deactivate" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from deactivate" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from deactivate" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from deactivate" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from deactivate" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from deactivate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from executions" -l workflow -d 'Only executions of this workflow' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from executions" -l status -d 'success, error, waiting, running or canceled' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from executions" -l limit -d 'How many to show (n8n\'s pages are followed: up to 1000)' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from executions" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from executions" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from executions" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from executions" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from executions" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from executions" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from executions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from trigger" -l data -d 'JSON body [default: {}]' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from trigger" -l data-file -d 'Read the JSON body from a file' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from trigger" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from trigger" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from trigger" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from trigger" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from trigger" -l test -d 'Use the test webhook URL of a workflow open in the editor'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from trigger" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from trigger" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand n8n; and __fish_seen_subcommand_from trigger" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand completions" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand completions" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand completions" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand completions" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand completions" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand completions" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand man" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand man" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand man" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand man" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand man" -l out -d 'Write all pages into this directory instead of printing nexus.1' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand man" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand man" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand serve; and not __fish_seen_subcommand_from token" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand serve; and not __fish_seen_subcommand_from token" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand serve; and not __fish_seen_subcommand_from token" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand serve; and not __fish_seen_subcommand_from token" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand serve; and not __fish_seen_subcommand_from token" -l listen -d 'Address to listen on (port 0: any free port, printed at start)' -r
complete -c nexus -n "__fish_nexus_using_subcommand serve; and not __fish_seen_subcommand_from token" -l tls-cert -d 'Serve HTTPS with this certificate chain (PEM); needs --tls-key' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand serve; and not __fish_seen_subcommand_from token" -l tls-key -d 'The private key of --tls-cert (PEM)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand serve; and not __fish_seen_subcommand_from token" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand serve; and not __fish_seen_subcommand_from token" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand serve; and not __fish_seen_subcommand_from token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand serve; and not __fish_seen_subcommand_from token" -f -a "token" -d 'Manage the API\'s bearer tokens'
complete -c nexus -n "__fish_nexus_using_subcommand serve; and __fish_seen_subcommand_from token" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand serve; and __fish_seen_subcommand_from token" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand serve; and __fish_seen_subcommand_from token" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand serve; and __fish_seen_subcommand_from token" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand serve; and __fish_seen_subcommand_from token" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand serve; and __fish_seen_subcommand_from token" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand serve; and __fish_seen_subcommand_from token" -s h -l help -d 'Print help'
complete -c nexus -n "__fish_nexus_using_subcommand serve; and __fish_seen_subcommand_from token" -f -a "create" -d 'Make a token and print it once; only its hash is kept (api_tokens)'
complete -c nexus -n "__fish_nexus_using_subcommand mcp" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand mcp" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand mcp" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand mcp" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand mcp" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand mcp" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand mcp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand spans; and not __fish_seen_subcommand_from export" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand spans; and not __fish_seen_subcommand_from export" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand spans; and not __fish_seen_subcommand_from export" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand spans; and not __fish_seen_subcommand_from export" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand spans; and not __fish_seen_subcommand_from export" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand spans; and not __fish_seen_subcommand_from export" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand spans; and not __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand spans; and not __fish_seen_subcommand_from export" -f -a "export" -d 'Send the spans of telemetry_spans.jsonl to the OTLP collector'
complete -c nexus -n "__fish_nexus_using_subcommand spans; and __fish_seen_subcommand_from export" -l since -d 'Only spans that started after this: a time, a date, or an age (90m, 24h, 7d)' -r
complete -c nexus -n "__fish_nexus_using_subcommand spans; and __fish_seen_subcommand_from export" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand spans; and __fish_seen_subcommand_from export" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand spans; and __fish_seen_subcommand_from export" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand spans; and __fish_seen_subcommand_from export" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand spans; and __fish_seen_subcommand_from export" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand spans; and __fish_seen_subcommand_from export" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand spans; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand store; and not __fish_seen_subcommand_from init import export" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand store; and not __fish_seen_subcommand_from init import export" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand store; and not __fish_seen_subcommand_from init import export" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand store; and not __fish_seen_subcommand_from init import export" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand store; and not __fish_seen_subcommand_from init import export" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand store; and not __fish_seen_subcommand_from init import export" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand store; and not __fish_seen_subcommand_from init import export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand store; and not __fish_seen_subcommand_from init import export" -f -a "init" -d 'Create or migrate the schema of the store named by --store / NEXUS_STORE'
complete -c nexus -n "__fish_nexus_using_subcommand store; and not __fish_seen_subcommand_from init import export" -f -a "import" -d 'Load the legacy JSON files of a directory into the (empty) PostgreSQL store'
complete -c nexus -n "__fish_nexus_using_subcommand store; and not __fish_seen_subcommand_from init import export" -f -a "export" -d 'Write the PostgreSQL store back as the legacy JSON files of a directory'
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from init" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from init" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from init" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from init" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from init" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from init" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from import" -l from -d 'The coordination directory to read' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from import" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from import" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from import" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from import" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from import" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from import" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from export" -l to -d 'The directory to write' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from export" -l dir -d 'Coordination directory (overrides $COORDINATION_DIR)' -r -F
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from export" -l request-id -d 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice' -r
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from export" -l lease-generation -d 'Prove this caller holds the item\'s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)' -r
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from export" -l store -d 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)' -r
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from export" -l json -d 'Print one JSON object describing the result instead of the human lines'
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from export" -l print-traceparent -d 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
complete -c nexus -n "__fish_nexus_using_subcommand store; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
