//! PD110-PD111: the environment's own interpreter is gone: `bin/python` dangles (its base was
//! removed or upgraded), or pyvenv.cfg's `home` does not exist. Relinking to an installed
//! interpreter of the same X.Y is opt-in (unsafe); otherwise the environment is recreated.

use std::sync::Arc;

use super::{Applicability, Fix, FixAction, Hit, env_arg};
use crate::engine::facts::{Facts, InterpState, OwnPython};

/// `python3.X -m venv --clear ENV`, with the environment's X.Y when known.
fn recreate(f: &Facts) -> String {
    let py = crate::env::base::major_minor(&f.env)
        .map_or("python3".to_owned(), |mm| format!("python{mm}"));
    format!(
        "{py} -m venv --clear {}  # then reinstall the packages",
        env_arg(&f.env.root)
    )
}

/// Relink to the installed base interpreter when there is one (this also rewrites
/// pyvenv.cfg's `home`), else recreate.
fn relink_or_recreate(f: &Facts) -> Fix {
    match &f.relink_base {
        Some(base) => Fix::new(
            Applicability::Unsafe,
            FixAction::Relink { base: base.clone() },
            Arc::from(format!(
                "pydoctor fix --unsafe-fixes {}  # relinks to {}",
                env_arg(&f.env.root),
                base.display()
            )),
        ),
        None => Fix::advice(recreate(f)),
    }
}

pub fn dangling(f: &Facts) -> Vec<Hit> {
    let OwnPython::Dangling { path, target } = &f.own_python else {
        return Vec::new();
    };
    let fix = relink_or_recreate(f);
    // The link itself, and each script that runs through it: they fail for the same cause, so
    // counting broken scripts in JSON gives the truth; the human report groups them as one.
    let hit = |p: &std::path::Path| {
        Hit::new(p)
            .var("link", path.display().to_string())
            .var("target", target.display().to_string())
            .fix(Some(fix.clone()))
    };
    let mut hits = vec![hit(path)];
    hits.extend(
        f.scripts()
            .filter(|(_, state)| **state == InterpState::OwnDangling)
            .map(|(s, _)| hit(&s.path)),
    );
    hits
}

pub fn home_missing(f: &Facts) -> Vec<Hit> {
    match &f.home {
        Some((home, false)) => vec![
            Hit::new(f.env.root.join("pyvenv.cfg"))
                .var("home", home.display().to_string())
                .fix(Some(relink_or_recreate(f))),
        ],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::*;
    use super::*;

    #[test]
    fn relink_is_unsafe_and_only_offered_with_a_base() {
        let mut f = env("/e");
        f.own_python = OwnPython::Dangling {
            path: "/e/bin/python".into(),
            target: "/gone/python3.11".into(),
        };
        let mut f = with_script(f, "tool", b"#!/e/bin/python\n", InterpState::OwnDangling);
        let hits = dangling(&f);
        assert_eq!(
            hits.len(),
            2,
            "the link and the script that runs through it"
        );
        assert!(hits[1].path.ends_with("bin/tool"));
        assert_vars(Code::EnvPythonDangling, &hits);
        assert_eq!(
            hits[0].fix.as_ref().unwrap().applicability,
            Applicability::Manual
        );
        assert!(fix_command(&hits).starts_with("python3.11 -m venv"));
        f.relink_base = Some("/usr/bin/python3.11".into());
        let fix = dangling(&f)[0].fix.clone().unwrap();
        assert_eq!(fix.applicability, Applicability::Unsafe);
        assert_eq!(
            fix.action,
            FixAction::Relink {
                base: "/usr/bin/python3.11".into()
            }
        );
    }
}
