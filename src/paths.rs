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

/// Whether `p` is on a filesystem where each operation is a network round trip: NFS, FUSE
/// (GlusterFS's native client, sshfs...), SMB/CIFS, Ceph, AFS, 9P, GFS2, Lustre, GPFS.
pub fn on_network_fs(p: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        const NETWORK: [i64; 12] = [
            0x6969,                 // NFS
            0x6573_5546,            // FUSE
            0x517B,                 // SMB
            0xFF53_4D42_u32 as i64, // CIFS
            0xFE53_4D42_u32 as i64, // SMB2
            0x00C3_6400,            // Ceph
            0x5346_414F,            // AFS
            0x0102_1997,            // 9P
            0x0116_1970,            // GFS2
            0x0BD0_0BD0,            // Lustre
            0x4750_4653,            // GPFS
            0x0000_564C,            // NCP
        ];
        let Ok(c) = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()) else {
            return false;
        };
        // SAFETY: `c` is a valid path; `st` is written by statfs before it is read.
        let mut st: libc::statfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statfs(c.as_ptr(), &mut st) } != 0 {
            return false;
        }
        #[allow(clippy::unnecessary_cast)]
        NETWORK.contains(&(st.f_type as i64))
    }
    #[cfg(not(target_os = "linux"))]
    {
        // macOS: f_fstypename ("nfs", "smbfs", "macfuse"...) would tell; until then, the
        // latency-friendly default.
        let _ = p;
        true
    }
}

#[cfg(test)]
mod network_fs_tests {
    #[test]
    #[cfg(target_os = "linux")]
    fn a_local_folder_is_not_a_network_filesystem() {
        let d = tempfile::tempdir().unwrap();
        assert!(!super::on_network_fs(d.path()));
        assert!(!super::on_network_fs(std::path::Path::new(
            "/nonexistent/x"
        )));
    }
}
