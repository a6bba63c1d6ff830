//! Strings that many records share (statuses, teams, priorities, agents),
//! numbered once, for readers that keep a small row per record.

use std::collections::HashMap;

/// Strings numbered in the order they were first seen.
#[derive(Debug, Default)]
pub struct Names {
    list: Vec<String>,
    numbers: HashMap<String, u32>,
}

impl Names {
    /// The number of `name`, given one when it is new.
    pub fn number(&mut self, name: &str) -> u32 {
        if let Some(&n) = self.numbers.get(name) {
            return n;
        }
        let n = self.list.len() as u32;
        self.list.push(name.to_string());
        self.numbers.insert(name.to_string(), n);
        n
    }

    /// The number of `name`, if a record ever had it.
    pub fn find(&self, name: &str) -> Option<u32> {
        self.numbers.get(name).copied()
    }

    pub fn name(&self, n: u32) -> &str {
        &self.list[n as usize]
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}
