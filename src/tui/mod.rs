//! The live terminal dashboard: state in [`app`], drawing in [`ui`], and here
//! the terminal, the input and the refresh loop.

pub mod app;
mod columns;
mod digest;
mod popup;
mod reload;
pub mod ui;

use std::time::{Duration, Instant};

use chrono::Utc;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};

use crate::config::Config;
use crate::error::{NexusError, Result};
pub use app::{Action, App, Key};

/// Size of a `--once` frame when the terminal size is unknown.
const DEFAULT_SIZE: (u16, u16) = (120, 36);

/// A new dashboard state loaded from `cfg`'s store.
pub fn load(cfg: &Config) -> App {
    let store = cfg.open_store();
    let mut app = App::new(store, cfg.service.environment.clone(), cfg.now);
    app.offline_after_secs = cfg.ai.offline_after_secs;
    app.reload(cfg.now);
    app
}

/// The largest frame drawn as text: a terminal that reports an absurd size
/// (65535x65535 is 4 billion cells, some 200 GB) gets a frame this big.
pub const MAX_SIZE: (u16, u16) = (1024, 512);

/// Render one frame of `app` at `width` x `height` (within [`MAX_SIZE`]) as
/// plain text lines.
pub fn render_text(app: &App, width: u16, height: u16) -> String {
    let (width, height) = (width.clamp(1, MAX_SIZE.0), height.clamp(1, MAX_SIZE.1));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal.draw(|f| ui::draw(f, app)).expect("draw");
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            // Wide characters occupy two cells; the second holds nothing.
            skip = unicode_width(symbol).saturating_sub(1);
            line.push_str(symbol);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn unicode_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if (c as u32) >= 0x1100 && is_wide(c) {
                2
            } else {
                1
            }
        })
        .sum::<usize>()
        .max(1)
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD)
}

/// `--once`: one frame at the terminal's size (or 120x36 when unknown).
pub fn once(cfg: &Config) -> String {
    let (w, h) = ratatui::crossterm::terminal::size()
        .ok()
        .filter(|(w, h)| *w > 0 && *h > 0)
        .unwrap_or(DEFAULT_SIZE);
    render_text(&load(cfg), w, h)
}

/// How often an unchanged view is drawn again (for the ages it shows).
const REDRAW_IDLE: Duration = Duration::from_secs(5);

/// Map a terminal key to a dashboard key.
fn key_of(code: KeyCode, mods: KeyModifiers) -> Option<Key> {
    Some(match code {
        KeyCode::Char('c') if mods.contains(KeyModifiers::CONTROL) => Key::CtrlC,
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::Tab => Key::Tab,
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Backspace => Key::Backspace,
        _ => return None,
    })
}

/// Run the live dashboard until the person quits. The terminal is restored on
/// quit and, through ratatui's panic hook, on panic.
pub fn run(cfg: &Config, refresh: Duration) -> Result<()> {
    let mut app = load(cfg);
    let mut terminal = ratatui::try_init()
        .map_err(|e| NexusError::io("cannot open the terminal", "/dev/tty", e))?;
    let result = event_loop(&mut terminal, &mut app, refresh);
    ratatui::restore();
    result.map_err(|e| NexusError::io("terminal error", "/dev/tty", e))
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    refresh: Duration,
) -> std::io::Result<()> {
    let mut next_tick = Instant::now() + refresh;
    // A store that notifies wakes the loop at once; every store is asked
    // what changed at each tick, which costs little when nothing did.
    let watch = app.store.watch();
    // Frames are drawn when something changed (data, a key, the terminal),
    // and now and then for the ages and leases shown: not on every check.
    let mut last_draw: Option<Instant> = None;
    loop {
        if last_draw.is_none_or(|t| t.elapsed() >= REDRAW_IDLE) {
            terminal.draw(|f| ui::draw(f, app))?;
            last_draw = Some(Instant::now());
        }
        let mut wait = next_tick.saturating_duration_since(Instant::now());
        if watch.is_some() {
            wait = wait.min(Duration::from_millis(50));
        }
        if event::poll(wait)? {
            last_draw = None;
            match event::read()? {
                Event::Key(k) if k.kind == KeyEventKind::Press => {
                    if let Some(key) = key_of(k.code, k.modifiers)
                        && app.on_key(key) == Action::Quit
                    {
                        return Ok(());
                    }
                }
                _ => {} // resize and others: redraw
            }
        }
        let woken = watch.as_ref().is_some_and(|w| w.woken());
        let tick = Instant::now() >= next_tick;
        if tick {
            next_tick = Instant::now() + refresh;
        }
        if (tick || woken) && app.refresh(Utc::now()) {
            last_draw = None;
        }
    }
}
