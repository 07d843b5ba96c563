//! Paths as the user spelled them. On a cluster `/mnt/glusterfs` may be a symlink whose target
//! changes between mounts, so we never write a symlink-resolved path into a script.

use std::env;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Component, Path, PathBuf};

/// The working directory as the shell knows it (`$PWD`, symlinks kept) when it names the same
/// directory as the kernel's idea of it; else the kernel's.
pub fn logical_cwd() -> std::io::Result<PathBuf> {
    let real = env::current_dir()?;
    if let Some(pwd) = env::var_os("PWD").map(PathBuf::from)
        && pwd.is_absolute()
        && same_file(&pwd, &real)
    {
        return Ok(pwd);
    }
    Ok(real)
}

/// True when both paths name the same inode.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// Make `p` absolute the way `cd -L` would: join it to the logical working directory and fold
/// `.` and `..` by text. Falls back to the resolved path if the folded one is not the same
/// directory (a `..` after a symlink).
pub fn logical_absolute(p: &Path) -> std::io::Result<PathBuf> {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        logical_cwd()?.join(p)
    };
    let folded = fold(&joined);
    if folded.exists() && !same_file(&folded, &joined) {
        return fs::canonicalize(&joined);
    }
    Ok(folded)
}

/// Fold `.` and `..` components by text.
pub fn fold(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("/");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The path does not lead anywhere (as opposed to: we may not look, EACCES).
pub fn is_gone(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::NotFound
        || matches!(e.raw_os_error(), Some(libc::ENOTDIR) | Some(libc::ELOOP))
}

/// Show `path` relative to `base` when it lies inside it.
pub fn display_rel(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_dots() {
        assert_eq!(fold(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(fold(Path::new("/../x")), PathBuf::from("/x"));
    }
}
