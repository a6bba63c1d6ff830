//! The pages' static files, embedded in the binary: htmx 4.0.1 and its SSE
//! extension (from the npm package `htmx.org`, Zero-Clause BSD, licence
//! served beside them), the style sheet, the icon and the live indicator's script. Each is served under a name that
//! holds a hash of its bytes, so it can be cached for a year: a new build
//! with other bytes has other names.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// (stem, extension, bytes, content type) of each file.
const FILES: &[(&str, &str, &[u8], &str)] = &[
    (
        "htmx",
        "min.js",
        include_bytes!("assets/htmx.min.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "hx-sse",
        "min.js",
        include_bytes!("assets/hx-sse.min.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "htmx-LICENSE",
        "txt",
        include_bytes!("assets/htmx.LICENSE"),
        "text/plain; charset=utf-8",
    ),
    (
        "nexus",
        "js",
        include_bytes!("assets/nexus.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "icon",
        "svg",
        include_bytes!("assets/icon.svg"),
        "image/svg+xml",
    ),
    (
        "nexus",
        "css",
        include_bytes!("assets/nexus.css"),
        "text/css; charset=utf-8",
    ),
];

struct Asset {
    name: String,
    bytes: &'static [u8],
    kind: &'static str,
}

fn all() -> &'static [Asset] {
    static ALL: OnceLock<Vec<Asset>> = OnceLock::new();
    ALL.get_or_init(|| {
        FILES
            .iter()
            .map(|(stem, ext, bytes, kind)| {
                let digest = Sha256::digest(bytes);
                let hash: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
                Asset {
                    name: format!("{stem}.{hash}.{ext}"),
                    bytes,
                    kind,
                }
            })
            .collect()
    })
}

/// The path a page links to for the file named `stem` (e.g. "htmx"), or
/// `stem.ext` where two files share a stem.
pub fn path(stem: &str) -> String {
    all()
        .iter()
        .find(|a| {
            let mut parts = a.name.split('.');
            let (first, last) = (parts.next(), a.name.rsplit('.').next());
            match stem.split_once('.') {
                Some((s, ext)) => first == Some(s) && last == Some(ext),
                None => first == Some(stem),
            }
        })
        .map_or_else(String::new, |a| format!("/assets/{}", a.name))
}

/// `GET /assets/{name}`: a file by its hashed name, cacheable for a year.
pub async fn serve(Path(name): Path<String>) -> Response {
    match all().iter().find(|a| a.name == name) {
        Some(a) => (
            [
                (header::CONTENT_TYPE, a.kind),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            a.bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such file\n").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_a_hash_of_the_bytes() {
        let p = path("htmx");
        assert!(
            p.starts_with("/assets/htmx.") && p.ends_with(".min.js"),
            "{p}"
        );
        assert_eq!(p.len(), "/assets/htmx.".len() + 12 + ".min.js".len());
        assert!(path("hx-sse").contains("hx-sse."));
        assert!(path("nope").is_empty());
        assert!(path("nexus.css").ends_with(".css"));
        assert!(path("nexus.js").ends_with(".js"));
    }
}
