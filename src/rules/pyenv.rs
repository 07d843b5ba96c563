//! PD130-PD131: pyenv names a version that is not installed (every `python` through the shims
//! fails: pyenv#805), or keeps shims for commands no installed version has.

use super::{Fix, Hit};
use crate::engine::machine::MachineFacts;

pub fn version_missing(m: &MachineFacts) -> Vec<Hit> {
    m.setup
        .pyenv_missing
        .iter()
        .map(|p| {
            Hit::new(&p.source)
                .var("version", p.version.clone())
                .fix(Some(Fix::advice(format!(
                    "pyenv install {}  # or name an installed version (pyenv versions)",
                    shell_words::quote(&p.version)
                ))))
        })
        .collect()
}

pub fn orphan_shims(m: &MachineFacts) -> Vec<Hit> {
    m.setup
        .orphan_shims
        .iter()
        .map(|s| Hit::new(s).fix(Some(Fix::advice("pyenv rehash"))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::assert_vars;
    use super::*;
    use crate::engine::setup::PyenvMissing;

    #[test]
    fn one_finding_per_missing_version_and_shim() {
        let mut m = MachineFacts::default();
        m.setup.pyenv_missing.push(PyenvMissing {
            version: "3.9.1".into(),
            source: "/p/.python-version".into(),
        });
        m.setup.orphan_shims.push("/h/.pyenv/shims/black".into());
        assert_vars(Code::PyenvVersionMissing, &version_missing(&m));
        assert_vars(Code::PyenvShimOrphan, &orphan_shims(&m));
        assert_eq!(
            version_missing(&m)[0].path,
            std::path::Path::new("/p/.python-version")
        );
    }
}
