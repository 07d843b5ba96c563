//! JSON documents (DESIGN §1). Each command prints exactly one document on stdout.

use std::borrow::Cow;
use std::path::Path;

use serde::Serialize;
use serde_json::{Value, json};

use super::Counts;
use crate::engine::facts::OwnPython;
use crate::engine::rules::Rule;
use crate::engine::{EnvReport, Severity};
use crate::env::EnvKind;
use crate::fix::EnvFix;

/// Paths as JSON strings; bytes that are not UTF-8 are shown as U+FFFD (JSON has no raw bytes).
fn p(path: &Path) -> Value {
    Value::String(path.to_string_lossy().into_owned())
}

fn lossy(path: &Path) -> Cow<'_, str> {
    path.to_string_lossy()
}

#[derive(Serialize)]
pub struct ScanDoc<'a> {
    envs: Vec<EnvDoc<'a>>,
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
struct FindingDoc<'a> {
    rule: &'a str,
    name: &'a str,
    severity: Severity,
    path: Cow<'a, str>,
    message: &'a str,
    fix: Option<&'a str>,
}

#[derive(Serialize)]
struct ErrorDoc<'a> {
    path: &'a str,
    error: &'a str,
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

/// `{"envs":[{"path","kind","python","findings":[{"rule","severity","path","message","fix"}]}]}`
/// Built from borrowed typed structs, not `Value`s: 5,000 findings serialise in a few ms.
pub fn scan<'a>(reports: &'a [EnvReport], errors: &'a [(String, String)]) -> ScanDoc<'a> {
    let envs = reports
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
                findings: r
                    .findings
                    .iter()
                    .map(|f| FindingDoc {
                        rule: &f.rule.id,
                        name: &f.rule.name,
                        severity: f.severity(),
                        path: lossy(&f.path),
                        message: &f.message,
                        fix: f.fix.as_deref(),
                    })
                    .collect(),
            }
        })
        .collect();
    let c = Counts::of(reports);
    ScanDoc {
        envs,
        errors: errors
            .iter()
            .map(|(path, error)| ErrorDoc { path, error })
            .collect(),
        summary: SummaryDoc {
            errors: c.errors,
            warnings: c.warnings,
            info: c.info,
        },
    }
}

/// `{"envs":[{"path","changed":[...],"skipped":[...],"failed":[...]}]}`
pub fn fix(fixes: &[EnvFix], errors: &[(String, String)]) -> Value {
    let envs: Vec<Value> = fixes
        .iter()
        .map(|f| {
            json!({
                "path": p(&f.env.root),
                "kind": f.env.kind,
                "dry_run": f.dry_run,
                "changed": f.changed.iter().map(|c| {
                    let mut v = json!({"path": p(&c.path), "from": c.from, "to": c.to});
                    if f.dry_run {
                        v["diff"] = json!(c.diff);
                    }
                    v
                }).collect::<Vec<_>>(),
                "skipped": f.skipped.iter().map(|s| json!({"path": p(&s.path), "reason": s.reason})).collect::<Vec<_>>(),
                "failed": f.failed.iter().map(|s| json!({"path": p(&s.path), "error": s.reason})).collect::<Vec<_>>(),
                "warnings": f.warnings,
                "stale_temps_removed": f.stale_temps_removed,
            })
        })
        .collect();
    json!({
        "envs": envs,
        "errors": errors.iter().map(|(p, e)| json!({"path": p, "error": e})).collect::<Vec<_>>(),
    })
}

pub fn rules(rules: &[std::sync::Arc<Rule>]) -> Value {
    let list: Vec<&Rule> = rules.iter().map(|r| r.as_ref()).collect();
    json!({ "rules": list })
}
