//! Model providers: the Anthropic Messages API, OpenAI-compatible chat
//! completions (OpenAI, Ollama, vLLM, LM Studio) and the `claude` CLI. Every
//! call is bounded by one deadline; 429 and 5xx are retried at most twice.

mod spinner;

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::redact::redact_url;

/// Default bound on one analysis, all attempts included.
pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
const ANTHROPIC_DEFAULT_BASE: &str = "https://api.anthropic.com";
const OPENAI_DEFAULT_BASE: &str = "https://api.openai.com/v1";

/// Which backend answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provider {
    Anthropic {
        base: String,
        key: String,
        model: String,
    },
    OpenAi {
        base: String,
        key: Option<String>,
        model: String,
    },
    ClaudeCli {
        model: Option<String>,
    },
    Offline,
}

/// The values NEXUS_AI_PROVIDER takes.
pub const CHOICES: [&str; 5] = ["auto", "anthropic", "openai", "claude-cli", "offline"];

/// The AI settings of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AiSettings {
    /// NEXUS_AI_PROVIDER as given (`auto` when unset).
    pub choice: String,
    /// The provider chosen, and why it is offline when one was asked for.
    pub provider: Provider,
    pub unavailable: Option<String>,
    /// NEXUS_AI_TIMEOUT_MS: the bound on one analysis.
    pub timeout: Duration,
    /// NEXUS_AI_MAX_RECORDS: how many records a prompt carries at most.
    pub max_records: Option<usize>,
    /// NEXUS_OFFLINE_AFTER in seconds: agents silent for longer are offline
    /// in the analyses and the dashboards.
    pub offline_after_secs: i64,
}

/// Agents silent for longer than this are offline, unless NEXUS_OFFLINE_AFTER
/// (an age like `30m` or `2h`) says otherwise.
pub const HEARTBEAT_TIMEOUT_SECS: i64 = 30 * 60;

impl AiSettings {
    /// From the AI variables looked up by `lookup`.
    pub fn from_vars(lookup: &dyn Fn(&str) -> Option<String>) -> AiSettings {
        let (provider, unavailable) = Provider::from_vars(lookup);
        AiSettings {
            choice: lookup("NEXUS_AI_PROVIDER").unwrap_or_else(|| "auto".into()),
            provider,
            unavailable,
            timeout: Duration::from_millis(
                lookup("NEXUS_AI_TIMEOUT_MS")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(DEFAULT_TIMEOUT_MS),
            ),
            max_records: lookup("NEXUS_AI_MAX_RECORDS").and_then(|v| v.parse().ok()),
            offline_after_secs: HEARTBEAT_TIMEOUT_SECS,
        }
    }

    /// Refuse a NEXUS_AI_PROVIDER that is not one of [`CHOICES`] (a typo
    /// would otherwise silently mean `auto`).
    pub fn check(&self) -> Result<(), crate::error::NexusError> {
        if CHOICES.contains(&self.choice.as_str()) {
            return Ok(());
        }
        Err(crate::error::NexusError::invalid(
            "NEXUS_AI_PROVIDER",
            &self.choice,
            format!("must be one of {}", CHOICES.join(", ")),
        ))
    }
}

impl Provider {
    /// From NEXUS_AI_PROVIDER (auto by default) and the provider variables.
    /// `auto` takes the first configured of Anthropic, OpenAI-compatible, the
    /// claude CLI, else offline. A named provider that lacks its settings is
    /// offline too, with the reason.
    pub fn from_vars(lookup: &dyn Fn(&str) -> Option<String>) -> (Provider, Option<String>) {
        let choice = lookup("NEXUS_AI_PROVIDER").unwrap_or_else(|| "auto".into());
        let model = lookup("NEXUS_AI_MODEL");
        let anthropic = || {
            lookup("ANTHROPIC_API_KEY").map(|key| Provider::Anthropic {
                base: lookup("ANTHROPIC_BASE_URL").unwrap_or_else(|| ANTHROPIC_DEFAULT_BASE.into()),
                key,
                model: model.clone().unwrap_or_else(|| "claude-sonnet-4-5".into()),
            })
        };
        let openai = || {
            let (base, key) = (lookup("OPENAI_BASE_URL"), lookup("OPENAI_API_KEY"));
            (base.is_some() || key.is_some()).then(|| Provider::OpenAi {
                base: base.unwrap_or_else(|| OPENAI_DEFAULT_BASE.into()),
                key,
                model: model.clone().unwrap_or_else(|| "gpt-4o-mini".into()),
            })
        };
        let cli = || {
            claude_on_path(lookup("PATH")).then(|| Provider::ClaudeCli {
                model: model.clone(),
            })
        };
        let picked = match choice.as_str() {
            "anthropic" => anthropic().ok_or("ANTHROPIC_API_KEY is not set"),
            "openai" => openai().ok_or("set OPENAI_BASE_URL or OPENAI_API_KEY"),
            "claude-cli" => cli().ok_or("the claude CLI is not on PATH"),
            "offline" => Ok(Provider::Offline),
            _ => Ok(anthropic()
                .or_else(openai)
                .or_else(cli)
                .unwrap_or(Provider::Offline)),
        };
        match picked {
            Ok(p) => (p, None),
            Err(why) => (
                Provider::Offline,
                Some(format!("{choice} provider unavailable: {why}")),
            ),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Provider::Anthropic { .. } => "anthropic",
            Provider::OpenAi { .. } => "openai",
            Provider::ClaudeCli { .. } => "claude-cli",
            Provider::Offline => "offline",
        }
    }

    /// Ask the model; the text of its answer. Never runs past `deadline`.
    /// A spinner runs on stderr meanwhile when stderr is a terminal.
    pub fn ask(&self, system: &str, prompt: &str, deadline: Instant) -> Result<String, String> {
        let _spinner = spinner::Spinner::start(&format!("asking {}…", self.name()));
        self.ask_now(system, prompt, deadline)
    }

    fn ask_now(&self, system: &str, prompt: &str, deadline: Instant) -> Result<String, String> {
        match self {
            Provider::Anthropic { base, key, model } => {
                let body = json!({"model": model, "max_tokens": 4096, "system": system,
                                  "messages": [{"role": "user", "content": prompt}]});
                let url = format!("{}/v1/messages", base.trim_end_matches('/'));
                let headers = [
                    ("x-api-key", key.as_str()),
                    ("anthropic-version", "2023-06-01"),
                ];
                let answer = post_with_retries(&url, &headers, &body, deadline)?;
                answer["content"]
                    .as_array()
                    .and_then(|parts| parts.iter().find_map(|p| p["text"].as_str()))
                    .map(str::to_string)
                    .ok_or_else(|| "the Anthropic answer has no text content".into())
            }
            Provider::OpenAi { base, key, model } => {
                let body = json!({"model": model, "temperature": 0,
                                  "messages": [{"role": "system", "content": system}, {"role": "user", "content": prompt}]});
                let url = format!("{}/chat/completions", base.trim_end_matches('/'));
                let bearer = key.as_ref().map(|k| format!("Bearer {k}"));
                let headers: Vec<(&str, &str)> = bearer
                    .iter()
                    .map(|b| ("Authorization", b.as_str()))
                    .collect();
                let answer = post_with_retries(&url, &headers, &body, deadline)?;
                answer["choices"][0]["message"]["content"]
                    .as_str()
                    .map(str::to_string)
                    .ok_or_else(|| "the chat completion has no message content".into())
            }
            Provider::ClaudeCli { model } => {
                run_claude(model.as_deref(), &format!("{system}\n\n{prompt}"), deadline)
            }
            Provider::Offline => Err("offline".into()),
        }
    }
}

fn claude_on_path(path: Option<String>) -> bool {
    path.is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("claude").is_file()))
}

fn remaining(deadline: Instant) -> Result<Duration, String> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left < Duration::from_millis(20) {
        return Err("timed out".into());
    }
    Ok(left)
}

/// POST JSON; retry 429 and 5xx at most twice with backoff, within the deadline.
/// Messages name the URL with its credentials masked.
fn post_with_retries(
    url: &str,
    headers: &[(&str, &str)],
    body: &Value,
    deadline: Instant,
) -> Result<Value, String> {
    let shown = redact_url(url);
    let mut backoff = Duration::from_millis(200);
    for attempt in 0..3 {
        let left = remaining(deadline)?;
        let client = crate::http::client(left);
        let mut req = client.post(url).json(body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req.send().map_err(|e| {
            if e.is_timeout() {
                format!("{shown} timed out")
            } else {
                format!("cannot reach {shown}: {}", crate::http::failure(&e))
            }
        })?;
        let status = resp.status();
        if status.is_success() {
            return resp
                .json()
                .map_err(|_| format!("{shown} answered with something that is not JSON"));
        }
        let retryable = status.as_u16() == 429 || status.is_server_error();
        if !retryable || attempt == 2 {
            return Err(format!("{shown} answered {status}"));
        }
        std::thread::sleep(backoff.min(remaining(deadline)?));
        backoff *= 2;
    }
    Err("no answer".into())
}

/// `claude -p --output-format json` with the prompt on stdin (a large state
/// would not fit in one argument: E2BIG), killed at the deadline.
fn run_claude(model: Option<&str>, prompt: &str, deadline: Instant) -> Result<String, String> {
    let mut cmd = Command::new("claude");
    cmd.args(["-p", "--output-format", "json"]);
    if let Some(m) = model {
        cmd.args(["--model", m]);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run claude: {e}"))?;
    let mut input = child.stdin.take().ok_or("no stdin")?;
    let prompt = prompt.to_string();
    // Written from a thread: claude may answer before reading all of it.
    std::thread::spawn(move || {
        let _ = input.write_all(prompt.as_bytes());
    });
    let mut out = child.stdout.take().ok_or("no stdout")?;
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            let text = reader.join().unwrap_or_default();
            if !status.success() {
                return Err(format!("claude exited with {status}"));
            }
            let v: Value = serde_json::from_str(&text)
                .map_err(|_| "claude printed something that is not JSON".to_string())?;
            return v["result"]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| "claude's JSON has no result".into());
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err("claude timed out".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
