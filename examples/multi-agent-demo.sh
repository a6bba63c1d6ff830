#!/bin/sh
# Start N agents working against one coordination directory, then show the
# dashboard: live on a terminal, one frame when piped.
#   sh examples/multi-agent-demo.sh 8 5      # 8 agents, 5 items each
set -eu
agents=${1:-8}
items=${2:-5}
: "${COORDINATION_DIR:=$(mktemp -d)/coordination}"
export COORDINATION_DIR
echo "coordination directory: $COORDINATION_DIR"

a=1
while [ "$a" -le "$agents" ]; do
    (
        AGENT_ID="demo_agent_$a"
        export AGENT_ID
        team=$(printf 'platform_team\ndevelopment_team\ncoordination_team' | sed -n "$(( (a % 3) + 1 ))p")
        nexus register "$AGENT_ID" "$team" 100 demo >/dev/null
        n=1
        while [ "$n" -le "$items" ]; do
            id=$(nexus claim demo "Agent $a item $n" high "$team" | grep -o 'work_[0-9]*' | head -1)
            nexus progress "$id" 50 >/dev/null
            if [ $((n % 2)) -eq 1 ]; then nexus complete "$id" success 2 >/dev/null; fi
            n=$((n + 1))
        done
    ) &
    a=$((a + 1))
done
wait

if [ -t 1 ]; then
    exec nexus dashboard
else
    nexus dashboard --once
fi
