//! PD101-PD103: the interpreter a script's `#!` line names is missing, not executable, or
//! another environment's (the copied-env trap). Fixed by rewriting the interpreter line.

use super::{Applicability, Fix, FixAction, Hit, env_arg};
use crate::engine::facts::{Facts, InterpState};

/// The fix of every interpreter-line finding in `f`: `pydoctor fix-shebang ENV`.
pub(super) fn shebang_fix(f: &Facts) -> Fix {
    Fix::new(
        Applicability::Safe,
        FixAction::Shebang,
        format!("pydoctor fix-shebang {}", env_arg(&f.env.root)).into(),
    )
}

fn by_state(f: &Facts, pred: impl Fn(&InterpState) -> bool) -> Vec<Hit> {
    let fix = shebang_fix(f);
    f.scripts()
        .filter(|(_, state)| pred(state))
        .filter_map(|(s, _)| {
            let p = s.header.interpreter()?;
            Some(
                Hit::new(&s.path)
                    .var("interpreter", p.display().to_string())
                    .fix(Some(fix.clone())),
            )
        })
        .collect()
}

pub fn missing(f: &Facts) -> Vec<Hit> {
    by_state(f, |s| matches!(s, InterpState::Missing))
}

pub fn not_executable(f: &Facts) -> Vec<Hit> {
    by_state(f, |s| matches!(s, InterpState::NotExecutable))
}

pub fn other_env(f: &Facts) -> Vec<Hit> {
    let fix = shebang_fix(f);
    f.scripts()
        .filter_map(|(s, state)| {
            let InterpState::Foreign { owner } = state else {
                return None;
            };
            let p = s.header.interpreter()?;
            Some(
                Hit::new(&s.path)
                    .var("interpreter", p.display().to_string())
                    .var("owner", owner.display().to_string())
                    .fix(Some(fix.clone())),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::*;
    use super::*;

    #[test]
    fn each_state_is_its_own_rule() {
        let f = env("/e");
        let f = with_script(f, "a", b"#!/old/bin/python\n", InterpState::Missing);
        let f = with_script(f, "b", b"#!/e/bin/python\n", InterpState::Ok);
        let owner = InterpState::Foreign {
            owner: "/src".into(),
        };
        let f = with_script(f, "c", b"#!/src/bin/python\n", owner);
        let m = missing(&f);
        assert_eq!(m.len(), 1);
        assert!(m[0].path.ends_with("bin/a"));
        assert_eq!(m[0].fix.as_ref().unwrap().action, FixAction::Shebang);
        assert_vars(Code::InterpreterMissing, &m);
        assert!(not_executable(&f).is_empty());
        let o = other_env(&f);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].vars[1].1, "/src");
        assert_vars(Code::InterpreterOtherEnv, &o);
    }
}
