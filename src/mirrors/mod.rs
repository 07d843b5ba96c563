//! Mirror sites and what they serve: the default list (rules/mirrors.toml), probing them per
//! target (pip's index, conda channels, uv's Python downloads, the Hugging Face Hub)
//! concurrently under one deadline, ranking, and writing the winner into each client's config.
//! Never prints. A target is one module (`pip` lives in `index`/`config`, the others in
//! `conda`, `uv_python`, `huggingface`); `target` ties them together.

pub mod conda;
pub mod condarc;
pub mod config;
pub mod huggingface;
pub mod index;
pub mod probe;
pub mod rank;
pub mod target;
pub mod uv_python;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::error::BadInput;
pub use target::Target;

const MIRRORS_TOML: &str = include_str!("../../rules/mirrors.toml");

/// One mirror site: the URL it serves for each target it carries.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Mirror {
    pub name: String,
    /// pip's (and uv's) package index.
    #[serde(default)]
    pub url: Option<String>,
    /// Other spellings and retired URLs of the package index.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// conda: the folder holding `pkgs/main`, `pkgs/r`... (Anaconda's default channels).
    #[serde(default)]
    pub conda: Option<String>,
    /// conda: the folder holding community channels (`conda-forge`, `pytorch`...); default
    /// `<conda>/cloud`, the layout of every mirror site.
    #[serde(default)]
    pub conda_cloud: Option<String>,
    /// uv's `python-install-mirror`: where python-build-standalone's release tags live.
    #[serde(default)]
    pub uv_python: Option<String>,
    /// `HF_ENDPOINT`: a Hugging Face Hub.
    #[serde(default)]
    pub huggingface: Option<String>,
}

/// What the probes ask for beyond pip's package page.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ProbeSettings {
    /// conda channels probed when `.condarc` names none.
    pub conda_channels: Vec<String>,
    /// A python-build-standalone asset, `TAG/FILE`, asked for when uv cannot say which it wants.
    pub uv_python_asset: String,
    /// A small public model whose API page every Hub serves.
    pub huggingface_model: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MirrorFile {
    probe: ProbeSettings,
    mirror: Vec<Mirror>,
}

fn parse_file() -> Result<MirrorFile> {
    toml::from_str(MIRRORS_TOML).context("rules/mirrors.toml")
}

/// The embedded default mirrors.
pub fn defaults() -> Result<Vec<Mirror>> {
    Ok(parse_file()?.mirror)
}

/// The embedded defaults, parsed once per process (detectors consult them for every env).
pub fn known() -> &'static [Mirror] {
    static KNOWN: std::sync::OnceLock<Vec<Mirror>> = std::sync::OnceLock::new();
    KNOWN.get_or_init(|| defaults().unwrap_or_default())
}

/// The embedded probe settings.
pub fn probe_settings() -> ProbeSettings {
    parse_file().map(|f| f.probe).unwrap_or(ProbeSettings {
        conda_channels: vec!["main".into(), "conda-forge".into()],
        uv_python_asset: String::new(),
        huggingface_model: "openai-community/gpt2".into(),
    })
}

/// Parse `--mirror NAME=URL` for `target`: a non-empty name and an http(s) URL with a host.
pub fn parse_mirror_arg(arg: &str, target: Target) -> Result<Mirror, BadInput> {
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
    let mut m = Mirror {
        name: name.to_owned(),
        ..Default::default()
    };
    target.set_url(&mut m, url.trim().to_owned());
    Ok(m)
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
        if m.url.as_deref().is_some_and(|u| same_index(u, url)) {
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
        for x in &m {
            for t in Target::ALL {
                if let Some(u) = t.url_of(x) {
                    assert!(u.starts_with("https://"), "{u}");
                }
            }
        }
        for t in Target::ALL {
            assert!(
                m.iter().filter(|x| t.url_of(x).is_some()).count() >= 2,
                "{t:?}"
            );
        }
    }

    #[test]
    fn retired_ustc_host_is_recognised() {
        let m = defaults().unwrap();
        let (mirror, retired) = recognise(&m, "https://pypi.mirrors.ustc.edu.cn/simple").unwrap();
        assert_eq!(mirror.name, "ustc");
        assert!(retired);
        assert_eq!(
            mirror.url.as_deref(),
            Some("https://mirrors.ustc.edu.cn/pypi/simple")
        );
        assert!(
            !recognise(&m, "https://pypi.tuna.tsinghua.edu.cn/simple/")
                .unwrap()
                .1
        );
    }

    #[test]
    fn mirror_args() {
        let m = parse_mirror_arg("a=https://x.org/anaconda", Target::Conda).unwrap();
        assert_eq!(m.conda.as_deref(), Some("https://x.org/anaconda"));
        assert!(m.url.is_none());
        for bad in [
            "nourl",
            "=https://x",
            "a=ftp://x/simple",
            "a=https://",
            "a=not a url",
        ] {
            assert!(parse_mirror_arg(bad, Target::Pip).is_err(), "{bad}");
        }
    }
}
