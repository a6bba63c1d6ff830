//! Column widths for the dashboard's tables. Work and agent ids are long and
//! differ only in their last digits, so the id column is widened first and,
//! when it still does not fit, shows `…` and the end of the id; at very
//! narrow widths the other columns go before the id does.

/// One column: its header, narrowest and widest useful width, and how much
/// it matters (0 = kept longest).
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub header: &'static str,
    pub min: u16,
    pub max: u16,
    pub rank: u8,
}

impl Col {
    pub const fn new(header: &'static str, min: u16, max: u16, rank: u8) -> Col {
        Col {
            header,
            min,
            max,
            rank,
        }
    }
}

/// The columns that fit in `width` cells (one space between columns), in
/// display order, with their widths. The first column is the id: it is never
/// dropped and gets spare room before the others.
pub fn fit(cols: &[Col], width: u16) -> Vec<(Col, u16)> {
    let mut by_rank: Vec<usize> = (1..cols.len()).collect();
    by_rank.sort_by_key(|&i| cols[i].rank);
    let mut kept = vec![0];
    let mut used = cols[0].min;
    for i in by_rank {
        if used + 1 + cols[i].min <= width {
            used += 1 + cols[i].min;
            kept.push(i);
        }
    }
    kept.sort_unstable();
    let mut widths: Vec<u16> = kept.iter().map(|&i| cols[i].min).collect();
    let mut spare = width.saturating_sub(used);
    for (w, &i) in widths.iter_mut().zip(&kept) {
        let more = (cols[i].max.saturating_sub(*w)).min(spare);
        *w += more;
        spare -= more;
    }
    if kept.len() == 1 {
        widths[0] = width.max(1);
    }
    kept.into_iter().map(|i| cols[i]).zip(widths).collect()
}

/// An id in `width` cells: whole when it fits, else `…` and its end, where
/// ids differ. In a narrow column the `000` that legacy ids end with
/// (microseconds times a thousand) is left out to show digits that differ.
pub fn short_id(id: &str, width: usize) -> String {
    let n = id.chars().count();
    if n <= width {
        return id.to_string();
    }
    if width <= 1 {
        return "…".chars().take(width).collect();
    }
    let room = width - 1;
    let zeros = if room < 12 {
        id.chars().rev().take_while(|c| *c == '0').count().min(3)
    } else {
        0
    };
    let core = n - zeros;
    let tail: String = id
        .chars()
        .skip(core.saturating_sub(room))
        .take(core.min(room))
        .collect();
    format!("…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_their_distinct_end() {
        let id = "work_1795634289459292524";
        assert_eq!(short_id(id, 30), id);
        assert_eq!(short_id(id, 13), "…289459292524");
        assert_eq!(short_id(id, 12), "…89459292524");
        assert_eq!(short_id("work_1", 1), "…");
        let legacy = "agent_1750056123456000";
        assert_eq!(short_id(legacy, 6), "…23456");
        assert_eq!(short_id(legacy, 20), "…nt_1750056123456000");
    }

    #[test]
    fn the_id_widens_first_and_stays_when_narrow() {
        let cols = [
            Col::new("id", 8, 24, 0),
            Col::new("priority", 8, 8, 3),
            Col::new("team", 6, 20, 4),
            Col::new("done", 4, 4, 1),
            Col::new("age", 6, 6, 2),
        ];
        let w = fit(&cols, 49);
        assert_eq!(w[0].1, 21, "spare room goes to the id first");
        assert!(w[1..].iter().all(|(c, w)| *w == c.min));
        let total: u16 = w.iter().map(|c| c.1).sum::<u16>() + w.len() as u16 - 1;
        assert!(total <= 49);
        let narrow = fit(&cols, 20);
        assert_eq!(narrow[0].0.header, "id");
        assert!(narrow.iter().any(|c| c.0.header == "done"));
        assert!(!narrow.iter().any(|c| c.0.header == "team"));
        assert_eq!(fit(&cols, 5)[0].1, 5);
    }
}
