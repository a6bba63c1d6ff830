//! Readers that turn a state snapshot into text: the text dashboard and the
//! Scrum-at-Scale ceremonies. They never write.

pub mod ceremonies;
pub mod dashboard;
pub mod flow;
pub mod metrics;
pub mod views;

pub use metrics::Metrics;

/// A report of a snapshot and its metrics.
pub type Render = fn(&crate::store::Snapshot, &Metrics) -> String;

/// The reports by name: the nine ceremonies and the text dashboard.
pub const NAMES: &[&str] = &[
    "pi-planning",
    "scrum-of-scrums",
    "innovation-planning",
    "system-demo",
    "inspect-adapt",
    "art-sync",
    "portfolio-kanban",
    "coach-training",
    "value-stream",
    "dashboard",
];

/// The report called `name` (its canonical name, and how to render it).
pub fn by_name(name: &str) -> Option<(&'static str, Render)> {
    use {ceremonies as c, flow as f};
    let render: Render = match name {
        "pi-planning" => c::pi_planning,
        "scrum-of-scrums" => c::scrum_of_scrums,
        "innovation-planning" | "ip" => c::innovation_planning,
        "system-demo" => c::system_demo,
        "inspect-adapt" | "ia" => c::inspect_adapt,
        "art-sync" => f::art_sync,
        "portfolio-kanban" => f::portfolio_kanban,
        "coach-training" => f::coach_training,
        "value-stream" | "vsm" => f::value_stream,
        "dashboard" => dashboard::render,
        _ => return None,
    };
    let canonical = match name {
        "ip" => "innovation-planning",
        "ia" => "inspect-adapt",
        "vsm" => "value-stream",
        n => NAMES.iter().find(|k| **k == n)?,
    };
    Some((canonical, render))
}

/// Lines of a report under a title and its `====` rule. Every line is
/// escaped and bounded on the way in ([`crate::text::line`]): values agents
/// wrote cannot reach the terminal raw nor start a line of their own.
#[derive(Debug, Default)]
pub struct Report {
    lines: Vec<String>,
}

impl Report {
    /// Start a report: the title line and a rule as wide as it.
    pub fn titled(title: &str) -> Report {
        let rule = "=".repeat(title.chars().count().max(8));
        Report {
            lines: vec![safe(title), rule],
        }
    }

    /// A blank line then a section heading.
    pub fn section(&mut self, heading: &str) -> &mut Report {
        self.lines.push(String::new());
        self.lines.push(safe(heading));
        self
    }

    /// One line.
    pub fn line(&mut self, text: impl Into<String>) -> &mut Report {
        self.lines.push(safe(&text.into()));
        self
    }

    pub fn text(&self) -> String {
        let mut s = self.lines.join("\n");
        s.push('\n');
        s
    }
}

fn safe(line: &str) -> String {
    crate::text::line(line).into_owned()
}

/// A number as people read it: whole numbers without decimals, else one.
pub fn num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x:.1}")
    }
}

/// A team id as a heading: `platform_team` → `PLATFORM TEAM`.
pub fn heading_of(team: &str) -> String {
    team.replace(['_', '-'], " ").to_uppercase()
}

/// Hours as a short duration: `45m`, `6.5h`, `3.2d`.
pub fn duration(hours: f64) -> String {
    if hours < 1.0 {
        format!("{}m", (hours * 60.0).round() as i64)
    } else if hours < 48.0 {
        format!("{}h", num((hours * 10.0).round() / 10.0))
    } else {
        format!("{}d", num((hours / 2.4).round() / 10.0))
    }
}

/// A percentage of `part` in `whole`, 0 when `whole` is 0.
pub fn pct(part: f64, whole: f64) -> String {
    if whole <= 0.0 {
        "0%".into()
    } else {
        format!("{}%", num((100.0 * part / whole).round()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_helpers() {
        assert_eq!(num(5.0), "5");
        assert_eq!(num(2.25), "2.2");
        assert_eq!(heading_of("platform_team"), "PLATFORM TEAM");
        assert_eq!(duration(0.5), "30m");
        assert_eq!(duration(6.0), "6h");
        assert_eq!(duration(72.0), "3d");
        assert_eq!(pct(1.0, 4.0), "25%");
        assert_eq!(pct(1.0, 0.0), "0%");
        let r = Report::titled("ABC");
        assert_eq!(r.text(), "ABC\n========\n");
    }
}
