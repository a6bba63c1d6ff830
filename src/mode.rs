//! Progressive modes: development, staging and production, each turning on
//! more features, with per-feature overrides from NEXUS_FEATURES or
//! `nexus.toml` in the coordination directory.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::var;
use crate::error::{NexusError, Result};

/// The features a mode can turn on.
pub const FEATURES: [(&str, &str); 6] = [
    ("audit", "append every change to audit.jsonl, hash-chained"),
    (
        "expect_exporters",
        "warn once when OTLP or n8n is not configured",
    ),
    ("stale_report", "report stale items after each complete"),
    (
        "strict_input",
        "priority must be critical/high/medium/low; AGENT_ID required for claim",
    ),
    ("audit_in_doctor", "doctor verifies the audit chain"),
    ("doctor_strict", "doctor fails on any warning"),
];

/// The mode and the features in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mode {
    pub name: String,
    pub features: BTreeMap<&'static str, bool>,
    /// Where overrides came from, for `nexus mode`.
    pub overrides: Vec<String>,
}

fn defaults(mode: &str) -> Vec<&'static str> {
    match mode {
        "production" => vec![
            "audit",
            "expect_exporters",
            "stale_report",
            "strict_input",
            "audit_in_doctor",
            "doctor_strict",
        ],
        "staging" => vec!["audit", "expect_exporters", "stale_report"],
        _ => vec![],
    }
}

/// Settings of `nexus.toml`: `mode = "..."` and `features = "+a,-b"`.
fn read_toml(dir: &Path) -> Result<(Option<String>, Option<String>)> {
    let path = dir.join("nexus.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok((None, None));
    };
    let (mut mode, mut features) = (None, None);
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            return Err(NexusError::Corrupt {
                path: path.clone(),
                line: n + 1,
                column: 1,
                msg: "expected key = \"value\"".into(),
            });
        };
        let v = v.trim().trim_matches('"').to_string();
        match k.trim() {
            "mode" => mode = Some(v),
            "features" => features = Some(v),
            other => {
                return Err(NexusError::Corrupt {
                    path: path.clone(),
                    line: n + 1,
                    column: 1,
                    msg: format!("unknown setting {other} (known: mode, features)"),
                });
            }
        }
    }
    Ok((mode, features))
}

impl Mode {
    /// NEXUS_MODE, else DEPLOYMENT_ENV, else nexus.toml's mode, else
    /// development; NEXUS_FEATURES, then nexus.toml's features, adjust it.
    pub fn resolve(dir: &Path) -> Result<Mode> {
        let (toml_mode, toml_features) = read_toml(dir)?;
        let name = var("NEXUS_MODE")
            .or_else(|| var("DEPLOYMENT_ENV"))
            .or(toml_mode)
            .unwrap_or_else(|| "development".into());
        if !["development", "staging", "production"].contains(&name.as_str()) {
            return Err(NexusError::invalid(
                "mode",
                &name,
                "use development, staging or production",
            ));
        }
        let on = defaults(&name);
        let mut features: BTreeMap<&'static str, bool> =
            FEATURES.iter().map(|(f, _)| (*f, on.contains(f))).collect();
        let mut overrides = Vec::new();
        for (source, spec) in [
            ("nexus.toml", toml_features),
            ("NEXUS_FEATURES", var("NEXUS_FEATURES")),
        ] {
            let Some(spec) = spec else { continue };
            for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let (value, feature) = match item.split_at(1) {
                    ("+", f) => (true, f),
                    ("-", f) => (false, f),
                    _ => (true, item),
                };
                let key = FEATURES
                    .iter()
                    .map(|(f, _)| *f)
                    .find(|f| {
                        *f == feature
                            || (feature == "n8n" || feature == "otlp") && *f == "expect_exporters"
                    })
                    .ok_or_else(|| {
                        NexusError::invalid(
                            "feature",
                            feature,
                            format!(
                                "unknown in {source}; known: {}",
                                FEATURES.map(|f| f.0).join(", ")
                            ),
                        )
                    })?;
                features.insert(key, value);
                overrides.push(format!("{item} ({source})"));
            }
        }
        Ok(Mode {
            name,
            features,
            overrides,
        })
    }

    pub fn on(&self, feature: &str) -> bool {
        self.features.get(feature).copied().unwrap_or(false)
    }

    /// The text of `nexus mode`.
    pub fn describe(&self) -> String {
        let mut s = format!("⚙️ MODE: {}\n", self.name);
        for (f, what) in FEATURES {
            let mark = if self.on(f) { "✅" } else { "·" };
            s.push_str(&format!("  {mark} {f:<17} {what}\n"));
        }
        s.push_str(
            "  core commands, the spans file, and OTLP / n8n when configured are always on\n",
        );
        for o in &self.overrides {
            s.push_str(&format!("  override: {o}\n"));
        }
        s
    }
}
