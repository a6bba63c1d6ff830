#!/bin/sh
# Fail a CI build when work items are stale (no activity for over 24 hours).
#   COORDINATION_DIR=./coordination sh examples/ci-stale-check.sh
set -eu
report=$(nexus --json dashboard --text)
# The metrics carry the stale items; count their ids without needing jq.
stale=$(printf '%s' "$report" | grep -o '"idle_hours"' | wc -l | tr -d ' ')
active=$(printf '%s' "$report" | sed -n 's/.*"metrics":{[^{}]*"active":\([0-9]*\).*/\1/p')
if [ "$stale" -gt 0 ]; then
    echo "❌ $stale of $active active work items are stale:" >&2
    nexus dashboard --text | grep -A 30 'ACTIVE WORK' | grep '🔧' | head -n "$stale" >&2 || true
    exit 1
fi
echo "✅ no stale work items ($active active)"
