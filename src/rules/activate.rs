//! PD112: an activate script names a place that is not this environment (it was moved, or
//! copied from another), so activating puts a missing, or another env's, `bin/` on PATH.
//! PD124: an activate script whose template pydoctor cannot read: reported, never guessed at.
//! The finding carries the stale places; the fix rewrites exactly those, quoted for the shell.

use super::{Applicability, Fix, FixAction, Hit, fix_command};
use crate::engine::facts::Facts;

pub fn stale(f: &Facts) -> Vec<Hit> {
    let command = fix_command(&f.env.root);
    f.activates
        .iter()
        .filter_map(|a| {
            let stale: Vec<String> = a
                .location
                .literals
                .iter()
                .filter(|v| !f.is_own_root(std::path::Path::new(v)))
                .cloned()
                .collect();
            let first = stale.first()?.clone();
            let fix = Fix::new(
                Applicability::Safe,
                FixAction::Activate {
                    shell: a.shell,
                    stale,
                },
                command.clone(),
            );
            Some(Hit::new(&a.path).var("value", first).fix(Some(fix)))
        })
        .collect()
}

pub fn unrecognised(f: &Facts) -> Vec<Hit> {
    f.activates
        .iter()
        .filter(|a| a.mentions_virtual_env && !a.location.recognised())
        .map(|a| Hit::new(&a.path).var("shell", format!("{:?}", a.shell).to_lowercase()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::*;
    use super::*;
    use crate::activate::{Location, Shell};
    use crate::engine::facts::ActivateFile;

    fn file(path: &str, literals: &[&str], computed: bool) -> ActivateFile {
        ActivateFile {
            path: path.into(),
            shell: Shell::Sh,
            location: Location {
                literals: literals.iter().map(|s| s.to_string()).collect(),
                computed,
            },
            mentions_virtual_env: true,
        }
    }

    #[test]
    fn only_places_that_are_not_this_env() {
        let mut f = env("/nonexistent/e");
        f.activates.push(file(
            "/nonexistent/e/bin/activate",
            &["/nonexistent/e", "/old/e"],
            false,
        ));
        f.activates.push(file(
            "/nonexistent/e/bin/activate.csh",
            &["/nonexistent/e"],
            false,
        ));
        f.activates
            .push(file("/nonexistent/e/bin/activate.fish", &[], true));
        let hits = stale(&f);
        assert_eq!(hits.len(), 1);
        assert_vars(Code::ActivateStale, &hits);
        assert_eq!(
            hits[0].fix.as_ref().unwrap().action,
            FixAction::Activate {
                shell: Shell::Sh,
                stale: vec!["/old/e".into()]
            }
        );
        assert!(unrecognised(&f).is_empty());
        f.activates
            .push(file("/nonexistent/e/bin/activate.nu", &[], false));
        let u = unrecognised(&f);
        assert_vars(Code::ActivateUnrecognised, &u);
        assert_eq!(u.len(), 1);
    }
}
