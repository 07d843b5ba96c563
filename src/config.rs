//! The user's config file: `$XDG_CONFIG_HOME/pydoctor/config.toml` (or `--config FILE`).
//!
//! ```toml
//! ignore = ["PD106"]                 # rule ids or names never reported
//! env-roots = ["/mnt/glusterfs/envs"] # extra folders for machine-wide discovery
//! [severity]
//! PD106 = "error"                    # override a rule's severity
//! [[mirror]]                          # extra package indexes for `pydoctor mirrors`
//! name = "campus"
//! url = "https://pypi.example.edu/simple"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use serde::Deserialize;

use crate::error::BadInput;
use crate::mirrors::Mirror;
use crate::rules::{self, Rule, Severity};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UserConfig {
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    #[serde(default)]
    pub mirror: Vec<Mirror>,
    #[serde(default)]
    pub env_roots: Vec<PathBuf>,
    /// Where it was read from, for messages.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

pub fn default_path() -> Option<PathBuf> {
    std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .map(|c| c.join("pydoctor/config.toml"))
}

/// Load `explicit` (which must exist) or the default file (if it exists).
pub fn load(explicit: Option<&Path>) -> Result<UserConfig> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => match default_path().filter(|p| p.is_file()) {
            Some(p) => p,
            None => return Ok(UserConfig::default()),
        },
    };
    let text = crate::fsread::read_text(&path, crate::fsread::CONFIG_CAP)
        .map_err(|e| BadInput::new(format!("config {}: {e}", path.display())))?;
    parse(&text, &path)
}

/// Parse and check a config file's text (`path` is for messages).
pub fn parse(text: &str, path: &Path) -> Result<UserConfig> {
    let mut cfg: UserConfig = toml::from_str(text).map_err(|e| {
        // toml's message names the line, column and key; keep it on one line.
        let msg = e
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        BadInput::new(format!("config {}: {msg}", path.display()))
    })?;
    let all = rules::all()?;
    for key in cfg.ignore.iter().chain(cfg.severity.keys()) {
        if rules::find(all, key).is_none() {
            return Err(
                BadInput::new(format!("config {}: unknown rule {key:?}", path.display()))
                    .hint("`pydoctor rules` lists the ids and names")
                    .into(),
            );
        }
    }
    for m in &cfg.mirror {
        let urls: Vec<&str> = crate::mirrors::Target::ALL
            .iter()
            .filter_map(|t| t.url_of(m))
            .collect();
        if urls.is_empty() {
            return Err(BadInput::new(format!(
                "config {}: mirror {:?} has no URL (url, conda, uv_python or huggingface)",
                path.display(),
                m.name
            ))
            .into());
        }
        for u in urls {
            crate::mirrors::check_url(u).map_err(|why| {
                BadInput::new(format!(
                    "config {}: mirror {:?}: {why}",
                    path.display(),
                    m.name
                ))
            })?;
        }
    }
    cfg.path = Some(path.to_path_buf());
    Ok(cfg)
}

/// The rules to run: `select` (if any) keeps only those, `ignore` (config and command line)
/// drops rules, and the config's severities override the built-in ones.
pub fn effective_rules(
    cfg: &UserConfig,
    select: &[String],
    ignore: &[String],
) -> Result<Vec<Arc<Rule>>> {
    let all = rules::all()?;
    for key in select.iter().chain(ignore) {
        if rules::find(all, key).is_none() {
            return Err(BadInput::new(format!("unknown rule {key:?}"))
                .hint("`pydoctor rules` lists the ids and names")
                .into());
        }
    }
    let matches = |r: &Rule, keys: &[String]| keys.iter().any(|k| r.is(k));
    Ok(all
        .iter()
        .filter(|r| select.is_empty() || matches(r, select))
        .filter(|r| !matches(r, ignore) && !matches(r, &cfg.ignore))
        .map(|r| {
            let over = cfg.severity.iter().find(|(k, _)| r.is(k)).map(|(_, s)| *s);
            match over {
                Some(s) if s != r.severity => {
                    let mut changed = (**r).clone();
                    changed.severity = s;
                    Arc::new(changed)
                }
                _ => Arc::clone(r),
            }
        })
        .collect())
}
