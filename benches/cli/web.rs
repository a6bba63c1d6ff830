//! The web pages at 100,000 items, in one run: server time of the Fleet and
//! Work pages beside a static file served by the same server, page weight,
//! first contentful paint in headless Chromium, and the time from a CLI
//! claim's exit to the claim showing on an open Work page. The browser
//! figures need Debian's `chromium` and `chromium-driver`.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::tab::{Browser, farthest, joined, open_work, pct};
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
    open_work(&c, base).await;
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
        let browser = Browser::before_session(driver.0.id());
        let c = session(port).await;
        memory_soak(&c, dir, base, minutes, &browser).await;
        let _ = c.close().await;
    }
    if let Some(minutes) = floor {
        for every in [None, Some(5), Some(1)] {
            let browser = Browser::before_session(driver.0.id());
            let c = session(port).await;
            super::tab::floor(&c, base, every, minutes, &browser).await;
            let _ = c.close().await;
        }
    }
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

/// An open Work page (sorted newest first) while CLI processes make 1,000
/// claims a minute for `minutes`: the tab's memory (and the page's JS heap)
/// at the start, at most and at the end.
async fn memory_soak(
    c: &fantoccini::Client,
    dir: &Path,
    base: &str,
    minutes: u64,
    browser: &Browser,
) {
    let claims = minutes as usize * 1000;
    open_work(c, base).await;
    // Its first layout and fetches settle.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let tab = browser.tab();
    let (tab_start, all_start) = (tab.mb(), browser.all_mb());
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
    let (mut max_heap, mut active, mut all) = (start, Vec::new(), Vec::new());
    while !claimer.is_finished() {
        tokio::time::sleep(Duration::from_secs(30)).await;
        active.push(tab.mb());
        all.push(browser.all_mb());
        max_heap = max_heap.max(heap_mb(c, false).await);
    }
    claimer.join().unwrap();
    let shown = c
        .execute("return document.body.innerText.includes('soak ')", vec![])
        .await
        .ok()
        == Some(Value::Bool(true));
    // Quiet again: the page's last fetches end and the renderer settles.
    tokio::time::sleep(Duration::from_secs(15)).await;
    let (tab_end, all_end) = (tab.mb(), browser.all_mb());
    let end = heap_mb(c, true).await;
    let first = active.first().copied().unwrap_or(f64::NAN);
    let max = |mbs: &[f64]| mbs.iter().copied().fold(f64::NAN, f64::max);
    let min = |mbs: &[f64]| mbs.iter().copied().fold(f64::NAN, f64::min);
    // From the end of the first minute on: the level the tab holds.
    let later = active.get(1..).unwrap_or_default();
    // Every sample, while the claims flow and once quiet, against the start.
    let mut samples = active.clone();
    samples.push(tab_end);
    let worst = farthest(tab_start, &samples);
    println!(
        "open Work page, {claims} CLI claims over {:.1} min: the tab's memory (its renderer's \
         private memory) {tab_start:.1} MB before the claims; {first:.1} MB at the first sample \
         (30 s in); from the first minute on {:.1} to {:.1} MB ({:+.0} to {:+.0} % from the \
         start); {tab_end:.1} MB 15 s after they ended ({:+.0} %); the sample farthest from the \
         start {worst:+.0} %; its JS heap {start:.1} MB before, at most {max_heap:.1} MB while \
         they flowed (no collection forced), {end:.1} MB after one at the end; claims shown: \
         {shown} (target: every sample within 20 % of the start {}); the tab every 30 s: {}",
        began.elapsed().as_secs_f64() / 60.0,
        min(later),
        max(later),
        pct(tab_start, min(later)),
        pct(tab_start, max(later)),
        pct(tab_start, tab_end),
        if worst.abs() <= 20.0 && shown {
            "✅"
        } else {
            "❌"
        },
        joined(&active)
    );
    println!(
        "  every renderer of this browser together (the tab, the browser's own interface, a \
         spare): {all_start:.1} MB before the claims, every 30 s: {}, {all_end:.1} MB 15 s after",
        joined(&all)
    );
}
