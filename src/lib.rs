//! nexus: a coordinator for fleets of AI agents, and a drop-in replacement for
//! `coordination_helper.sh`.
//!
//! Layers: [`cli`] parses, [`app`] validates and dispatches, [`ops`] decide,
//! [`store`] owns every file; [`report`] only reads.

pub mod ai;
pub mod app;
pub mod cli;
pub mod config;
pub mod doctor;
pub mod error;
pub mod help;
pub mod http;
pub mod input;
pub mod mcp;
pub mod mode;
pub mod n8n;
pub mod ops;
pub mod preflight;
pub mod records;
pub mod redact;
pub mod report;
pub mod store;
pub mod telemetry;
pub mod text;
pub mod tui;
