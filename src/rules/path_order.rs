//! PD128-PD129: the commands on PATH disagree about which Python they are. `pip` installs into
//! another interpreter than the `python` beside it (pip#11227), or `ipython` runs from another
//! env (conda#6882); the active environment is not first on PATH. Advice only: the PATH is the
//! user's shell's.

use super::{Fix, Hit};
use crate::engine::machine::MachineFacts;

pub fn tool_python_mismatch(m: &MachineFacts) -> Vec<Hit> {
    m.setup
        .mismatches
        .iter()
        .map(|x| {
            let advice = if x.tool.name.starts_with("pip") {
                format!(
                    "{} -m pip ...  # installs for the `{}` you run",
                    x.python.name, x.python.name
                )
            } else {
                format!(
                    "{} -m pip install {}  # into the `{}` you run; or fix the PATH order",
                    x.python.name, x.tool.name, x.python.name
                )
            };
            Hit::new(&x.tool.path)
                .var("tool", x.tool.name)
                .var("tool_python", x.tool.interpreter.display().to_string())
                .var("python", x.python.name)
                .var("python_path", x.python.path.display().to_string())
                .fix(Some(Fix::advice(advice)))
        })
        .collect()
}

pub fn active_env_not_first(m: &MachineFacts) -> Vec<Hit> {
    m.setup
        .active_shadowed
        .iter()
        .map(|a| {
            let bin = a.env.join("bin");
            Hit::new(format!("${}", a.var))
                .var("env", a.env.display().to_string())
                .var("found", a.found.display().to_string())
                .fix(Some(Fix::advice(format!(
                    "export PATH={}:\"$PATH\"  # or deactivate and activate again",
                    shell_words::quote(&bin.to_string_lossy())
                ))))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::{assert_vars, fix_command};
    use super::*;
    use crate::engine::setup::{ActiveShadowed, Identity, Mismatch, OnPath};

    fn on_path(name: &'static str, path: &str, interp: &str) -> OnPath {
        OnPath {
            name,
            path: path.into(),
            interpreter: interp.into(),
            identity: Identity::Real(interp.into()),
        }
    }

    #[test]
    fn advice_names_the_python_to_use() {
        let mut m = MachineFacts::default();
        m.setup.mismatches.push(Mismatch {
            python: on_path("python3", "/usr/bin/python3", "/usr/bin/python3"),
            tool: on_path("pip3", "/usr/local/bin/pip3", "/opt/py/bin/python3.12"),
        });
        let hits = tool_python_mismatch(&m);
        assert_vars(Code::ToolPythonMismatch, &hits);
        assert!(fix_command(&hits).starts_with("python3 -m pip"));
        m.setup.active_shadowed.push(ActiveShadowed {
            var: "VIRTUAL_ENV",
            env: "/p/my env".into(),
            found: "/usr/bin/python".into(),
        });
        let hits = active_env_not_first(&m);
        assert_vars(Code::ActiveEnvNotFirst, &hits);
        assert!(
            fix_command(&hits).contains("'/p/my env/bin'"),
            "quoted for the shell"
        );
    }
}
