//! PD120-PD123: pip's configured index: a retired mirror URL, plain http without
//! `trusted-host` (pip refuses it), an index that does not answer like one, a config file pip
//! cannot parse. Checked for the environment's own `pip.conf` and, once, for the machine's.

use std::path::PathBuf;

use super::{Fix, Hit};
use crate::engine::facts::Facts;
use crate::engine::machine::MachineFacts;
use crate::engine::pip::PipIndex;
use crate::mirrors;

fn set_index() -> Option<Fix> {
    Some(Fix::advice("pydoctor mirrors --fastest --apply"))
}

fn retired(pip: &[PipIndex]) -> Vec<Hit> {
    pip.iter()
        .filter_map(|p| match mirrors::recognise(mirrors::known(), &p.url) {
            Some((m, true)) => Some(
                Hit::new(&p.source)
                    .var("url", p.url.clone())
                    .var("current", m.url.clone().unwrap_or_default())
                    .fix(set_index()),
            ),
            _ => None,
        })
        .collect()
}

fn http_untrusted(pip: &[PipIndex]) -> Vec<Hit> {
    let trusted: Vec<&str> = pip
        .iter()
        .flat_map(|p| p.trusted.iter().map(String::as_str))
        .collect();
    pip.iter()
        .filter_map(|p| {
            let u = reqwest::Url::parse(&p.url).ok()?;
            let host = u.host_str()?;
            let ok = u.scheme() != "http"
                || trusted
                    .iter()
                    .any(|t| *t == host || t.split(':').next() == Some(host));
            (!ok).then(|| {
                Hit::new(&p.source)
                    .var("url", p.url.clone())
                    .var("host", host)
                    .fix(set_index())
            })
        })
        .collect()
}

fn unreachable(pip: &[PipIndex]) -> Vec<Hit> {
    pip.iter()
        .filter_map(|p| {
            let why = p.unreachable.as_ref()?;
            Some(
                Hit::new(&p.source)
                    .var("url", p.url.clone())
                    .var("reason", why.clone())
                    .fix(set_index()),
            )
        })
        .collect()
}

fn invalid(files: &[(PathBuf, String)]) -> Vec<Hit> {
    files
        .iter()
        .map(|(p, why)| Hit::new(p).var("reason", why.clone()))
        .collect()
}

pub fn retired_in_env(f: &Facts) -> Vec<Hit> {
    retired(&f.pip)
}
pub fn retired_for_user(m: &MachineFacts) -> Vec<Hit> {
    retired(&m.pip)
}
pub fn http_untrusted_in_env(f: &Facts) -> Vec<Hit> {
    http_untrusted(&f.pip)
}
pub fn http_untrusted_for_user(m: &MachineFacts) -> Vec<Hit> {
    http_untrusted(&m.pip)
}
pub fn unreachable_in_env(f: &Facts) -> Vec<Hit> {
    unreachable(&f.pip)
}
pub fn unreachable_for_user(m: &MachineFacts) -> Vec<Hit> {
    unreachable(&m.pip)
}
pub fn invalid_in_env(f: &Facts) -> Vec<Hit> {
    invalid(&f.pip_config_errors)
}
pub fn invalid_for_user(m: &MachineFacts) -> Vec<Hit> {
    invalid(&m.pip_config_errors)
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::assert_vars;
    use super::*;

    fn index(url: &str, trusted: &[&str]) -> PipIndex {
        PipIndex {
            source: "/etc/pip.conf".into(),
            url: url.into(),
            trusted: trusted.iter().map(|t| t.to_string()).collect(),
            unreachable: None,
        }
    }

    #[test]
    fn retired_and_untrusted() {
        let r = retired(&[index("https://pypi.mirrors.ustc.edu.cn/simple/", &[])]);
        assert_eq!(r.len(), 1);
        assert_vars(Code::PipIndexRetired, &r);
        let h = http_untrusted(&[index("http://10.1.2.3:8080/simple", &[])]);
        assert_vars(Code::PipIndexHttpUntrusted, &h);
        assert!(http_untrusted(&[index("http://m/simple", &["m"])]).is_empty());
        assert!(http_untrusted(&[index("https://m/simple", &[])]).is_empty());
    }
}
