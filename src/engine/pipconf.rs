//! The package index pip is configured to use: `$PIP_INDEX_URL`, pip's config files (global,
//! user, site), and whether each configured index answers like an index. Configured URLs are
//! probed once per scan, concurrently, and not at all with `--offline`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::mirrors::{self, probe};

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

/// `index-url` and `trusted-host` from the `[global]` and `[install]` sections of an INI text.
pub fn read_ini(text: &str) -> (Option<String>, Vec<String>) {
    let mut section = String::new();
    let mut url = None;
    let mut trusted = Vec::new();
    let mut in_trusted = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('#') || t.starts_with(';') || t.is_empty() {
            continue;
        }
        // An indented line continues the previous value (multi-line `trusted-host`).
        if line.starts_with([' ', '\t']) {
            if in_trusted {
                trusted.extend(t.split_whitespace().map(str::to_owned));
            }
            continue;
        }
        in_trusted = false;
        if let Some(s) = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            section = s.trim().to_ascii_lowercase();
            continue;
        }
        if section != "global" && section != "install" {
            continue;
        }
        let Some((k, v)) = t.split_once(['=', ':']) else {
            continue;
        };
        match k.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "index-url" | "i" => url = Some(v.trim().to_owned()),
            "trusted-host" => {
                in_trusted = true;
                trusted.extend(v.split_whitespace().map(str::to_owned));
            }
            _ => {}
        }
    }
    (url, trusted)
}

/// Config files pip reads, lowest precedence first (pip's `configuration.py` order on Linux).
/// `PIP_CONFIG_FILE=/dev/null` turns them all off, as in pip.
fn config_files(site: Option<&Path>) -> Vec<PathBuf> {
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
    if let Some(s) = site {
        out.push(s.join("pip.conf"));
    }
    out
}

/// Every index configured for an environment at `site` (or user-wide with `None`).
pub fn configured(site: Option<&Path>) -> Vec<PipIndex> {
    let mut out = Vec::new();
    for f in config_files(site) {
        let Ok(text) = fs::read_to_string(&f) else {
            continue;
        };
        let (url, trusted) = read_ini(&text);
        if let Some(url) = url {
            out.push(PipIndex {
                source: f,
                url,
                trusted,
                unreachable: None,
            });
        }
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

/// Why pip's configparser would reject `text`, if it would: a setting before any `[section]`,
/// or a line that is neither a section, a `key = value`, a comment nor a continuation.
pub fn ini_problem(text: &str) -> Option<String> {
    let mut in_section = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        if t.starts_with('[') {
            if !t.ends_with(']') {
                return Some(format!("line {}: unclosed section header {t:?}", i + 1));
            }
            in_section = true;
            continue;
        }
        if line.starts_with([' ', '\t']) && in_section {
            continue; // a continuation line
        }
        if !in_section {
            return Some(format!(
                "line {}: {t:?} comes before any [section] header",
                i + 1
            ));
        }
        if !t.contains(['=', ':']) {
            return Some(format!("line {}: {t:?} is not `key = value`", i + 1));
        }
    }
    None
}

/// Config files pip reads for `site` that it would refuse to parse.
pub fn invalid_files(site: Option<&Path>) -> Vec<(PathBuf, String)> {
    config_files(site)
        .into_iter()
        .filter_map(|f| {
            let text = fs::read_to_string(&f).ok()?;
            ini_problem(&text).map(|why| (f, why))
        })
        .collect()
}

/// Probe each distinct URL once; returns url -> problem.
pub fn probe_urls<'a>(urls: impl Iterator<Item = &'a str>) -> BTreeMap<String, String> {
    let mut list: Vec<mirrors::Mirror> = Vec::new();
    for u in urls {
        if !list.iter().any(|m| m.url == u) && mirrors::check_url(u).is_ok() {
            list.push(mirrors::Mirror {
                name: u.to_owned(),
                url: u.to_owned(),
                homepage: None,
                aliases: Vec::new(),
            });
        }
    }
    if list.is_empty() {
        return BTreeMap::new();
    }
    let opts = probe::Options {
        timeout: Duration::from_secs(4),
        ..Default::default()
    };
    let Ok(probes) = probe::probe_all(&list, &opts) else {
        return BTreeMap::new();
    };
    probes
        .into_iter()
        .filter(|p| !p.ok)
        .map(|p| {
            let why = format!(
                "{}: {}",
                p.error.unwrap_or_default(),
                p.detail.unwrap_or_default()
            );
            (p.url, why)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_problems() {
        assert!(
            ini_problem("index-url = x\n[global]\n")
                .unwrap()
                .contains("before any")
        );
        assert!(
            ini_problem("[global]\nindex-url x\n")
                .unwrap()
                .contains("key = value")
        );
        assert!(ini_problem("[global\n").is_some());
        assert_eq!(
            ini_problem("# c\n[global]\ntrusted-host = a\n    b\n"),
            None
        );
    }

    #[test]
    fn reads_global_and_install() {
        let (u, t) = read_ini(
            "[global]\n# c\nindex_url = http://m/simple\ntrusted-host = m\n  other\n[list]\nindex-url=x\n",
        );
        assert_eq!(u.as_deref(), Some("http://m/simple"));
        assert_eq!(t, ["m", "other"]);
        let (u, _) = read_ini("[install]\nindex-url: https://i/simple\n");
        assert_eq!(u.as_deref(), Some("https://i/simple"));
        assert_eq!(read_ini("[freeze]\nindex-url = x\n").0, None);
    }
}
