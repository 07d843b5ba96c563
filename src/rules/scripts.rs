//! PD108-PD109: scripts pydoctor can see but not repair: `#!/usr/bin/env X` with no `X` on
//! PATH, and executables it cannot read.

use super::Hit;
use crate::engine::facts::Facts;
use crate::shebang::Form;

pub fn env_program_unresolved(f: &Facts) -> Vec<Hit> {
    f.listing
        .scripts
        .iter()
        .filter_map(|s| match &s.header.form {
            Form::Env { program, .. } if f.env_programs.get(program) == Some(&false) => {
                Some(Hit::new(&s.path).var("program", program.clone()))
            }
            _ => None,
        })
        .collect()
}

pub fn unreadable(f: &Facts) -> Vec<Hit> {
    f.listing
        .unreadable
        .iter()
        .map(|(p, why)| Hit::new(p).var("reason", why.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::*;
    use super::*;
    use crate::engine::facts::InterpState;

    #[test]
    fn unresolved_env_programs_only() {
        let mut f = with_script(env("/e"), "a", b"#!/usr/bin/env nope\n", InterpState::Ok);
        let f2 = with_script(env("/e"), "a", b"#!/usr/bin/env python3\n", InterpState::Ok);
        f.env_programs.insert("nope".into(), false);
        let hits = env_program_unresolved(&f);
        assert_eq!(hits.len(), 1);
        assert_vars(Code::EnvProgramUnresolved, &hits);
        assert!(
            env_program_unresolved(&f2).is_empty(),
            "not looked up: no finding"
        );
    }
}
