//! A spinner on stderr while a model is asked, so a slow provider does not
//! look like a hang. Only on a terminal: piped stderr gets nothing.

use std::io::{IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/// Erases the spinner's line when it stops.
pub const CLEAR: &str = "\r\x1b[2K";

/// A running spinner; dropping it stops it and clears its line.
pub struct Spinner {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Spinner {
    /// A spinner on stderr, or `None` when stderr is not a terminal.
    pub fn start(label: &str) -> Option<Spinner> {
        std::io::stderr()
            .is_terminal()
            .then(|| Spinner::on(std::io::stderr(), label, Duration::from_millis(100)))
    }

    /// A spinner writing to `out`, a frame every `every`.
    pub fn on(mut out: impl Write + Send + 'static, label: &str, every: Duration) -> Spinner {
        let (tx, rx) = mpsc::channel::<()>();
        let label = label.to_string();
        let thread = std::thread::spawn(move || {
            for frame in FRAMES.iter().cycle() {
                let _ = write!(out, "\r{frame} {label}").and_then(|()| out.flush());
                match rx.recv_timeout(every) {
                    Err(RecvTimeoutError::Timeout) => {}
                    _ => break,
                }
            }
            let _ = write!(out, "{CLEAR}").and_then(|()| out.flush());
        });
        Spinner {
            stop: Some(tx),
            thread: Some(thread),
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn spins_until_dropped_then_clears_its_line() {
        let out = Shared::default();
        let s = Spinner::on(out.clone(), "asking anthropic", Duration::from_millis(10));
        std::thread::sleep(Duration::from_millis(60));
        drop(s);
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert!(text.starts_with("\r⠋ asking anthropic"), "{text:?}");
        assert!(text.ends_with(CLEAR), "{text:?}");
        std::thread::sleep(Duration::from_millis(30));
        assert_eq!(out.0.lock().unwrap().len(), text.len(), "stopped");
    }
}
