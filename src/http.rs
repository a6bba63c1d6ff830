//! The one builder of HTTP clients: every call nexus makes (AI providers, the
//! n8n API and webhook, the OTLP exporter) goes through a client built here.
//! It bounds each call by a timeout, never sends a `Referer`, and refuses to
//! follow a redirect to another origin, so credentials (API-key headers, the
//! OTLP headers, a webhook token) only ever reach the host they were meant for.

use std::time::Duration;

use reqwest::blocking::Client;
use reqwest::redirect::{Attempt, Policy};

use crate::redact::{redact_text, redact_url};

/// Most redirects followed within one origin.
const MAX_REDIRECTS: usize = 5;

/// A blocking client with a connect and a total timeout and the safe redirect
/// policy.
pub fn client(timeout: Duration) -> Client {
    builder(timeout).build().unwrap_or_else(|_| Client::new())
}

/// The builder behind [`client`], for callers that add settings of their own.
/// TLS runs on ring, installed as the process's provider here, on first
/// use: commands that make no call never pay for a crypto library's start.
pub fn builder(timeout: Duration) -> reqwest::blocking::ClientBuilder {
    static PROVIDER: std::sync::Once = std::sync::Once::new();
    PROVIDER.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .referer(false)
        .redirect(Policy::custom(same_origin_only))
}

/// Follow a redirect only within the origin (scheme, host, port) of the
/// first request.
fn same_origin_only(attempt: Attempt) -> reqwest::redirect::Action {
    let first = attempt.previous().first().map(|u| u.origin());
    if first.as_ref() != Some(&attempt.url().origin()) {
        let msg = format!(
            "refused a redirect to another origin ({})",
            redact_url(attempt.url().as_str())
        );
        return attempt.error(msg);
    }
    if attempt.previous().len() > MAX_REDIRECTS {
        return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
    }
    attempt.follow()
}

/// Why a request failed, in a few words and without credentials: the
/// innermost cause (e.g. "Connection refused"), or "timed out".
pub fn failure(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".into();
    }
    let mut source: &dyn std::error::Error = e;
    while let Some(s) = source.source() {
        source = s;
    }
    redact_text(&source.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server answering `/same` with a redirect to `/b?token=t`, `/other`
    /// with a redirect to `localhost` on its port, and anything else with
    /// the Referer it received.
    fn server() -> String {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let port = server.server_addr().to_ip().unwrap().port();
        std::thread::spawn(move || {
            for req in server.incoming_requests() {
                let to = match req.url() {
                    "/same?token=s" => Some("/b?token=t".to_string()),
                    "/other" => Some(format!("http://localhost:{port}/b?token=t")),
                    _ => None,
                };
                let resp = match to {
                    Some(to) => tiny_http::Response::from_string("")
                        .with_status_code(307)
                        .with_header(
                            format!("Location: {to}")
                                .parse::<tiny_http::Header>()
                                .unwrap(),
                        ),
                    None => {
                        let referer = req
                            .headers()
                            .iter()
                            .find(|h| h.field.equiv("Referer"))
                            .map(|h| h.value.to_string())
                            .unwrap_or_default();
                        tiny_http::Response::from_string(format!("referer={referer}"))
                    }
                };
                let _ = req.respond(resp);
            }
        });
        format!("http://127.0.0.1:{port}")
    }

    #[test]
    fn same_origin_redirects_are_followed_without_referer_others_refused() {
        let base = server();
        let c = client(Duration::from_secs(5));
        let body = c
            .get(format!("{base}/same?token=s"))
            .send()
            .unwrap()
            .text()
            .unwrap();
        assert_eq!(body, "referer=");
        let err = c.get(format!("{base}/other")).send().unwrap_err();
        let why = failure(&err);
        assert!(
            why.starts_with("refused a redirect to another origin (http://localhost:")
                && why.ends_with("/b?token=***)"),
            "{why}"
        );
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let u = |s: &str| reqwest::Url::parse(s).unwrap().origin();
        assert_eq!(u("http://127.0.0.1:80/a"), u("http://127.0.0.1/b?x"));
        assert_ne!(u("http://127.0.0.1:1/"), u("http://localhost:1/"));
        assert_ne!(u("http://h:1/"), u("http://h:2/"));
        assert_ne!(u("http://h/"), u("https://h/"));
    }
}
