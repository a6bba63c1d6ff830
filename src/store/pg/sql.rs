//! SQL text for the simple-query protocol, which runs several statements in
//! one round trip: values are written into the text as escape-string
//! literals (`E'...'`, read the same whatever `standard_conforming_strings`
//! says: a backslash and a quote each doubled), and the answer is split back
//! into one row set per statement.
//!
//! A step sends its writes with its next read, and its last writes with the
//! trails and `COMMIT`: a command costs a round trip per read it makes, not
//! per statement, and no prepared statement (a Parse round trip of its own).

use postgres::{SimpleQueryMessage, SimpleQueryRow};

use super::cols::Cols;
use crate::error::{NexusError, Result};

/// `s` as a string literal. PostgreSQL text cannot hold a NUL character;
/// a value carrying one is refused here, as the server would refuse it.
pub fn lit(s: &str) -> Result<String> {
    if s.contains('\0') {
        return Err(NexusError::invalid(
            "value",
            &s.replace('\0', "\\0"),
            "contains a NUL character, which PostgreSQL text cannot hold",
        ));
    }
    Ok(format!(
        "E'{}'",
        s.replace('\\', "\\\\").replace('\'', "''")
    ))
}

/// `s` as a string literal, or NULL.
pub fn opt(s: Option<&str>) -> Result<String> {
    s.map_or_else(|| Ok("NULL".to_string()), lit)
}

/// A number, or NULL.
pub fn num(n: Option<i64>) -> String {
    n.map_or_else(|| "NULL".to_string(), |n| n.to_string())
}

/// The rows of each statement of a simple query, in statement order.
pub fn row_sets(msgs: Vec<SimpleQueryMessage>) -> Vec<Vec<SimpleQueryRow>> {
    let mut sets = Vec::new();
    let mut rows = Vec::new();
    for m in msgs {
        match m {
            SimpleQueryMessage::Row(r) => rows.push(r),
            SimpleQueryMessage::CommandComplete(_) => sets.push(std::mem::take(&mut rows)),
            _ => {}
        }
    }
    sets
}

/// Column `i` of a row as a number (0 when absent).
pub fn int(r: &SimpleQueryRow, i: usize) -> i64 {
    r.get(i).and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// Column `i` of a row as text ("" when NULL).
pub fn text(r: &SimpleQueryRow, i: usize) -> String {
    r.get(i).unwrap_or_default().to_string()
}

/// The column names of a claim row, in the order of [`claim_values`].
pub const CLAIM_COLUMNS: &str = "work_item_id, id_num, status, team, priority, prio, queued, agent_id, claimed_at, lease_expires_at, record";

/// The values of a claim row: its indexed columns, then its record text.
pub fn claim_values(c: &Cols, record: &str) -> Result<String> {
    Ok([
        lit(&c.id)?,
        num(c.num),
        opt(c.status.as_deref())?,
        opt(c.team.as_deref())?,
        opt(c.priority.as_deref())?,
        c.prio.to_string(),
        lit(&c.queued)?,
        opt(c.agent.as_deref())?,
        opt(c.claimed_at.as_deref())?,
        opt(c.lease.as_deref())?,
        lit(record)?,
    ]
    .join(", "))
}

/// The last row of those an id has (the order of the rows is `pos`).
/// Sorted by `pos + 0`, not `pos`: the planner would otherwise walk the
/// primary key backwards looking for the id (the whole table, for an id
/// near its start) instead of asking the id's index.
pub const LAST: &str = "pos + 0 DESC LIMIT 1";

/// The statement that makes a new work id: at least `now_ns`, above every
/// id stored or handed out. The sequence is not transactional, so ids handed
/// to steps still running are never handed out again; the lock (that of
/// `nexus_next_work_id`) is held within this statement only, not to COMMIT.
pub fn next_work_id_sql(now_ns: u128) -> String {
    let now = i64::try_from(now_ns).unwrap_or(i64::MAX);
    format!(
        "WITH l AS (SELECT pg_advisory_lock(28280, 2)),
              n AS (SELECT setval('nexus_work_ids', GREATEST(nextval('nexus_work_ids'), {now},
                        (SELECT coalesce(max(id_num), 0) + 1 FROM nexus_claims))) AS v FROM l)
         SELECT v, pg_advisory_unlock(28280, 2) FROM n"
    )
}

/// The statements that read agent `id`'s record, locking it first when
/// `lock` (for the transaction: its changes wait for this step's end).
pub fn agent_sql(id: &str, lock: bool) -> Result<String> {
    let mut q = String::new();
    if lock {
        q = format!(
            "SELECT pg_advisory_xact_lock(hashtext({}));\n",
            lit(&format!("nexus agent {id}"))?
        );
    }
    q.push_str(&format!(
        "SELECT pos, record FROM nexus_agents WHERE agent_id = {} ORDER BY {LAST}",
        lit(id)?
    ));
    Ok(q)
}

/// The row `pos` of `table`, or (for a row this step inserted) the last one
/// whose `column` is `id`.
pub fn row_of(table: &str, column: &str, id: &str, pos: Option<i64>) -> Result<String> {
    Ok(match pos {
        Some(p) => p.to_string(),
        None => format!(
            "(SELECT pos FROM {table} WHERE {column} = {} ORDER BY {LAST})",
            lit(id)?
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_double_their_quotes_and_refuse_nul() {
        assert_eq!(lit("it's").unwrap(), "E'it''s'");
        assert_eq!(lit(r"a\'b").unwrap(), r"E'a\\''b'");
        assert_eq!(opt(None).unwrap(), "NULL");
        assert_eq!(num(Some(-3)), "-3");
        assert!(lit("a\0b").is_err());
    }
}
