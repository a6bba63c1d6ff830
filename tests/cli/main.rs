//! Integration tests: the real `nexus` binary on temporary directories.

// Only the library is held to reading settings through its config;
// the harness reads its own switches (CI, NEXUS_REQUIRE_PG, PATH).
#![allow(clippy::disallowed_methods)]

mod ai;
mod ai_legacy;
mod ai_setup;
mod architecture;
mod assets;
mod atomic;
mod bad_input;
mod browser;
mod callers;
mod commands;
mod common;
mod concurrency;
mod doctor;
mod examples;
mod first_hour;
mod fleet;
mod graph;
mod help;
mod hostile;
mod legacy_data;
mod mcp;
mod mock_http;
mod n8n;
mod n8n_real;
mod otlp;
mod pg_faults;
mod pg_fleet;
mod pg_outcome;
mod pg_pooler;
mod pg_server;
mod pg_tls;
mod reports;
mod serve;
mod serve_group;
mod serve_group_pg;
mod serve_group_pg_faults;
mod setup;
mod shim;
mod stores;
mod tmux;
mod tui;
mod views;
mod watch;
mod web;
mod web_state;
