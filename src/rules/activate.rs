//! PD112: an activate script sets `VIRTUAL_ENV` to a place that is not this environment, so
//! activating puts a missing (or another env's) `bin/` on PATH. The finding carries the stale
//! values; the fix replaces exactly those.

use super::{Applicability, Fix, FixAction, Hit, fix_command};
use crate::engine::facts::Facts;

pub fn stale(f: &Facts) -> Vec<Hit> {
    let command = fix_command(&f.env.root);
    f.activates
        .iter()
        .filter_map(|a| {
            let stale: Vec<String> = a
                .values
                .iter()
                .filter(|v| !f.is_own_root(std::path::Path::new(v)))
                .cloned()
                .collect();
            let first = stale.first()?.clone();
            let fix = Fix::new(
                Applicability::Safe,
                FixAction::Activate { stale },
                command.clone(),
            );
            Some(Hit::new(&a.path).var("value", first).fix(Some(fix)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::*;
    use super::*;
    use crate::engine::facts::ActivateFile;

    #[test]
    fn only_values_that_are_not_this_env() {
        let mut f = env("/nonexistent/e");
        f.activates.push(ActivateFile {
            path: "/nonexistent/e/bin/activate".into(),
            values: vec!["/nonexistent/e".into(), "/old/e".into()],
        });
        f.activates.push(ActivateFile {
            path: "/nonexistent/e/bin/activate.csh".into(),
            values: vec!["/nonexistent/e".into()],
        });
        let hits = stale(&f);
        assert_eq!(hits.len(), 1);
        assert_vars(Code::ActivateStale, &hits);
        assert_eq!(
            hits[0].fix.as_ref().unwrap().action,
            FixAction::Activate {
                stale: vec!["/old/e".into()]
            }
        );
    }
}
