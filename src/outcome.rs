//! What a command hands back to the edge: the human lines, the `--json`
//! object, and the exit status, so a command can report in full and still
//! fail (doctor's findings).

use serde_json::Value;

use crate::error::Exit;

/// The result of a command that ran to its end.
#[derive(Debug)]
pub struct Outcome {
    pub human: String,
    pub json: Value,
    pub exit: Exit,
    /// The one-line error to print on stderr when `exit` is not `Ok`.
    pub failure: Option<String>,
}

impl Outcome {
    /// A success.
    pub fn new(human: String, json: Value) -> Outcome {
        Outcome {
            human,
            json,
            exit: Exit::Ok,
            failure: None,
        }
    }

    /// A full report that still fails (exit 1) with `why` on stderr.
    pub fn failing(human: String, json: Value, why: String) -> Outcome {
        Outcome {
            human,
            json,
            exit: Exit::Failure,
            failure: Some(why),
        }
    }
}
