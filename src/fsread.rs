//! Bounded, non-blocking reads of files that are not scripts (pyvenv.cfg, pip.conf,
//! kernel.json, activate scripts, user config). A FIFO, a device or a huge file in their place
//! (a careless or hostile neighbour on a shared filesystem) gives a clear error, never a hang
//! or an unbounded read: open with `O_NONBLOCK`, `fstat`, regular files only, at most `cap`
//! bytes.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Cap for config-like files (pyvenv.cfg, pip.conf, uv.toml, kernel.json, activate scripts).
pub const CONFIG_CAP: u64 = 1 << 20;

/// Whether the last component may be a symlink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Inside an environment: a symlink is not followed (`ELOOP`).
    Refuse,
    /// The user's own dotfiles, often symlinks into a dotfiles repository.
    Follow,
}

fn open(path: &Path, links: Links) -> io::Result<File> {
    let mut flags = libc::O_NONBLOCK | libc::O_CLOEXEC;
    if links == Links::Refuse {
        flags |= libc::O_NOFOLLOW;
    }
    OpenOptions::new().read(true).custom_flags(flags).open(path)
}

/// Read a whole regular file of at most `cap` bytes.
pub fn read_bytes(path: &Path, cap: u64, links: Links) -> io::Result<Vec<u8>> {
    let f = open(path, links)?;
    read_open(f, cap)
}

/// Read an already open file: a regular file of at most `cap` bytes.
pub fn read_open(f: File, cap: u64) -> io::Result<Vec<u8>> {
    let meta = f.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::new(io::ErrorKind::IsADirectory, "is a folder"));
    }
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file (a FIFO or a device); not read",
        ));
    }
    if meta.len() > cap {
        return Err(too_large(cap));
    }
    let mut buf = Vec::with_capacity(meta.len() as usize);
    // One byte more than the cap tells a file that grew since fstat.
    f.take(cap + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > cap {
        return Err(too_large(cap));
    }
    Ok(buf)
}

fn too_large(cap: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("larger than {} KiB; not read", cap >> 10),
    )
}

/// [`read_bytes`] of a file the user owns or chose (symlinks followed), as UTF-8 (lossy).
pub fn read_text(path: &Path, cap: u64) -> io::Result<String> {
    read_bytes(path, cap, Links::Follow).map(|b| String::from_utf8_lossy(&b).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifo_and_large_files_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let e = read_bytes(&fifo, CONFIG_CAP, Links::Follow).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 2048]).unwrap();
        assert!(read_bytes(&big, 1024, Links::Follow).is_err());
        assert_eq!(read_bytes(&big, 2048, Links::Follow).unwrap().len(), 2048);
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&big, &link).unwrap();
        assert!(read_bytes(&link, 4096, Links::Refuse).is_err());
        assert!(read_bytes(&link, 4096, Links::Follow).is_ok());
    }
}
