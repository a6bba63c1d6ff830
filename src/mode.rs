//! Progressive modes: development, staging and production, each turning on
//! more features, with per-feature overrides from NEXUS_FEATURES or
//! `nexus.toml` in the coordination directory.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{NexusError, Result};

/// A feature a mode can turn on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Feature {
    /// Append every change to audit.jsonl, hash-chained.
    Audit,
    /// Warn once when OTLP or n8n is not configured.
    ExpectExporters,
    /// Report stale items after each complete.
    StaleReport,
    /// Priorities must be known; AGENT_ID required for claims.
    StrictInput,
    /// Doctor verifies the audit chain.
    AuditInDoctor,
    /// Doctor fails on any warning.
    DoctorStrict,
}

impl Feature {
    pub const ALL: [Feature; 6] = [
        Feature::Audit,
        Feature::ExpectExporters,
        Feature::StaleReport,
        Feature::StrictInput,
        Feature::AuditInDoctor,
        Feature::DoctorStrict,
    ];

    /// The name used in NEXUS_FEATURES, nexus.toml and `--json`.
    pub fn name(self) -> &'static str {
        match self {
            Feature::Audit => "audit",
            Feature::ExpectExporters => "expect_exporters",
            Feature::StaleReport => "stale_report",
            Feature::StrictInput => "strict_input",
            Feature::AuditInDoctor => "audit_in_doctor",
            Feature::DoctorStrict => "doctor_strict",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Feature::Audit => "append every change to audit.jsonl, hash-chained",
            Feature::ExpectExporters => "warn once when OTLP or n8n is not configured",
            Feature::StaleReport => "report stale items after each complete",
            Feature::StrictInput => {
                "priority must be critical/high/medium/low; AGENT_ID required for claim"
            }
            Feature::AuditInDoctor => "doctor verifies the audit chain",
            Feature::DoctorStrict => "doctor fails on any warning",
        }
    }

    /// The feature of a name (`n8n` and `otlp` mean expect_exporters).
    fn parse(name: &str) -> Option<Feature> {
        match name {
            "n8n" | "otlp" => Some(Feature::ExpectExporters),
            _ => Feature::ALL.into_iter().find(|f| f.name() == name),
        }
    }
}

/// The mode and the features in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mode {
    pub name: String,
    pub features: BTreeMap<&'static str, bool>,
    /// Where overrides came from, for `nexus mode`.
    pub overrides: Vec<String>,
}

fn defaults(mode: &str) -> Vec<Feature> {
    match mode {
        "production" => Feature::ALL.to_vec(),
        "staging" => vec![
            Feature::Audit,
            Feature::ExpectExporters,
            Feature::StaleReport,
        ],
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
    /// `mode` (NEXUS_MODE), else nexus.toml's mode,
    /// else development; nexus.toml's features, then `features`
    /// (NEXUS_FEATURES), adjust it.
    pub fn resolve(dir: &Path, mode: Option<String>, features_env: Option<String>) -> Result<Mode> {
        let (toml_mode, toml_features) = read_toml(dir)?;
        let name = mode.or(toml_mode).unwrap_or_else(|| "development".into());
        if !["development", "staging", "production"].contains(&name.as_str()) {
            return Err(NexusError::invalid(
                "mode",
                &name,
                "use development, staging or production",
            ));
        }
        let on = defaults(&name);
        let mut features: BTreeMap<&'static str, bool> = Feature::ALL
            .iter()
            .map(|f| (f.name(), on.contains(f)))
            .collect();
        let mut overrides = Vec::new();
        for (source, spec) in [
            ("nexus.toml", toml_features),
            ("NEXUS_FEATURES", features_env.clone()),
        ] {
            let Some(spec) = spec else { continue };
            for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let (value, feature) = match item.split_at(1) {
                    ("+", f) => (true, f),
                    ("-", f) => (false, f),
                    _ => (true, item),
                };
                let key = Feature::parse(feature).ok_or_else(|| {
                    NexusError::invalid(
                        "feature",
                        feature,
                        format!(
                            "unknown in {source}; known: {}",
                            Feature::ALL.map(Feature::name).join(", ")
                        ),
                    )
                })?;
                features.insert(key.name(), value);
                overrides.push(format!("{item} ({source})"));
            }
        }
        Ok(Mode {
            name,
            features,
            overrides,
        })
    }

    /// Whether `feature` is on in this mode.
    pub fn on(&self, feature: Feature) -> bool {
        self.features.get(feature.name()).copied().unwrap_or(false)
    }

    /// The text of `nexus mode`.
    pub fn describe(&self) -> String {
        let mut s = format!("⚙️ MODE: {}\n", self.name);
        for f in Feature::ALL {
            let mark = if self.on(f) { "✅" } else { "·" };
            s.push_str(&format!("  {mark} {:<17} {}\n", f.name(), f.what()));
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
