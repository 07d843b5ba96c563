//! Package indexes: the default list (rules/mirrors.toml), probing them concurrently under one
//! deadline, ranking, and writing the winner into pip's and uv's config. Never prints.

pub mod config;
pub mod index;
pub mod probe;
pub mod rank;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::error::BadInput;

const MIRRORS_TOML: &str = include_str!("../../rules/mirrors.toml");

/// One package index.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct Mirror {
    pub name: String,
    pub url: String,
    /// Other spellings and retired URLs of this index.
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MirrorFile {
    mirror: Vec<Mirror>,
}

/// The embedded default mirrors.
pub fn defaults() -> Result<Vec<Mirror>> {
    let f: MirrorFile = toml::from_str(MIRRORS_TOML).context("rules/mirrors.toml")?;
    Ok(f.mirror)
}

/// The embedded defaults, parsed once per process (detectors consult them for every env).
pub fn known() -> &'static [Mirror] {
    static KNOWN: std::sync::OnceLock<Vec<Mirror>> = std::sync::OnceLock::new();
    KNOWN.get_or_init(|| defaults().unwrap_or_default())
}

/// Parse `--mirror NAME=URL`: a non-empty name and an http(s) URL with a host.
pub fn parse_mirror_arg(arg: &str) -> Result<Mirror, BadInput> {
    let (name, url) = arg.split_once('=').ok_or_else(|| {
        BadInput::new(format!("--mirror {arg:?}: expected NAME=URL"))
            .hint("e.g. --mirror tuna=https://pypi.tuna.tsinghua.edu.cn/simple")
    })?;
    let name = name.trim();
    if name.is_empty() {
        return Err(BadInput::new(format!(
            "--mirror {arg:?}: the name is empty"
        )));
    }
    check_url(url).map_err(|why| BadInput::new(format!("--mirror {arg:?}: {why}")))?;
    Ok(Mirror {
        name: name.to_owned(),
        url: url.trim().to_owned(),
        aliases: Vec::new(),
    })
}

/// An index URL must be http or https and name a host.
pub fn check_url(url: &str) -> Result<reqwest::Url, String> {
    let u = reqwest::Url::parse(url.trim()).map_err(|e| format!("not a URL ({e})"))?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(format!("scheme {:?} is not http or https", u.scheme()));
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err("the URL has no host".into());
    }
    Ok(u)
}

/// Compare index URLs loosely: scheme, host and path, ignoring a trailing slash and case of
/// the host.
pub fn same_index(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        reqwest::Url::parse(s.trim()).ok().map(|u| {
            (
                u.host_str().unwrap_or_default().to_ascii_lowercase(),
                u.path().trim_end_matches('/').to_owned(),
            )
        })
    };
    matches!((norm(a), norm(b)), (Some(x), Some(y)) if x == y)
}

/// The known mirror an index URL belongs to, and whether the URL is a retired alias.
pub fn recognise<'a>(mirrors: &'a [Mirror], url: &str) -> Option<(&'a Mirror, bool)> {
    mirrors.iter().find_map(|m| {
        if same_index(&m.url, url) {
            Some((m, false))
        } else if m.aliases.iter().any(|a| same_index(a, url)) {
            Some((m, true))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_https_and_unique() {
        let m = defaults().unwrap();
        assert!(m.len() >= 8);
        let mut names: Vec<&str> = m.iter().map(|x| x.name.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), m.len());
        assert!(m.iter().all(|x| x.url.starts_with("https://")));
    }

    #[test]
    fn retired_ustc_host_is_recognised() {
        let m = defaults().unwrap();
        let (mirror, retired) = recognise(&m, "https://pypi.mirrors.ustc.edu.cn/simple").unwrap();
        assert_eq!(mirror.name, "ustc");
        assert!(retired);
        assert_eq!(mirror.url, "https://mirrors.ustc.edu.cn/pypi/simple");
        assert!(
            !recognise(&m, "https://pypi.tuna.tsinghua.edu.cn/simple/")
                .unwrap()
                .1
        );
    }

    #[test]
    fn mirror_args() {
        assert!(parse_mirror_arg("a=https://x.org/simple").is_ok());
        for bad in [
            "nourl",
            "=https://x",
            "a=ftp://x/simple",
            "a=https://",
            "a=not a url",
        ] {
            assert!(parse_mirror_arg(bad).is_err(), "{bad}");
        }
    }
}
