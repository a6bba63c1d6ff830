//! A tab's memory as Chromium's task manager shows it: the private memory
//! (`Private_Clean` + `Private_Dirty` of smaps_rollup) of the page's
//! renderer process. Headless Chromium runs other renderers beside it (one
//! draws the browser's own interface, 30 to 45 MB; a spare waits for the
//! next site, about 6 MB): they are not the tab.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use serde_json::Value;

/// One renderer process: its pid, whether it may hold a page (it draws
/// neither the browser's own interface, `--top-chrome-webui`, nor an
/// extension), and its private MB.
struct Renderer {
    pid: u32,
    page: bool,
    mb: f64,
}

/// The private memory of `pid` in MB, when it can be read.
fn private_mb(pid: u32) -> Option<f64> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let kb = rollup
        .lines()
        .filter(|l| l.starts_with("Private_Clean:") || l.starts_with("Private_Dirty:"))
        .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .sum::<u64>();
    Some(kb as f64 / 1024.0)
}

fn cmdline(pid: u32) -> String {
    let bytes = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The descendants of process `root`.
fn descendants(root: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // The parent is the second field after the command's closing ')'.
        let parent = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(parent) = parent {
            children.entry(parent).or_default().push(pid);
        }
    }
    let (mut todo, mut found) = (vec![root], Vec::new());
    while let Some(pid) = todo.pop() {
        let next = children.get(&pid).into_iter().flatten();
        todo.extend(next.clone());
        found.extend(next);
    }
    found
}

/// The browser a WebDriver session starts: the renderers under the driver
/// that were not there before the session (those of earlier browsers,
/// perhaps still exiting, are not its).
pub struct Browser {
    driver: u32,
    before: HashSet<u32>,
}

impl Browser {
    /// Called before the session starts, with the driver's pid.
    pub fn before_session(driver: u32) -> Browser {
        let before = descendants(driver).into_iter().collect();
        Browser { driver, before }
    }

    fn renderers(&self) -> Vec<Renderer> {
        (descendants(self.driver).into_iter())
            .filter(|pid| !self.before.contains(pid))
            .filter_map(|pid| {
                let cmd = cmdline(pid);
                cmd.contains("--type=renderer").then(|| Renderer {
                    pid,
                    page: !cmd.contains("--top-chrome-webui")
                        && !cmd.contains("--extension-process"),
                    mb: private_mb(pid).unwrap_or(0.0),
                })
            })
            .collect()
    }

    /// The open page's renderer: the largest that draws neither the
    /// browser's interface nor an extension (the spare is a few MB). Says
    /// which it chose, among which.
    pub fn tab(&self) -> Tab {
        let all = self.renderers();
        let tab = (all.iter().filter(|r| r.page))
            .max_by(|a, b| a.mb.total_cmp(&b.mb))
            .unwrap_or_else(|| panic!("no page renderer among {} renderers", all.len()));
        let others: Vec<String> = (all.iter().filter(|r| r.pid != tab.pid))
            .map(|r| {
                let what = if r.page { "" } else { " (interface)" };
                format!("{:.0} MB{what}", r.mb)
            })
            .collect();
        println!(
            "  the tab: renderer {} ({:.1} MB); the browser's other renderers: {}",
            tab.pid,
            tab.mb,
            others.join(", ")
        );
        Tab { pid: tab.pid }
    }

    /// Every renderer of this browser together, in MB.
    pub fn all_mb(&self) -> f64 {
        self.renderers().iter().map(|r| r.mb).sum()
    }
}

/// The renderer of the open page.
pub struct Tab {
    pid: u32,
}

impl Tab {
    /// Its private memory in MB. A renderer gone (the tab crashed, its pid
    /// perhaps reused) stops the run rather than reading as a small tab.
    pub fn mb(&self) -> f64 {
        assert!(
            cmdline(self.pid).contains("--type=renderer"),
            "the tab's renderer {} is gone",
            self.pid
        );
        private_mb(self.pid).unwrap_or_else(|| panic!("renderer {}: no smaps_rollup", self.pid))
    }
}

/// How far `mb` is from `from`, in percent.
pub fn pct(from: f64, mb: f64) -> f64 {
    100.0 * (mb - from) / from
}

/// The sample farthest from `from`, in percent (signed).
pub fn farthest(from: f64, samples: &[f64]) -> f64 {
    (samples.iter().map(|&mb| pct(from, mb)))
        .fold(0.0f64, |w, p| if p.abs() > w.abs() { p } else { w })
}

/// Whole MB, space-separated.
pub fn joined(mbs: &[f64]) -> String {
    let each: Vec<String> = mbs.iter().map(|mb| format!("{mb:.0}")).collect();
    each.join(" ")
}

/// Open the Work page sorted newest first and wait until it follows the
/// event stream.
pub async fn open_work(c: &fantoccini::Client, base: &str) {
    c.goto(&format!("{base}/work?sort=age&dir=desc"))
        .await
        .unwrap();
    let connected = "return document.getElementById('live').dataset.state === 'on'";
    while c.execute(connected, vec![]).await.ok() != Some(Value::Bool(true)) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// What changing its DOM at all costs the Work page's tab: the page open
/// and quiet (no claims), while a script adds one bare row (ten text cells)
/// at the top of its table every `every` seconds and drops the last (none:
/// no script, the page alone), for `minutes`; the tab every 15 s.
pub async fn floor(
    c: &fantoccini::Client,
    base: &str,
    every: Option<u64>,
    minutes: u64,
    browser: &Browser,
) {
    open_work(c, base).await;
    // Its first layout and fetches settle.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let tab = browser.tab();
    let start = tab.mb();
    if let Some(every) = every {
        let script = format!(
            "var body = document.querySelector('#region tr[data-v]').parentNode, n = 0; \
             setInterval(function () {{ \
               var row = document.createElement('tr'); \
               for (var i = 0; i < 10; i++) {{ \
                 var cell = document.createElement('td'); \
                 cell.textContent = 'row ' + n + ' cell ' + i; row.appendChild(cell); }} \
               n++; body.insertBefore(row, body.firstElementChild); \
               body.lastElementChild.remove(); \
             }}, {});",
            every * 1000
        );
        c.execute(&script, vec![]).await.unwrap();
    }
    let mut samples = Vec::new();
    for _ in 0..minutes * 4 {
        tokio::time::sleep(Duration::from_secs(15)).await;
        samples.push(tab.mb());
    }
    let what = every.map_or("no row added (the page alone)".to_string(), |s| {
        format!("one bare row added every {s} s")
    });
    println!(
        "quiet Work page, {what} for {minutes} min: the tab {start:.1} MB at the start, \
         every 15 s: {}; farthest from the start {:+.0} %",
        joined(&samples),
        farthest(start, &samples)
    );
}
