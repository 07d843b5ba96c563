//! The undo journal: every fix records, before renaming anything, what it changes in
//! `ENV/.pydoctor/undo/<time>.json`. `--undo` restores the newest journal's files and removes
//! the journal, so repeated undos step further back.
//!
//! A journal is input like any other file in a shared folder: its folder must be a real folder
//! owned by the user running pydoctor (or root); each path must be a plain relative path that
//! resolves inside the environment without a symlink; and a file is restored only when its
//! whole content still hashes to what the fix left, so undo can be run again after a kill or
//! a partial failure and never corrupts what it already restored.

use std::ffi::OsStr;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{Change, Compute, Dir, Edit, Job, Tree, digest, write_atomic_in};

const VERSION: u32 = 2;
/// A journal larger than this is not read (one of 5,000 scripts is well under 2 MiB).
const MAX_JOURNAL: u64 = 64 << 20;

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

/// The journal folder must be a real folder (never a symlink: opened without following one)
/// owned by us or by root: anyone else could have planted journals in it.
fn check_owner(d: &Dir) -> io::Result<()> {
    let st = d.stat_self()?;
    // SAFETY: geteuid cannot fail.
    let me = unsafe { libc::geteuid() };
    if st.uid != me && st.uid != 0 {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "{} belongs to uid {}, not to you; its journals are not trusted",
                d.path().display(),
                st.uid
            ),
        ));
    }
    Ok(())
}

/// The journal folder under `root`, created (0700) when `create`.
fn open_dir(tree: &Tree, create: bool) -> io::Result<Arc<Dir>> {
    let root = tree.root();
    if create {
        root.mkdir(OsStr::new(".pydoctor"), 0o700)?;
    }
    let dot = tree.dir(Path::new(".pydoctor"))?;
    check_owner(&dot)?;
    if create {
        dot.mkdir(OsStr::new("undo"), 0o700)?;
    }
    let undo = tree.dir(Path::new(".pydoctor/undo"))?;
    check_owner(&undo)?;
    Ok(undo)
}

/// The journal folder if it exists, checked.
pub fn existing_dir(tree: &Tree) -> io::Result<Option<Arc<Dir>>> {
    match open_dir(tree, false) {
        Ok(d) => Ok(Some(d)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Write a journal for `edits` (paths inside `tree`); returns its name.
pub fn write(tree: &Tree, edits: &[(&Path, &Edit)]) -> io::Result<String> {
    let d = open_dir(tree, true)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let mut entries = Vec::with_capacity(edits.len());
    for (p, e) in edits {
        let rel = p
            .strip_prefix(tree.root_path())
            .map_err(|_| io::Error::other(format!("{} is outside the environment", p.display())))?;
        entries.push(Entry {
            path: rel.as_os_str().as_bytes().to_vec(),
            edit: (*e).clone(),
        });
    }
    let doc = JournalFile {
        version: VERSION,
        created_unix: now.as_secs(),
        entries,
    };
    let name = format!("{}{:09}.json", now.as_secs(), now.subsec_nanos());
    let bytes = serde_json::to_vec(&doc).map_err(io::Error::other)?;
    write_atomic_in(&d, OsStr::new(&name), &bytes, None)?;
    Ok(name)
}

/// The newest journal's name, if any.
pub fn latest(d: &Dir) -> io::Result<Option<std::ffi::OsString>> {
    Ok(d.names()?
        .into_iter()
        .filter(|n| {
            let b = n.as_bytes();
            b.ends_with(b".json") && b[..b.len() - 5].iter().all(u8::is_ascii_digit)
        })
        .max())
}

/// Restore a file only when it is exactly what the fix left (`after`); a file already
/// restored (`before`) is left as is, so undo can run twice.
fn restore(old: Vec<u8>, new: Vec<u8>, before: String, after: String) -> Compute {
    Box::new(move |content: &[u8]| {
        let now = digest(content);
        if now == before {
            return Ok(None);
        }
        if now != after || !content.starts_with(&new) {
            return Err("changed since pydoctor fixed it; left as is".into());
        }
        let mut out = old.clone();
        out.extend_from_slice(&content[new.len()..]);
        if digest(&out) != before {
            return Err("the journal does not restore this file exactly; left as is".into());
        }
        Ok(Some(out))
    })
}

/// Jobs that put back what the journal `name` recorded; an entry whose path leaves the
/// environment or passes a symlink is refused.
pub fn jobs(tree: &Tree, d: &Dir, name: &OsStr) -> io::Result<Vec<Result<Job, (PathBuf, String)>>> {
    let bytes = crate::fsread::read_open(d.open_read(name)?, MAX_JOURNAL)?;
    #[derive(Deserialize)]
    struct Version {
        version: u32,
    }
    let not_ours = |e: serde_json::Error| io::Error::other(format!("not a pydoctor journal: {e}"));
    let v: Version = serde_json::from_slice(&bytes).map_err(not_ours)?;
    if v.version != VERSION {
        return Err(io::Error::other(format!(
            "journal version {} is not {VERSION} (written by another pydoctor); not used",
            v.version
        )));
    }
    let doc: JournalFile = serde_json::from_slice(&bytes).map_err(not_ours)?;
    Ok(doc
        .entries
        .into_iter()
        .map(|e| {
            let rel = PathBuf::from(OsStr::from_bytes(&e.path));
            let change = match e.edit {
                Edit::File {
                    old,
                    new,
                    before,
                    after,
                } => Change::Rewrite(restore(old, new, before, after)),
                Edit::Link { old, new } => Change::Relink {
                    to: old,
                    expect: Some(new),
                },
            };
            if rel.is_absolute() {
                return Err((rel, "an absolute path in the journal; refused".into()));
            }
            tree.job(&rel, change)
                .map_err(|err| (tree.root_path().join(&rel), format!("refused: {err}")))
        })
        .collect())
}
