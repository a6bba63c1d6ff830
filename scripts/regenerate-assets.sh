#!/bin/sh
# Regenerate the checked-in shell completions and man pages from the clap
# definitions. A test fails when they are stale; run this and commit.
set -eu
cd "$(dirname "$0")/.."
cargo build -q
bin=target/debug/nexus
mkdir -p completions
"$bin" completions bash > completions/nexus.bash
"$bin" completions zsh > completions/_nexus
"$bin" completions fish > completions/nexus.fish
"$bin" completions elvish > completions/nexus.elv
"$bin" completions powershell > completions/_nexus.ps1
rm -rf man
"$bin" man --out man
echo "completions/ and man/ regenerated"
# The README's environment table, from the list of variables.
"$bin" --json help environment | python3 -c '
import json, re, sys
rows = json.load(sys.stdin)["variables"]
table = "| variable | default | meaning |\n|---|---|---|\n" + "".join(
    "| `%s` | %s | %s |\n" % (v["name"], "`%s`" % v["default"] if v["default"] else "", v["meaning"])
    for v in rows)
readme = open("README.md").read()
begin, end = "<!-- environment table: begin -->\n", "<!-- environment table: end -->"
i, j = readme.index(begin) + len(begin), readme.index(end)
open("README.md", "w").write(readme[:i] + table + readme[j:])
'
echo "README.md environment table regenerated"
