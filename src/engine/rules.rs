//! Rule files: `rules/*.toml`, embedded at compile time. A rule names a built-in detector and
//! parametrises it; rule files are data, not a pattern language.

use std::fmt;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::env::EnvKind;

/// The rule files compiled into the binary, by name.
pub const RULE_FILES: &[(&str, &str)] = &[
    ("shebang.toml", include_str!("../../rules/shebang.toml")),
    ("env.toml", include_str!("../../rules/env.toml")),
    ("pip.toml", include_str!("../../rules/pip.toml")),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// Applied by `pydoctor fix`.
    Safe,
    /// Applied only with `--unsafe-fixes`.
    Unsafe,
    /// A command for the user to run.
    Manual,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Detect {
    pub kind: String,
    /// Numeric parameters for the detector (e.g. byte limits).
    #[serde(default)]
    pub min_bytes: Option<usize>,
    #[serde(default)]
    pub max_bytes: Option<usize>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FixSpec {
    pub kind: String,
    pub safety: Safety,
    /// What to run; `{env}` is the environment's path.
    pub command: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub title: String,
    pub severity: Severity,
    pub category: String,
    pub applies_to: Vec<EnvKindName>,
    /// Template: `{interpreter}`, `{owner}`, `{bytes}`, `{limit}`, `{detail}` are filled in.
    pub message: String,
    pub detect: Detect,
    #[serde(default)]
    pub fix: Option<FixSpec>,
    pub explanation: String,
    #[serde(default)]
    pub references: Vec<String>,
}

/// An env kind as written in rule files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EnvKindName {
    Venv,
    Virtualenv,
    Uv,
    Conda,
    Prefix,
}

impl EnvKindName {
    fn matches(self, k: EnvKind) -> bool {
        self.as_kind() == k
    }

    fn as_kind(self) -> EnvKind {
        match self {
            EnvKindName::Venv => EnvKind::Venv,
            EnvKindName::Virtualenv => EnvKind::Virtualenv,
            EnvKindName::Uv => EnvKind::Uv,
            EnvKindName::Conda => EnvKind::Conda,
            EnvKindName::Prefix => EnvKind::Prefix,
        }
    }
}

impl Rule {
    pub fn applies_to(&self, kind: EnvKind) -> bool {
        self.applies_to.iter().any(|k| k.matches(kind))
    }

    pub fn fix_command(&self, env: &str) -> Option<String> {
        self.fix.as_ref().map(|f| f.command.replace("{env}", env))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: Vec<Rule>,
}

/// Detector kinds the engine implements; a rule naming any other kind is rejected.
pub const DETECTORS: &[&str] = &[
    "interpreter-missing",
    "interpreter-not-executable",
    "interpreter-foreign-env",
    "shebang-crlf",
    "shebang-length",
    "shebang-space",
    "env-program-unresolved",
    "script-unreadable",
    "env-python-dangling",
    "pyvenv-home-missing",
    "activate-stale",
    "pyvenv-command-stale",
    "pip-index-retired",
    "pip-index-http-untrusted",
    "pip-index-unreachable",
    "pyvenv-cfg-missing",
    "pyvenv-version-mismatch",
    "kernelspec-python-missing",
    "virtual-env-stale",
    "pythonhome-set",
    "pip-config-invalid",
    "ipython-autoreload",
];

/// Fix kinds the fixer implements.
pub const FIX_KINDS: &[&str] = &[
    "rewrite-shebang",
    "rewrite-activate",
    "rewrite-pyvenv-command",
    "recreate-env",
    "set-index",
    "rewrite-kernelspec",
    "enable-autoreload",
    "relink-python",
];

/// Parse one rule file's text.
pub fn parse_file(name: &str, text: &str) -> Result<Vec<Rule>> {
    let file: RuleFile = toml::from_str(text).with_context(|| format!("rule file {name}"))?;
    Ok(file.rule)
}

/// Load and check every embedded rule.
pub fn load() -> Result<Vec<Arc<Rule>>> {
    let mut rules = Vec::new();
    for (name, text) in RULE_FILES {
        rules.extend(parse_file(name, text)?);
    }
    validate(&rules)?;
    Ok(rules.into_iter().map(Arc::new).collect())
}

/// Ids and names unique, every detector and fix kind implemented.
pub fn validate(rules: &[Rule]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for r in rules {
        if !seen.insert(r.id.as_str()) || !seen.insert(r.name.as_str()) {
            bail!("rule {} ({}) is defined twice", r.id, r.name);
        }
        if !DETECTORS.contains(&r.detect.kind.as_str()) {
            bail!("rule {}: unknown detector kind {:?}", r.id, r.detect.kind);
        }
        if let Some(f) = &r.fix
            && !FIX_KINDS.contains(&f.kind.as_str())
        {
            bail!("rule {}: unknown fix kind {:?}", r.id, f.kind);
        }
        if r.explanation.trim().is_empty() {
            bail!("rule {} has no explanation", r.id);
        }
    }
    Ok(())
}

/// Find a rule by id (`PD101`, any case) or name (`interpreter-missing`).
pub fn find<'a>(rules: &'a [Arc<Rule>], key: &str) -> Option<&'a Rule> {
    rules
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(key) || r.name == key)
        .map(|r| r.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_rule_loads() {
        let rules = load().expect("embedded rules are valid");
        assert!(rules.len() >= 10);
        for r in &rules {
            assert!(r.id.starts_with("PD"), "{}", r.id);
            assert!(!r.applies_to.is_empty(), "{}", r.id);
        }
    }

    #[test]
    fn every_detector_is_used_and_fix_kind_exists() {
        let rules = load().unwrap();
        for d in DETECTORS {
            assert!(
                rules.iter().any(|r| r.detect.kind == *d),
                "detector {d} has no rule"
            );
        }
    }

    #[test]
    fn rejects_duplicates_and_unknown_kinds() {
        let one = r#"
[[rule]]
id = "PD1"
name = "x"
title = "t"
severity = "error"
category = "c"
applies-to = ["venv"]
message = "m"
explanation = "e"
[rule.detect]
kind = "KIND"
"#;
        let ok = parse_file("t", &one.replace("KIND", "shebang-crlf")).unwrap();
        let mut twice = ok.clone();
        twice.extend(ok.clone());
        assert!(validate(&twice).is_err());
        let bad = parse_file("t", &one.replace("KIND", "nope")).unwrap();
        assert!(validate(&bad).is_err());
        assert!(
            parse_file(
                "t",
                &one.replace("severity = \"error\"", "severity = \"fatal\"")
            )
            .is_err()
        );
    }

    #[test]
    fn find_by_id_or_name() {
        let rules = load().unwrap();
        assert_eq!(find(&rules, "pd101").unwrap().name, "interpreter-missing");
        assert_eq!(find(&rules, "interpreter-missing").unwrap().id, "PD101");
        assert!(find(&rules, "nope").is_none());
    }
}
