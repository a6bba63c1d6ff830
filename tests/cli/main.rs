//! Integration tests: the real `nexus` binary on temporary directories.

mod ai;
mod ai_legacy;
mod ai_setup;
mod assets;
mod atomic;
mod bad_input;
mod commands;
mod common;
mod concurrency;
mod doctor;
mod examples;
mod fleet;
mod help;
mod hostile;
mod legacy_data;
mod mcp;
mod mock_http;
mod n8n;
mod otlp;
mod reports;
mod setup;
mod shim;
mod tmux;
mod tui;
mod views;
