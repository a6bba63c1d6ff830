//! Hostile surroundings: credentials near redirects and in URLs, control
//! characters and huge values in agent text, forged ids, and broken locks.

mod files;
mod ids;
mod large_prompt;
mod locks;
mod secrets;
mod terminal;

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use crate::common::Env;
use crate::mock_http::Recorded;

/// A port on 127.0.0.1 where nothing listens.
pub fn dead_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server on 127.0.0.1 answering every request with `307` to `target`
/// (plus the request's path), recording what it received.
pub struct Redirector {
    pub url: String,
    pub requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Redirector {
    pub fn to(target: &str) -> Redirector {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let url = format!("http://{}", server.server_addr().to_ip().unwrap());
        let requests: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let (log, target) = (requests.clone(), target.to_string());
        std::thread::spawn(move || {
            for mut req in server.incoming_requests() {
                let mut body = String::new();
                let _ = req.as_reader().read_to_string(&mut body);
                let location = format!("{target}{}", req.url());
                log.lock().unwrap().push(Recorded {
                    method: req.method().to_string(),
                    url: req.url().to_string(),
                    headers: req
                        .headers()
                        .iter()
                        .map(|h| (h.field.to_string(), h.value.to_string()))
                        .collect(),
                    body,
                });
                let header = format!("Location: {location}")
                    .parse::<tiny_http::Header>()
                    .unwrap();
                let resp = tiny_http::Response::from_string("")
                    .with_status_code(307)
                    .with_header(header);
                let _ = req.respond(resp);
            }
        });
        Redirector { url, requests }
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

/// Everything a run left for people to see: stdout, stderr and every file of
/// the coordination directory (hidden ones included).
pub fn everything(env: &Env, out: &std::process::Output) -> String {
    let mut all = String::from_utf8_lossy(&out.stdout).into_owned();
    all.push_str(&String::from_utf8_lossy(&out.stderr));
    let mut stack = vec![env.dir()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else if let Ok(bytes) = std::fs::read(e.path()) {
                all.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
    }
    all
}
