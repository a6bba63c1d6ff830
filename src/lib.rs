//! nexus: a coordinator for fleets of AI agents, and a drop-in replacement for
//! `coordination_helper.sh`.
//!
//! Layers, top down (each uses only the ones below it; the test
//! `tests/cli/architecture.rs` holds the table and enforces it):
//!
//! - front ends: [`cli`] (clap definitions, the dispatcher) and [`mcp`];
//! - [`commands`]: one file per shared command, its `Args` and handler, and
//!   the table the network front ends are made from;
//! - [`app`]: the mutation runner every state change goes through (it
//!   derives the span, audit lines, webhook event and trace fields from the
//!   store step's list of changes) and the other commands;
//! - readers that never write: [`tui`] (live dashboard), [`ai`] (analyses),
//!   [`report`] (text dashboard, ceremonies);
//! - [`config`]: every setting, read once from flags and the environment
//!   (nothing else reads the environment; `config::vars` lists them);
//! - [`ops`]: pure operations over a [`store::State`], testable on
//!   [`store::MemStore`];
//! - [`store`]: the only code that touches state: one journalled step per
//!   command across all files, or one PostgreSQL transaction;
//! - domain and leaves: [`records`], [`telemetry`], [`model`] (AI model
//!   clients), [`mode`], [`input`], [`outcome`], [`error`], [`n8n`],
//!   [`http`], [`redact`], [`par`], [`text`].

pub(crate) mod ai;
pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub(crate) mod hook;
pub mod http;
pub(crate) mod input;
pub(crate) mod mcp;
pub(crate) mod mode;
pub(crate) mod model;
pub(crate) mod n8n;
pub(crate) mod ops;
pub(crate) mod outcome;
pub(crate) mod par;
pub(crate) mod records;
pub mod redact;
pub(crate) mod report;
pub mod serve;
pub mod store;
pub(crate) mod telemetry;
pub mod text;
pub mod tui;
pub(crate) mod web;
