//! `list`: the work items, filtered, as a table or (with --json) an array.

use clap::Args;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::args::given;
use super::{HelpGroup, Verb};
use crate::config::Config;
use crate::error::{NexusError, Result};
use crate::outcome::Outcome;
use crate::records::claim_record::ClaimRecord;
use crate::records::text;
use crate::store::{AnyStore, Store};

/// The largest page of `list`.
pub const MAX_LIMIT: u64 = 500;

/// List work items as a table (an array with --json)
///
/// Example: nexus list --status active --team backend_team
#[derive(Debug, Clone, Default, Args, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListArgs {
    /// Only items with this status
    #[arg(long)]
    pub status: Option<String>,
    /// Only items of this team
    #[arg(long)]
    pub team: Option<String>,
    /// Only items held by this agent
    #[arg(long)]
    pub agent: Option<String>,
    /// Only items of this priority
    #[arg(long)]
    pub priority: Option<String>,
    /// Only items whose id, type or description holds this text (any case)
    #[arg(long, value_name = "TEXT")]
    #[serde(alias = "q")]
    pub search: Option<String>,
    /// Skip this many matching items first
    #[arg(long, value_name = "N")]
    pub offset: Option<u64>,
    /// Show at most this many (1 to 500)
    #[arg(long, value_name = "N")]
    #[schemars(range(min = 1, max = 500))]
    pub limit: Option<u64>,
}

impl ListArgs {
    fn filters(&self) -> [Option<String>; 4] {
        [
            given(self.status.clone()),
            given(self.team.clone()),
            given(self.agent.clone()),
            given(self.priority.clone()),
        ]
    }

    /// The rows of a page: (the page, how many matched in all, where it starts).
    fn page<'a>(&self, rows: Vec<&'a ClaimRecord>) -> Result<(Vec<&'a ClaimRecord>, usize, usize)> {
        let total = rows.len();
        if let Some(l) = self.limit
            && !(1..=MAX_LIMIT).contains(&l)
        {
            return Err(NexusError::invalid(
                "limit",
                &l.to_string(),
                format!("must be a whole number from 1 to {MAX_LIMIT}"),
            ));
        }
        let start = usize::try_from(self.offset.unwrap_or(0))
            .unwrap_or(usize::MAX)
            .min(total);
        let take = self
            .limit
            .map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
        Ok((
            rows.into_iter().skip(start).take(take).collect(),
            total,
            start,
        ))
    }
}

impl ListArgs {
    /// The matching records of a snapshot, in file order.
    pub fn select<'a>(&self, claims: &'a [ClaimRecord]) -> Vec<&'a ClaimRecord> {
        let keep = self.matcher();
        claims.iter().filter(|c| keep(c)).collect()
    }

    /// Whether a record matches these filters and this search.
    pub fn matcher(&self) -> impl Fn(&ClaimRecord) -> bool + use<> {
        let keys = ["status", "team", "agent_id", "priority"];
        let filters = self.filters();
        let search = given(self.search.clone()).map(|s| s.to_lowercase());
        move |c| {
            keys.iter()
                .zip(&filters)
                .all(|(k, f)| f.as_deref().is_none_or(|f| text(c, k) == Some(f)))
                && search.as_deref().is_none_or(|s| {
                    ["work_item_id", "work_type", "description"]
                        .iter()
                        .any(|k| text(c, k).is_some_and(|v| contains_folded(v, s)))
                })
        }
    }

    /// The page these arguments ask for, as JSON, and how many match in all.
    /// (`claims`: a snapshot's, or the copy `nexus serve` keeps in memory)
    pub fn page_of(&self, claims: &[ClaimRecord]) -> Result<(Vec<Value>, usize)> {
        let (rows, total, _) = self.page(self.select(claims))?;
        Ok((rows.iter().map(|r| json!(r)).collect(), total))
    }
}

/// Whether `hay` in lower case contains `needle` (already in lower case),
/// without a lowered copy of `hay` when it is ASCII (the common case, and
/// the search runs over every record).
fn contains_folded(hay: &str, needle: &str) -> bool {
    if !hay.is_ascii() {
        return hay.to_lowercase().contains(needle);
    }
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    n.is_empty()
        || h.windows(n.len())
            .any(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b))
}

impl Verb for ListArgs {
    const NAME: &'static str = "list";
    const ABOUT: &'static str = "Work items, filtered, one page at a time.";
    const MUTATES: bool = false;
    const GROUP: Option<HelpGroup> = Some(HelpGroup::Views);

    fn run(&self, store: &AnyStore, cfg: &Config) -> Result<Outcome> {
        let s = store.snapshot()?;
        let filters = self.filters();
        // A mistyped status or priority (`actve`) would list nothing and look
        // like an empty fleet: name the values that exist instead.
        for (what, filter, builtin) in [
            ("status", &filters[0], &crate::input::STATUSES[..]),
            ("priority", &filters[3], &crate::input::PRIORITIES[..]),
        ] {
            if let Some(value) = filter {
                let present = s.claims.iter().filter_map(|c| text(c, what));
                crate::input::known_value(what, value, builtin, present)?;
            }
        }
        let rows = self.select(&s.claims);
        let paged = self.offset.is_some() || self.limit.is_some();
        let (rows, total, start) = self.page(rows)?;
        if cfg.json {
            let mut out = Outcome::new(String::new(), json!(rows));
            if paged {
                out.human = page_summary(rows.len(), total, start);
            }
            return Ok(out);
        }
        let mut human = crate::report::views::list_table(&rows);
        if paged {
            human.push_str(&page_summary(rows.len(), total, start));
            human.push('\n');
        }
        Ok(Outcome::new(human, Value::Null))
    }
}

/// "3 of 10 items from offset 2; next offset 5".
fn page_summary(shown: usize, total: usize, start: usize) -> String {
    let end = start + shown;
    if end < total {
        format!("{shown} of {total} items from offset {start}; next offset {end}")
    } else {
        format!("{shown} of {total} items from offset {start}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_ignores_case_as_a_lowered_copy_would() {
        for (hay, needle, found) in [
            ("Fix The Login", "the l", true),
            ("Fix The Login", "", true),
            ("abc", "abcd", false),
            ("ÉCOLE Paris", "école", true),
            ("KELVIN", "kel", true),
            ("plain", "é", false),
        ] {
            assert_eq!(contains_folded(hay, needle), found, "{hay} / {needle}");
            assert_eq!(
                hay.to_lowercase().contains(needle),
                found,
                "{hay} / {needle}"
            );
        }
    }

    #[test]
    fn a_page_says_where_the_next_one_starts() {
        assert_eq!(
            page_summary(3, 10, 2),
            "3 of 10 items from offset 2; next offset 5"
        );
        assert_eq!(page_summary(2, 10, 8), "2 of 10 items from offset 8");
    }

    #[test]
    fn a_limit_out_of_range_is_refused() {
        let a = ListArgs {
            limit: Some(0),
            ..ListArgs::default()
        };
        let e = a.page(Vec::new()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid limit '0': must be a whole number from 1 to 500"
        );
    }
}
