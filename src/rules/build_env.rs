//! PD135-PD138: settings that break every download or build: a CA bundle variable naming a
//! missing or non-PEM file (conda doctor checks `REQUESTS_CA_BUNDLE`), `~/.pydistutils.cfg`
//! changing every setuptools build, a temp folder builds cannot use.

use super::{Fix, Hit};
use crate::engine::machine::MachineFacts;

pub fn ca_file_missing(m: &MachineFacts) -> Vec<Hit> {
    m.setup
        .ca
        .iter()
        .filter_map(|c| {
            let why = c.unusable.as_ref()?;
            Some(
                Hit::new(format!("${}", c.var))
                    .var("file", c.path.display().to_string())
                    .var("reason", why.clone())
                    .fix(Some(Fix::advice(format!(
                        "unset {}  # or point it at an existing PEM bundle",
                        c.var
                    )))),
            )
        })
        .collect()
}

pub fn ca_file_not_pem(m: &MachineFacts) -> Vec<Hit> {
    m.setup
        .ca
        .iter()
        .filter(|c| c.unusable.is_none())
        .map(|c| Hit::new(format!("${}", c.var)).var("file", c.path.display().to_string()))
        .collect()
}

pub fn pydistutils_cfg(m: &MachineFacts) -> Vec<Hit> {
    m.setup.pydistutils.iter().map(Hit::new).collect()
}

pub fn tmpdir_unusable(m: &MachineFacts) -> Vec<Hit> {
    m.setup
        .tmpdir
        .iter()
        .map(|(dir, why)| {
            Hit::new(dir)
                .var("reason", why.clone())
                .fix(Some(Fix::advice(
                    "export TMPDIR=\"$HOME/tmp\"; mkdir -p \"$TMPDIR\"  # a writable, exec-allowed folder",
                )))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::assert_vars;
    use super::*;
    use crate::engine::setup::{CaProblem, SetupFacts};

    #[test]
    fn missing_and_not_pem_are_apart() {
        let m = MachineFacts {
            setup: SetupFacts {
                ca: vec![
                    CaProblem {
                        var: "SSL_CERT_FILE",
                        path: "/gone.pem".into(),
                        unusable: Some("does not exist".into()),
                    },
                    CaProblem {
                        var: "PIP_CERT",
                        path: "/etc/hosts".into(),
                        unusable: None,
                    },
                ],
                pydistutils: Some("/h/.pydistutils.cfg".into()),
                tmpdir: Some(("/tmp".into(), "is on a noexec mount".into())),
                ..Default::default()
            },
            ..Default::default()
        };
        let missing = ca_file_missing(&m);
        assert_eq!(missing.len(), 1);
        assert_vars(Code::CaFileMissing, &missing);
        let not_pem = ca_file_not_pem(&m);
        assert_eq!(not_pem.len(), 1);
        assert_vars(Code::CaFileNotPem, &not_pem);
        assert_vars(Code::PydistutilsCfg, &pydistutils_cfg(&m));
        assert_vars(Code::TmpdirUnusable, &tmpdir_unusable(&m));
    }
}
