//! What a request to an n8n webhook carries besides its body: the webhook
//! auth of N8N_WEBHOOK_AUTH (n8n's Header Auth or Basic Auth credential on
//! the Webhook node), a secret of its own. The API key is never among it.

use reqwest::blocking::RequestBuilder;

use super::N8nError;

/// The credentials a webhook asks for.
#[derive(Clone, PartialEq, Eq)]
pub enum WebhookAuth {
    /// n8n's Header Auth: one header, name and value.
    Header { name: String, value: String },
    /// n8n's Basic Auth.
    Basic { user: String, password: String },
}

impl std::fmt::Debug for WebhookAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebhookAuth::Header { name, .. } => write!(f, "Header({name}: ***)"),
            WebhookAuth::Basic { user, .. } => write!(f, "Basic({user}:***)"),
        }
    }
}

impl WebhookAuth {
    /// `header:<name>:<value>` or `basic:<user>:<password>`; the value is
    /// never echoed in the error, as it is a secret.
    pub fn parse(v: &str) -> Result<WebhookAuth, N8nError> {
        let (kind, rest) = v.split_once(':').ok_or(N8nError::BadWebhookAuth)?;
        let (a, b) = rest.split_once(':').ok_or(N8nError::BadWebhookAuth)?;
        let token = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c))
        };
        let printable = |s: &str| !s.is_empty() && s.chars().all(|c| !c.is_control());
        match kind {
            "header" if token(a) && printable(b) => Ok(WebhookAuth::Header {
                name: a.to_string(),
                value: b.to_string(),
            }),
            "basic" if printable(a) && printable(b) => Ok(WebhookAuth::Basic {
                user: a.to_string(),
                password: b.to_string(),
            }),
            _ => Err(N8nError::BadWebhookAuth),
        }
    }
}

/// N8N_WEBHOOK_AUTH parsed, if set.
pub fn auth(setting: Option<&str>) -> Result<Option<WebhookAuth>, N8nError> {
    setting.map(WebhookAuth::parse).transpose()
}

/// `req` with the webhook's credentials, if any.
pub fn with_auth(req: RequestBuilder, auth: Option<&WebhookAuth>) -> RequestBuilder {
    match auth {
        Some(WebhookAuth::Header { name, value }) => req.header(name.as_str(), value.as_str()),
        Some(WebhookAuth::Basic { user, password }) => req.basic_auth(user, Some(password)),
        None => req,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_basic_parse_and_bad_values_are_refused_unprinted() {
        assert_eq!(
            WebhookAuth::parse("header:X-Nexus-Token:a:b").unwrap(),
            WebhookAuth::Header {
                name: "X-Nexus-Token".into(),
                value: "a:b".into()
            }
        );
        assert_eq!(
            WebhookAuth::parse("basic:nexus:pw:x").unwrap(),
            WebhookAuth::Basic {
                user: "nexus".into(),
                password: "pw:x".into()
            }
        );
        for bad in [
            "s3cret",
            "header:s3cret",
            "header:Bad Name:s3cret",
            "bearer:x:s3cret",
            "basic::s3cret",
        ] {
            let e = WebhookAuth::parse(bad).unwrap_err().to_string();
            assert!(!e.contains("s3cret"), "{e}");
            assert!(e.starts_with("N8N_WEBHOOK_AUTH must be"), "{e}");
        }
        let shown = format!("{:?}", WebhookAuth::parse("header:X-T:s3cret").unwrap());
        assert!(!shown.contains("s3cret"), "{shown}");
    }
}
