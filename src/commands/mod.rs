//! The commands every front end offers, one file each: its argument struct
//! (clap's `Args` for the CLI, serde's `Deserialize` for MCP and HTTP,
//! schemars' `JsonSchema` for their schemas, with the doc comments as help)
//! and its handler. [`TABLE`] lists them; the MCP tools and the HTTP routes
//! are built from it, so a command cannot mean one thing on the command line
//! and another over the network.
//!
//! Adding a command: a file here with its `Args` struct and `impl Verb`
//! (whose `HTTP` and `GROUP` place it in the API and in `nexus help`), its
//! `mod` line and row in [`TABLE`], and for the CLI a variant in
//! `cli::Command` and its line in `cli::execute`: four files.

pub mod add;
pub mod agents;
mod args;
pub mod blocked;
pub mod claim;
pub mod complete;
pub mod dep;
pub mod heartbeat;
pub mod list;
pub mod next;
pub mod priority;
pub mod progress;
pub mod ready;
pub mod release;
pub mod show;
pub mod status;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::outcome::Outcome;
use crate::store::AnyStore;

pub use args::Caller;

/// Where a command is listed in `nexus help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpGroup {
    Work,
    Views,
}

/// An HTTP method of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

/// Where a command is served in the HTTP API: its method and path (`{id}`
/// and `{other}` are path parameters), the argument each path parameter
/// fills, and whether a success creates something (201).
#[derive(Debug, Clone, Copy)]
pub struct Http {
    pub method: Method,
    pub path: &'static str,
    pub params: &'static [(&'static str, &'static str)],
    pub created: bool,
}

/// A route of the API.
pub const fn http(method: Method, path: &'static str) -> Option<Http> {
    Some(Http {
        method,
        path,
        params: &[],
        created: false,
    })
}

/// The path parameter `{id}` naming the work item.
pub const ID: &[(&str, &str)] = &[("id", "work_id")];

/// A route of the API whose `{id}` names the work item.
pub const fn http_id(method: Method, path: &'static str) -> Option<Http> {
    Some(Http {
        method,
        path,
        params: ID,
        created: false,
    })
}

/// A command that every front end offers.
pub trait Verb: clap::Args + DeserializeOwned + JsonSchema + Send + 'static {
    /// Its name as an MCP tool and in the HTTP API's documents.
    const NAME: &'static str;
    /// One short line for tool lists (every MCP client sends the whole list
    /// to its model: keep it short).
    const ABOUT: &'static str;
    /// Whether it changes the state (then it needs the write scope and takes
    /// the caller's agent id, request id and lease generation).
    const MUTATES: bool;
    /// Its route in the HTTP API, if it has one of its own.
    const HTTP: Option<Http> = None;
    /// Its group in `nexus help`, if it is a command of its own there.
    const GROUP: Option<HelpGroup> = None;

    /// Run it on `store` with the settings of this call.
    fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome>;
}

/// One row of [`TABLE`]: a command as the front ends see it.
pub struct Entry {
    pub name: &'static str,
    pub about: &'static str,
    pub mutates: bool,
    pub http: Option<Http>,
    pub group: Option<HelpGroup>,
    /// The JSON schema of its arguments (without the caller's fields).
    pub schema: fn() -> schemars::Schema,
    /// Run it from JSON arguments, checked as its `Args` struct checks them.
    pub call: fn(Value, &AnyStore, &Config) -> Result<Outcome>,
}

const fn entry<V: Verb>() -> Entry {
    Entry {
        name: V::NAME,
        about: V::ABOUT,
        mutates: V::MUTATES,
        http: V::HTTP,
        group: V::GROUP,
        schema: schema::<V>,
        call: call::<V>,
    }
}

/// Every command the network front ends offer, in the order of tool lists.
pub const TABLE: &[Entry] = &[
    entry::<next::NextArgs>(),
    entry::<claim::ClaimArgs>(),
    entry::<progress::ProgressArgs>(),
    entry::<complete::CompleteArgs>(),
    entry::<release::ReleaseArgs>(),
    entry::<priority::PriorityArgs>(),
    entry::<heartbeat::HeartbeatArgs>(),
    entry::<add::AddArgs>(),
    entry::<dep::DepAddArgs>(),
    entry::<dep::DepRmArgs>(),
    entry::<show::ShowArgs>(),
    entry::<list::ListArgs>(),
    entry::<ready::ReadyArgs>(),
    entry::<blocked::BlockedArgs>(),
    entry::<status::StatusArgs>(),
    entry::<agents::AgentsArgs>(),
];

/// The entry named `name`.
pub fn find(name: &str) -> Option<&'static Entry> {
    TABLE.iter().find(|e| e.name == name)
}

fn schema<V: JsonSchema>() -> schemars::Schema {
    schemars::schema_for!(V)
}

fn call<V: Verb>(args: Value, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
    let args = match args {
        Value::Null => Value::Object(Map::new()),
        v => v,
    };
    let v: V = serde_json::from_value(args).map_err(|e| bad_arguments(V::NAME, &e))?;
    v.run(store, cfg)
}

/// Arguments that do not fit a command's struct, in the CLI's words.
pub fn bad_arguments(command: &str, e: &serde_json::Error) -> NexusError {
    NexusError::invalid("arguments of", command, crate::text::line(&e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_schemas_are_objects() {
        let mut names: Vec<&str> = TABLE.iter().map(|e| e.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TABLE.len());
        for e in TABLE {
            let s = (e.schema)();
            assert_eq!(s.get("type"), Some(&Value::from("object")), "{}", e.name);
        }
        assert!(find("claim").is_some_and(|e| e.mutates));
        assert!(find("status").is_some_and(|e| !e.mutates));
        assert!(find("nope").is_none());
    }
}
