#!/bin/sh
# Drop-in replacement for the legacy coordination_helper.sh.
#
# Executed, it forwards every call to nexus with the same arguments. State
# stays in the directory of this script (its real directory when reached
# through a symlink) unless COORDINATION_DIR says otherwise. Unknown commands
# print the help and exit 0 here, as the legacy script did.
#
# Sourced (`. coordination_helper.sh` or `source ...` from bash, zsh or sh),
# it runs nothing: it defines the legacy shell functions (claim_work,
# update_progress, complete_work, register_agent_in_team, the Scrum at Scale
# ceremonies, the claude_* analyses, ...), each calling nexus, and returns to
# its caller.

# The path of this file, sourced or executed.
_nexus_shim_self=$0
if [ -n "${BASH_VERSION:-}" ]; then
    eval '_nexus_shim_self=${BASH_SOURCE[0]}'
elif [ -n "${ZSH_VERSION:-}" ]; then
    eval '_nexus_shim_self=${(%):-%x}'
fi

# Whether this file is being sourced rather than executed.
_nexus_shim_sourced=no
if [ -n "${BASH_VERSION:-}" ]; then
    [ "$_nexus_shim_self" != "$0" ] && _nexus_shim_sourced=yes
elif [ -n "${ZSH_VERSION:-}" ]; then
    case ${ZSH_EVAL_CONTEXT:-} in *:file*) _nexus_shim_sourced=yes ;; esac
else
    # A plain sh cannot tell; when $0 is not this script, the caller sourced it.
    case ${0##*/} in
    coordination_helper.sh) ;;
    *) _nexus_shim_sourced=yes ;;
    esac
fi

# Follow symlinks to the real file, so that a link elsewhere (the legacy
# deployment linked scripts/coordination_helper.sh to it) uses the real
# coordination directory, as the legacy script did.
while [ -L "$_nexus_shim_self" ]; do
    _nexus_shim_link=$(readlink "$_nexus_shim_self")
    case $_nexus_shim_link in
    /*) _nexus_shim_self=$_nexus_shim_link ;;
    *) _nexus_shim_self=$(dirname "$_nexus_shim_self")/$_nexus_shim_link ;;
    esac
done
_nexus_shim_here=$(CDPATH= cd -- "$(dirname -- "$_nexus_shim_self")" && pwd)

# The nexus binary: NEXUS_BIN, else nexus on the PATH, else this checkout's build.
_nexus_shim_bin() {
    if [ -n "${NEXUS_BIN:-}" ]; then
        echo "$NEXUS_BIN"
    elif command -v nexus >/dev/null 2>&1; then
        echo nexus
    elif [ -x "$_nexus_shim_here/../target/release/nexus" ]; then
        echo "$_nexus_shim_here/../target/release/nexus"
    else
        echo "❌ ERROR: nexus not found on PATH or at $_nexus_shim_here/../target/release/nexus (run: cargo install --path .)" >&2
        return 1
    fi
}

if [ "$_nexus_shim_sourced" = no ]; then
    _nexus_shim_b=$(_nexus_shim_bin) || exit 1
    COORDINATION_DIR=${COORDINATION_DIR:-$_nexus_shim_here} NEXUS_LEGACY_SHIM=1 exec "$_nexus_shim_b" "$@"
fi

# Sourced: the legacy script's settings, then its functions.
COORDINATION_DIR=${COORDINATION_DIR:-$_nexus_shim_here}
WORK_CLAIMS_FILE=work_claims.json
AGENT_STATUS_FILE=agent_status.json
COORDINATION_LOG_FILE=coordination_log.json

# Run nexus as the executed shim would, without replacing the caller's shell.
_nexus_shim_run() {
    _nexus_shim_b=$(_nexus_shim_bin) || return 1
    COORDINATION_DIR=${COORDINATION_DIR:-$_nexus_shim_here} NEXUS_LEGACY_SHIM=1 "$_nexus_shim_b" "$@"
}

# Work management.
claim_work() { _nexus_shim_run claim "$@"; }
update_progress() { _nexus_shim_run progress "$@"; }
complete_work() { _nexus_shim_run complete "$@"; }
register_agent_in_team() { _nexus_shim_run register "$@"; }
generate_agent_id() { _nexus_shim_run generate-id; }
claim_work_with_intelligence() { _nexus_shim_run claim-intelligent "$@"; }
cleanup_stale_work_items() { _nexus_shim_run cleanup; }
auto_cleanup_stale_items() { _nexus_shim_run cleanup; }
# nexus credits velocity and records spans itself on every change: these
# legacy helpers have nothing left to do.
update_team_velocity() { :; }
log_telemetry_span() { :; }
emit_phoenix_telemetry_event() { :; }

# Trace ids, as the legacy helpers printed them.
generate_trace_id() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; echo; }
generate_span_id() { od -An -N8 -tx1 /dev/urandom | tr -d ' \n'; echo; }
create_otel_context() {
    _nexus_shim_t=${FORCE_TRACE_ID:-${COORDINATION_TRACE_ID:-${TRACE_ID:-${OTEL_TRACE_ID:-}}}}
    [ -n "$_nexus_shim_t" ] || _nexus_shim_t=$(generate_trace_id)
    echo "$_nexus_shim_t"
}

# Scrum at Scale.
show_scrum_dashboard() { _nexus_shim_run dashboard --text; }
run_pi_planning() { _nexus_shim_run pi-planning; }
scrum_of_scrums() { _nexus_shim_run scrum-of-scrums; }
run_innovation_planning() { _nexus_shim_run innovation-planning; }
run_system_demo() { _nexus_shim_run system-demo; }
inspect_and_adapt() { _nexus_shim_run inspect-adapt; }
art_sync() { _nexus_shim_run art-sync; }
portfolio_kanban() { _nexus_shim_run portfolio-kanban; }
coach_training() { _nexus_shim_run coach-training; }
value_stream_mapping() { _nexus_shim_run value-stream; }

# AI analyses.
claude_analyze_work_priorities() { _nexus_shim_run claude-analyze-priorities; }
claude_fallback_priority_analysis() { NEXUS_AI_PROVIDER=offline _nexus_shim_run claude-analyze-priorities; }
claude_recommend_work_claim() { _nexus_shim_run claude-analyze-priorities; }
claude_optimize_assignments() { _nexus_shim_run claude-optimize-assignments "$@"; }
claude_health_analysis() { _nexus_shim_run claude-health-analysis; }
claude_analyze_system_health() { _nexus_shim_run claude-health-analysis; }
claude_team_analysis() { _nexus_shim_run claude-team-analysis "$@"; }
claude_suggest_team_formation() { _nexus_shim_run claude-team-analysis "$@"; }
show_claude_intelligence_dashboard() { _nexus_shim_run claude-dashboard; }
claude_realtime_coordination_stream() { _nexus_shim_run claude-stream "$@"; }
claude_pipe_analyzer() { _nexus_shim_run claude-pipe "$@"; }
claude_enhanced_analysis() { _nexus_shim_run claude-enhanced "$@"; }

return 0 2>/dev/null || true
