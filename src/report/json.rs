//! JSON documents. Each command prints exactly one document on stdout, also when some
//! arguments were bad (their `errors` beside the results for the good ones).

use std::borrow::Cow;
use std::path::Path;

use serde::Serialize;

use super::Counts;
use crate::engine::facts::OwnPython;
use crate::engine::{EnvReport, Finding, Report, Severity};
use crate::env::{EnvError, EnvKind};
use crate::fix::{Changed, EnvFix, NotDone};
use crate::mirrors::config::Change;
use crate::mirrors::probe::Probe;
use crate::rules::{Applicability, Rule};

/// Paths as JSON strings; bytes that are not UTF-8 are shown as U+FFFD (JSON has no raw bytes).
fn lossy(path: &Path) -> Cow<'_, str> {
    path.to_string_lossy()
}

#[derive(Serialize)]
pub struct ScanDoc<'a> {
    envs: Vec<EnvDoc<'a>>,
    machine: MachineDoc<'a>,
    errors: Vec<ErrorDoc<'a>>,
    summary: SummaryDoc,
}

#[derive(Serialize)]
struct EnvDoc<'a> {
    path: Cow<'a, str>,
    kind: EnvKind,
    python: Option<Cow<'a, str>>,
    version: Option<&'a str>,
    /// Where discovery found it, when it was discovered.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    scripts_checked: usize,
    findings: Vec<FindingDoc<'a>>,
}

#[derive(Serialize)]
struct MachineDoc<'a> {
    findings: Vec<FindingDoc<'a>>,
}

#[derive(Serialize)]
struct FindingDoc<'a> {
    rule: &'a str,
    name: &'a str,
    severity: Severity,
    path: Cow<'a, str>,
    message: &'a str,
    /// The command that fixes it, if any.
    fix: Option<&'a str>,
    applicability: Option<Applicability>,
}

#[derive(Serialize)]
struct ErrorDoc<'a> {
    path: Cow<'a, str>,
    message: &'a str,
    hint: Option<&'a str>,
}

#[derive(Serialize)]
struct SummaryDoc {
    errors: usize,
    warnings: usize,
    info: usize,
}

fn env_python(r: &EnvReport) -> Option<Cow<'_, str>> {
    match &r.facts.own_python {
        OwnPython::Ok(path) | OwnPython::Dangling { path, .. } => Some(lossy(path)),
        OwnPython::Absent => None,
    }
}

fn findings(list: &[Finding]) -> Vec<FindingDoc<'_>> {
    list.iter()
        .map(|f| FindingDoc {
            rule: &f.rule.id,
            name: &f.rule.name,
            severity: f.severity(),
            path: lossy(&f.path),
            message: &f.message,
            fix: f.fix.as_ref().map(|x| &*x.command),
            applicability: f.fix.as_ref().map(|x| x.applicability),
        })
        .collect()
}

fn errors(list: &[EnvError]) -> Vec<ErrorDoc<'_>> {
    list.iter()
        .map(|e| ErrorDoc {
            path: lossy(&e.path),
            message: &e.message,
            hint: e.hint.as_deref(),
        })
        .collect()
}

/// `{"envs":[{"path","kind","python","findings":[{"rule","severity","path","message","fix"}]}],
/// "machine":{"findings":[...]}, "errors":[{"path","message"}]}`. Built from borrowed typed
/// structs, not `Value`s: 5,000 findings serialise in a few ms.
pub fn scan(report: &Report) -> ScanDoc<'_> {
    let envs = report
        .envs
        .iter()
        .map(|r| {
            let env = r.env();
            EnvDoc {
                path: lossy(&env.root),
                kind: env.kind,
                python: env_python(r),
                version: env.version.as_deref(),
                source: env.source.as_deref(),
                scripts_checked: r.facts.listing.scripts.len(),
                findings: findings(&r.findings),
            }
        })
        .collect();
    let c = Counts::of(report);
    ScanDoc {
        envs,
        machine: MachineDoc {
            findings: findings(&report.machine.findings),
        },
        errors: errors(&report.errors),
        summary: SummaryDoc {
            errors: c.errors,
            warnings: c.warnings,
            info: c.info,
        },
    }
}

#[derive(Serialize)]
struct ChangedDoc<'a> {
    path: Cow<'a, str>,
    from: &'a str,
    to: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    diff: Option<&'a str>,
}

#[derive(Serialize)]
struct NotDoneDoc<'a> {
    path: Cow<'a, str>,
    reason: &'a str,
}

#[derive(Serialize)]
struct FailedDoc<'a> {
    path: Cow<'a, str>,
    error: &'a str,
}

#[derive(Serialize)]
struct FixEnvDoc<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<EnvKind>,
    dry_run: bool,
    undo: bool,
    changed: Vec<ChangedDoc<'a>>,
    skipped: Vec<NotDoneDoc<'a>>,
    failed: Vec<FailedDoc<'a>>,
    warnings: &'a [String],
    stale_temps_removed: usize,
}

#[derive(Serialize)]
pub struct FixDoc<'a> {
    envs: Vec<FixEnvDoc<'a>>,
    /// The user's files that machine findings named (null when none was touched).
    machine: Option<FixEnvDoc<'a>>,
    errors: Vec<ErrorDoc<'a>>,
}

fn fix_env(f: &EnvFix) -> FixEnvDoc<'_> {
    FixEnvDoc {
        path: f.env.as_ref().map(|e| lossy(&e.root)),
        kind: f.env.as_ref().map(|e| e.kind),
        dry_run: f.dry_run,
        undo: f.undo,
        changed: f
            .changed
            .iter()
            .map(|c: &Changed| ChangedDoc {
                path: lossy(&c.path),
                from: &c.from,
                to: &c.to,
                diff: f.dry_run.then_some(c.diff.as_str()),
            })
            .collect(),
        skipped: f
            .skipped
            .iter()
            .map(|s: &NotDone| NotDoneDoc {
                path: lossy(&s.path),
                reason: &s.reason,
            })
            .collect(),
        failed: f
            .failed
            .iter()
            .map(|s| FailedDoc {
                path: lossy(&s.path),
                error: &s.reason,
            })
            .collect(),
        warnings: &f.warnings,
        stale_temps_removed: f.stale_temps_removed,
    }
}

/// `{"envs":[{"path","changed":[...],"skipped":[...],"failed":[...]}],"machine":...,"errors":[...]}`
pub fn fix<'a>(fixes: &'a [EnvFix], errs: &'a [EnvError]) -> FixDoc<'a> {
    FixDoc {
        envs: fixes
            .iter()
            .filter(|f| f.env.is_some())
            .map(fix_env)
            .collect(),
        machine: fixes.iter().find(|f| f.env.is_none()).map(fix_env),
        errors: errors(errs),
    }
}

#[derive(Serialize)]
pub struct RulesDoc<'a> {
    rules: Vec<&'a Rule>,
}

pub fn rules(rules: &[std::sync::Arc<Rule>]) -> RulesDoc<'_> {
    RulesDoc {
        rules: rules.iter().map(|r| r.as_ref()).collect(),
    }
}

/// What `mirrors --apply` wrote (or would write).
#[derive(Serialize)]
pub struct TargetDoc<'a> {
    target: crate::mirrors::Target,
    in_use: &'a crate::mirrors::target::InUse,
    fastest: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    applied: Option<&'a crate::commands::mirrors::Applied>,
}

#[derive(Serialize)]
pub struct MirrorsDoc<'a> {
    /// Every probe, each naming its target.
    mirrors: Vec<&'a Probe>,
    /// The first target's (pip's when probed): what one-target scripts read.
    fastest: Option<&'a str>,
    applied: Option<&'a crate::commands::mirrors::Applied>,
    targets: Vec<TargetDoc<'a>>,
}

/// `{"mirrors":[{"name","target","url","ok","latency_ms","error",...}],"fastest","applied",
/// "targets":[{"target","fastest","applied"}]}`
pub fn mirrors(results: &[crate::commands::mirrors::TargetResult]) -> MirrorsDoc<'_> {
    use crate::mirrors::Target;
    // uv's index shares pip's probes: listed once, under pip, when both were asked for.
    let shared = results.iter().any(|r| r.target == Target::Pip);
    MirrorsDoc {
        mirrors: results
            .iter()
            .filter(|r| !(shared && r.target == Target::UvIndex))
            .flat_map(|r| r.probes.iter())
            .collect(),
        fastest: results.first().and_then(|r| r.fastest.as_deref()),
        applied: results.first().and_then(|r| r.applied.as_ref()),
        targets: results
            .iter()
            .map(|r| TargetDoc {
                target: r.target,
                in_use: &r.in_use,
                fastest: r.fastest.as_deref(),
                applied: r.applied.as_ref(),
            })
            .collect(),
    }
}

#[derive(Serialize)]
pub struct RevertedDoc<'a> {
    reverted: &'a [Change],
    dry_run: bool,
}

pub fn reverted(changes: &[Change], dry_run: bool) -> RevertedDoc<'_> {
    RevertedDoc {
        reverted: changes,
        dry_run,
    }
}
