//! PD116: a Jupyter kernelspec starts an interpreter that does not exist: the environment's own
//! (`share/jupyter/kernels`), or one in the user's Jupyter folder that belongs to a scanned
//! environment (a machine finding). Fixed by pointing `argv[0]` at the environment's python.

use std::path::Path;

use super::{Applicability, Fix, FixAction, Hit, fix_command};
use crate::engine::facts::{Facts, OwnPython};
use crate::engine::machine::MachineFacts;

fn repoint(python: &Path, root: &Path) -> Fix {
    Fix::new(
        Applicability::Safe,
        FixAction::Kernelspec {
            python: python.to_path_buf(),
        },
        fix_command(root),
    )
}

pub fn in_env(f: &Facts) -> Vec<Hit> {
    let fix = match &f.own_python {
        OwnPython::Ok(python) => repoint(python, &f.env.root),
        _ => Fix::advice("the environment has no working bin/python; recreate it"),
    };
    f.kernels
        .iter()
        .filter(|k| !k.exists)
        .map(|k| {
            Hit::new(&k.path)
                .var("python", k.argv0.clone())
                .fix(Some(fix.clone()))
        })
        .collect()
}

pub fn of_user(m: &MachineFacts) -> Vec<Hit> {
    m.user_kernels
        .iter()
        .map(|u| {
            let fix = match &u.owner {
                Some((root, python)) => repoint(python, root),
                None => {
                    let name = u
                        .kernel
                        .path
                        .parent()
                        .and_then(Path::file_name)
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    Fix::advice(format!(
                        "its environment is gone: jupyter kernelspec remove {}",
                        shell_words::quote(&name)
                    ))
                }
            };
            Hit::new(&u.kernel.path)
                .var("python", u.kernel.argv0.clone())
                .fix(Some(fix))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::*;
    use super::*;
    use crate::engine::facts::Kernel;

    #[test]
    fn missing_kernel_python_is_repointed_at_the_env() {
        let mut f = env("/e");
        f.kernels.push(Kernel {
            path: "/e/share/jupyter/kernels/k/kernel.json".into(),
            argv0: "/old/bin/python".into(),
            exists: false,
        });
        let hits = in_env(&f);
        assert_vars(Code::KernelspecPythonMissing, &hits);
        assert_eq!(
            hits[0].fix.as_ref().unwrap().applicability,
            Applicability::Manual
        );
        f.own_python = OwnPython::Ok("/e/bin/python".into());
        assert_eq!(
            in_env(&f)[0].fix.as_ref().unwrap().action,
            FixAction::Kernelspec {
                python: "/e/bin/python".into()
            }
        );
    }
}
