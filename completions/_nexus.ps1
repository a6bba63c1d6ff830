
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'nexus' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'nexus'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'nexus' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('claim', 'claim', [CompletionResultType]::ParameterValue, 'Claim a new work item for this agent ($AGENT_ID, else a new agent id)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Put an unclaimed item on the backlog for agents to pull with `claim --next`')
            [CompletionResult]::new('dep', 'dep', [CompletionResultType]::ParameterValue, 'Make items wait on others: `dep add ID --on OTHER`, `dep rm ID --on OTHER`')
            [CompletionResult]::new('ready', 'ready', [CompletionResultType]::ParameterValue, 'The items `claim --next` would take, in claim order (priority, then age)')
            [CompletionResult]::new('blocked', 'blocked', [CompletionResultType]::ParameterValue, 'The open items that wait on others, each with what it waits on')
            [CompletionResult]::new('release', 'release', [CompletionResultType]::ParameterValue, 'Put a claimed item back on the backlog (status available)')
            [CompletionResult]::new('heartbeat', 'heartbeat', [CompletionResultType]::ParameterValue, 'Tell the fleet this agent is alive (updates last_heartbeat)')
            [CompletionResult]::new('priority', 'priority', [CompletionResultType]::ParameterValue, 'Change an open item''s priority (critical, high, medium or low): its place in the queue `claim --next` takes from')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Print one line per change as it happens, from events.jsonl')
            [CompletionResult]::new('cleanup', 'cleanup', [CompletionResultType]::ParameterValue, 'Mark items idle past the TTL as stale and archive old completed items')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the coordination directory and the configured services')
            [CompletionResult]::new('register', 'register', [CompletionResultType]::ParameterValue, 'Register an agent in a team (replaces its record if it exists)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List work items as a table (an array with --json)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Every field of one work item (archived ones too) and its audit history')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Counts by status and team, velocity, stale and offline counts, mode')
            [CompletionResult]::new('agents', 'agents', [CompletionResultType]::ParameterValue, 'The agents: team, capacity, heartbeat age, active work and completions')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The audit trail: verify its hash chain or show its history')
            [CompletionResult]::new('mode', 'mode', [CompletionResultType]::ParameterValue, 'The mode in force and the features it turns on')
            [CompletionResult]::new('progress', 'progress', [CompletionResultType]::ParameterValue, 'Report progress on a work item')
            [CompletionResult]::new('complete', 'complete', [CompletionResultType]::ParameterValue, 'Complete a work item and credit velocity points to $AGENT_TEAM')
            [CompletionResult]::new('dashboard', 'dashboard', [CompletionResultType]::ParameterValue, 'Show the dashboard: live on a terminal, the text report when piped')
            [CompletionResult]::new('generate-id', 'generate-id', [CompletionResultType]::ParameterValue, 'Print a new nanosecond agent id: agent_<unix nanoseconds>')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print the overview of every command, alias and variable')
            [CompletionResult]::new('pi-planning', 'pi-planning', [CompletionResultType]::ParameterValue, 'PI planning: objectives and team capacity from the recorded velocity')
            [CompletionResult]::new('scrum-of-scrums', 'scrum-of-scrums', [CompletionResultType]::ParameterValue, 'Scrum of scrums: per-team updates from the current work')
            [CompletionResult]::new('innovation-planning', 'innovation-planning', [CompletionResultType]::ParameterValue, 'Innovation and planning iteration: backlog of debt and stale work')
            [CompletionResult]::new('ip', 'ip', [CompletionResultType]::ParameterValue, 'Innovation and planning iteration: backlog of debt and stale work')
            [CompletionResult]::new('system-demo', 'system-demo', [CompletionResultType]::ParameterValue, 'System demo: what was completed this PI and the ART metrics')
            [CompletionResult]::new('inspect-adapt', 'inspect-adapt', [CompletionResultType]::ParameterValue, 'Inspect and adapt: PI results, problems and improvement items')
            [CompletionResult]::new('ia', 'ia', [CompletionResultType]::ParameterValue, 'Inspect and adapt: PI results, problems and improvement items')
            [CompletionResult]::new('art-sync', 'art-sync', [CompletionResultType]::ParameterValue, 'ART sync: risks, cross-team dependencies and health metrics')
            [CompletionResult]::new('portfolio-kanban', 'portfolio-kanban', [CompletionResultType]::ParameterValue, 'Portfolio kanban: work grouped by flow state')
            [CompletionResult]::new('coach-training', 'coach-training', [CompletionResultType]::ParameterValue, 'Coach training: exercises built on the current state')
            [CompletionResult]::new('value-stream', 'value-stream', [CompletionResultType]::ParameterValue, 'Value stream mapping: lead times and flow efficiency')
            [CompletionResult]::new('vsm', 'vsm', [CompletionResultType]::ParameterValue, 'Value stream mapping: lead times and flow efficiency')
            [CompletionResult]::new('claude-analyze-priorities', 'claude-analyze-priorities', [CompletionResultType]::ParameterValue, 'AI: priority buckets, stale items, bottlenecks and recommendations')
            [CompletionResult]::new('claude-priorities', 'claude-priorities', [CompletionResultType]::ParameterValue, 'AI: priority buckets, stale items, bottlenecks and recommendations')
            [CompletionResult]::new('claude-optimize-assignments', 'claude-optimize-assignments', [CompletionResultType]::ParameterValue, 'AI: who should take stale or unassigned work (claude_optimization_results.json)')
            [CompletionResult]::new('claude-optimize', 'claude-optimize', [CompletionResultType]::ParameterValue, 'AI: who should take stale or unassigned work (claude_optimization_results.json)')
            [CompletionResult]::new('claude-health-analysis', 'claude-health-analysis', [CompletionResultType]::ParameterValue, 'AI: health score, alerts and recommendations (claude_health_analysis.json)')
            [CompletionResult]::new('claude-health', 'claude-health', [CompletionResultType]::ParameterValue, 'AI: health score, alerts and recommendations (claude_health_analysis.json)')
            [CompletionResult]::new('claude-team-analysis', 'claude-team-analysis', [CompletionResultType]::ParameterValue, 'AI: load and status of every team (claude_team_analysis.json)')
            [CompletionResult]::new('claude-team', 'claude-team', [CompletionResultType]::ParameterValue, 'AI: load and status of every team (claude_team_analysis.json)')
            [CompletionResult]::new('claude-dashboard', 'claude-dashboard', [CompletionResultType]::ParameterValue, 'Show the latest saved AI analyses side by side')
            [CompletionResult]::new('intelligence', 'intelligence', [CompletionResultType]::ParameterValue, 'Show the latest saved AI analyses side by side')
            [CompletionResult]::new('claim-intelligent', 'claim-intelligent', [CompletionResultType]::ParameterValue, 'Claim work with the team and priority the analysis suggests (when not given)')
            [CompletionResult]::new('claim-ai', 'claim-ai', [CompletionResultType]::ParameterValue, 'Claim work with the team and priority the analysis suggests (when not given)')
            [CompletionResult]::new('claude-stream', 'claude-stream', [CompletionResultType]::ParameterValue, 'Print a fresh insight every interval for a while')
            [CompletionResult]::new('stream', 'stream', [CompletionResultType]::ParameterValue, 'Print a fresh insight every interval for a while')
            [CompletionResult]::new('claude-pipe', 'claude-pipe', [CompletionResultType]::ParameterValue, 'Analyse JSON from stdin (a claims array or a state object) and print the result')
            [CompletionResult]::new('pipe', 'pipe', [CompletionResultType]::ParameterValue, 'Analyse JSON from stdin (a claims array or a state object) and print the result')
            [CompletionResult]::new('claude-enhanced', 'claude-enhanced', [CompletionResultType]::ParameterValue, 'Analyse a JSON file and write the result to another file')
            [CompletionResult]::new('enhanced', 'enhanced', [CompletionResultType]::ParameterValue, 'Analyse a JSON file and write the result to another file')
            [CompletionResult]::new('n8n', 'n8n', [CompletionResultType]::ParameterValue, 'Manage n8n workflows over the n8n REST API ($N8N_BASE_URL, $N8N_API_KEY)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions: bash, zsh, fish, elvish or powershell')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page, or write every page (nexus.1, nexus-claim.1, …) to a directory')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the coordinator over HTTP: the JSON API, live events, MCP, metrics')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Serve the Model Context Protocol on stdin/stdout, for agents without a shell')
            [CompletionResult]::new('spans', 'spans', [CompletionResultType]::ParameterValue, 'Work with the recorded spans (telemetry_spans.jsonl)')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Set up the PostgreSQL store and move state between it and a directory')
            break
        }
        'nexus;claim' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'With --next: only items of this team')
            [CompletionResult]::new('--lease', '--lease', [CompletionResultType]::ParameterName, 'Hold the item under a lease this long (90s, 10m, 2h) [default: $NEXUS_LEASE_TTL, else 30m with --next; no lease without --next]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('--next', '--next', [CompletionResultType]::ParameterName, 'Instead, take the highest-priority, oldest item from the backlog (see `add`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;add' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--depends-on', '--depends-on', [CompletionResultType]::ParameterName, 'Items that must be completed before this one is ready (comma-separated)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;dep' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Make an item wait until another is completed')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Stop an item waiting on another')
            break
        }
        'nexus;dep;add' {
            [CompletionResult]::new('--on', '--on', [CompletionResultType]::ParameterName, 'The items it waits on (a comma-separated list for several)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;dep;rm' {
            [CompletionResult]::new('--on', '--on', [CompletionResultType]::ParameterName, 'The item it no longer waits on')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;ready' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Only items of this team')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;blocked' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Only items of this team')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;release' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;heartbeat' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;priority' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;watch' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Print the events after this sequence number first (0: all of them)')
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Only events of this team')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('--no-follow', '--no-follow', [CompletionResultType]::ParameterName, 'Print what is there and exit instead of following')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;cleanup' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Active items without activity for longer than this become stale')
            [CompletionResult]::new('--archive-after', '--archive-after', [CompletionResultType]::ParameterName, 'Completed items older than this move to the archive')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, change nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;doctor' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('--fix', '--fix', [CompletionResultType]::ParameterName, 'Make every repair listed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;register' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;list' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only items with this status')
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Only items of this team')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only items held by this agent')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'Only items of this priority')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only items whose id, type or description holds this text (any case)')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Skip this many matching items first')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many (1 to 500)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;show' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;status' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;agents' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Only agents of this team')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;audit' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the whole hash chain; names the first broken line')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the history, oldest first')
            break
        }
        'nexus;audit;verify' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;audit;log' {
            [CompletionResult]::new('--item', '--item', [CompletionResultType]::ParameterName, 'Only this work item')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only changes by this agent')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only changes after this: a time, a date, or an age (24h, 7d)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;mode' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;progress' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;complete' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;dashboard' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--refresh-ms', '--refresh-ms', [CompletionResultType]::ParameterName, 'How often the live view checks the files for changes')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('--text', '--text', [CompletionResultType]::ParameterName, 'Print the text report even on a terminal')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'Render one frame of the live view to stdout and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;generate-id' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;help' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;pi-planning' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;scrum-of-scrums' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;innovation-planning' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;ip' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;system-demo' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;inspect-adapt' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;ia' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;art-sync' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;portfolio-kanban' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;coach-training' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;value-stream' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;vsm' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;claude-analyze-priorities' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;claude-priorities' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;claude-optimize-assignments' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nexus;claude-optimize' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nexus;claude-health-analysis' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;claude-health' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;claude-team-analysis' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;claude-team' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;claude-dashboard' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;intelligence' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;claim-intelligent' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;claim-ai' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;claude-stream' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Seconds between insights')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;stream' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Seconds between insights')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;claude-pipe' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;pipe' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;claude-enhanced' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;enhanced' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;n8n' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every workflow: id, active, name')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a workflow as pretty JSON, or write it to a file')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Create a workflow from a JSON file, with its tags, and print its new id')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Activate a workflow')
            [CompletionResult]::new('deactivate', 'deactivate', [CompletionResultType]::ParameterValue, 'Deactivate a workflow')
            [CompletionResult]::new('executions', 'executions', [CompletionResultType]::ParameterValue, 'List recent executions')
            [CompletionResult]::new('trigger', 'trigger', [CompletionResultType]::ParameterValue, 'POST JSON to a webhook: <base>/webhook/<path> (or /webhook-test/ with --test), with N8N_WEBHOOK_AUTH and never the API key')
            break
        }
        'nexus;n8n;list' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;n8n;export' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;n8n;import' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;n8n;activate' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;n8n;deactivate' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;n8n;executions' {
            [CompletionResult]::new('--workflow', '--workflow', [CompletionResultType]::ParameterName, 'Only executions of this workflow')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'success, error, waiting, running or canceled')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many to show (n8n''s pages are followed: up to 1000)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;n8n;trigger' {
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'JSON body [default: {}]')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'Read the JSON body from a file')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--test', '--test', [CompletionResultType]::ParameterName, 'Use the test webhook URL of a workflow open in the editor')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;completions' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write all pages into this directory instead of printing nexus.1')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;serve' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0: any free port, printed at start)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Serve HTTPS with this certificate chain (PEM); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'The private key of --tls-cert (PEM)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Manage the API''s bearer tokens')
            break
        }
        'nexus;serve;token' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Make a token and print it once; only its hash is kept (api_tokens)')
            break
        }
        'nexus;serve;token;create' {
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'read: the API''s reads and the event stream; write: changes too')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;mcp' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;spans' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Send the spans of telemetry_spans.jsonl to the OTLP collector')
            break
        }
        'nexus;spans;export' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only spans that started after this: a time, a date, or an age (90m, 24h, 7d)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;store' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create or migrate the schema of the store named by --store / NEXUS_STORE')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Load the legacy JSON files of a directory into the (empty) PostgreSQL store')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the PostgreSQL store back as the legacy JSON files of a directory')
            break
        }
        'nexus;store;init' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;store;import' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The coordination directory to read')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nexus;store;export' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The directory to write')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Coordination directory (overrides $COORDINATION_DIR)')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Make a change safe to retry: a repeat with the same ID (same agent, same command) returns the first result instead of acting twice')
            [CompletionResult]::new('--lease-generation', '--lease-generation', [CompletionResultType]::ParameterName, 'Prove this caller holds the item''s lease by the generation `claim --next` handed it (for callers without a stable AGENT_ID)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object describing the result instead of the human lines')
            [CompletionResult]::new('--print-traceparent', '--print-traceparent', [CompletionResultType]::ParameterName, 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
