//! nexus: a coordinator for fleets of AI agents, and a drop-in replacement for
//! `coordination_helper.sh`.
//!
//! Layers, top down (each uses only the ones below it):
//!
//! - [`cli`] (clap definitions) and [`config`] (every setting, read once from
//!   flags and the environment; nothing below it reads the environment);
//! - [`app`]: one function per command; every state change goes through its
//!   mutation runner, which derives the span, audit lines, webhook event and
//!   trace fields from the store step's list of changes;
//! - [`ops`]: pure operations over a [`store::State`] (claim, progress,
//!   complete, register, the backlog, cleanup), testable on [`store::MemStore`];
//! - [`store`]: the only code that touches state files: one journalled step
//!   per command across all files, lock-free readers, doctor's repairs;
//! - readers that never write: [`report`] (text dashboard, ceremonies),
//!   [`tui`] (live dashboard), [`ai`] (analyses);
//! - leaves: [`records`] (record layout and domain types: `Status`,
//!   `Priority`), [`mode`] (`Feature`s), [`telemetry`], [`n8n`], [`http`]
//!   (the one HTTP client builder), [`redact`], [`text`], [`error`].

pub mod ai;
pub mod app;
pub mod cli;
pub mod config;
pub mod error;
pub mod help;
pub mod http;
pub mod input;
pub mod mcp;
pub mod mode;
pub mod n8n;
pub mod ops;
pub mod outcome;
pub mod par;
pub mod preflight;
pub mod records;
pub mod redact;
pub mod report;
pub mod store;
pub mod telemetry;
pub mod text;
pub mod tui;
