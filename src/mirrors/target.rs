//! The things a mirror site can serve, and for each: which URL of a site it uses, how it is
//! probed, which config file it writes. Everything target-specific is reached from here, so a
//! new target is one module plus one arm in each `match` below (the compiler lists them).

use std::path::PathBuf;

use serde::Serialize;

use super::Mirror;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// pip's package index (pip.conf `index-url`).
    Pip,
    /// uv's default package index (uv.toml `[[index]] default = true`): the same sites and
    /// probe as pip's.
    UvIndex,
    /// conda's channels (`.condarc` `default_channels`, `custom_channels`).
    Conda,
    /// uv's Python downloads (uv.toml `python-install-mirror`).
    UvPython,
    /// The Hugging Face Hub (`HF_ENDPOINT`, set in the shell only).
    Huggingface,
}

impl Target {
    pub const ALL: [Target; 5] = [
        Target::Pip,
        Target::UvIndex,
        Target::Conda,
        Target::UvPython,
        Target::Huggingface,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Target::Pip => "pip",
            Target::UvIndex => "uv-index",
            Target::Conda => "conda",
            Target::UvPython => "uv-python",
            Target::Huggingface => "huggingface",
        }
    }

    /// What the target's table is headed with.
    pub fn title(self) -> &'static str {
        match self {
            Target::Pip => "package index (pip)",
            Target::UvIndex => "package index (uv)",
            Target::Conda => "conda channels",
            Target::UvPython => "Python downloads (uv python install)",
            Target::Huggingface => "Hugging Face Hub (HF_ENDPOINT)",
        }
    }

    /// The URL `m` serves for this target (conda: the default channels' folder).
    pub fn url_of(self, m: &Mirror) -> Option<&str> {
        match self {
            Target::Pip | Target::UvIndex => m.url.as_deref(),
            Target::Conda => m.conda.as_deref(),
            Target::UvPython => m.uv_python.as_deref(),
            Target::Huggingface => m.huggingface.as_deref(),
        }
    }

    pub fn set_url(self, m: &mut Mirror, url: String) {
        match self {
            Target::Pip | Target::UvIndex => m.url = Some(url),
            Target::Conda => m.conda = Some(url),
            Target::UvPython => m.uv_python = Some(url),
            Target::Huggingface => m.huggingface = Some(url),
        }
    }

    /// The config files `--apply` edits for this target (and `--revert` restores).
    pub fn config_files(self) -> Vec<PathBuf> {
        match self {
            Target::Pip => super::config::pip_config_path().into_iter().collect(),
            Target::UvIndex => super::config::uv_config_path().into_iter().collect(),
            Target::Conda => super::conda::user_condarc().into_iter().collect(),
            Target::UvPython => super::config::uv_config_path().into_iter().collect(),
            // Only the environment sets HF_ENDPOINT: nothing is written.
            Target::Huggingface => Vec::new(),
        }
    }

    /// The target whose probe answers for this one: uv's index is pip's (one probe per site).
    pub fn probe_kind(self) -> Target {
        match self {
            Target::UvIndex => Target::Pip,
            t => t,
        }
    }

    /// An example `--mirror` value, for error hints.
    pub fn example(self) -> &'static str {
        match self {
            Target::Pip | Target::UvIndex => "tuna=https://pypi.tuna.tsinghua.edu.cn/simple",
            Target::Conda => "tuna=https://mirrors.tuna.tsinghua.edu.cn/anaconda",
            Target::UvPython => {
                "nju=https://mirror.nju.edu.cn/github-release/indygreg/python-build-standalone"
            }
            Target::Huggingface => "hf-mirror=https://hf-mirror.com",
        }
    }
}

/// What a client uses now, and what decides it (a file, a variable, the client's default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InUse {
    pub url: String,
    pub source: String,
}

impl InUse {
    fn new(url: impl Into<String>, source: impl Into<String>) -> InUse {
        InUse {
            url: url.into(),
            source: source.into(),
        }
    }
}

impl Target {
    /// Where the client fetches from now, read from its config files and variables in its
    /// own precedence (conda: the first channel it searches).
    pub fn in_use(self) -> InUse {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .map(|v| InUse::new(v, format!("${name}")))
        };
        match self {
            Target::Pip => crate::engine::pip::configured(None)
                .pop()
                .map(|p| InUse::new(p.url, p.source.display().to_string()))
                .unwrap_or_else(|| InUse::new("https://pypi.org/simple", "pip's default")),
            Target::UvIndex => var("UV_DEFAULT_INDEX")
                .or_else(|| var("UV_INDEX_URL"))
                .or_else(|| {
                    let path = super::config::uv_config_path()?;
                    let url = super::config::uv_default_index(&path)?;
                    Some(InUse::new(url, path.display().to_string()))
                })
                .unwrap_or_else(|| InUse::new("https://pypi.org/simple", "uv's default")),
            Target::Conda => super::conda::effective_channels(&super::conda::read_condarcs())
                .into_iter()
                .next()
                .map(|c| InUse::new(c.url, c.source.display().to_string()))
                .unwrap_or_else(|| {
                    InUse::new(super::conda::UPSTREAM_DEFAULTS[0], "conda's default")
                }),
            Target::UvPython => super::uv_python::configured()
                .map(|(source, url)| InUse::new(url, source.display().to_string()))
                .unwrap_or_else(|| {
                    InUse::new(
                        "https://releases.astral.sh/github/python-build-standalone/releases/download",
                        "uv's default",
                    )
                }),
            Target::Huggingface => var("HF_ENDPOINT")
                .unwrap_or_else(|| InUse::new("https://huggingface.co", "huggingface_hub's default")),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
