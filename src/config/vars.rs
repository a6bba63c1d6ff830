//! Every environment variable nexus reads, listed once: the README's
//! Environment table and `nexus help environment` are made from this list,
//! the test harness clears every name in it, and [`super::var`] refuses (in
//! debug builds) to read a name that is not here.

/// One variable: its name, its default, and what it means.
#[derive(Debug, Clone, Copy)]
pub struct Var {
    pub name: &'static str,
    /// The value used when it is unset or empty ("" when there is none).
    pub default: &'static str,
    pub meaning: &'static str,
}

const fn v(name: &'static str, default: &'static str, meaning: &'static str) -> Var {
    Var {
        name,
        default,
        meaning,
    }
}

/// The variables, grouped as the README shows them.
pub const VARIABLES: &[Var] = &[
    v(
        "COORDINATION_DIR",
        "",
        "coordination directory (after `--dir`; else the nearest `coordination/` holding `work_claims.json` from the current directory up, else `./coordination`)",
    ),
    v(
        "AGENT_ID",
        "",
        "this agent's id for `claim`, `progress` and `complete` (else a new `agent_<ns>`): any text without control characters; read-only commands ignore it",
    ),
    v(
        "AGENT_TEAM",
        "",
        "team credited with velocity on `complete` (else the item's team)",
    ),
    v(
        "CURRENT_WORK_ITEM",
        "",
        "default work id of `progress` and `complete`",
    ),
    v(
        "FORCE_TRACE_ID",
        "",
        "trace id of the command; the first of FORCE_TRACE_ID, COORDINATION_TRACE_ID, TRACE_ID, OTEL_TRACE_ID, TRACEPARENT that is set wins, else a random one. 32 hex digits (uppercase or a UUID's dashes are normalised); another value starts a fresh trace with one warning and never stops the command",
    ),
    v("COORDINATION_TRACE_ID", "", "trace id (see FORCE_TRACE_ID)"),
    v("TRACE_ID", "", "trace id (see FORCE_TRACE_ID)"),
    v("OTEL_TRACE_ID", "", "trace id (see FORCE_TRACE_ID)"),
    v(
        "TRACEPARENT",
        "",
        "W3C trace context `00-<32 hex>-<16 hex>-<2 hex>`: trace and parent span",
    ),
    v(
        "OTEL_PARENT_SPAN_ID",
        "",
        "parent span of the command's span (16 hex digits; another value is ignored with a warning)",
    ),
    v(
        "OTEL_SERVICE_NAME",
        "s2s-coordination",
        "service in spans and records",
    ),
    v("OTEL_SERVICE_VERSION", "", "service version in spans"),
    v(
        "NEXUS_MODE",
        "development",
        "`development`, `staging` or `production` (see Modes)",
    ),
    v(
        "DEPLOYMENT_ENV",
        "",
        "any label, sent as the spans' `deployment.environment` (else the mode's name); never changes the mode",
    ),
    v(
        "NEXUS_FEATURES",
        "",
        "feature overrides of the mode, e.g. `+audit,-stale_report`",
    ),
    v(
        "NEXUS_LOCK_TIMEOUT_MS",
        "5000",
        "how long a command waits for the lock; on PostgreSQL, for a row or advisory lock",
    ),
    v(
        "NEXUS_TTL_HOOK_TIMEOUT_MS",
        "10000",
        "bound on each run of a directory's `ttl_validation.sh` hook before `claim`",
    ),
    v(
        "NEXUS_LEASE_TTL",
        "30m",
        "how long a lease from `claim --next` lasts (`90s`, `2h`, ...)",
    ),
    v(
        "NEXUS_OFFLINE_AFTER",
        "30m",
        "agents silent this long are offline",
    ),
    v(
        "NEXUS_NOW",
        "",
        "the test clock: pins the clock (RFC 3339) of a run for reproducible reports and tests",
    ),
    v(
        "NEXUS_STORE",
        "",
        "`postgres://user[:password]@host:port/database`: keep the state in PostgreSQL (`--store` wins)",
    ),
    v(
        "NEXUS_PG_CONNECT_TIMEOUT_MS",
        "3000",
        "how long to wait for the PostgreSQL server",
    ),
    v(
        "NEXUS_PG_STATEMENT_TIMEOUT_MS",
        "30000",
        "how long one statement may run on the PostgreSQL server (its `statement_timeout`) and a transaction may sit idle there (`idle_in_transaction_session_timeout`, so a vanished client's locks are freed); a command waiting on a silent network path gives up after twice this plus the connect timeout; connections also drop a peer silent for about 5 s (TCP keepalives, `TCP_USER_TIMEOUT`)",
    ),
    v(
        "NEXUS_API_TOKEN",
        "",
        "a write token `nexus serve` accepts besides those of `api_tokens` (never printed)",
    ),
    v(
        "NEXUS_LEGACY_SHIM",
        "",
        "set by the legacy shim: an unknown command prints the help and exits 0",
    ),
    v("NEXUS_BIN", "nexus", "the binary the legacy shim runs"),
    v("NEXUS_LOG", "warn", "stderr log filter, e.g. `debug`"),
    v(
        "NEXUS_FAULT",
        "",
        "debug builds only: `fail:N` or `crash:N` fails or kills the process at its Nth write",
    ),
    v(
        "NEXUS_CHECKPOINT_BYTES",
        "67108864",
        "debug builds only: the journal size past which a step ends with a checkpoint",
    ),
    v("OTEL_SDK_DISABLED", "", "`true`: export no spans"),
    v(
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "",
        "export spans over OTLP/HTTP to this base URL (`/v1/traces` is added)",
    ),
    v(
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "",
        "export spans to exactly this URL",
    ),
    v(
        "OTEL_EXPORTER_OTLP_PROTOCOL",
        "http/protobuf",
        "`http/protobuf` or `http/json`",
    ),
    v(
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
        "",
        "the protocol for traces (wins over OTEL_EXPORTER_OTLP_PROTOCOL)",
    ),
    v(
        "OTEL_EXPORTER_OTLP_HEADERS",
        "",
        "`key=value,key2=value2` sent with every export",
    ),
    v(
        "OTEL_EXPORTER_OTLP_TIMEOUT",
        "",
        "bound on one export in ms (NEXUS_OTLP_TIMEOUT_MS wins)",
    ),
    v(
        "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
        "",
        "bound on one export of traces in ms",
    ),
    v(
        "NEXUS_OTLP_TIMEOUT_MS",
        "2000",
        "bound on the span export at the end of a command",
    ),
    v(
        "OTEL_RESOURCE_ATTRIBUTES",
        "",
        "`key=value,...` added to the spans' resource",
    ),
    v(
        "OTEL_TRACES_SAMPLER",
        "always_on",
        "`always_on`, `always_off` or `traceidratio`",
    ),
    v("OTEL_TRACES_SAMPLER_ARG", "", "the ratio of `traceidratio`"),
    v(
        "NEXUS_AI_PROVIDER",
        "auto",
        "`auto`, `anthropic`, `openai`, `claude-cli` or `offline`",
    ),
    v("NEXUS_AI_MODEL", "", "the model the provider is asked for"),
    v("NEXUS_AI_TIMEOUT_MS", "30000", "bound on one analysis"),
    v(
        "NEXUS_AI_MAX_RECORDS",
        "",
        "how many records a prompt carries at most",
    ),
    v("ANTHROPIC_API_KEY", "", "key of the Anthropic Messages API"),
    v(
        "ANTHROPIC_BASE_URL",
        "",
        "another Anthropic-compatible endpoint",
    ),
    v("OPENAI_API_KEY", "", "key of an OpenAI-compatible API"),
    v(
        "OPENAI_BASE_URL",
        "",
        "an OpenAI-compatible chat completions API, e.g. `http://localhost:11434/v1`",
    ),
    v("N8N_BASE_URL", "", "the n8n server of `nexus n8n`"),
    v(
        "N8N_API_KEY",
        "",
        "the n8n API key (sent to `/api/v1/` only)",
    ),
    v(
        "N8N_WEBHOOK_URL",
        "",
        "where claim, progress, complete and register events are posted",
    ),
    v(
        "N8N_WEBHOOK_AUTH",
        "",
        "the webhooks' own credentials, `header:<name>:<value>` or `basic:<user>:<password>` (webhooks never get the API key)",
    ),
    v(
        "NEXUS_N8N_TIMEOUT_MS",
        "10000",
        "bound on each `nexus n8n` call to the n8n API or a webhook",
    ),
    v(
        "NEXUS_N8N_EVENT_TIMEOUT_MS",
        "2000",
        "bound on delivering one event to N8N_WEBHOOK_URL",
    ),
    v("PATH", "", "where `auto` looks for the `claude` CLI"),
];

/// Whether `name` is in [`VARIABLES`].
pub fn listed(name: &str) -> bool {
    VARIABLES.iter().any(|v| v.name == name)
}

/// The table as the README shows it.
pub fn markdown() -> String {
    let mut out = String::from("| variable | default | meaning |\n|---|---|---|\n");
    for v in VARIABLES {
        let default = if v.default.is_empty() {
            String::new()
        } else {
            format!("`{}`", v.default)
        };
        out.push_str(&format!("| `{}` | {default} | {} |\n", v.name, v.meaning));
    }
    out
}

/// The table as `nexus help environment` prints it.
pub fn text() -> String {
    let mut out = String::from("Environment variables (default in brackets):\n");
    for v in VARIABLES {
        let default = if v.default.is_empty() {
            String::new()
        } else {
            format!(" [{}]", v.default)
        };
        out.push_str(&format!(
            "  {}{default}\n      {}\n",
            v.name,
            v.meaning.replace('`', "")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_both_forms_carry_every_one() {
        let mut names: Vec<&str> = VARIABLES.iter().map(|v| v.name).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n);
        let (md, txt) = (markdown(), text());
        for v in VARIABLES {
            assert!(md.contains(&format!("| `{}` |", v.name)), "{}", v.name);
            assert!(txt.contains(&format!("  {}", v.name)), "{}", v.name);
        }
        assert!(listed("NEXUS_STORE") && !listed("NEXUS_NOPE"));
    }
}
