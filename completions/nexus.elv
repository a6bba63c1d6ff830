
use builtin;
use str;

set edit:completion:arg-completer[nexus] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'nexus'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'nexus'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand claim 'Claim a new work item for this agent ($AGENT_ID, else a new agent id)'
            cand add 'Put an unclaimed item on the backlog for agents to pull with `claim --next`'
            cand release 'Put a claimed item back on the backlog (status available)'
            cand heartbeat 'Tell the fleet this agent is alive (updates last_heartbeat)'
            cand cleanup 'Mark items idle past the TTL as stale and archive old completed items'
            cand list 'List work items as a table (an array with --json)'
            cand show 'Every field of one work item (archived ones too) and its audit history'
            cand status 'Counts by status and team, velocity, stale and offline counts, mode'
            cand audit 'The audit trail: verify its hash chain or show its history'
            cand mode 'The mode in force and the features it turns on'
            cand doctor 'Check the coordination directory and the configured services'
            cand progress 'Report progress on a work item'
            cand complete 'Complete a work item and credit velocity points to $AGENT_TEAM'
            cand register 'Register an agent in a team (replaces its record if it exists)'
            cand dashboard 'Show the dashboard: live on a terminal, the text report when piped'
            cand generate-id 'Print a new nanosecond agent id: agent_<unix nanoseconds>'
            cand help 'Print the overview of every command, alias and variable'
            cand pi-planning 'PI planning: objectives and team capacity from the recorded velocity'
            cand scrum-of-scrums 'Scrum of scrums: per-team updates from the current work'
            cand innovation-planning 'Innovation and planning iteration: backlog of debt and stale work'
            cand ip 'Innovation and planning iteration: backlog of debt and stale work'
            cand system-demo 'System demo: what was completed this PI and the ART metrics'
            cand inspect-adapt 'Inspect and adapt: PI results, problems and improvement items'
            cand ia 'Inspect and adapt: PI results, problems and improvement items'
            cand art-sync 'ART sync: risks, cross-team dependencies and health metrics'
            cand portfolio-kanban 'Portfolio kanban: work grouped by flow state'
            cand coach-training 'Coach training: exercises built on the current state'
            cand value-stream 'Value stream mapping: lead times and flow efficiency'
            cand vsm 'Value stream mapping: lead times and flow efficiency'
            cand claude-analyze-priorities 'AI: priority buckets, stale items, bottlenecks and recommendations'
            cand claude-priorities 'AI: priority buckets, stale items, bottlenecks and recommendations'
            cand claude-optimize-assignments 'AI: who should take stale or unassigned work (claude_optimization_results.json)'
            cand claude-optimize 'AI: who should take stale or unassigned work (claude_optimization_results.json)'
            cand claude-health-analysis 'AI: health score, alerts and recommendations (claude_health_analysis.json)'
            cand claude-health 'AI: health score, alerts and recommendations (claude_health_analysis.json)'
            cand claude-team-analysis 'AI: load and status of every team (claude_team_analysis.json)'
            cand claude-team 'AI: load and status of every team (claude_team_analysis.json)'
            cand claude-dashboard 'Show the latest saved AI analyses side by side'
            cand intelligence 'Show the latest saved AI analyses side by side'
            cand claim-intelligent 'Claim work with the team and priority the analysis suggests (when not given)'
            cand claim-ai 'Claim work with the team and priority the analysis suggests (when not given)'
            cand claude-stream 'Print a fresh insight every interval for a while'
            cand stream 'Print a fresh insight every interval for a while'
            cand claude-pipe 'Analyse JSON from stdin (a claims array or a state object) and print the result'
            cand pipe 'Analyse JSON from stdin (a claims array or a state object) and print the result'
            cand claude-enhanced 'Analyse a JSON file and write the result to another file'
            cand enhanced 'Analyse a JSON file and write the result to another file'
            cand n8n 'Manage n8n workflows over the n8n REST API ($N8N_BASE_URL, $N8N_API_KEY)'
            cand completions 'Print shell completions: bash, zsh, fish, elvish or powershell'
            cand man 'Print the man page, or write every page (nexus.1, nexus-claim.1, …) to a directory'
            cand mcp 'Serve the Model Context Protocol on stdin/stdout, for agents without a shell'
            cand spans 'Work with the recorded spans (telemetry_spans.jsonl)'
            cand store 'Set up the PostgreSQL store and move state between it and a directory'
        }
        &'nexus;claim'= {
            cand --team 'With --next: only items of this team'
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --next 'Instead, take the highest-priority, oldest item from the backlog (see `add`)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;add'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;release'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;heartbeat'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;cleanup'= {
            cand --ttl 'Active items without activity for longer than this become stale'
            cand --archive-after 'Completed items older than this move to the archive'
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --dry-run 'Show what would change, change nothing'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;list'= {
            cand --status 'status'
            cand --team 'team'
            cand --agent 'agent'
            cand --priority 'priority'
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;show'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;status'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;audit'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand verify 'Check the whole hash chain; names the first broken line'
            cand log 'Show the history, oldest first'
        }
        &'nexus;audit;verify'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;audit;log'= {
            cand --item 'Only this work item'
            cand --agent 'Only changes by this agent'
            cand --since 'Only changes after this: a time, a date, or an age (24h, 7d)'
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;mode'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;doctor'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --fix 'Apply the safe fixes'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;progress'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;complete'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;register'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;dashboard'= {
            cand --refresh-ms 'How often the live view checks the files for changes'
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --text 'Print the text report even on a terminal'
            cand --once 'Render one frame of the live view to stdout and exit'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;generate-id'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;help'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;pi-planning'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;scrum-of-scrums'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;innovation-planning'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;ip'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;system-demo'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;inspect-adapt'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;ia'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;art-sync'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;portfolio-kanban'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;coach-training'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;value-stream'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;vsm'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;claude-analyze-priorities'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;claude-priorities'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;claude-optimize-assignments'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nexus;claude-optimize'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nexus;claude-health-analysis'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;claude-health'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;claude-team-analysis'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;claude-team'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;claude-dashboard'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;intelligence'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;claim-intelligent'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;claim-ai'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;claude-stream'= {
            cand --interval 'Seconds between insights'
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;stream'= {
            cand --interval 'Seconds between insights'
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;claude-pipe'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;pipe'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;claude-enhanced'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;enhanced'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;n8n'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'List every workflow: id, active, name'
            cand export 'Print a workflow as pretty JSON, or write it to a file'
            cand import 'Create a workflow from a JSON file and print its new id'
            cand activate 'Activate a workflow'
            cand deactivate 'Deactivate a workflow'
            cand executions 'List recent executions'
            cand trigger 'POST JSON to a webhook: <base>/webhook/<path> (or /webhook-test/ with --test)'
        }
        &'nexus;n8n;list'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;n8n;export'= {
            cand -o 'Write to this file instead of stdout'
            cand --output 'Write to this file instead of stdout'
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;n8n;import'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;n8n;activate'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;n8n;deactivate'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;n8n;executions'= {
            cand --workflow 'Only executions of this workflow'
            cand --status 'success, error, waiting, running or canceled'
            cand --limit 'How many to show'
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;n8n;trigger'= {
            cand --data 'JSON body [default: {}]'
            cand --data-file 'Read the JSON body from a file'
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --test 'Use the test webhook URL of a workflow open in the editor'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;completions'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;man'= {
            cand --out 'Write all pages into this directory instead of printing nexus.1'
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;mcp'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;spans'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand export 'Send the spans of telemetry_spans.jsonl to the OTLP collector'
        }
        &'nexus;spans;export'= {
            cand --since 'Only spans that started after this: a time, a date, or an age (90m, 24h, 7d)'
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;store'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand init 'Create or migrate the schema of the store named by --store / NEXUS_STORE'
            cand import 'Load the legacy JSON files of a directory into the (empty) PostgreSQL store'
            cand export 'Write the PostgreSQL store back as the legacy JSON files of a directory'
        }
        &'nexus;store;init'= {
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;store;import'= {
            cand --from 'The coordination directory to read'
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nexus;store;export'= {
            cand --to 'The directory to write'
            cand --dir 'Coordination directory (overrides $COORDINATION_DIR)'
            cand --request-id 'Make claim, add or complete safe to retry: a repeat with the same ID returns the first result instead of acting twice'
            cand --store 'Keep the state in PostgreSQL (postgres://user@host:port/db) instead of the directory (overrides $NEXUS_STORE)'
            cand --json 'Print one JSON object describing the result instead of the human lines'
            cand --print-traceparent 'Also print `TRACEPARENT=00-<trace>-<span>-01` so the caller can continue the trace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
    ]
    $completions[$command]
}
