#!/bin/sh
# The test command (CI runs it after fmt and clippy): installs the tools the
# tests drive when they are missing (tmux for the live dashboard, jq for the
# AI file checks, openssl for the throwaway CA of the PostgreSQL TLS tests,
# Debian's postgresql for the PostgreSQL store, whose tests
# start a throwaway server themselves, and pgbouncer, a pooler they start in
# front of it, and Chromium with its WebDriver for the web pages' browser
# tests) with apt-get when running as root,
# then runs cargo test.
# Extra arguments go to cargo test, e.g. scripts/test.sh --test cli tui.
set -eu
cd "$(dirname "$0")/.."
missing=""
for tool in tmux jq openssl; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
[ -x /usr/sbin/pgbouncer ] || missing="$missing pgbouncer"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -x /usr/bin/chromedriver ] || missing="$missing chromium-driver"
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing$missing"
        (apt-get update -qq && apt-get install -y -qq $missing) >/dev/null 2>&1 ||
            echo "warning: could not install$missing" >&2
    else
        echo "warning: missing$missing (e.g. sudo apt-get install$missing); the tests that use them will fail" >&2
    fi
fi
# NEXUS_COVERAGE=1: the same suite under cargo-llvm-cov, ending with the line
# coverage table (processes the tests kill mid-write leave partial profiles,
# which the merge skips).
if [ "${NEXUS_COVERAGE:-0}" = 1 ]; then
    command -v cargo-llvm-cov >/dev/null 2>&1 || cargo install cargo-llvm-cov --locked
    rustup component add llvm-tools-preview >/dev/null 2>&1 || true
    exec cargo llvm-cov --failure-mode=all --summary-only \
        --ignore-filename-regex '(^|/)(tests|benches|fuzz)/' "$@"
fi
exec cargo test "$@"
