//! n8n: the REST API client behind `nexus n8n`, and the coordination events
//! nexus posts to an n8n webhook.

pub mod client;
pub mod events;

pub use client::{N8nClient, N8nError};
pub use events::Event;
