//! The rules engine: gather facts about each environment, run every rule's detector, return
//! findings. Never prints.

pub mod detect;
pub mod facts;
pub mod pipconf;
pub mod rules;

use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;

use crate::env::Env;
pub use facts::Facts;
pub use rules::{Rule, Safety, Severity};

/// One problem found by one rule.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Shared, not copied: a bin/ of 5,000 broken scripts makes 5,000 findings of one rule.
    pub rule: Arc<Rule>,
    pub path: PathBuf,
    pub message: String,
    /// The command that fixes it, if any (shared by every finding of a rule in one env).
    pub fix: Option<Arc<str>>,
    /// The interpreter (or path) the message is about.
    pub subject: Option<String>,
}

impl Finding {
    pub fn severity(&self) -> Severity {
        self.rule.severity
    }

    pub fn fix_kind(&self) -> Option<&str> {
        self.rule.fix.as_ref().map(|f| f.kind.as_str())
    }

    pub fn safety(&self) -> Option<Safety> {
        self.rule.fix.as_ref().map(|f| f.safety)
    }
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
        self.findings.iter().map(Finding::severity).max()
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
pub fn evaluate(rules: &[Arc<Rule>], facts: Facts) -> EnvReport {
    let env_arg = shell_words::quote(&facts.env.root.to_string_lossy()).into_owned();
    let mut findings = Vec::new();
    for rule in rules.iter().filter(|r| r.applies_to(facts.env.kind)) {
        let fix: Option<Arc<str>> = rule.fix_command(&env_arg).map(Into::into);
        for h in detect::run(&rule.detect, &facts) {
            let subject = h
                .vars
                .iter()
                .find(|(k, _)| *k == "interpreter")
                .map(|(_, v)| v.clone());
            findings.push(Finding {
                rule: Arc::clone(rule),
                path: h.path,
                message: fill(&rule.message, &h.vars),
                fix: fix.clone(),
                subject,
            });
        }
    }
    findings.sort_by(|a, b| {
        b.severity()
            .cmp(&a.severity())
            .then_with(|| a.rule.id.cmp(&b.rule.id))
            .then_with(|| {
                a.path
                    .as_os_str()
                    .as_bytes()
                    .cmp(b.path.as_os_str().as_bytes())
            })
    });
    EnvReport { facts, findings }
}

/// What a scan may do beyond reading the environments.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScanOptions {
    /// Skip rules that need the network (probing the configured pip index).
    pub offline: bool,
}

/// Scan several environments in parallel; results keep the input order. Configured pip
/// indexes are probed once for all environments, unless offline.
pub fn scan(rules: &[Arc<Rule>], envs: Vec<Env>, opts: ScanOptions) -> Vec<Result<EnvReport>> {
    let mut pip: Vec<Vec<pipconf::PipIndex>> = envs
        .iter()
        .map(|e| pipconf::configured(Some(&e.root)))
        .collect();
    let wants_probe = rules
        .iter()
        .any(|r| r.detect.kind == "pip-index-unreachable");
    if !opts.offline && wants_probe {
        let problems = pipconf::probe_urls(pip.iter().flatten().map(|p| p.url.as_str()));
        for p in pip.iter_mut().flatten() {
            p.unreachable = problems.get(&p.url).cloned();
        }
    }
    let process = facts::ProcessVars::read();
    envs.into_par_iter()
        .zip(pip)
        .map(|(env, pip)| Ok(evaluate(rules, facts::gather(env, pip, process.clone())?)))
        .collect()
}
