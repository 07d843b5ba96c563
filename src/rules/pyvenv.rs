//! PD113-PD115: pyvenv.cfg: its `command` names an old location (info: only `venv --upgrade`
//! reads it), it is missing (the interpreter runs as its base), or its version disagrees with
//! the `lib/pythonX.Y` the packages are in.

use super::{Applicability, Fix, FixAction, Hit, env_arg, fix_command};
use crate::engine::facts::Facts;
use crate::env::EnvKind;

pub fn command_stale(f: &Facts) -> Vec<Hit> {
    let Some(target) = f.env.cfg.as_ref().and_then(|c| c.command_target()) else {
        return Vec::new();
    };
    if f.is_own_root(std::path::Path::new(&target)) {
        return Vec::new();
    }
    let fix = Fix::new(
        Applicability::Safe,
        FixAction::PyvenvCommand {
            old: target.clone(),
        },
        fix_command(&f.env.root),
    );
    vec![
        Hit::new(f.env.root.join("pyvenv.cfg"))
            .var("target", target)
            .fix(Some(fix)),
    ]
}

pub fn cfg_missing(f: &Facts) -> Vec<Hit> {
    if f.env.kind != EnvKind::Venv || f.env.cfg.is_some() {
        return Vec::new();
    }
    let fix = Fix::advice(format!(
        "python3 -m venv --upgrade {}",
        env_arg(&f.env.root)
    ));
    vec![Hit::new(f.env.root.join("pyvenv.cfg")).fix(Some(fix))]
}

pub fn version_mismatch(f: &Facts) -> Vec<Hit> {
    let Some(v) = f.env.cfg.as_ref().and_then(|c| c.version()) else {
        return Vec::new();
    };
    let mm: String = v.split('.').take(2).collect::<Vec<_>>().join(".");
    if f.lib_versions.is_empty() || f.lib_versions.contains(&mm) {
        return Vec::new();
    }
    let fix = Fix::advice(format!(
        "python{} -m venv --clear {}  # then reinstall the packages",
        f.lib_versions[0],
        env_arg(&f.env.root)
    ));
    vec![
        Hit::new(f.env.root.join("pyvenv.cfg"))
            .var("version", v)
            .var(
                "libs",
                format!("lib/python{}", f.lib_versions.join(", lib/python")),
            )
            .fix(Some(fix)),
    ]
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::*;
    use super::*;
    use crate::env::PyvenvCfg;

    #[test]
    fn stale_command_and_version() {
        let mut f = env("/nonexistent/e");
        f.env.cfg = Some(PyvenvCfg::parse(
            "version = 3.12.1\ncommand = /usr/bin/python3 -m venv /old/e\n",
        ));
        f.lib_versions = vec!["3.11".into()];
        let c = command_stale(&f);
        assert_vars(Code::PyvenvCommandStale, &c);
        assert_eq!(
            c[0].fix.as_ref().unwrap().action,
            FixAction::PyvenvCommand {
                old: "/old/e".into()
            }
        );
        let v = version_mismatch(&f);
        assert_vars(Code::PyvenvVersionMismatch, &v);
        assert!(cfg_missing(&f).is_empty());
        f.env.cfg = None;
        assert_eq!(cfg_missing(&f).len(), 1);
    }
}
