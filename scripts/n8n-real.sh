#!/bin/sh
# The n8n tests against a real n8n instead of the mock: installs n8n from the
# npm registry on first use, starts it on 127.0.0.1 with a fresh data folder
# (telemetry, templates and version checks off), creates its owner and an API
# key through its REST endpoints, and runs `cargo test --test cli n8n` with
# NEXUS_N8N_REAL_URL and NEXUS_N8N_REAL_KEY set, which turns the n8n_real
# tests on. It is heavy (about 2 GB installed), so it runs only when
# NEXUS_N8N_REAL=1.
#
#   NEXUS_N8N_REAL=1 scripts/n8n-real.sh
#
# NEXUS_N8N_VERSION (default 2.8.4, the newest that runs on Node 20),
# NEXUS_N8N_REAL_DIR (default ~/.cache/nexus-n8n-real: the install and data)
# and NEXUS_N8N_PORT (default 5690; its task broker takes the next port) change where and what it runs. Extra
# arguments go to cargo test.
set -eu
if [ "${NEXUS_N8N_REAL:-}" != 1 ]; then
    echo "scripts/n8n-real.sh: skipped (set NEXUS_N8N_REAL=1 to install and run a real n8n, about 2 GB)"
    exit 0
fi
cd "$(dirname "$0")/.."
version=${NEXUS_N8N_VERSION:-2.8.4}
home=${NEXUS_N8N_REAL_DIR:-$HOME/.cache/nexus-n8n-real}
port=${NEXUS_N8N_PORT:-5690}
base=http://127.0.0.1:$port
for tool in node npm curl; do
    command -v "$tool" >/dev/null 2>&1 || { echo "scripts/n8n-real.sh: $tool is needed" >&2; exit 1; }
done
started=$(date +%s)

# Install, once per version. n8n pins xlsx to a tarball outside the npm
# registry; the override takes the registry's 0.18.5 instead.
mkdir -p "$home"
if [ ! -x "$home/node_modules/.bin/n8n" ] || [ "$(cat "$home/.version" 2>/dev/null)" != "$version" ]; then
    echo "== installing n8n $version into $home"
    cat >"$home/package.json" <<EOF
{
  "name": "nexus-n8n-real",
  "private": true,
  "dependencies": { "n8n": "$version" },
  "overrides": { "xlsx": "0.18.5" }
}
EOF
    (cd "$home" && npm install --no-audit --no-fund --loglevel=error)
    echo "$version" >"$home/.version"
fi
installed=$(date +%s)

# Start it with a fresh data folder, only on 127.0.0.1.
data="$home/data"
rm -rf "$data"
mkdir -p "$data"
log="$home/n8n.log"
N8N_USER_FOLDER="$data" N8N_PORT=$port N8N_LISTEN_ADDRESS=127.0.0.1 N8N_HOST=127.0.0.1 \
    N8N_RUNNERS_BROKER_PORT=$((port + 1)) N8N_RUNNERS_BROKER_LISTEN_ADDRESS=127.0.0.1 \
    N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false \
    N8N_TEMPLATES_ENABLED=false N8N_PERSONALIZATION_ENABLED=false \
    N8N_SECURE_COOKIE=false N8N_PUBLIC_API_SWAGGERUI_DISABLED=true \
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=false \
    "$home/node_modules/.bin/n8n" start >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT INT TERM
echo "== n8n $version starting on $base (pid $pid, log $log)"
# Ready when it takes its owner (its REST routes come up after /healthz).
jar="$home/cookies"
rm -f "$jar"
i=0
# (Before that it answers "starting up" or 404.)
until curl -s -c "$jar" -H 'Content-Type: application/json' "$base/rest/owner/setup" \
    -d '{"email":"nexus@example.com","firstName":"nexus","lastName":"tests","password":"Nexus-tests-1"}' 2>/dev/null |
    grep -q '"email":"nexus@example.com"'; do
    i=$((i + 1))
    if [ $i -gt 300 ] || ! kill -0 $pid 2>/dev/null; then
        echo "scripts/n8n-real.sh: n8n did not become ready in 300 s; see $log" >&2
        tail -20 "$log" >&2
        exit 1
    fi
    sleep 1
done
ready=$(date +%s)

# An API key with every scope the owner may grant.
scopes=$(curl -sf -b "$jar" "$base/rest/api-keys/scopes" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.stringify(JSON.parse(s).data)))')
key=$(curl -sf -b "$jar" -H 'Content-Type: application/json' "$base/rest/api-keys" \
    -d "{\"label\":\"nexus tests\",\"expiresAt\":null,\"scopes\":$scopes}" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const d=JSON.parse(s).data;console.log(d.rawApiKey||d.apiKey)})')
rm -f "$jar"
[ -n "$key" ] || { echo "scripts/n8n-real.sh: no API key created" >&2; exit 1; }

echo "== cargo test --test cli n8n against n8n $version"
status=0
NEXUS_N8N_REAL_URL=$base NEXUS_N8N_REAL_KEY=$key cargo test --test cli n8n "$@" || status=$?
done_at=$(date +%s)
echo "== n8n $version: install $((installed - started)) s, start $((ready - installed)) s, tests $((done_at - ready)) s, $(du -sh "$home/node_modules" | cut -f1) installed"
exit $status
