//! Integration tests: the real `nexus` binary on temporary directories.

mod ai;
mod assets;
mod bad_input;
mod commands;
mod common;
mod concurrency;
mod examples;
mod fleet;
mod hostile;
mod legacy_data;
mod mock_http;
mod n8n;
mod otlp;
mod reports;
mod shim;
mod tmux;
mod tui;
