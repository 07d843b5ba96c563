//! The undo journal: every fix records, before renaming anything, the bytes it replaces in
//! `ENV/.pydoctor/undo/<time>.json`. `--undo` restores the newest journal's files exactly
//! (those not changed since) and removes the journal, so repeated undos step further back.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{Edit, Job};

#[derive(Serialize, Deserialize)]
struct Entry {
    /// Relative to the environment root, as raw bytes: file names need not be UTF-8.
    path: Vec<u8>,
    #[serde(flatten)]
    edit: Edit,
}

#[derive(Serialize, Deserialize)]
struct JournalFile {
    version: u32,
    created_unix: u64,
    entries: Vec<Entry>,
}

pub fn dir(root: &Path) -> PathBuf {
    root.join(".pydoctor").join("undo")
}

/// Write a journal for `edits` under `root`; returns its path.
pub fn write(root: &Path, edits: &[(&Path, &Edit)]) -> io::Result<PathBuf> {
    let d = dir(root);
    fs::create_dir_all(&d)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let entries = edits
        .iter()
        .map(|(p, e)| Entry {
            path: p
                .strip_prefix(root)
                .unwrap_or(p)
                .as_os_str()
                .as_bytes()
                .to_vec(),
            edit: (*e).clone(),
        })
        .collect();
    let doc = JournalFile {
        version: 1,
        created_unix: now.as_secs(),
        entries,
    };
    let path = d.join(format!("{}{:09}.json", now.as_secs(), now.subsec_nanos()));
    let bytes = serde_json::to_vec(&doc).map_err(io::Error::other)?;
    super::write_atomic(&path, &bytes, Some(0o644))?;
    Ok(path)
}

/// The newest journal of `root`, if any.
pub fn latest(root: &Path) -> Option<PathBuf> {
    fs::read_dir(dir(root))
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .max()
}

/// Jobs that put back what the journal at `path` recorded.
pub fn jobs(root: &Path, path: &Path) -> io::Result<Vec<Job>> {
    let doc: JournalFile = serde_json::from_slice(&fs::read(path)?)
        .map_err(|e| io::Error::other(format!("{}: {e}", path.display())))?;
    Ok(doc
        .entries
        .into_iter()
        .map(|e| {
            let edit = e.edit;
            let compute: super::Compute = Box::new(move |content: &[u8]| {
                if content.starts_with(&edit.new) {
                    let mut out = edit.old.clone();
                    out.extend_from_slice(&content[edit.new.len()..]);
                    Ok(Some(out))
                } else if content.starts_with(&edit.old) {
                    Ok(None)
                } else {
                    Err("changed since pydoctor fixed it; left as is".into())
                }
            });
            Job {
                path: root.join(OsStr::from_bytes(&e.path)),
                compute,
            }
        })
        .collect())
}
