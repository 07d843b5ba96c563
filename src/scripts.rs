//! Reading the heads of the files in an environment's `bin/`: only regular files with an exec
//! bit, never through a symlink, never opening FIFOs, sockets or devices, and only the first
//! bytes. Files are read in parallel; the result is sorted by name.

use std::ffi::{CString, OsStr};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::shebang::{self, Header, NotScript};

/// Enough for any header: line one plus a trampoline whose path is at most `PATH_MAX` (4 KiB).
pub const HEAD_MAX: usize = 8192;

/// An executable regular file in `bin/` that starts with `#!`.
#[derive(Debug, Clone)]
pub struct Script {
    pub path: PathBuf,
    pub header: Header,
}

/// What reading `bin/` found.
#[derive(Debug, Default)]
pub struct BinListing {
    pub scripts: Vec<Script>,
    /// Executable files that could not be read, with the reason.
    pub unreadable: Vec<(PathBuf, String)>,
    /// Executable files whose line one is longer than any kernel reads.
    pub overlong: Vec<PathBuf>,
}

/// Open without following a symlink and without blocking on a FIFO swapped in after listing.
pub fn open_nofollow(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
}

/// Read up to `max` bytes from the start of `f`.
pub fn read_head(f: &mut File, max: usize) -> io::Result<Vec<u8>> {
    let mut buf = vec![0u8; max];
    let mut n = 0;
    while n < max {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buf.truncate(n);
    Ok(buf)
}

enum Entry {
    Script(Script),
    Unreadable(PathBuf, String),
    Overlong(PathBuf),
    Ignored,
}

/// `openat(dir, name)` with the same flags as [`open_nofollow`]: the kernel resolves one
/// component instead of walking the whole absolute path again for each of 5,000 files.
fn open_in(dir: &File, name: &OsStr) -> io::Result<File> {
    let c =
        CString::new(name.as_bytes()).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: `dir` is an open directory descriptor and `c` a NUL-terminated name, both alive
    // for the call; a non-negative result is a new descriptor that we own.
    let fd = unsafe {
        libc::openat(
            dir.as_raw_fd(),
            c.as_ptr(),
            libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` was just returned by openat and is owned by nobody else.
    Ok(unsafe { File::from_raw_fd(fd) })
}

fn read_entry(dir: &File, path: PathBuf) -> Entry {
    let name = path.file_name().unwrap_or_default();
    let mut f = match open_in(dir, name) {
        Ok(f) => f,
        // ELOOP: it became a symlink after listing.
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return Entry::Ignored,
        Err(e) => return Entry::Unreadable(path, e.to_string()),
    };
    let meta = match f.metadata() {
        Ok(m) => m,
        Err(e) => return Entry::Unreadable(path, e.to_string()),
    };
    if !meta.is_file() || meta.mode() & 0o111 == 0 {
        return Entry::Ignored;
    }
    // Ask for no more than the file holds, so one read() suffices (no second read for EOF).
    let want = usize::try_from(meta.len()).map_or(HEAD_MAX, |n| n.min(HEAD_MAX));
    let head = match read_head(&mut f, want) {
        Ok(h) => h,
        Err(e) => return Entry::Unreadable(path, e.to_string()),
    };
    match shebang::parse(&head) {
        Ok(header) => Entry::Script(Script { path, header }),
        Err(NotScript::LineTooLong) => Entry::Overlong(path),
        Err(_) => Entry::Ignored,
    }
}

/// Read the heads of every executable script directly in `bin`.
pub fn read_bin(bin: &Path) -> io::Result<BinListing> {
    let mut paths = Vec::new();
    for entry in fs::read_dir(bin)? {
        let entry = entry?;
        // d_type where the filesystem gives it, else lstat: never a stat through a link.
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_file() {
            paths.push(entry.path());
        }
    }
    // By bytes: comparing Paths component by component is measurably slower.
    paths.sort_unstable_by(|a, b| a.as_os_str().as_bytes().cmp(b.as_os_str().as_bytes()));
    let dir = File::open(bin)?;
    let entries: Vec<Entry> = paths.into_par_iter().map(|p| read_entry(&dir, p)).collect();
    let mut out = BinListing::default();
    for e in entries {
        match e {
            Entry::Script(s) => out.scripts.push(s),
            Entry::Unreadable(p, why) => out.unreadable.push((p, why)),
            Entry::Overlong(p) => out.overlong.push(p),
            Entry::Ignored => {}
        }
    }
    Ok(out)
}
