#!/bin/sh
# Drop-in replacement for the legacy coordination_helper.sh: every call is
# forwarded to nexus with the same arguments. State stays in this directory
# unless COORDINATION_DIR says otherwise. Unknown commands print the help and
# exit 0 here, as the legacy script did.
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${NEXUS_BIN:-}" ]; then
    bin=$NEXUS_BIN
elif command -v nexus >/dev/null 2>&1; then
    bin=nexus
elif [ -x "$here/../target/release/nexus" ]; then
    bin=$here/../target/release/nexus
else
    echo "❌ ERROR: nexus not found on PATH or at $here/../target/release/nexus (run: cargo install --path .)" >&2
    exit 1
fi
COORDINATION_DIR=${COORDINATION_DIR:-$here} NEXUS_LEGACY_SHIM=1 exec "$bin" "$@"
