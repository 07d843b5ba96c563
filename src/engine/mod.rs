//! The engine: gather facts about each environment and once about the machine, run the rules'
//! detectors, and return findings that carry their fixes. Never prints.

pub mod conda;
pub mod editable;
pub mod facts;
pub mod machine;
pub mod pip;
pub mod setup;
pub mod sources;

use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;

use crate::env::{Env, EnvError};
pub use crate::rules::Severity;
use crate::rules::{Code, Detector, Fix, Hit, Rule};
pub use facts::Facts;
pub use machine::MachineFacts;

/// One problem found by one rule, and how to repair it.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Shared, not copied: a bin/ of 5,000 broken scripts makes 5,000 findings of one rule.
    pub rule: Arc<Rule>,
    pub path: PathBuf,
    pub message: String,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn severity(&self) -> Severity {
        self.rule.severity
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
}

/// Problems of the process or the user, reported once per run.
#[derive(Debug, Default)]
pub struct MachineReport {
    pub facts: MachineFacts,
    pub findings: Vec<Finding>,
}

/// The result of a scan: each environment (in the order given) and the machine.
#[derive(Debug, Default)]
pub struct Report {
    pub envs: Vec<EnvReport>,
    pub errors: Vec<EnvError>,
    pub machine: MachineReport,
}

impl Report {
    /// Every finding, the machine's first.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.machine
            .findings
            .iter()
            .chain(self.envs.iter().flat_map(|r| &r.findings))
    }

    pub fn worst(&self) -> Option<Severity> {
        self.findings().map(Finding::severity).max()
    }
}

fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = template.to_owned();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

fn finding(rule: &Arc<Rule>, h: Hit) -> Finding {
    Finding {
        rule: Arc::clone(rule),
        message: fill(&rule.message, &h.vars),
        path: h.path,
        fix: h.fix,
    }
}

/// Most severe first, then by rule and path: the order of every report.
fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity()
            .cmp(&a.severity())
            .then_with(|| a.rule.code.cmp(&b.rule.code))
            .then_with(|| {
                a.path
                    .as_os_str()
                    .as_bytes()
                    .cmp(b.path.as_os_str().as_bytes())
            })
    });
}

/// Run `rules` over the facts of one environment.
pub fn evaluate(rules: &[Arc<Rule>], facts: Facts) -> EnvReport {
    let mut findings = Vec::new();
    for rule in rules.iter().filter(|r| r.applies_to(facts.env.kind)) {
        let hits = match rule.code.detector() {
            Detector::Env(d) | Detector::Both(d, _) => d(&facts),
            Detector::Machine(_) => continue,
        };
        findings.extend(hits.into_iter().map(|h| finding(rule, h)));
    }
    sort(&mut findings);
    EnvReport { facts, findings }
}

/// Run the machine-wide `rules` over the machine's facts.
pub fn evaluate_machine(rules: &[Arc<Rule>], facts: MachineFacts) -> MachineReport {
    let mut findings = Vec::new();
    for rule in rules {
        let hits = match rule.code.detector() {
            Detector::Machine(d) | Detector::Both(_, d) => d(&facts),
            Detector::Env(_) => continue,
        };
        findings.extend(hits.into_iter().map(|h| finding(rule, h)));
    }
    sort(&mut findings);
    MachineReport { facts, findings }
}

/// What a scan may do beyond reading the environments.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScanOptions {
    /// Skip rules that need the network (probing the configured pip index).
    pub offline: bool,
}

/// Scan several environments in parallel (results keep the input order), then the machine.
/// Configured pip indexes, conda channels, uv's Python mirror and the Hub are probed once for
/// all, together, unless offline.
/// `done` is called once per environment as its scan finishes (from worker threads).
pub fn scan(
    rules: &[Arc<Rule>],
    envs: Vec<Env>,
    opts: ScanOptions,
    done: &(dyn Fn() + Sync),
) -> Report {
    let mut site: Vec<Vec<pip::PipIndex>> = envs
        .iter()
        .map(|e| pip::configured(Some(&e.root)))
        .collect();
    let mut user = pip::configured(None);
    let mut sources = sources::read();
    let wants = |codes: &[Code]| rules.iter().any(|r| codes.contains(&r.code));
    if !opts.offline {
        // Every configured source is probed at once, under one deadline.
        let probe_opts = crate::mirrors::probe::Options {
            timeout: std::time::Duration::from_secs(4),
            uv_python_asset: if sources.uv_python.is_some()
                && wants(&[Code::UvPythonMirrorUnreachable])
            {
                crate::mirrors::uv_python::asset_from_uv()
                    .unwrap_or_else(|| crate::mirrors::probe_settings().uv_python_asset)
            } else {
                String::new()
            },
            ..Default::default()
        };
        let mut jobs = Vec::new();
        if wants(&[Code::PipIndexUnreachable]) {
            let urls = user
                .iter()
                .chain(site.iter().flatten())
                .map(|p| p.url.as_str());
            jobs.extend(pip::jobs(urls, &probe_opts));
        }
        let source_jobs = sources.jobs();
        jobs.extend(source_jobs.into_iter().filter(|j| match j.target {
            crate::mirrors::Target::Conda => wants(&[Code::CondaChannelUnreachable]),
            crate::mirrors::Target::UvPython => wants(&[Code::UvPythonMirrorUnreachable]),
            crate::mirrors::Target::Huggingface => wants(&[Code::HfEndpointUnreachable]),
            crate::mirrors::Target::Pip | crate::mirrors::Target::UvIndex => false,
        }));
        if !jobs.is_empty()
            && let Ok(probes) = crate::mirrors::probe::probe_all(&jobs, &probe_opts, &mut |_, _| {})
        {
            let problems = pip::problems(&probes);
            for p in user.iter_mut().chain(site.iter_mut().flatten()) {
                p.unreachable = problems.get(&p.url).cloned();
            }
            sources.absorb(&probes);
        }
    }
    let roots: Vec<PathBuf> = envs.iter().map(|e| e.root.clone()).collect();
    let results: Vec<Result<EnvReport>> = envs
        .into_par_iter()
        .zip(site)
        .map(|(env, pip)| {
            let r = facts::gather(env, pip).map(|f| evaluate(rules, f));
            done();
            r
        })
        .collect();
    let mut report = Report::default();
    for (path, r) in roots.into_iter().zip(results) {
        match r {
            Ok(r) => report.envs.push(r),
            Err(e) => report.errors.push(EnvError {
                path,
                message: format!("{e:#}"),
                hint: None,
            }),
        }
    }
    let scanned: Vec<&Facts> = report.envs.iter().map(|r| &r.facts).collect();
    let machine = machine::gather(&scanned, user, sources);
    report.machine = evaluate_machine(rules, machine);
    report
}
