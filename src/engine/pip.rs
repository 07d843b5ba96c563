//! The package index pip is configured to use: `$PIP_INDEX_URL` and pip's config files (global
//! and user for the machine, `ENV/pip.conf` for an environment), and whether each configured
//! index answers like an index. Configured URLs are probed once per scan, concurrently, and
//! not at all with `--offline`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::mirrors::{self, probe};
use crate::pipconf;

/// One configured index and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipIndex {
    /// The file (or `$PIP_INDEX_URL`) that sets it.
    pub source: PathBuf,
    pub url: String,
    /// Hosts listed in `trusted-host` by the same source.
    pub trusted: Vec<String>,
    /// `Some(error class and detail)` when a probe found it unusable; `None` when usable or
    /// not probed.
    pub unreachable: Option<String>,
}

/// The machine's config files pip reads, lowest precedence first (pip's `configuration.py`
/// order on Linux). `PIP_CONFIG_FILE=/dev/null` turns them all off, as in pip.
fn user_files() -> Vec<PathBuf> {
    let pcf = std::env::var_os("PIP_CONFIG_FILE");
    if pcf.as_deref() == Some(std::ffi::OsStr::new("/dev/null")) {
        return Vec::new();
    }
    let mut out = vec![
        PathBuf::from("/etc/pip.conf"),
        PathBuf::from("/etc/xdg/pip/pip.conf"),
    ];
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        out.push(home.join(".pip/pip.conf"));
    }
    if let Some(p) = mirrors::config::pip_config_path().filter(|_| pcf.is_none()) {
        out.push(p);
    }
    if let Some(p) = pcf {
        out.push(PathBuf::from(p));
    }
    out
}

/// The files that configure pip for `site` (an environment) or, with `None`, for the machine.
fn files(site: Option<&Path>) -> Vec<PathBuf> {
    match site {
        Some(s) => vec![s.join("pip.conf")],
        None => user_files(),
    }
}

/// Each config file that exists, and its text or why it cannot be read (a FIFO, a device, a
/// huge file: pip would hang or fail on it too).
fn read_all(site: Option<&Path>) -> impl Iterator<Item = (PathBuf, Result<String, String>)> {
    files(site).into_iter().filter_map(|f| {
        match crate::fsread::read_text(&f, crate::fsread::CONFIG_CAP) {
            Ok(text) => Some((f, Ok(text))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => Some((f, Err(e.to_string()))),
        }
    })
}

/// Every index configured in an environment at `site` (`ENV/pip.conf`) or, with `None`, for
/// the machine (its config files and `$PIP_INDEX_URL`).
pub fn configured(site: Option<&Path>) -> Vec<PipIndex> {
    let mut out = Vec::new();
    for (f, text) in read_all(site) {
        let Ok(ini) = text
            .as_deref()
            .map_err(|_| ())
            .and_then(|t| pipconf::parse(t).map_err(|_| ()))
        else {
            continue;
        };
        let (url, trusted) = ini.index();
        if let Some(url) = url {
            out.push(PipIndex {
                source: f,
                url,
                trusted,
                unreachable: None,
            });
        }
    }
    if site.is_some() {
        return out;
    }
    if let Some(url) = std::env::var_os("PIP_INDEX_URL").filter(|v| !v.is_empty()) {
        let trusted = std::env::var("PIP_TRUSTED_HOST")
            .map(|t| t.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        out.push(PipIndex {
            source: PathBuf::from("$PIP_INDEX_URL"),
            url: url.to_string_lossy().into_owned(),
            trusted,
            unreachable: None,
        });
    }
    out
}

/// Config files of `site` (or the machine) that pip would refuse to parse, and why.
pub fn invalid_files(site: Option<&Path>) -> Vec<(PathBuf, String)> {
    read_all(site)
        .filter_map(|(f, text)| match text {
            Ok(t) => pipconf::problem(&t).map(|why| (f, why)),
            Err(why) => Some((f, why)),
        })
        .collect()
}

/// One probe job per distinct, well-formed URL.
pub fn jobs<'a>(urls: impl Iterator<Item = &'a str>, opts: &probe::Options) -> Vec<probe::Job> {
    let mut list: Vec<probe::Job> = Vec::new();
    for u in urls {
        if !list.iter().any(|j| j.url == u) && mirrors::check_url(u).is_ok() {
            let site = mirrors::Mirror {
                name: u.to_owned(),
                url: Some(u.to_owned()),
                ..Default::default()
            };
            list.extend(probe::Job::new(mirrors::Target::Pip, &site, opts));
        }
    }
    list
}

/// The pip probes that failed: url -> problem.
pub fn problems(probes: &[probe::Probe]) -> BTreeMap<String, String> {
    probes
        .iter()
        .filter(|p| p.target == mirrors::Target::Pip && !p.ok)
        .map(|p| {
            let why = format!(
                "{}: {}",
                p.error.clone().unwrap_or_default(),
                p.detail.clone().unwrap_or_default()
            );
            (p.url.clone(), why)
        })
        .collect()
}
