//! The live dashboard, rendered into ratatui's TestBackend and driven by keys.

use std::path::Path;

use chrono::{DateTime, Utc};
use nexus::tui::{Action, App, Key, render_text};
use serde_json::Value;

use crate::common::{Env, file_store, first_work_id};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T00:00:00Z")
        .unwrap()
        .to_utc()
}

fn app(dir: &Path) -> App {
    let mut app = App::new(file_store(dir), "development".into(), now());
    app.reload(now());
    app
}

fn active_count(env: &Env) -> usize {
    env.json("work_claims.json")
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "active")
        .count()
}

#[test]
fn panels_show_counts_and_rows_of_the_legacy_fixtures() {
    let env = Env::with_fixtures();
    let a = app(&env.dir());
    let screen = render_text(&a, 140, 40);
    let active = active_count(&env);
    let agents = env.json("agent_status.json").as_array().unwrap().len();
    let done = env.json("coordination_log.json").as_array().unwrap().len();
    assert!(
        screen.contains(&format!("Active work ({active})")),
        "{screen}"
    );
    assert!(screen.contains(&format!("Agents ({agents})")), "{screen}");
    assert!(
        screen.contains(&format!("Completions ({done})")),
        "{screen}"
    );
    assert!(screen.contains(&format!("active {active} ·")), "{screen}");
    assert!(screen.contains("PI_2026_Q4"));
    // Rows are sorted by priority first: the first row is a critical or high item.
    let first = &a.snapshot.claims[a.rows[0]];
    assert!(matches!(
        first["priority"].as_str(),
        Some("critical" | "high")
    ));
    assert!(screen.contains(first["work_item_id"].as_str().unwrap()));
    assert!(screen.contains("Spans ("));
}

#[test]
fn detail_view_shows_unknown_fields_and_the_items_spans() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["--json", "claim", "bug", "detail me", "critical"])
        .env("FORCE_TRACE_ID", "feedfacefeedfacefeedfacefeedface")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = v["work_item_id"].as_str().unwrap().to_string();
    let mut claims = env.json("work_claims.json");
    claims[0]["custom_field"] = "kept by nexus".into();
    std::fs::write(
        env.path("work_claims.json"),
        serde_json::to_string_pretty(&claims).unwrap(),
    )
    .unwrap();
    let mut a = app(&env.dir());
    assert_eq!(a.on_key(Key::Enter), Action::None);
    assert!(a.detail);
    let screen = render_text(&a, 100, 40);
    assert!(screen.contains("custom_field"), "{screen}");
    assert!(screen.contains("kept by nexus"));
    assert!(screen.contains(&id));
    assert!(screen.contains("Spans of this item (1)"), "{screen}");
    assert!(screen.contains("s2s.work.claim"));
    a.on_key(Key::Esc);
    assert!(!a.detail);
}

#[test]
fn filter_priority_and_sort_narrow_and_order_the_list() {
    let env = Env::new();
    for (d, p) in [
        ("alpha one", "high"),
        ("beta two", "low"),
        ("alpha three", "low"),
        ("gamma", "critical"),
    ] {
        env.claim(&["t", d, p]);
    }
    let mut a = app(&env.dir());
    assert_eq!(a.rows.len(), 4);
    a.on_key(Key::Char('/'));
    for c in "alpha".chars() {
        a.on_key(Key::Char(c));
    }
    a.on_key(Key::Enter);
    assert_eq!(a.rows.len(), 2);
    let screen = render_text(&a, 120, 30);
    assert!(screen.contains("Active work (2)"), "{screen}");
    assert!(screen.contains("filter: alpha"));
    a.on_key(Key::Char('p')); // critical
    assert_eq!(a.rows.len(), 0);
    a.on_key(Key::Char('p')); // high
    assert_eq!(a.rows.len(), 1);
    a.on_key(Key::Char('p'));
    a.on_key(Key::Char('p')); // low
    assert_eq!(a.rows.len(), 1);
    assert_eq!(a.snapshot.claims[a.rows[0]]["description"], "alpha three");
    a.on_key(Key::Char('p')); // all
    a.on_key(Key::Char('/'));
    a.on_key(Key::Esc);
    assert_eq!(a.rows.len(), 4);
    let order = |a: &App| {
        a.rows
            .iter()
            .map(|&i| {
                a.snapshot.claims[i]["priority"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(order(&a), ["critical", "high", "low", "low"]);
    a.on_key(Key::Char('s')); // by age: claim order
    assert_eq!(order(&a)[0], "high");
    a.on_key(Key::Down);
    a.on_key(Key::Char('j'));
    assert_eq!(a.selection(nexus::tui::app::Panel::Work), 2);
    a.on_key(Key::Char('k'));
    a.on_key(Key::PageDown);
    assert_eq!(a.selection(nexus::tui::app::Panel::Work), 3);
    a.on_key(Key::Tab);
    assert_eq!(a.panel, nexus::tui::app::Panel::Agents);
    a.on_key(Key::Char('?'));
    assert!(render_text(&a, 100, 30).contains("cycle priority filter"));
    a.on_key(Key::Char('?'));
    assert!(!a.help);
    assert_eq!(a.on_key(Key::Char('q')), Action::Quit);
    assert_eq!(a.on_key(Key::CtrlC), Action::Quit);
}

#[test]
fn small_and_odd_terminal_sizes_do_not_panic() {
    let env = Env::with_fixtures();
    let mut a = app(&env.dir());
    for (w, h) in [(1, 1), (10, 3), (20, 5), (80, 24), (300, 100)] {
        render_text(&a, w, h);
    }
    a.on_key(Key::Enter);
    a.on_key(Key::Char('?'));
    for (w, h) in [(1, 1), (30, 8), (80, 24)] {
        render_text(&a, w, h);
    }
    let screen = render_text(
        &App::new(
            file_store(&env.tmp.path().join("nothing")),
            "development".into(),
            now(),
        ),
        80,
        24,
    );
    assert!(screen.contains("no work yet"), "{screen}");
}

#[test]
fn picks_up_a_claim_written_by_another_process_and_survives_a_broken_file() {
    let env = Env::with_fixtures();
    let mut a = app(&env.dir());
    let before = a.rows.len();
    let id = env.claim(&["live", "written elsewhere", "critical"]);
    a.reload(now());
    assert_eq!(a.rows.len(), before + 1);
    assert!(render_text(&a, 140, 40).contains(&id));
    std::fs::write(env.path("work_claims.json"), "[{ broken").unwrap();
    a.reload(now());
    let screen = render_text(&a, 140, 40);
    assert!(screen.contains("does not parse"), "{screen}");
    assert!(screen.contains("last good view"));
    assert_eq!(a.rows.len(), before + 1, "last good view kept");
}

#[test]
fn ten_thousand_items_render_only_the_visible_window() {
    let env = Env::new();
    std::fs::create_dir_all(env.dir()).unwrap();
    let claims: Vec<Value> = (0..10_000)
        .map(|i| serde_json::json!({"work_item_id": format!("work_{i}"), "status": "active", "priority": "medium", "claimed_at": "2026-11-24T00:00:00Z"}))
        .collect();
    std::fs::write(
        env.path("work_claims.json"),
        serde_json::to_string(&claims).unwrap(),
    )
    .unwrap();
    let mut a = app(&env.dir());
    assert_eq!(a.rows.len(), 10_000);
    for _ in 0..500 {
        a.on_key(Key::PageDown);
    }
    assert_eq!(a.selection(nexus::tui::app::Panel::Work), 5000);
    let selected = a.selected_claim().unwrap()["work_item_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(render_text(&a, 120, 30).contains(&selected));
}

#[test]
fn once_flag_prints_a_frame_and_text_flag_the_report() {
    let env = Env::with_fixtures();
    let frame = env.ok(&["dashboard", "--once"]);
    assert!(frame.contains("Active work ("), "{frame}");
    assert!(frame.lines().count() >= 24);
    let text = env.ok(&["dashboard", "--text"]);
    assert!(text.contains("SCRUM AT SCALE DASHBOARD"));
    let piped = env.ok(&["dashboard"]);
    assert!(
        piped.contains("SCRUM AT SCALE DASHBOARD"),
        "piped output is the text report"
    );
}

#[test]
fn esc_closes_pop_ups_and_clears_filters_but_never_quits() {
    let env = Env::with_fixtures();
    let mut a = app(&env.dir());
    let all = a.rows.len();
    assert_eq!(a.on_key(Key::Esc), Action::None, "Esc on the plain view");
    a.on_key(Key::Char('/'));
    for c in "meta".chars() {
        a.on_key(Key::Char(c));
    }
    a.on_key(Key::Enter);
    a.on_key(Key::Char('p'));
    a.on_key(Key::Char('p')); // high
    assert!(!a.rows.is_empty() && a.rows.len() < all);
    a.on_key(Key::Enter);
    assert!(a.detail);
    assert_eq!(a.on_key(Key::Esc), Action::None);
    assert!(!a.detail, "Esc closes the pop-up first");
    assert_eq!(a.filter, "meta", "and keeps the filter");
    assert_eq!(a.on_key(Key::Esc), Action::None);
    assert!(a.filter.is_empty() && a.priority.is_none());
    assert_eq!(a.rows.len(), all, "Esc cleared both filters");
    // Esc while typing a filter abandons it.
    a.on_key(Key::Char('/'));
    a.on_key(Key::Char('x'));
    a.on_key(Key::Esc);
    assert!(!a.editing_filter && a.filter.is_empty());
    a.on_key(Key::Char('?'));
    let help = render_text(&a, 100, 30);
    assert!(
        help.contains("Esc") && help.contains("clear the text and priority filters"),
        "{help}"
    );
    assert_eq!(a.on_key(Key::Esc), Action::None);
    assert!(!a.help);
    assert_eq!(a.on_key(Key::Char('q')), Action::Quit);
}

#[test]
fn enter_opens_a_detail_view_on_every_panel() {
    let env = Env::with_fixtures();
    env.claim(&["detail", "for the spans panel", "high"]);
    let mut a = app(&env.dir());
    let agents = env.json("agent_status.json");
    let log = env.json("coordination_log.json");
    a.on_key(Key::Tab); // agents
    a.on_key(Key::Down);
    a.on_key(Key::Enter);
    assert!(a.detail);
    let screen = render_text(&a, 120, 40);
    let agent = agents[1]["agent_id"].as_str().unwrap();
    assert!(
        screen.contains(&format!("agent {agent} (Esc to close)")),
        "{screen}"
    );
    assert!(screen.contains("Active work of this agent ("), "{screen}");
    assert!(screen.contains("\"specialization\""), "{screen}");
    a.on_key(Key::Esc);
    a.on_key(Key::Tab); // completions, newest first
    a.on_key(Key::Enter);
    let screen = render_text(&a, 120, 40);
    let newest = log.as_array().unwrap().last().unwrap()["work_item_id"]
        .as_str()
        .unwrap();
    assert!(
        screen.contains(&format!("completion of {newest}")),
        "{screen}"
    );
    assert!(screen.contains("\"velocity_points\""), "{screen}");
    a.on_key(Key::Esc);
    a.on_key(Key::Tab); // spans, newest first: the claim above
    a.on_key(Key::Enter);
    let screen = render_text(&a, 120, 40);
    assert!(
        screen.contains("span s2s.work.claim (Esc to close)"),
        "{screen}"
    );
    assert!(screen.contains("Its item: work_"), "{screen}");
    a.on_key(Key::Esc);
    assert!(!a.detail);
}

#[test]
fn ids_stay_readable_and_distinct_at_80_columns_and_narrower() {
    let env = Env::with_fixtures();
    let a = app(&env.dir());
    let screen = render_text(&a, 80, 24);
    let visible: Vec<&str> = a.rows[..6]
        .iter()
        .map(|&i| a.snapshot.claims[i]["work_item_id"].as_str().unwrap())
        .collect();
    for id in &visible {
        // The end of the id, where ids differ, is on screen.
        assert!(screen.contains(&id[id.len() - 14..]), "{id}:\n{screen}");
    }
    let rows: Vec<&str> = screen.lines().filter(|l| l.starts_with("│…")).collect();
    let mut fragments: Vec<&str> = rows.iter().map(|l| l.split(' ').next().unwrap()).collect();
    fragments.sort_unstable();
    fragments.dedup();
    assert!(fragments.len() >= 6, "{screen}");
    // At 30 columns the id is still there, before any other column.
    let narrow = render_text(&a, 30, 24);
    let id = visible[0];
    assert!(narrow.contains(&id[id.len() - 8..id.len() - 3]), "{narrow}");
    // Agents show the digits that differ, not the shared trailing 000.
    let agent = a.snapshot.agents[1]["agent_id"].as_str().unwrap();
    let digits = &agent[agent.len() - 8..agent.len() - 3];
    assert!(screen.contains(&format!("…{digits}")), "{agent}:\n{screen}");
}

#[test]
fn the_points_per_day_panel_has_all_its_borders() {
    let env = Env::with_fixtures();
    let screen = render_text(&app(&env.dir()), 120, 36);
    let line = screen
        .lines()
        .find(|l| l.contains("Points per day"))
        .unwrap();
    assert!(line.contains("┌Points per day"), "{screen}");
    let below: Vec<&str> = screen
        .lines()
        .skip_while(|l| !l.contains("Points per day"))
        .collect();
    assert!(below.iter().any(|l| l.starts_with('└')), "{screen}");
}

/// The rows, counts and records the dashboard shows, to compare two views.
fn view(a: &App) -> (Vec<Value>, Vec<Value>, usize, usize, String) {
    let rows = a.rows.iter().map(|&i| a.snapshot.claims[i].to_value());
    let text = render_text(a, 140, 40).replace(|c: char| c.is_ascii_digit(), "#");
    (
        rows.collect(),
        a.snapshot.agents.clone(),
        a.snapshot.completions.len(),
        a.snapshot.velocity_lines.len(),
        text,
    )
}

#[test]
fn a_reload_reads_only_the_records_that_changed_and_shows_what_a_whole_read_shows() {
    let env = Env::with_fixtures();
    // One write first: the files are then in nexus's layout, indexed.
    let first = env.claim(&["fix", "first \u{1b}[2J item", "high", "team_a"]);
    let mut a = app(&env.dir());
    assert_eq!(a.whole_reads, 1);
    // Other processes change things: new items, progress, a completion, an
    // agent, a release.
    let second = env.claim(&["fix", "second", "critical", "team_b"]);
    env.ok(&["progress", &first, "40"]);
    env.ok(&["complete", &second, "success", "5"]);
    env.ok(&["register", "agent_follow", "team_c", "3", "rust"]);
    env.ok(&["add", "task", "backlog item", "low", "team_a"]);
    a.reload(now());
    assert_eq!(a.whole_reads, 1, "followed, not read again");
    let fresh = app(&env.dir());
    assert_eq!(view(&a), view(&fresh));
    let mine = a
        .snapshot
        .claims
        .iter()
        .find(|c| c["work_item_id"] == first.as_str())
        .unwrap();
    assert_eq!(mine["progress"], 40);
    assert_eq!(
        mine["description"], "first \\x1b[2J item",
        "escaped for the terminal"
    );
    assert!(
        a.snapshot
            .agents
            .iter()
            .any(|g| g["agent_id"] == "agent_follow")
    );
    // Nothing new: nothing read, and a tick says so.
    a.reload(now());
    assert_eq!((a.whole_reads, view(&a)), (1, view(&fresh)));
    assert!(!a.refresh(now()), "an idle tick finds no change");
    // Dependencies: an item waits on another, then is freed when it completes.
    let add = |args: &[&str]| first_work_id(&env.ok(args));
    let base = add(&["add", "task", "foundation", "high", "team_a"]);
    let waits = add(&[
        "add",
        "task",
        "roof",
        "low",
        "team_a",
        "--depends-on",
        &base,
    ]);
    a.reload(now());
    assert!(a.blocked.contains(&waits), "{:?}", a.blocked);
    assert_eq!((a.whole_reads, view(&a)), (1, view(&app(&env.dir()))));
    env.ok(&["complete", &base, "success", "2"]);
    a.reload(now());
    assert!(a.blocked.is_empty(), "{:?}", a.blocked);
    assert_eq!((a.whole_reads, view(&a)), (1, view(&app(&env.dir()))));
    // Another tool rewrote the claims file (no event names the change):
    // everything is read again.
    let mut claims = env.json("work_claims.json");
    claims[0]["description"] = "edited by jq".into();
    std::fs::write(
        env.path("work_claims.json"),
        serde_json::to_vec_pretty(&claims).unwrap(),
    )
    .unwrap();
    a.reload(now());
    assert_eq!(a.whole_reads, 2);
    assert_eq!(view(&a), view(&app(&env.dir())));
    // Archiving removes records: read again too.
    env.ok(&["cleanup", "--archive-after", "1d"]);
    a.reload(now());
    assert_eq!(a.whole_reads, 3);
    assert_eq!(view(&a), view(&app(&env.dir())));
}

#[test]
fn once_on_an_absurd_terminal_size_draws_a_capped_frame() {
    let env = Env::with_fixtures();
    let out = env
        .cmd()
        .args(["dashboard", "--once"])
        .env("COLUMNS", "65535")
        .env("LINES", "65535")
        .env("TERM", "xterm")
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let frame = crate::common::succeeded(&out);
    assert!(frame.contains("Active work ("), "{frame}");
    let (w, h) = nexus::tui::MAX_SIZE;
    assert!(frame.lines().count() <= h as usize);
    assert!(frame.lines().all(|l| l.chars().count() <= w as usize));
}
