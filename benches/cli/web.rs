//! The web pages at 100,000 items, in one run: server time of the Fleet and
//! Work pages beside a static file served by the same server, page weight,
//! first contentful paint in headless Chromium, and the time from a CLI
//! claim's exit to the claim showing on an open Work page. The browser
//! figures need Debian's `chromium` and `chromium-driver`.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{build_dataset, median, nexus};

struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// CLI claims timed to the open Work page.
const CLAIMS: usize = 100;

/// Median ms of `runs` GETs of `url` and the body's size.
fn timed(c: &reqwest::blocking::Client, url: &str, runs: usize) -> (f64, usize) {
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..=runs {
        let start = Instant::now();
        let body = c.get(url).send().unwrap().bytes().unwrap();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        size = body.len();
    }
    times.remove(0);
    (median(times), size)
}

/// Print the section.
pub fn run(tmp: &Path, runs: usize, soak: Option<u64>, floor: Option<u64>) {
    println!("\n7. web pages at 100,000 items (one run; medians of {runs})");
    let dir = tmp.join("web-100000");
    build_dataset(&dir, 100_000);
    let server = super::serve::spawn(&dir);
    let base = server.base.clone();
    let c = nexus::http::client(Duration::from_secs(60));
    let start = Instant::now();
    let page = c.get(format!("{base}/")).send().unwrap().text().unwrap();
    println!(
        "first page after start (the state read whole into memory): {:.0} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    let asset = page
        .split('"')
        .find(|p| p.starts_with("/assets/htmx."))
        .expect("htmx is linked")
        .to_string();
    let (static_ms, _) = timed(&c, &format!("{base}{asset}"), runs);
    let mut assets = 0;
    for a in page.split('"').filter(|p| p.starts_with("/assets/")) {
        assets += c
            .get(format!("{base}{a}"))
            .send()
            .unwrap()
            .bytes()
            .unwrap()
            .len();
    }
    println!("static file {asset}: {static_ms:.1} ms");
    let start = Instant::now();
    c.get(format!("{base}/work?sort=type"))
        .send()
        .unwrap()
        .bytes()
        .unwrap();
    println!(
        "first request of a sort order (the order is made): {:.0} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    for path in ["/", "/work", "/work?sort=priority&dir=desc", "/work?q=zzz"] {
        let (ms, size) = timed(&c, &format!("{base}{path}"), runs);
        let weight = (size + assets) as f64 / 1024.0;
        println!(
            "{path}: {ms:.1} ms (target <= 50 ms {}), {:.0} KB HTML, {weight:.0} KB with its files (target <= 200 KB {})",
            if ms <= 50.0 { "✅" } else { "❌" },
            size as f64 / 1024.0,
            if weight <= 200.0 { "✅" } else { "❌" }
        );
    }
    if !Path::new("/usr/bin/chromedriver").exists() {
        println!("browser figures skipped: apt-get install chromium chromium-driver");
        return;
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(browser(&dir, &base, soak, floor));
}

async fn browser(dir: &Path, base: &str, soak: Option<u64>, floor: Option<u64>) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Kill(
        Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let c = session(port).await;
    let fcp = "return (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime";
    for path in ["/", "/work"] {
        c.goto(&format!("{base}{path}")).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let ms = c
            .execute(fcp, vec![])
            .await
            .unwrap()
            .as_f64()
            .unwrap_or(f64::NAN);
        println!(
            "first contentful paint of {path}: {ms:.0} ms (target <= 300 ms {})",
            if ms <= 300.0 { "✅" } else { "❌" }
        );
    }
    // Claims made by CLI processes, seen on the open Work page sorted newest first.
    c.goto(&format!("{base}/work?sort=age&dir=desc"))
        .await
        .unwrap();
    let connected = "return document.getElementById('live').dataset.state === 'on'";
    while c.execute(connected, vec![]).await.ok() != Some(Value::Bool(true)) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut delays = Vec::new();
    for i in 0..CLAIMS {
        let out = Command::new(nexus())
            .args([
                "claim",
                "bench",
                &format!("web bench {i}"),
                "high",
                "web_team",
            ])
            .env("COORDINATION_DIR", dir)
            .env("AGENT_ID", "agent_web")
            .output()
            .unwrap();
        let done = Instant::now();
        let text = String::from_utf8_lossy(&out.stdout);
        let id = text
            .split_whitespace()
            .find(|w| w.starts_with("work_"))
            .unwrap_or("")
            .to_string();
        let seen = format!("return document.body.innerText.includes('{id}')");
        while c.execute(&seen, vec![]).await.ok() != Some(Value::Bool(true)) {
            if done.elapsed() > Duration::from_secs(10) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        delays.push(done.elapsed().as_secs_f64() * 1000.0);
    }
    delays.sort_by(f64::total_cmp);
    let p99 = delays[(delays.len() * 99).div_ceil(100) - 1];
    println!(
        "CLI claim to the open Work page, {} claims: median {:.0} ms, p99 {p99:.0} ms, max {:.0} ms (target p99 <= 300 ms {})",
        delays.len(),
        median(delays.clone()),
        delays[delays.len() - 1],
        if p99 <= 300.0 { "✅" } else { "❌" }
    );
    let _ = c.close().await;
    // The soak opens the page in a browser of its own: the tab it measures
    // starts from a page load, not from the garbage of the runs above.
    if let Some(minutes) = soak {
        let c = session(port).await;
        memory_soak(&c, dir, base, minutes, driver.0.id()).await;
        let _ = c.close().await;
    }
    if let Some(minutes) = floor {
        for every in [1, 5] {
            let c = session(port).await;
            tab_floor(&c, base, every, minutes, driver.0.id()).await;
            let _ = c.close().await;
        }
    }
}

/// What a page that changes its DOM at all costs its tab: the open Work
/// page, quiet (no claims), while a script adds one bare row (ten text
/// cells) at the top of its table every `every` seconds and drops the
/// last, for `minutes`; the page's renderer every 15 s.
async fn tab_floor(c: &fantoccini::Client, base: &str, every: u64, minutes: u64, driver: u32) {
    c.goto(&format!("{base}/work?sort=age&dir=desc"))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let tab = tab_renderer(driver).expect("the page's renderer process");
    let start = private_mb(tab);
    let script = format!(
        "var body = document.querySelector('#region tr[data-v]').parentNode, n = 0; \
         setInterval(function () {{ \
           var row = document.createElement('tr'); \
           for (var i = 0; i < 10; i++) {{ \
             var cell = document.createElement('td'); \
             cell.textContent = 'row ' + n + ' cell ' + i; row.appendChild(cell); }} \
           n++; body.insertBefore(row, body.firstElementChild); body.lastElementChild.remove(); \
         }}, {});",
        every * 1000
    );
    c.execute(&script, vec![]).await.unwrap();
    let mut samples = Vec::new();
    for _ in 0..minutes * 4 {
        tokio::time::sleep(Duration::from_secs(15)).await;
        samples.push(private_mb(tab));
    }
    let worst = samples
        .iter()
        .map(|&mb| 100.0 * (mb - start) / start)
        .fold(0.0f64, |w, p| if p.abs() > w.abs() { p } else { w });
    println!(
        "quiet Work page, one bare row added every {every} s for {minutes} min: the tab {start:.1} MB \
         at the start, every 15 s: {}; farthest from the start {worst:+.0} %",
        samples
            .iter()
            .map(|mb| format!("{mb:.0}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
}

/// A new headless Chromium from the WebDriver on `port`.
async fn session(port: u16) -> fantoccini::Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"binary": "/usr/bin/chromium",
               "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                        "--disable-dev-shm-usage", "--window-size=1280,800",
                        "--js-flags=--expose-gc", "--enable-precise-memory-info"]}),
    );
    fantoccini::ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a Chromium session")
}

/// The JS heap of the open page in MB, after a garbage collection when
/// `collect` (which also collects the DOM's garbage: only done at the end,
/// after the last sample. A collection forced at the start would flatter
/// every sample: V8 would set its next collection from the heap then
/// live, not from the fixed budget a tab starts with).
async fn heap_mb(c: &fantoccini::Client, collect: bool) -> f64 {
    let js = format!(
        "if ({collect} && window.gc) {{ window.gc(); }} \
         return performance.memory ? performance.memory.usedJSHeapSize : null"
    );
    let bytes = c.execute(&js, vec![]).await.ok().and_then(|v| v.as_f64());
    bytes.unwrap_or(f64::NAN) / (1024.0 * 1024.0)
}

/// Private memory in MB (`Private_Clean` + `Private_Dirty` of
/// smaps_rollup), the measure Chromium's task manager shows as a process's
/// memory footprint; 0 once the process is gone.
fn private_mb(pid: u32) -> f64 {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    let kb = rollup
        .lines()
        .filter(|l| l.starts_with("Private_Clean:") || l.starts_with("Private_Dirty:"))
        .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .sum::<u64>();
    kb as f64 / 1024.0
}

/// The renderer processes among the descendants of process `root` (the
/// driver, which started the browser): each one's pid, whether it draws
/// the browser's own interface (`--top-chrome-webui`) and its private MB.
fn renderers(root: u32) -> Vec<(u32, bool, f64)> {
    let mut children: std::collections::HashMap<u32, Vec<u32>> = Default::default();
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
        todo.extend(children.get(&pid).into_iter().flatten());
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let cmdline = String::from_utf8_lossy(&cmdline);
        if cmdline.contains("--type=renderer") {
            found.push((pid, cmdline.contains("--top-chrome-webui"), private_mb(pid)));
        }
    }
    found
}

/// The open page's renderer: the largest renderer that does not draw the
/// browser's interface (the others are that interface's, 30 to 45 MB, and
/// a spare Chromium keeps started for the next site, about 6 MB).
fn tab_renderer(root: u32) -> Option<u32> {
    renderers(root)
        .into_iter()
        .filter(|&(_, ui, _)| !ui)
        .max_by(|a, b| a.2.total_cmp(&b.2))
        .map(|(pid, _, _)| pid)
}

/// Every renderer's private MB together (what this bench once called the
/// tab: it counts the browser's own interface too).
fn all_renderers_mb(root: u32) -> f64 {
    renderers(root).iter().map(|r| r.2).sum()
}

/// An open Work page (sorted newest first) while CLI processes make 1,000
/// claims a minute for `minutes`: the tab's memory (and the page's JS heap)
/// at the start, at most and at the end. `driver` is the WebDriver's pid.
async fn memory_soak(c: &fantoccini::Client, dir: &Path, base: &str, minutes: u64, driver: u32) {
    let claims = minutes as usize * 1000;
    c.goto(&format!("{base}/work?sort=age&dir=desc"))
        .await
        .unwrap();
    let connected = "return document.getElementById('live').dataset.state === 'on'";
    while c.execute(connected, vec![]).await.ok() != Some(Value::Bool(true)) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let tab = tab_renderer(driver).expect("the page's renderer process");
    let (tab_start, all_start) = (private_mb(tab), all_renderers_mb(driver));
    let start = heap_mb(c, false).await;
    let dir = dir.to_path_buf();
    let began = Instant::now();
    let claimer = std::thread::spawn(move || {
        let every = Duration::from_secs(60) / 1000;
        for i in 0..claims {
            let due = began + every * i as u32;
            std::thread::sleep(due.saturating_duration_since(Instant::now()));
            let _ = Command::new(nexus())
                .args(["claim", "soak", &format!("soak {i}"), "low", "soak_team"])
                .env("COORDINATION_DIR", &dir)
                .env("AGENT_ID", "agent_soak")
                .stdout(Stdio::null())
                .status();
        }
    });
    // The tab while claims flow: a sample every 30 s.
    let (mut max, mut active, mut all) = (start, Vec::new(), Vec::new());
    while !claimer.is_finished() {
        tokio::time::sleep(Duration::from_secs(30)).await;
        active.push(private_mb(tab));
        all.push(all_renderers_mb(driver));
        max = max.max(heap_mb(c, false).await);
    }
    claimer.join().unwrap();
    let shown = c
        .execute("return document.body.innerText.includes('soak ')", vec![])
        .await
        .ok()
        == Some(Value::Bool(true));
    // Quiet again: the page's last fetches end and the renderer settles.
    tokio::time::sleep(Duration::from_secs(15)).await;
    let (tab_end, all_end) = (private_mb(tab), all_renderers_mb(driver));
    let end = heap_mb(c, true).await;
    let pct = |from: f64, to: f64| 100.0 * (to - from) / from;
    let (first, last) = (
        active.first().copied().unwrap_or(f64::NAN),
        active.last().copied().unwrap_or(f64::NAN),
    );
    let tab_max = active.iter().copied().fold(tab_start, f64::max);
    let tab_min = active.iter().copied().fold(tab_start, f64::min);
    // Every sample, while the claims flow and once quiet, against the start.
    let worst = (active.iter().chain([&tab_end]))
        .map(|&mb| pct(tab_start, mb))
        .fold(0.0f64, |w, p| if p.abs() > w.abs() { p } else { w });
    let (flowing, quiet) = (pct(first, last), pct(tab_start, tab_end));
    let joined = |mbs: &[f64]| {
        mbs.iter()
            .map(|mb| format!("{mb:.0}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    println!(
        "open Work page, {claims} CLI claims over {:.1} min: the tab's memory (its renderer's \
         private memory) {tab_start:.1} MB before the claims; while they flowed {first:.1} MB at the first sample \
         (30 s in), {tab_min:.1} to {tab_max:.1} MB, {last:.1} MB at the last ({flowing:+.0} % from \
         the first); {tab_end:.1} MB 15 s after they ended ({quiet:+.0} % from before); the sample \
         farthest from the start {worst:+.0} %; its JS heap {start:.1} MB before, \
         at most {max:.1} MB while they flowed (no collection forced), \
         {end:.1} MB after one at the end; claims shown: {shown} \
         (target: every sample within 20 % of the start {}); the tab every 30 s: {}",
        began.elapsed().as_secs_f64() / 60.0,
        if worst.abs() <= 20.0 && shown {
            "✅"
        } else {
            "❌"
        },
        joined(&active)
    );
    println!(
        "  every renderer of the browser together (the tab, the browser's own interface, a \
         spare): {all_start:.1} MB before the claims, every 30 s: {}, {all_end:.1} MB 15 s after",
        joined(&all)
    );
}
