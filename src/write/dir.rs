//! Directories held open by descriptor. Everything pydoctor writes inside an environment is
//! reached from a descriptor on the environment's root, one component at a time, never through
//! a symlink (`openat2` with `RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS` where the kernel has it,
//! an `O_NOFOLLOW` walk otherwise), and every create, rename and unlink is relative to the
//! descriptor of the folder it happens in. A folder swapped for a symlink after it was opened
//! cannot redirect a write: the descriptor still names the folder that was checked.

use std::ffi::{CStr, CString, OsStr, OsString};
use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Component, Path, PathBuf};

fn cstr(name: &OsStr) -> io::Result<CString> {
    CString::new(name.as_bytes()).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
}

fn check(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

/// A single file name: not empty, not `.` or `..`, no `/`.
fn is_plain_name(name: &OsStr) -> bool {
    let b = name.as_bytes();
    !b.is_empty() && b != b"." && b != b".." && !b.contains(&b'/')
}

/// Split a relative path into plain names; `None` for absolute paths, `..`, or empty.
pub fn plain_components(rel: &Path) -> Option<Vec<&OsStr>> {
    let mut out = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(n) if is_plain_name(n) => out.push(n),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!out.is_empty()).then_some(out)
}

/// An open directory and the path it was opened as (for messages).
#[derive(Debug)]
pub struct Dir {
    fd: OwnedFd,
    path: PathBuf,
}

/// What `fstatat(..., AT_SYMLINK_NOFOLLOW)` says of a name in a directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
    pub mtime_ns: i128,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
}

impl Stat {
    fn from(st: &libc::stat) -> Stat {
        Stat {
            dev: st.st_dev,
            ino: st.st_ino,
            size: st.st_size as u64,
            mtime_ns: i128::from(st.st_mtime) * 1_000_000_000 + i128::from(st.st_mtime_nsec),
            mode: st.st_mode,
            uid: st.st_uid,
            gid: st.st_gid,
        }
    }

    pub fn is_file(&self) -> bool {
        self.mode & libc::S_IFMT == libc::S_IFREG
    }

    pub fn is_dir(&self) -> bool {
        self.mode & libc::S_IFMT == libc::S_IFDIR
    }

    pub fn is_symlink(&self) -> bool {
        self.mode & libc::S_IFMT == libc::S_IFLNK
    }

    /// The same file with the same content, as far as metadata tells.
    pub fn same_version(&self, other: &Stat) -> bool {
        self.dev == other.dev
            && self.ino == other.ino
            && self.size == other.size
            && self.mtime_ns == other.mtime_ns
    }
}

/// `fstat` of an open file.
pub fn fstat(f: &impl AsRawFd) -> io::Result<Stat> {
    // SAFETY: `st` is written by fstat on success; the descriptor is open for the call.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    check(unsafe { libc::fstat(f.as_raw_fd(), &mut st) })?;
    Ok(Stat::from(&st))
}

impl Dir {
    /// Open the directory at `path`, following symlinks in it: the user named this path.
    pub fn open(path: &Path) -> io::Result<Dir> {
        let c = cstr(path.as_os_str())?;
        // SAFETY: a valid NUL-terminated path; a non-negative result is a descriptor we own.
        let fd = check(unsafe {
            libc::open(
                c.as_ptr(),
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        })?;
        Ok(Dir {
            // SAFETY: `fd` was just returned by open and is owned by nobody else.
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn raw(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    fn openat(&self, name: &OsStr, flags: libc::c_int, mode: libc::mode_t) -> io::Result<OwnedFd> {
        let c = cstr(name)?;
        // SAFETY: an open directory descriptor and a NUL-terminated name, alive for the call.
        let fd = check(unsafe {
            libc::openat(
                self.raw(),
                c.as_ptr(),
                flags | libc::O_CLOEXEC | libc::O_NOFOLLOW,
                libc::c_uint::from(mode),
            )
        })?;
        // SAFETY: `fd` was just returned by openat and is owned by nobody else.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    }

    /// The folder `rel` below this one, never through a symlink and never above this one.
    pub fn open_beneath(&self, rel: &Path) -> io::Result<Dir> {
        let names = plain_components(rel).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is not a plain relative path", rel.display()),
            )
        })?;
        let path = self.path.join(rel);
        #[cfg(target_os = "linux")]
        if let Some(fd) = self.openat2_beneath(rel)? {
            return Ok(Dir { fd, path });
        }
        let mut fd = self.openat(names[0], libc::O_RDONLY | libc::O_DIRECTORY, 0)?;
        for n in &names[1..] {
            let next = Dir {
                fd,
                path: PathBuf::new(),
            };
            fd = next.openat(n, libc::O_RDONLY | libc::O_DIRECTORY, 0)?;
        }
        Ok(Dir { fd, path })
    }

    /// `openat2` resolving `rel` beneath this folder with no symlink at all; `None` where the
    /// kernel has no `openat2` (before 5.6), so the caller walks instead.
    #[cfg(target_os = "linux")]
    fn openat2_beneath(&self, rel: &Path) -> io::Result<Option<OwnedFd>> {
        use std::sync::atomic::{AtomicBool, Ordering};
        static UNAVAILABLE: AtomicBool = AtomicBool::new(false);
        if UNAVAILABLE.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let c = cstr(rel.as_os_str())?;
        // SAFETY: open_how is plain data; zero is a valid value for each field.
        let mut how: libc::open_how = unsafe { std::mem::zeroed() };
        how.flags = (libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC) as u64;
        how.resolve =
            libc::RESOLVE_BENEATH | libc::RESOLVE_NO_SYMLINKS | libc::RESOLVE_NO_MAGICLINKS;
        // SAFETY: valid descriptor, NUL-terminated path and an open_how of the size passed.
        let ret = unsafe {
            libc::syscall(
                libc::SYS_openat2,
                self.raw(),
                c.as_ptr(),
                &how as *const libc::open_how,
                std::mem::size_of::<libc::open_how>(),
            )
        };
        if ret < 0 {
            let e = io::Error::last_os_error();
            return match e.raw_os_error() {
                Some(libc::ENOSYS) | Some(libc::EPERM) => {
                    // Not there, or refused by a seccomp filter: walk instead.
                    UNAVAILABLE.store(true, Ordering::Relaxed);
                    Ok(None)
                }
                _ => Err(e),
            };
        }
        // SAFETY: a descriptor just returned by openat2, owned by nobody else.
        Ok(Some(unsafe { OwnedFd::from_raw_fd(ret as RawFd) }))
    }

    /// Open the file `name` in this folder for reading, never through a symlink and without
    /// blocking on a FIFO.
    pub fn open_read(&self, name: &OsStr) -> io::Result<File> {
        self.openat(name, libc::O_RDONLY | libc::O_NONBLOCK, 0)
            .map(File::from)
    }

    /// Create a new file `name` (it must not exist) with `mode`, for writing.
    pub fn create_new(&self, name: &OsStr, mode: u32) -> io::Result<File> {
        self.openat(
            name,
            libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL,
            mode as libc::mode_t,
        )
        .map(File::from)
    }

    /// `fstatat` without following a symlink.
    pub fn stat(&self, name: &OsStr) -> io::Result<Stat> {
        let c = cstr(name)?;
        // SAFETY: `st` is written on success; descriptor and name are valid for the call.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        check(unsafe {
            libc::fstatat(self.raw(), c.as_ptr(), &mut st, libc::AT_SYMLINK_NOFOLLOW)
        })?;
        Ok(Stat::from(&st))
    }

    /// This folder's own metadata.
    pub fn stat_self(&self) -> io::Result<Stat> {
        fstat(&self.fd)
    }

    pub fn rename(&self, from: &OsStr, to: &OsStr) -> io::Result<()> {
        let (a, b) = (cstr(from)?, cstr(to)?);
        // SAFETY: valid descriptors and NUL-terminated names for the call.
        check(unsafe { libc::renameat(self.raw(), a.as_ptr(), self.raw(), b.as_ptr()) })?;
        Ok(())
    }

    pub fn unlink(&self, name: &OsStr) -> io::Result<()> {
        let c = cstr(name)?;
        // SAFETY: valid descriptor and NUL-terminated name.
        check(unsafe { libc::unlinkat(self.raw(), c.as_ptr(), 0) })?;
        Ok(())
    }

    /// Make the folder `name` (mode 0700) unless it exists.
    pub fn mkdir(&self, name: &OsStr, mode: u32) -> io::Result<()> {
        let c = cstr(name)?;
        // SAFETY: valid descriptor and NUL-terminated name.
        match check(unsafe { libc::mkdirat(self.raw(), c.as_ptr(), mode as libc::mode_t) }) {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// A symlink `name` -> `target` in this folder.
    pub fn symlink(&self, target: &Path, name: &OsStr) -> io::Result<()> {
        let (t, n) = (cstr(target.as_os_str())?, cstr(name)?);
        // SAFETY: valid descriptor and NUL-terminated strings.
        check(unsafe { libc::symlinkat(t.as_ptr(), self.raw(), n.as_ptr()) })?;
        Ok(())
    }

    pub fn readlink(&self, name: &OsStr) -> io::Result<PathBuf> {
        let c = cstr(name)?;
        let mut buf = vec![0u8; libc::PATH_MAX as usize];
        // SAFETY: the buffer is as long as the length passed.
        let n =
            unsafe { libc::readlinkat(self.raw(), c.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        buf.truncate(n as usize);
        Ok(PathBuf::from(OsString::from_vec(buf)))
    }

    /// Flush this folder's entries (after renames) to disk.
    pub fn sync(&self) -> io::Result<()> {
        // SAFETY: an open descriptor.
        check(unsafe { libc::fsync(self.raw()) })?;
        Ok(())
    }

    /// Flush the whole filesystem this folder is on (one call for a batch of files).
    pub fn syncfs(&self) -> io::Result<()> {
        #[cfg(target_os = "linux")]
        // SAFETY: an open descriptor.
        check(unsafe { libc::syncfs(self.raw()) })?;
        Ok(())
    }

    /// Hold an exclusive lock on this folder so two pydoctor processes never rewrite it at
    /// once (the second waits). `false` where the filesystem has no such locks.
    pub fn lock(&self) -> bool {
        // SAFETY: an open descriptor; flock blocks until the lock is granted.
        unsafe { libc::flock(self.raw(), libc::LOCK_EX) == 0 }
    }

    /// The names in this folder (not `.` or `..`).
    pub fn names(&self) -> io::Result<Vec<OsString>> {
        // SAFETY: dup gives a descriptor that fdopendir takes over and closedir closes.
        let dup = check(unsafe { libc::fcntl(self.raw(), libc::F_DUPFD_CLOEXEC, 0) })?;
        let dir = unsafe { libc::fdopendir(dup) };
        if dir.is_null() {
            let e = io::Error::last_os_error();
            // SAFETY: fdopendir failed, so `dup` is still ours to close.
            unsafe { libc::close(dup) };
            return Err(e);
        }
        // SAFETY: the stream starts at the beginning whatever the descriptor's offset.
        unsafe { libc::rewinddir(dir) };
        let mut out = Vec::new();
        loop {
            // SAFETY: `dir` is a valid stream until closedir below.
            let ent = unsafe { libc::readdir(dir) };
            if ent.is_null() {
                break;
            }
            // SAFETY: d_name is a NUL-terminated array inside the entry readdir returned.
            let name = unsafe { CStr::from_ptr((*ent).d_name.as_ptr()) };
            let name = OsStr::from_bytes(name.to_bytes());
            if is_plain_name(name) {
                out.push(name.to_os_string());
            }
        }
        // SAFETY: closes the stream and the duplicated descriptor.
        unsafe { libc::closedir(dir) };
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_through_a_symlink() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("env");
        std::fs::create_dir_all(root.join("bin")).unwrap();
        std::fs::create_dir_all(t.path().join("outside")).unwrap();
        std::os::unix::fs::symlink(t.path().join("outside"), root.join("share")).unwrap();
        let d = Dir::open(&root).unwrap();
        assert!(d.open_beneath(Path::new("bin")).is_ok());
        assert!(d.open_beneath(Path::new("share")).is_err());
        assert!(d.open_beneath(Path::new("share/x")).is_err());
        assert!(d.open_beneath(Path::new("../env/bin")).is_err());
        assert!(d.open_beneath(Path::new("/tmp")).is_err());
        std::os::unix::fs::symlink("/etc/passwd", root.join("bin/link")).unwrap();
        let bin = d.open_beneath(Path::new("bin")).unwrap();
        assert!(bin.open_read(OsStr::new("link")).is_err());
        assert!(bin.stat(OsStr::new("link")).unwrap().is_symlink());
        assert_eq!(bin.names().unwrap(), [OsString::from("link")]);
        bin.create_new(OsStr::new("f"), 0o600).unwrap();
        assert!(bin.create_new(OsStr::new("f"), 0o600).is_err(), "O_EXCL");
        bin.rename(OsStr::new("f"), OsStr::new("g")).unwrap();
        assert!(bin.stat(OsStr::new("g")).unwrap().is_file());
    }
}
