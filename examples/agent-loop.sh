#!/bin/sh
# An agent's work loop: claim an item, report progress, complete it.
# Shows both ways of reading the new id: the legacy grep, and --json.
#   COORDINATION_DIR=./coordination AGENT_ID=agent_1 sh examples/agent-loop.sh 3
set -eu
rounds=${1:-3}
: "${AGENT_ID:=$(nexus generate-id)}"
export AGENT_ID

i=1
while [ "$i" -le "$rounds" ]; do
    # Legacy style: the first work_<digits> in the output is the new id.
    id=$(nexus claim feature "Loop item $i" medium loop_team | grep -o 'work_[0-9]*' | head -1)
    nexus progress "$id" 50 >/dev/null
    nexus complete "$id" success 3 >/dev/null
    echo "done $id"

    # Machine style: one JSON object, the id under .work_item_id.
    json=$(nexus --json claim review "Review of item $i" low loop_team)
    id=$(printf '%s' "$json" | sed -n 's/.*"work_item_id":"\(work_[0-9]*\)".*/\1/p')
    CURRENT_WORK_ITEM=$id nexus progress 100 >/dev/null   # the id comes from the environment
    CURRENT_WORK_ITEM=$id nexus complete >/dev/null
    echo "done $id"
    i=$((i + 1))
done
