//! Credentials never leave the process in text: URL userinfo and query values
//! are masked in every message, log line and saved file.

/// Characters that end a URL found inside free text.
fn ends_url(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\'' | '<' | '>' | '`' | ')' | ']' | '}' | '|' | '\\'
        )
}

/// Mask the credentials of one URL: userinfo becomes `***`, every query value
/// and the fragment become `***`: `http://u:pw@host/p?token=x` →
/// `http://***@host/p?token=***`. Text that is not a URL is returned as is.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let (head, rest) = url.split_at(scheme_end + 3);
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let mut out = String::with_capacity(url.len());
    out.push_str(head);
    match authority.rfind('@') {
        Some(at) => {
            out.push_str("***");
            out.push_str(&authority[at..]);
        }
        None => out.push_str(authority),
    }
    let (before_fragment, fragment) = match tail.find('#') {
        Some(i) => (&tail[..i], Some(&tail[i + 1..])),
        None => (tail, None),
    };
    match before_fragment.split_once('?') {
        Some((path, query)) => {
            out.push_str(path);
            out.push('?');
            let masked: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((k, _)) => format!("{k}=***"),
                    None if pair.is_empty() => String::new(),
                    None => "***".to_string(),
                })
                .collect();
            out.push_str(&masked.join("&"));
        }
        None => out.push_str(before_fragment),
    }
    if let Some(f) = fragment {
        out.push('#');
        if !f.is_empty() {
            out.push_str("***");
        }
    }
    out
}

/// Mask every URL found inside a message (see [`redact_url`]).
pub fn redact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(sep) = rest.find("://") {
        // The scheme: the letters, digits, `+`, `-` and `.` right before `://`.
        let scheme_start = rest[..sep]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            .last()
            .map_or(sep, |(i, _)| i);
        let end = rest[sep + 3..]
            .find(ends_url)
            .map_or(rest.len(), |i| sep + 3 + i);
        out.push_str(&rest[..scheme_start]);
        out.push_str(&redact_url(&rest[scheme_start..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Mask every `userinfo@host` inside free text, with or without a scheme:
/// libraries log connection keys as `user:password@host:port` (the pool of
/// the HTTP client does at trace level). An e-mail address in a log line is
/// masked the same way, which costs nothing there.
pub fn redact_userinfo(text: &str) -> String {
    let ends = |c: char| ends_url(c) || matches!(c, '(' | '[' | '<' | ',' | '/' | '=' | '@');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        let after = rest[at + 1..].chars().next();
        let start = rest[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| !ends(*c))
            .last()
            .map_or(at, |(i, _)| i);
        let host_follows = after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '[');
        out.push_str(&rest[..start]);
        if start < at && host_follows {
            out.push_str("***");
        } else {
            out.push_str(&rest[start..at]);
        }
        out.push('@');
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out
}

/// A writer for one log event: it collects the event and writes it to stderr
/// when dropped, with URLs masked and control characters escaped, so no log
/// line can carry a credential or a terminal sequence.
#[derive(Debug, Default)]
pub struct LogLine {
    buf: Vec<u8>,
}

impl std::io::Write for LogLine {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for LogLine {
    fn drop(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let text = redact_userinfo(&redact_text(&String::from_utf8_lossy(&self.buf)));
        // One event, one line: a newline inside it is escaped too.
        let body = text.strip_suffix('\n').unwrap_or(&text);
        let safe = format!("{}\n", crate::text::escape_controls(body));
        let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), safe.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_query_values_and_fragments_are_masked() {
        assert_eq!(
            redact_url("http://u:PW@host:8080/path?token=SECRET&x=1#frag"),
            "http://***@host:8080/path?token=***&x=***#***"
        );
        assert_eq!(
            redact_url("https://api.anthropic.com"),
            "https://api.anthropic.com"
        );
        assert_eq!(redact_url("http://h/p?SECRET"), "http://h/p?***");
        assert_eq!(redact_url("http://a@b@host/"), "http://***@host/");
        assert_eq!(redact_url("not a url"), "not a url");
    }

    #[test]
    fn every_url_inside_a_message_is_masked() {
        let msg = "error sending request for url (http://u:PW@127.0.0.1:1/v1?token=SECRET): refused; \
                   see https://x.example/?k=SECRET2 and ftp://a:B@c";
        let r = redact_text(msg);
        assert!(
            !r.contains("PW") && !r.contains("SECRET") && !r.contains(":B@"),
            "{r}"
        );
        assert_eq!(
            r,
            "error sending request for url (http://***@127.0.0.1:1/v1?token=***): refused; \
                   see https://x.example/?k=*** and ftp://***@c"
        );
        assert_eq!(redact_text("no url here"), "no url here");
    }

    #[test]
    fn userinfo_without_a_scheme_is_masked_in_log_lines() {
        assert_eq!(
            redact_userinfo(r#"checkout dropped for ("http", user:s3cret@127.0.0.1:9)"#),
            r#"checkout dropped for ("http", ***@127.0.0.1:9)"#
        );
        assert_eq!(redact_userinfo("http://***@host/"), "http://***@host/");
        assert_eq!(redact_userinfo("a @ b, x@ y"), "a @ b, x@ y");
    }
}
