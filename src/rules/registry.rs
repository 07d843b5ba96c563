//! The prose of each rule: `rules/*.toml`, embedded at compile time and keyed by the rule's
//! id. Code decides what a rule detects and how it is fixed; the TOML holds what people read
//! and may tune (title, message, severity, explanation, references). Loaded and checked once
//! per process.

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::sync::{Arc, OnceLock};

use anyhow::{Result, anyhow, bail};
use serde::{Deserialize, Serialize};

use super::Code;
use crate::env::EnvKind;

/// The rule files compiled into the binary, by name.
pub const RULE_FILES: &[(&str, &str)] = &[
    ("shebang.toml", include_str!("../../rules/shebang.toml")),
    ("env.toml", include_str!("../../rules/env.toml")),
    ("pip.toml", include_str!("../../rules/pip.toml")),
    ("setup.toml", include_str!("../../rules/setup.toml")),
    ("sources.toml", include_str!("../../rules/sources.toml")),
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

/// One rule: its code (what runs) and its prose (what people read).
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    #[serde(skip)]
    pub code: Code,
    pub id: String,
    pub name: String,
    pub title: String,
    pub severity: Severity,
    pub category: String,
    /// Environment kinds the rule checks; empty for machine-wide rules.
    pub applies_to: Vec<EnvKind>,
    /// Template; the placeholders are exactly the code's [`Code::vars`].
    pub message: String,
    pub explanation: String,
    pub references: Vec<String>,
    /// How its findings are fixed, for `rules` and `explain`.
    pub fix: &'static str,
    /// What it checks: `environment`, `machine` or `both`.
    pub scope: &'static str,
}

impl Rule {
    pub fn applies_to(&self, kind: EnvKind) -> bool {
        self.applies_to.contains(&kind)
    }

    /// True when `key` is this rule's id (any case) or name.
    pub fn is(&self, key: &str) -> bool {
        self.id.eq_ignore_ascii_case(key) || self.name == key
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Prose {
    id: String,
    name: String,
    title: String,
    severity: Severity,
    category: String,
    #[serde(default)]
    applies_to: Vec<EnvKind>,
    message: String,
    explanation: String,
    #[serde(default)]
    references: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: Vec<Prose>,
}

/// The `{name}` placeholders of a message template.
pub fn placeholders(template: &str) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.insert(&after[..close]);
        rest = &after[close + 1..];
    }
    out
}

/// Parse rule files and join each entry to its code; every code must have exactly one entry.
pub fn load_from(files: &[(&str, &str)]) -> Result<Vec<Arc<Rule>>> {
    let mut rules = Vec::new();
    let mut names = HashSet::new();
    for (file, text) in files {
        let parsed: RuleFile =
            toml::from_str(text).map_err(|e| anyhow!("rule file {file}: {e}"))?;
        for p in parsed.rule {
            let code = Code::from_id(&p.id)
                .ok_or_else(|| anyhow!("rule file {file}: {} has no implementation", p.id))?;
            if rules.iter().any(|r: &Rule| r.code == code) || !names.insert(p.name.clone()) {
                bail!("rule file {file}: {} ({}) is defined twice", p.id, p.name);
            }
            let want: BTreeSet<&str> = code.vars().iter().copied().collect();
            if placeholders(&p.message) != want {
                bail!(
                    "rule {}: the message must use exactly the placeholders {:?}",
                    p.id,
                    want
                );
            }
            if p.explanation.trim().is_empty() {
                bail!("rule {} has no explanation", p.id);
            }
            if code.is_env_rule() == p.applies_to.is_empty() {
                bail!(
                    "rule {}: `applies-to` is required for environment rules and not allowed for machine rules",
                    p.id
                );
            }
            rules.push(Rule {
                code,
                id: p.id,
                name: p.name,
                title: p.title,
                severity: p.severity,
                category: p.category,
                applies_to: p.applies_to,
                message: p.message,
                explanation: p.explanation,
                references: p.references,
                fix: code.fix_summary(),
                scope: code.scope_name(),
            });
        }
    }
    if let Some(missing) = Code::ALL
        .iter()
        .find(|c| !rules.iter().any(|r| r.code == **c))
    {
        bail!("rule {} has no entry in rules/*.toml", missing.id());
    }
    rules.sort_by_key(|r| r.code);
    Ok(rules.into_iter().map(Arc::new).collect())
}

/// Every rule, loaded and checked once per process.
pub fn all() -> Result<&'static [Arc<Rule>]> {
    static RULES: OnceLock<Result<Vec<Arc<Rule>>, String>> = OnceLock::new();
    RULES
        .get_or_init(|| load_from(RULE_FILES).map_err(|e| format!("{e:#}")))
        .as_deref()
        .map_err(|e| anyhow!("the built-in rules are invalid: {e}"))
}

/// Find a rule by id (`PD101`, any case) or name (`interpreter-missing`).
pub fn find<'a>(rules: &'a [Arc<Rule>], key: &str) -> Option<&'a Arc<Rule>> {
    rules.iter().find(|r| r.is(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_one_entry_and_every_entry_a_code() {
        let rules = all().expect("embedded rules are valid");
        assert_eq!(rules.len(), Code::ALL.len());
        for (r, c) in rules.iter().zip(Code::ALL) {
            assert_eq!(r.code, *c);
            assert_eq!(r.id, c.id());
        }
    }

    #[test]
    fn rejects_unknown_ids_duplicates_and_wrong_placeholders() {
        let mut files: Vec<(&str, String)> = RULE_FILES
            .iter()
            .map(|(n, t)| (*n, (*t).to_owned()))
            .collect();
        let as_refs = |f: &[(&'static str, String)]| -> Vec<(&'static str, String)> { f.to_vec() };
        let check = |f: &[(&str, String)]| {
            let refs: Vec<(&str, &str)> = f.iter().map(|(n, t)| (*n, t.as_str())).collect();
            load_from(&refs)
        };
        assert!(check(&files).is_ok());
        let original = as_refs(&files);
        files[0].1 = files[0].1.replacen("id = \"PD101\"", "id = \"PD999\"", 1);
        assert!(check(&files).unwrap_err().to_string().contains("PD999"));
        let mut files = original.clone();
        files[0].1 = files[0].1.replacen(
            "interpreter does not exist: {interpreter}",
            "gone: {path}",
            1,
        );
        assert!(
            check(&files)
                .unwrap_err()
                .to_string()
                .contains("placeholders")
        );
        let mut files = original.clone();
        files[0].1 = files[0]
            .1
            .replacen("severity = \"error\"", "severity = \"fatal\"", 1);
        assert!(check(&files).is_err());
        let mut files = original;
        let first = files[0].1.clone();
        files[0].1.push_str(&first);
        assert!(check(&files).unwrap_err().to_string().contains("twice"));
    }

    #[test]
    fn find_by_id_or_name() {
        let rules = all().unwrap();
        assert_eq!(find(rules, "pd101").unwrap().name, "interpreter-missing");
        assert_eq!(find(rules, "interpreter-missing").unwrap().id, "PD101");
        assert!(find(rules, "nope").is_none());
    }

    #[test]
    fn placeholders_are_read() {
        let p = placeholders("a {x} b {y}{x}");
        assert_eq!(p.into_iter().collect::<Vec<_>>(), ["x", "y"]);
    }
}
