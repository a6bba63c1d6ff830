//! The web pages at 100,000 items, in one run: server time of the Fleet and
//! Work pages beside a static file served by the same server, page weight,
//! first contentful paint in headless Chromium, and the time from a CLI
//! claim's exit to the claim showing on an open Work page. The browser
//! figures need Debian's `chromium` and `chromium-driver`.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{NEXUS, build_dataset, median};

struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

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
pub fn run(tmp: &Path, runs: usize) {
    println!("\n7. web pages at 100,000 items (one run; medians of {runs})");
    let dir = tmp.join("web-100000");
    build_dataset(&dir, 100_000);
    let server = super::serve::spawn(&dir);
    let base = server.base.clone();
    let c = nexus::http::client(Duration::from_secs(60));
    let page = c.get(format!("{base}/")).send().unwrap().text().unwrap();
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
    rt.block_on(browser(&dir, &base));
}

async fn browser(dir: &Path, base: &str) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _driver = Kill(
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
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"binary": "/usr/bin/chromium",
               "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                        "--disable-dev-shm-usage", "--window-size=1280,800"]}),
    );
    let c =
        fantoccini::ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session");
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
    for i in 0..20 {
        let out = Command::new(NEXUS)
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
    let p99 = delays[delays.len() - 1];
    println!(
        "CLI claim to the open Work page: median {:.0} ms, max of {} {p99:.0} ms (target p99 <= 300 ms {})",
        median(delays.clone()),
        delays.len(),
        if p99 <= 300.0 { "✅" } else { "❌" }
    );
    let _ = c.close().await;
}
