#!/bin/sh
# A queue for agents: add a small graph of work, then let three agents drain it
# while `nexus watch` follows the feed. An agent only ever gets an item whose
# dependencies are completed, and no item twice.
#   COORDINATION_DIR=./coordination sh examples/agent-queue.sh
set -eu
id() { grep -o 'work_[0-9]*' | head -1; }
count() { sed -n 's/^{"ok":true,"command":"[a-z]*","count":\([0-9]*\).*/\1/p'; }

design=$(nexus add feature "Design the CSV export" high | id)
schema=$(nexus add feature "Write the schema" medium | id)
build=$(nexus add feature "Build the exporter" high --depends-on "$design,$schema" | id)
tests=$(nexus add test "Test the exporter" medium --depends-on "$build" | id)
docs=$(nexus add docs "Document the export" low --depends-on "$design" | id)
nexus add release "Ship it" critical --depends-on "$tests,$docs" >/dev/null
nexus ready
nexus blocked

log=$(mktemp)
nexus watch --since 0 >"$log" &
watcher=$!

# One agent: take the next ready item, work on it, complete it; when nothing
# is ready, stop if nothing waits either, else wait for the others.
agent() {
    while :; do
        if out=$(AGENT_ID=$1 nexus claim --next 2>/dev/null); then
            item=$(printf '%s\n' "$out" | id)
            AGENT_ID=$1 nexus progress "$item" 50 >/dev/null
            AGENT_ID=$1 nexus complete "$item" success 3 >/dev/null
            echo "$1 completed $item"
        elif [ "$(nexus --json blocked | count)" = 0 ]; then
            return 0
        else
            sleep 0.2
        fi
    done
}
agent agent_a & a=$!
agent agent_b & b=$!
agent agent_c & c=$!
wait "$a" "$b" "$c"

# Let the watcher print the last event, then stop it and show the feed.
total=$(nexus watch --since 0 --no-follow | wc -l)
i=0
while [ "$(wc -l <"$log")" -lt "$total" ] && [ "$i" -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
kill "$watcher"
wait "$watcher" || true
echo "--- the feed, as nexus watch printed it ---"
cat "$log"
rm -f "$log"
