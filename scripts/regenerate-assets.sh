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
