//! JSON documents (DESIGN §1). Each command prints exactly one document on stdout.

use std::path::Path;

use serde_json::{Value, json};

use super::Counts;
use crate::engine::EnvReport;
use crate::engine::facts::OwnPython;
use crate::engine::rules::Rule;
use crate::fix::EnvFix;

/// Paths as JSON strings; bytes that are not UTF-8 are shown as U+FFFD (JSON has no raw bytes).
fn p(path: &Path) -> Value {
    Value::String(path.to_string_lossy().into_owned())
}

fn env_python(r: &EnvReport) -> Value {
    match &r.facts.own_python {
        OwnPython::Ok(path) | OwnPython::Dangling { path, .. } => p(path),
        OwnPython::Absent => Value::Null,
    }
}

/// `{"envs":[{"path","kind","python","findings":[{"rule","severity","path","message","fix"}]}]}`
pub fn scan(reports: &[EnvReport], errors: &[(String, String)]) -> Value {
    let envs: Vec<Value> = reports
        .iter()
        .map(|r| {
            let env = r.env();
            json!({
                "path": p(&env.root),
                "kind": env.kind,
                "python": env_python(r),
                "version": env.version,
                "scripts_checked": r.facts.listing.scripts.len(),
                "findings": r.findings.iter().map(|f| json!({
                    "rule": f.rule_id,
                    "name": f.rule_name,
                    "severity": f.severity,
                    "path": p(&f.path),
                    "message": f.message,
                    "fix": f.fix,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let c = Counts::of(reports);
    json!({
        "envs": envs,
        "errors": errors.iter().map(|(p, e)| json!({"path": p, "error": e})).collect::<Vec<_>>(),
        "summary": {"errors": c.errors, "warnings": c.warnings, "info": c.info},
    })
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

pub fn rules(rules: &[Rule]) -> Value {
    json!({ "rules": rules })
}
