//! Writing a mirror into a client's user config, keeping every other setting and comment, with a
//! timestamped backup beside each file and a way back (`edit_file`, `revert`, used by every
//! target); and the pip target's writers: pip's user config (INI) and uv's `[[index]]`.
//!
//! pip.conf is edited by `pipconf` (line by line: no maintained Rust INI crate preserves
//! comments and layout); uv.toml with toml_edit, which preserves formatting.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use std::ffi::{OsStr, OsString};
use std::sync::Arc;

use crate::write::{Dir, write_atomic_in};

/// Marks backups: `pip.conf.pydoctor-backup.<unix-nanos>` (`.absent` when there was no file).
pub const BACKUP_TAG: &str = ".pydoctor-backup.";

fn config_home() -> Option<PathBuf> {
    std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
}

/// The user-level file pip itself reads last (so its settings win): `$PIP_CONFIG_FILE` when set,
/// else `$XDG_CONFIG_HOME/pip/pip.conf` (macOS: `~/Library/Application Support/pip/pip.conf`
/// when that exists).
pub fn pip_config_path() -> Option<PathBuf> {
    if let Some(p) =
        std::env::var_os("PIP_CONFIG_FILE").filter(|v| !v.is_empty() && v != "/dev/null")
    {
        return Some(PathBuf::from(p));
    }
    if cfg!(target_os = "macos")
        && let Some(home) = std::env::var_os("HOME")
    {
        let mac = PathBuf::from(home).join("Library/Application Support/pip/pip.conf");
        if mac.exists() {
            return Some(mac);
        }
    }
    config_home().map(|c| c.join("pip/pip.conf"))
}

/// uv's user config: `$XDG_CONFIG_HOME/uv/uv.toml`.
pub fn uv_config_path() -> Option<PathBuf> {
    config_home().map(|c| c.join("uv/uv.toml"))
}

/// The `[[index]]` marked `default = true` in the uv.toml at `path`, if any.
pub fn uv_default_index(path: &Path) -> Option<String> {
    let text = crate::fsread::read_text(path, crate::fsread::CONFIG_CAP).ok()?;
    let doc: DocumentMut = text.parse().ok()?;
    let indexes = doc.get("index")?.as_array_of_tables()?;
    indexes
        .iter()
        .find(|t| t.get("default").and_then(Item::as_bool) == Some(true))
        .and_then(|t| t.get("url")?.as_str().map(str::to_owned))
}

/// Make `url` uv's default index: update the `[[index]]` marked `default = true`, or add one.
pub fn set_uv_index(text: &str, url: &str) -> Result<String> {
    let mut doc: DocumentMut = text.parse().context("uv.toml is not valid TOML")?;
    let indexes = doc
        .entry("index")
        .or_insert(Item::ArrayOfTables(ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .context("uv.toml: `index` is not an array of tables ([[index]])")?;
    let existing = indexes
        .iter_mut()
        .find(|t| t.get("default").and_then(Item::as_bool) == Some(true));
    match existing {
        Some(t) => t["url"] = value(url),
        None => {
            let mut t = Table::new();
            t["url"] = value(url);
            t["default"] = value(true);
            indexes.push(t);
        }
    }
    Ok(doc.to_string())
}

/// A change to one config file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Change {
    pub path: PathBuf,
    pub backup: Option<PathBuf>,
    pub diff: String,
}

fn now_tag() -> String {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    format!("{}{:09}", d.as_secs(), d.subsec_nanos())
}

/// The file to write: a symlinked config is written through to its target, keeping the link.
fn resolve(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path).unwrap_or(path.to_path_buf()),
        _ => path.to_path_buf(),
    }
}

/// The config's folder (created if missing), opened once: the file, its backup and its temp
/// files are all written relative to it, after removing temp files a killed run left.
fn open_folder(target: &Path) -> Result<(Arc<Dir>, OsString)> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let name = target
        .file_name()
        .with_context(|| format!("{} names no file", target.display()))?
        .to_os_string();
    let d = Arc::new(Dir::open(dir).with_context(|| format!("cannot open {}", dir.display()))?);
    crate::write::remove_stale_temps(&d)
        .with_context(|| format!("cannot clean temp files in {}", dir.display()))?;
    Ok((d, name))
}

/// The config file's bytes (`None` when it does not exist), read bounded and non-blocking.
fn read_config(target: &Path) -> Result<Option<Vec<u8>>> {
    match crate::fsread::read_bytes(
        target,
        crate::fsread::CONFIG_CAP,
        crate::fsread::Links::Refuse,
    ) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", target.display())),
    }
}

/// Edit one config file with `edit` (text in, text out): preview, backup and atomic write.
pub(super) fn edit_file(
    path: &Path,
    dry_run: bool,
    edit: impl Fn(&str) -> Result<String>,
) -> Result<Option<Change>> {
    let target = resolve(path);
    let old = read_config(&target)?;
    let old_text = match &old {
        Some(b) => String::from_utf8(b.clone()).map_err(|_| {
            anyhow::anyhow!("{} is not UTF-8 text; not editing it", target.display())
        })?,
        None => String::new(),
    };
    let new_text = edit(&old_text).with_context(|| target.display().to_string())?;
    if old.is_some() && new_text == old_text {
        return Ok(None);
    }
    let diff = crate::diff::unified(
        &target,
        old_text.as_bytes(),
        new_text.as_bytes(),
        usize::MAX,
    );
    if dry_run {
        return Ok(Some(Change {
            path: target,
            backup: None,
            diff,
        }));
    }
    let (dir, name) = open_folder(&target)?;
    let like = dir.stat(&name).ok().filter(|s| s.is_file());
    let file_name = name.to_string_lossy();
    let backup_name = match &old {
        Some(_) => format!("{file_name}{BACKUP_TAG}{}", now_tag()),
        None => format!("{file_name}{BACKUP_TAG}{}.absent", now_tag()),
    };
    let backup = target.with_file_name(&backup_name);
    // The backup keeps the original's mode and owner: a 0600 pip.conf may hold a token.
    write_atomic_in(
        &dir,
        OsStr::new(&backup_name),
        old.as_deref().unwrap_or_default(),
        like.as_ref(),
    )
    .with_context(|| format!("cannot write backup {}", backup.display()))?;
    write_atomic_in(&dir, &name, new_text.as_bytes(), like.as_ref())
        .with_context(|| format!("cannot write {}", target.display()))?;
    Ok(Some(Change {
        path: target,
        backup: Some(backup),
        diff,
    }))
}

/// Write `url` as pip's index (`[global] index-url` of the user config).
pub fn apply_pip(url: &str, dry_run: bool) -> Result<Vec<Change>> {
    let Some(p) = pip_config_path() else {
        return Ok(Vec::new());
    };
    let change = edit_file(&p, dry_run, |t| {
        crate::pipconf::set_index(t, url).map_err(|e| anyhow::anyhow!(e))
    })?;
    Ok(change.into_iter().collect())
}

/// Write `url` as uv's default index (`[[index]] default = true` in the user uv.toml).
pub fn apply_uv_index(url: &str, dry_run: bool) -> Result<Vec<Change>> {
    let Some(p) = uv_config_path() else {
        return Ok(Vec::new());
    };
    let change = edit_file(&p, dry_run, |t| set_uv_index(t, url))?;
    Ok(change.into_iter().collect())
}

/// The newest backup of the file `name` in `dir`, if any.
fn latest_backup(dir: &Dir, name: &OsStr) -> Result<Option<OsString>> {
    let prefix = format!("{}{BACKUP_TAG}", name.to_string_lossy());
    Ok(dir
        .names()?
        .into_iter()
        .filter(|n| n.to_string_lossy().starts_with(&prefix))
        .max())
}

/// Restore the newest backup of each of `files` exactly (or remove a file that did not exist
/// before), and remove that backup. Returns the files restored.
pub fn revert(files: &[PathBuf], dry_run: bool) -> Result<Vec<Change>> {
    let mut out = Vec::new();
    for p in files {
        let target = resolve(p);
        let Some(parent) = target.parent().filter(|d| d.is_dir()) else {
            continue;
        };
        let dir = Arc::new(Dir::open(parent)?);
        let name = target.file_name().unwrap_or_default().to_os_string();
        let Some(backup_name) = latest_backup(&dir, &name)? else {
            continue;
        };
        let backup = target.with_file_name(&backup_name);
        let current = read_config(&target)?.unwrap_or_default();
        let absent = backup_name.to_string_lossy().ends_with(".absent");
        let restored = if absent {
            Vec::new()
        } else {
            crate::fsread::read_open(dir.open_read(&backup_name)?, crate::fsread::CONFIG_CAP)
                .with_context(|| format!("cannot read {}", backup.display()))?
        };
        let diff = crate::diff::unified(&target, &current, &restored, usize::MAX);
        if !dry_run {
            crate::write::remove_stale_temps(&dir)?;
            if absent {
                match dir.unlink(&name) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(e)
                            .with_context(|| format!("cannot remove {}", target.display()));
                    }
                }
            } else {
                // The backup has the mode and owner the original had.
                let like = dir.stat(&backup_name).ok();
                write_atomic_in(&dir, &name, &restored, like.as_ref())
                    .with_context(|| format!("cannot write {}", target.display()))?;
            }
            dir.unlink(&backup_name)
                .with_context(|| format!("cannot remove {}", backup.display()))?;
            dir.sync()?;
        }
        out.push(Change {
            path: target,
            backup: Some(backup),
            diff,
        });
    }
    Ok(out)
}

fn set_vars(vars: &[&str]) -> Vec<String> {
    vars.iter()
        .filter_map(|var| {
            let v = std::env::var_os(var).filter(|v| !v.is_empty())?;
            Some(format!(
                "${var} is set ({}) and overrides the config file",
                v.to_string_lossy()
            ))
        })
        .collect()
}

/// What overrides pip's user config: reported so the user is not surprised.
pub fn pip_overrides() -> Vec<String> {
    let mut out = set_vars(&["PIP_INDEX_URL"]);
    if let Some(venv) = std::env::var_os("VIRTUAL_ENV") {
        let site = PathBuf::from(venv).join("pip.conf");
        if site.is_file() {
            out.push(format!(
                "{} (site config) overrides the user config for pip in that environment",
                site.display()
            ));
        }
    }
    out
}

/// What overrides uv's user config for the index.
pub fn uv_index_overrides() -> Vec<String> {
    let mut out = set_vars(&["UV_DEFAULT_INDEX", "UV_INDEX_URL"]);
    if let Ok(text) =
        crate::fsread::read_text(Path::new("pyproject.toml"), crate::fsread::CONFIG_CAP)
        && (text.contains("[[tool.uv.index]]") || text.contains("index-url"))
    {
        out.push("./pyproject.toml sets an index for uv in this project".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uv_edit_preserves_and_updates() {
        let before = "# uv settings\nnative-tls = true\n\n[[index]]\nname = \"internal\"\nurl = \"https://internal/simple\"\n";
        let after = set_uv_index(before, "https://m/simple").unwrap();
        assert!(after.starts_with("# uv settings\nnative-tls = true\n"));
        assert!(after.contains("name = \"internal\""));
        assert!(after.contains("url = \"https://m/simple\"\ndefault = true"));
        let again = set_uv_index(&after, "https://n/simple").unwrap();
        assert_eq!(
            again.matches("[[index]]").count(),
            2,
            "default index updated, not added"
        );
        assert!(again.contains("https://n/simple") && !again.contains("https://m/simple"));
        assert!(set_uv_index("index = 3", "https://x").is_err());
    }
}
