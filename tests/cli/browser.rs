//! The web pages in a real headless Chromium, driven through WebDriver
//! (Debian's `chromium` and `chromium-driver`): every page opens, a claim
//! made with the CLI shows on an open Work page without a reload, filters
//! and sorting work, a change needs a write token, hostile text runs
//! nothing, and the layout holds at 375 px. Without Chromium these tests
//! print a `SKIPPED:` line, unless CI or NEXUS_REQUIRE_BROWSER is set
//! (then they fail).
//!
//! With NEXUS_SCREENSHOTS set they save the README's screenshots to
//! docs/screenshots/.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::common::{Env, first_work_id};
use crate::serve::{Served, token};

const DRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// A chromedriver on a free port of 127.0.0.1, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A chromedriver, or None (after a `SKIPPED:` line) when Chromium is not
/// installed and CI is not set.
fn driver() -> Option<Driver> {
    if !Path::new(DRIVER).exists() || !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("CI").is_none() && std::env::var_os("NEXUS_REQUIRE_BROWSER").is_none(),
            "chromium and chromium-driver are missing (apt-get install chromium chromium-driver)"
        );
        let line =
            "SKIPPED: the browser tests need Chromium (apt-get install chromium chromium-driver)\n";
        let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(DRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let d = Driver { child, port };
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(d)
}

/// A headless Chromium session of `width` x 800.
async fn browser(d: &Driver, width: u32) -> Client {
    session(d, width, true).await
}

/// A headless Chromium session, with JavaScript on or off.
async fn session(d: &Driver, width: u32, script: bool) -> Client {
    let mut caps = serde_json::Map::new();
    let mut options = json!({
        "binary": CHROMIUM,
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-dev-shm-usage", format!("--window-size={width},800")],
    });
    if width < 500 {
        // A window cannot be that narrow: emulate a phone's screen.
        options["mobileEmulation"] =
            json!({"deviceMetrics": {"width": width, "height": 800, "pixelRatio": 1.0}});
    }
    if !script {
        options["prefs"] = json!({"profile.managed_default_content_settings.javascript": 2});
    }
    caps.insert("goog:chromeOptions".into(), options);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", d.port))
        .await
        .expect("a Chromium session")
}

/// Wait (at most `secs`) until `script` returns true in the page.
async fn until(c: &Client, script: &str, secs: u64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if c.execute(script, vec![]).await.ok() == Some(Value::Bool(true)) {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Wait (at most `secs`) until the address satisfies `ok`; with scripts
/// off, the address is how the test knows a navigation has landed.
async fn until_url(c: &Client, ok: impl Fn(&str) -> bool, secs: u64) -> String {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let url = c.current_url().await.unwrap().to_string();
        if ok(&url) || Instant::now() > deadline {
            return url;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn screenshots() -> Option<PathBuf> {
    std::env::var_os("NEXUS_SCREENSHOTS")
        .map(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots"))
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    if let Some(dir) = screenshots() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

/// A table's relative times sit in boxes of a fixed size (so a new word
/// lays out only its box): each word fits its box, none is cut.
async fn assert_times_fit(c: &Client, path: &str) {
    let cut = c
        .execute(
            "return Array.from(document.querySelectorAll('td > time[data-at]')) \
               .filter(function (t) { return t.scrollWidth > t.clientWidth; }) \
               .map(function (t) { return t.textContent; })",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(cut, json!([]), "{path}: relative times cut short");
}

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// A fleet with items of several teams, priorities and states.
fn fleet() -> (Env, String) {
    let env = Env::new();
    let mut held = String::new();
    for (i, (team, p)) in [
        ("backend_team", "high"),
        ("frontend_team", "medium"),
        ("platform_team", "critical"),
        ("backend_team", "low"),
    ]
    .iter()
    .enumerate()
    {
        env.ok(&["add", "feature", &format!("Backlog item {i}"), p, team]);
        let mut c = env.cmd();
        c.env("AGENT_ID", format!("agent_{i}"));
        let out = c
            .args(["claim", "bug_fix", &format!("Fix defect {i}"), p, team])
            .output()
            .unwrap();
        held = first_work_id(&String::from_utf8_lossy(&out.stdout));
        // Two done today, for the velocity chart.
        if i < 2 {
            env.ok(&["complete", &held, "success", &format!("{}", 8 - 5 * i)]);
        }
    }
    env.ok(&["progress", &held, "60"]);
    // A chain for the graph: design -> build -> ship, and docs beside it.
    let added = |name: &str, on: &str| {
        let mut args = vec!["add", "feature", name, "high", "platform_team"];
        if !on.is_empty() {
            args.extend(["--depends-on", on]);
        }
        env.ok(&args);
        let claims = env.json("work_claims.json");
        let last = claims.as_array().unwrap().last().unwrap().clone();
        last["work_item_id"].as_str().unwrap().to_string()
    };
    let design = added("Design the API", "");
    let build = added("Build the API", &design);
    added("Ship the API", &build);
    added("Document the API", &design);
    (env, held)
}

#[tokio::test(flavor = "current_thread")]
async fn every_page_opens_and_the_work_page_follows_claims_filters_and_sorts() {
    let Some(d) = driver() else { return };
    let (env, held) = fleet();
    let s = Served::start(&env);
    let c = browser(&d, 1280).await;
    for (path, h1, name) in [
        ("/", "Fleet", "fleet"),
        ("/agents", "Agents", "agents"),
        ("/events", "Events", "events"),
        ("/graph", "Dependency graph", "graph"),
        ("/telemetry", "Telemetry", "telemetry"),
        (&format!("/work/{held}") as &str, "Item", "item"),
    ] {
        c.goto(&s.url(path)).await.unwrap();
        assert!(text_of(&c, "h1").await.starts_with(h1), "{path}");
        assert_times_fit(&c, path).await;
        shot(&c, name).await;
    }
    assert!(text_of(&c, "main").await.contains("Fix defect 3"));
    c.goto(&s.url("/")).await.unwrap();
    let bars = c
        .execute(
            "return document.querySelectorAll('svg.chart rect.bar:not(.zero)').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(bars, json!(2), "two teams completed work today");
    c.goto(&s.url("/graph")).await.unwrap();
    let drawn = c
        .execute(
            "return document.querySelectorAll('svg.graph g.node').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(drawn, json!(4), "four items in dependencies");
    let path = text_of(&c, "main ol").await;
    assert_eq!(path.lines().count(), 3, "design, build, ship: {path}");

    c.goto(&s.url("/work")).await.unwrap();
    assert_eq!(c.title().await.unwrap(), "Work · nexus");
    assert_times_fit(&c, "/work").await;
    shot(&c, "work").await;
    // The page's own state survives: no reload happens.
    c.execute("window.stillHere = 1; return 1", vec![])
        .await
        .unwrap();
    assert!(
        until(
            &c,
            "return document.getElementById('live').dataset.state === 'on'",
            10
        )
        .await,
        "the page did not connect to the event stream"
    );
    assert_eq!(text_of(&c, "#live").await, "● live");
    let mut claim = env.cmd();
    claim.env("AGENT_ID", "agent_live");
    let out = claim
        .args([
            "claim",
            "bug_fix",
            "Appears without reload",
            "high",
            "live_team",
        ])
        .output()
        .unwrap();
    let id = first_work_id(&String::from_utf8_lossy(&out.stdout));
    let seen = until(
        &c,
        &format!("return document.body.innerText.includes('{id}') && window.stillHere === 1"),
        10,
    )
    .await;
    assert!(seen, "the claim {id} did not appear on the open Work page");
    // A change to a row shown updates that row in place: the same element,
    // its new figure.
    c.execute(
        &format!("document.getElementById('w-{id}').kept = 1; return 1"),
        vec![],
    )
    .await
    .unwrap();
    let mut progress = env.cmd();
    progress.env("AGENT_ID", "agent_live");
    progress.args(["progress", &id, "40"]).assert().success();
    let updated = until(
        &c,
        &format!(
            "var r = document.getElementById('w-{id}'); \
             return !!r && r.kept === 1 && r.innerText.includes('40%')"
        ),
        10,
    )
    .await;
    assert!(updated, "the row of {id} was not updated in place");
    // The refresh named the rows shown, and got the unchanged ones as
    // markers the page kept its rows for: a small answer, no marker left,
    // every row whole.
    let fetched = c
        .execute(
            "var f = performance.getEntriesByType('resource') \
               .filter(function (e) { return e.initiatorType === 'fetch' && e.name.indexOf('/work') >= 0; }); \
             var rows = document.querySelectorAll('#work tbody tr'); \
             var whole = Array.prototype.every.call(rows, function (r) { return r.cells.length === 10; }); \
             return [f.length ? f[f.length - 1].decodedBodySize : -1, \
                     document.getElementById('region').outerHTML.length, \
                     document.querySelectorAll('#region tr[data-same]').length, rows.length, whole];",
            vec![],
        )
        .await
        .unwrap();
    let f = |i: usize| fetched[i].as_f64().unwrap_or(-1.0);
    assert!(f(0) > 0.0 && f(0) < f(1) / 2.0, "{fetched:?}");
    assert_eq!(
        (f(2), fetched[4].as_bool()),
        (0.0, Some(true)),
        "{fetched:?}"
    );
    assert!(f(3) >= 5.0, "{fetched:?}");
    // Its relative time moves on with the clock, with no fetch.
    let fetches = "return performance.getEntriesByType('resource') \
                     .filter(function (e) { return e.initiatorType === 'fetch'; }).length";
    let before = c.execute(fetches, vec![]).await.unwrap();
    let age = format!("return document.querySelector('#w-{id} time').textContent");
    let shown = c.execute(&age, vec![]).await.unwrap();
    let moved = until(
        &c,
        &format!("return document.querySelector('#w-{id} time').textContent !== {shown}"),
        5,
    )
    .await;
    let now = c.execute(&age, vec![]).await.unwrap();
    assert!(moved, "the age of {id} stayed {shown}");
    assert!(now.as_str().unwrap().ends_with(" s ago"), "{now}");
    assert_eq!(c.execute(fetches, vec![]).await.unwrap(), before);

    // Filter by text with the form, then sort by a heading.
    c.goto(&s.url("/work")).await.unwrap();
    let q = c.find(Locator::Css("input[name=q]")).await.unwrap();
    q.send_keys("defect 2").await.unwrap();
    c.find(Locator::Css("form.filters button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        until(
            &c,
            "return document.querySelectorAll('#work tbody tr').length === 1",
            5
        )
        .await
    );
    assert!(
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .contains("q=defect+2")
    );
    c.goto(&s.url("/work?team=backend_team")).await.unwrap();
    c.find(Locator::LinkText("Priority"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(until(&c, "return location.search.includes('sort=priority')", 5).await);
    let url = c.current_url().await.unwrap();
    assert!(url.as_str().contains("team=backend_team"), "{url}");
    let first = text_of(&c, "#work tbody tr td:nth-child(4)").await;
    assert_eq!(first, "high", "ascending by priority text");
    c.close().await.unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn hostile_text_runs_nothing_and_changes_need_a_write_token() {
    let Some(d) = driver() else { return };
    let env = Env::new();
    let evil = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";
    let id = first_work_id(&env.claim(&["bug_fix", evil, "high", "backend_team"]));
    let write = token(&env, "write");
    let s = Served::start(&env);
    let c = browser(&d, 1280).await;
    for path in ["/work".to_string(), format!("/work/{id}"), "/events".into()] {
        c.goto(&s.url(&path)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let pwned = c
            .execute("return window.pwned === undefined", vec![])
            .await
            .unwrap();
        assert_eq!(pwned, Value::Bool(true), "{path} ran the description");
        let imgs = c
            .execute("return document.images.length", vec![])
            .await
            .unwrap();
        assert_eq!(imgs, json!(0), "{path}");
    }
    c.goto(&s.url("/work")).await.unwrap();
    assert!(text_of(&c, "#work").await.contains(evil));

    // Without signing in, the release is refused and nothing changes.
    c.goto(&s.url(&format!("/work/{id}"))).await.unwrap();
    let before = env.read("work_claims.json");
    c.find(Locator::XPath("//button[text()='Release the claim']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(env.read("work_claims.json"), before);

    // Signed in with a write token, the same button releases the claim.
    c.goto(&s.url("/login")).await.unwrap();
    c.find(Locator::Css("input[name=token]"))
        .await
        .unwrap()
        .send_keys(&write)
        .await
        .unwrap();
    c.find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(until(&c, "return location.pathname === '/'", 5).await);
    let cookie = c.execute("return document.cookie", vec![]).await.unwrap();
    assert_eq!(cookie, json!(""), "the cookie is HttpOnly");
    // An analysis runs from its page and its report shows.
    c.goto(&s.url("/analysis")).await.unwrap();
    c.find(Locator::Css("select[name=kind] option[value=health]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::XPath("//button[text()='Run']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let shown = until(
        &c,
        "return document.body.innerText.includes('SYSTEM HEALTH ANALYSIS')",
        10,
    )
    .await;
    assert!(
        shown,
        "no report at {}: {}",
        c.current_url().await.unwrap(),
        text_of(&c, "main").await
    );
    shot(&c, "analysis").await;
    c.goto(&s.url(&format!("/work/{id}"))).await.unwrap();
    c.find(Locator::XPath("//button[text()='Release the claim']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while env.json("work_claims.json")[0]["status"] != "available" {
        assert!(Instant::now() < deadline, "the release did not happen");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(until(&c, &format!("return location.pathname === '/work/{id}'"), 5).await);
    c.close().await.unwrap();
}

/// A change made while the server was down shows once the page's event
/// stream is back, though no event reports it: the stream had sent the
/// page nothing to resume from, and the page catches up on reconnecting.
#[tokio::test(flavor = "current_thread")]
async fn a_change_made_while_the_server_was_down_shows_after_it_returns() {
    let Some(d) = driver() else { return };
    let env = Env::new();
    env.ok(&["add", "chore", "already there", "low", "ops_team"]);
    let mut s = Served::start(&env);
    let c = browser(&d, 1280).await;
    c.goto(&s.url("/work")).await.unwrap();
    c.execute("window.stillHere = 1; return 1", vec![])
        .await
        .unwrap();
    let live = "return document.getElementById('live').dataset.state === 'on'";
    assert!(until(&c, live, 10).await, "not live at first");
    let mut id = String::new();
    s.restart(&env, || {
        let mut claim = env.cmd();
        claim.env("AGENT_ID", "agent_down");
        let out = claim
            .args(["claim", "bug_fix", "Made while down", "high", "ops_team"])
            .output()
            .unwrap();
        id = first_work_id(&String::from_utf8_lossy(&out.stdout));
    });
    let shown = format!(
        "return document.getElementById('w-{id}') !== null && window.stillHere === 1 \
         && document.getElementById('live').dataset.state === 'on'"
    );
    assert!(
        until(&c, &shown, 20).await,
        "{id} not shown after the server returned: {}",
        text_of(&c, "main").await
    );
    c.close().await.unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn the_layout_holds_at_375_pixels() {
    let Some(d) = driver() else { return };
    let (env, held) = fleet();
    let s = Served::start(&env);
    let c = browser(&d, 375).await;
    for (path, name) in [
        ("/".to_string(), "fleet-phone"),
        ("/work".into(), "work-phone"),
        (format!("/work/{held}"), "item-phone"),
        ("/agents".into(), ""),
        ("/events".into(), ""),
        ("/graph".into(), ""),
        ("/telemetry".into(), ""),
    ] {
        c.goto(&s.url(&path)).await.unwrap();
        let width = c.execute("return window.innerWidth", vec![]).await.unwrap();
        assert_eq!(width, json!(375));
        let fits = c
            .execute(
                "return document.documentElement.scrollWidth <= window.innerWidth + 1",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(fits, Value::Bool(true), "{path} is wider than the screen");
        assert_times_fit(&c, &path).await;
        if !name.is_empty() {
            shot(&c, name).await;
        }
    }
    c.close().await.unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn with_javascript_off_the_pages_filter_sort_and_change() {
    let Some(d) = driver() else { return };
    let (env, held) = fleet();
    let write = token(&env, "write");
    let s = Served::start(&env);
    let c = session(&d, 1280, false).await;
    c.goto(&s.url("/work")).await.unwrap();
    // With scripts on, the indicator shows within a second (see above).
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        !c.find(Locator::Css("#live"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap()
    );
    c.find(Locator::Css("select[name=priority] option[value=critical]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("form.filters button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Each click navigates: wait for the new page before the next one,
    // or the link found may belong to the page being left.
    let url = until_url(&c, |u| u.contains("priority=critical"), 5).await;
    assert!(url.contains("priority=critical"), "{url}");
    c.find(Locator::LinkText("Description"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let url = until_url(&c, |u| u.contains("sort=description"), 5).await;
    assert!(url.contains("priority=critical"), "{url}");
    assert!(url.contains("sort=description"), "{url}");
    let rows = c.find_all(Locator::Css("#work tbody tr")).await.unwrap();
    assert_eq!(rows.len(), 2, "the critical backlog item and defect");
    // Sign in and release a claim with plain forms.
    c.goto(&s.url("/login")).await.unwrap();
    c.find(Locator::Css("input[name=token]"))
        .await
        .unwrap()
        .send_keys(&write)
        .await
        .unwrap();
    c.find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The sign-in answers with a redirect that sets the cookie: wait for it.
    let deadline = Instant::now() + Duration::from_secs(5);
    while c.current_url().await.unwrap().path() == "/login" {
        assert!(Instant::now() < deadline, "the sign-in did not redirect");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    c.goto(&s.url(&format!("/work/{held}"))).await.unwrap();
    c.find(Locator::XPath("//button[text()='Release the claim']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let released = |env: &Env| {
        env.json("work_claims.json")
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["work_item_id"] == held.as_str() && r["status"] == "available")
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    while !released(&env) {
        assert!(Instant::now() < deadline, "the release did not happen");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    c.close().await.unwrap();
}
