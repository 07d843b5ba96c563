//! The rules engine: gather facts about each environment, run every rule's detector, return
//! findings. Never prints.

pub mod detect;
pub mod facts;
pub mod rules;

use std::path::PathBuf;

use anyhow::Result;
use rayon::prelude::*;

use crate::env::Env;
pub use facts::Facts;
pub use rules::{Rule, Safety, Severity};

/// One problem found by one rule.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule_id: String,
    pub rule_name: String,
    pub severity: Severity,
    pub path: PathBuf,
    pub message: String,
    /// The command that fixes it, if any.
    pub fix: Option<String>,
    pub fix_kind: Option<String>,
    pub safety: Option<Safety>,
    /// The interpreter (or path) the message is about, for grouping in reports.
    pub subject: Option<String>,
}

/// Everything known about one environment after a scan.
#[derive(Debug)]
pub struct EnvReport {
    pub facts: Facts,
    pub findings: Vec<Finding>,
}

impl EnvReport {
    pub fn env(&self) -> &Env {
        &self.facts.env
    }

    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = template.to_owned();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// Run `rules` over the facts of one environment.
pub fn evaluate(rules: &[Rule], facts: Facts) -> EnvReport {
    let env_arg = facts.env.root.display().to_string();
    let mut findings = Vec::new();
    for rule in rules.iter().filter(|r| r.applies_to(facts.env.kind)) {
        for h in detect::run(&rule.detect, &facts) {
            let subject = h
                .vars
                .iter()
                .find(|(k, _)| *k == "interpreter")
                .map(|(_, v)| v.clone());
            findings.push(Finding {
                rule_id: rule.id.clone(),
                rule_name: rule.name.clone(),
                severity: rule.severity,
                path: h.path,
                message: fill(&rule.message, &h.vars),
                fix: rule.fix_command(&shell_words::quote(&env_arg)),
                fix_kind: rule.fix.as_ref().map(|f| f.kind.clone()),
                safety: rule.fix.as_ref().map(|f| f.safety),
                subject,
            });
        }
    }
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule_id.cmp(&b.rule_id))
            .then_with(|| a.path.cmp(&b.path))
    });
    EnvReport { facts, findings }
}

/// Scan several environments in parallel; results keep the input order.
pub fn scan(rules: &[Rule], envs: Vec<Env>) -> Vec<Result<EnvReport>> {
    envs.into_par_iter()
        .map(|env| Ok(evaluate(rules, facts::gather(env)?)))
        .collect()
}
