//! Rows the browser already shows are not sent again. Each row of a live
//! table carries `data-v`, a digest of its content; a refresh of the live
//! region names the digests of the rows it shows (`X-Nexus-Rows`), and the
//! answer sends each of those rows as an empty marker (`data-same`) that
//! the page keeps its row for (`nexus.js`). The browser then parses only
//! the rows that are new or changed, so a busy page does not fill the tab
//! with the garbage of rows it parsed only to keep. The digest leaves out
//! the words of relative times ("5 s ago"), which the page's script keeps
//! current itself from each `<time>`'s `data-at`: a row is not new just
//! because a second went by.

use std::collections::HashSet;

use maud::{Markup, PreEscaped, html};

/// The header a refresh names its rows' digests in, space-separated.
pub const HEADER: &str = "x-nexus-rows";
/// At most this many digests are taken from a request.
const MAX_NAMED: usize = 1000;

/// A table row keyed by `id`, with the digest of its cells.
pub fn row(id: &str, cells: Markup) -> Markup {
    let cells = cells.into_string();
    html! { tr id=(id) data-v=(digest(&cells)) { (PreEscaped(cells)) } }
}

/// A row's version, in hex: the digest of its cells without the text of
/// their `<time>` elements (text from the state is escaped, so it cannot
/// open or close one).
fn digest(cells: &str) -> String {
    let mut kept = String::with_capacity(cells.len());
    let mut rest = cells;
    while let Some(at) = rest.find("<time ") {
        let Some(open_end) = rest[at..].find('>').map(|i| at + i + 1) else {
            break;
        };
        let Some(close) = rest[open_end..].find("</time>").map(|i| open_end + i) else {
            break;
        };
        kept.push_str(&rest[..open_end]);
        rest = &rest[close..];
    }
    kept.push_str(rest);
    format!("{:016x}", crate::text::digest64(kept.as_bytes()))
}

/// The digests a request names (a value that is not one is ignored).
pub fn named(header: &str) -> HashSet<&str> {
    header
        .split_ascii_whitespace()
        .filter(|d| d.len() == 16 && d.bytes().all(|b| b.is_ascii_hexdigit()))
        .take(MAX_NAMED)
        .collect()
}

/// `region` with every row whose digest is in `have` made an empty marker;
/// `None` when there is none. A row starts at `<tr ` and ends at the first
/// `</tr>`: cells hold no rows, and text from the state is escaped, so it
/// can hold neither.
pub fn mark(region: &str, have: &HashSet<&str>) -> Option<String> {
    if have.is_empty() {
        return None;
    }
    let (mut out, mut from, mut marked) = (String::with_capacity(region.len()), 0, false);
    while let Some(at) = region[from..].find("<tr ").map(|i| from + i) {
        let Some(open_end) = region[at..].find('>').map(|i| at + i) else {
            break;
        };
        let Some(end) = region[open_end..].find("</tr>").map(|i| open_end + i) else {
            break;
        };
        let open = &region[at..open_end];
        let kept = open
            .split_once(" data-v=\"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .is_some_and(|(v, _)| have.contains(v));
        out.push_str(&region[from..at]);
        if kept {
            out.push_str(open);
            out.push_str(" data-same></tr>");
            marked = true;
        } else {
            out.push_str(&region[at..end + "</tr>".len()]);
        }
        from = end + "</tr>".len();
    }
    out.push_str(&region[from..]);
    marked.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_named_by_their_digest_become_markers_and_the_others_stay_whole() {
        let a = row("w-a", html! { td { "</tr> <tr data-v=\"x\">" } });
        let b = row("w-b", html! { td { "b" } });
        let region = format!("<table><tbody>{}{}</tbody></table>", a.0, b.0);
        let v = |r: &str| {
            let at = r.find("data-v=\"").unwrap() + 8;
            r[at..at + 16].to_string()
        };
        let (va, vb) = (v(&a.0), v(&b.0));
        assert_ne!(va, vb);
        let header = format!("{va} junk {}", "0".repeat(17));
        let have = named(&header);
        assert_eq!(have.len(), 1);
        let out = mark(&region, &have).unwrap();
        assert_eq!(
            out,
            format!(
                "<table><tbody><tr id=\"w-a\" data-v=\"{va}\" data-same></tr>{}</tbody></table>",
                b.0
            )
        );
        assert_eq!(
            mark(&region, &named(&vb))
                .unwrap()
                .matches("data-same")
                .count(),
            1
        );
        assert_eq!(mark(&region, &named("")), None);
        assert_eq!(mark(&region, &named("0123456789abcdef")), None);
        // A changed row has another digest: sent whole.
        let a2 = row("w-a", html! { td { "changed" } });
        assert_ne!(v(&a2.0), va);
    }

    #[test]
    fn a_relative_time_moving_on_does_not_change_a_rows_digest_but_its_instant_does() {
        let at = |when: &str, words: &str| {
            let r = row(
                "w",
                html! { td { "x" } td { time datetime=(when) data-at="1" { (words) } } },
            );
            let at = r.0.find("data-v=\"").unwrap() + 8;
            r.0[at..at + 16].to_string()
        };
        let t = "2026-01-01T00:00:00Z";
        assert_eq!(at(t, "5 s ago"), at(t, "6 s ago"));
        assert_ne!(at(t, "5 s ago"), at("2026-01-01T00:00:01Z", "5 s ago"));
        // An unclosed element is digested whole.
        assert_ne!(digest("<time a>1"), digest("<time a>2"));
    }
}
