//! The one module that writes. Crash-safe batch rewriting: for every file, a temp file in the
//! same folder with the original's mode and owner; then one filesystem sync for the whole
//! batch (an fsync per file is far too slow on 5,000 scripts); then the undo journal; then a
//! rename over each original after checking it did not change; then a sync of each folder. A
//! crash leaves every file either old or new, plus temp files that the next run removes.
//!
//! Every job names its folder by an open descriptor ([`Dir`]) reached without symlinks from
//! the environment's root ([`Tree`]), so nothing is written outside it, whatever is swapped
//! in meanwhile.

pub mod dir;
pub mod journal;

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use dir::Dir;
use dir::Stat;

/// Temp files are named `.pydoctor-XXXXXX.tmp` so a later run can recognise and remove them.
pub const TEMP_PREFIX: &str = ".pydoctor-";
pub const TEMP_SUFFIX: &str = ".tmp";
/// Larger files are not rewritten (a script this big is not a console script).
pub const MAX_REWRITE: u64 = 256 << 20;
/// How much of each file a dry run's diff compares: headers are what change.
const DIFF_SHOWN: usize = 64 << 10;

/// Computes a file's new content from its current bytes: `Ok(None)` leaves it as it is,
/// `Err` explains why it is left alone.
pub type Compute = Box<dyn Fn(&[u8]) -> Result<Option<Vec<u8>>, String> + Send + Sync>;

/// What a job does to its file.
pub enum Change {
    /// Rewrite a regular file's bytes.
    Rewrite(Compute),
    /// Point a symlink at `to`; with `expect`, only when it now points there (undo).
    Relink {
        to: PathBuf,
        expect: Option<PathBuf>,
    },
}

/// One file to change: the folder it is in (held open), its name there, and its path as the
/// user knows it (for reports).
pub struct Job {
    pub dir: Arc<Dir>,
    pub name: OsString,
    pub path: PathBuf,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Unchanged,
    /// Rewritten (or, in a dry run, would be); `diff` is the unified diff of the change and
    /// `edit` what the undo journal records.
    Changed {
        diff: String,
        edit: Edit,
    },
    /// Deliberately left alone.
    Refused(String),
    /// An I/O error; the file is as it was.
    Failed(String),
}

/// A SHA-256 of a whole file, in hex.
pub fn digest(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a change did, enough to undo it exactly and only when the file is still as it left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Edit {
    /// The file's leading bytes `old` became `new` (everything after is identical); `before`
    /// and `after` hash the whole file.
    File {
        old: Vec<u8>,
        new: Vec<u8>,
        before: String,
        after: String,
    },
    /// A symlink's target `old` became `new`.
    Link { old: PathBuf, new: PathBuf },
}

impl Edit {
    /// The differing prefixes of `old` and `new` (their longest common suffix removed), and
    /// the hashes of both.
    pub fn between(old: &[u8], new: &[u8]) -> Edit {
        let common = old
            .iter()
            .rev()
            .zip(new.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        Edit::File {
            old: old[..old.len() - common].to_vec(),
            new: new[..new.len() - common].to_vec(),
            before: digest(old),
            after: digest(new),
        }
    }
}

/// A name for a temp file that no other run picks: pid, time and a counter.
fn temp_name() -> OsString {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_nanos();
    OsString::from(format!(
        "{TEMP_PREFIX}{:x}-{t:x}-{n:x}{TEMP_SUFFIX}",
        std::process::id()
    ))
}

fn is_temp_name(name: &OsStr) -> bool {
    let n = name.to_string_lossy();
    n.starts_with(TEMP_PREFIX) && n.ends_with(TEMP_SUFFIX)
}

/// A temp file (or link) waiting to be renamed over its original; removed if dropped first.
struct Staged {
    dir: Arc<Dir>,
    temp: OsString,
    /// The original as it was read; the rename happens only if it still is.
    original: Stat,
    done: bool,
}

impl Staged {
    fn new(job: &Job, temp: OsString, original: Stat) -> Staged {
        Staged {
            dir: Arc::clone(&job.dir),
            temp,
            original,
            done: false,
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.dir.unlink(&self.temp);
        }
    }
}

/// The folders of one environment, reached from its root without symlinks; each folder is
/// opened once however many files in it are written.
pub struct Tree {
    root_path: PathBuf,
    root: Arc<Dir>,
    dirs: Mutex<HashMap<PathBuf, Arc<Dir>>>,
}

impl Tree {
    pub fn open(root: &Path) -> io::Result<Tree> {
        Ok(Tree {
            root_path: root.to_path_buf(),
            root: Arc::new(Dir::open(root)?),
            dirs: Mutex::new(HashMap::new()),
        })
    }

    pub fn root(&self) -> &Arc<Dir> {
        &self.root
    }

    pub fn root_path(&self) -> &Path {
        &self.root_path
    }

    /// Where `rel` really is inside the tree: symlinked folders are followed only when they
    /// lead to another folder inside it (a relative link that stays below the root), one
    /// component at a time from the root's descriptor.
    fn resolve_inside(&self, rel: &Path) -> io::Result<PathBuf> {
        let outside = || {
            io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "{} leads outside the environment; refusing to write there",
                    self.root_path.join(rel).display()
                ),
            )
        };
        let mut todo: Vec<OsString> = dir::plain_components(rel)
            .ok_or_else(outside)?
            .into_iter()
            .rev()
            .map(OsStr::to_os_string)
            .collect();
        let mut done: Vec<OsString> = Vec::new();
        let mut hops = 0;
        while let Some(name) = todo.pop() {
            let here: PathBuf = done.iter().collect();
            let d = if here.as_os_str().is_empty() {
                Arc::clone(&self.root)
            } else {
                Arc::new(self.root.open_beneath(&here)?)
            };
            if !d.stat(&name)?.is_symlink() {
                done.push(name);
                continue;
            }
            hops += 1;
            let target = d.readlink(&name)?;
            if target.is_absolute() || hops > 32 {
                return Err(outside());
            }
            for c in target.components().rev() {
                match c {
                    std::path::Component::Normal(n) => todo.push(n.to_os_string()),
                    std::path::Component::ParentDir => todo.push(OsString::from("..")),
                    _ => {}
                }
            }
            // `..` pops a resolved component; above the root is outside.
            while todo.last().is_some_and(|n| n == "..") {
                todo.pop();
                done.pop().ok_or_else(outside)?;
            }
        }
        Ok(done.iter().collect())
    }

    /// The folder `rel` (relative to the root), opened once, never through a symlink that
    /// leads out of the tree.
    pub fn dir(&self, rel: &Path) -> io::Result<Arc<Dir>> {
        if rel.as_os_str().is_empty() {
            return Ok(Arc::clone(&self.root));
        }
        let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(d) = dirs.get(rel) {
            return Ok(Arc::clone(d));
        }
        let opened = match self.root.open_beneath(rel) {
            Err(e)
                if e.raw_os_error() == Some(libc::ELOOP)
                    || e.raw_os_error() == Some(libc::EXDEV) =>
            {
                let real = self.resolve_inside(rel)?;
                self.root.open_beneath(&real)
            }
            other => other,
        };
        let d = Arc::new(opened.map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("{}: {e}", self.root_path.join(rel).display()),
            )
        })?);
        dirs.insert(rel.to_path_buf(), Arc::clone(&d));
        Ok(d)
    }

    /// The folder and name of `path` (relative to the root, or absolute and inside it).
    pub fn locate(&self, path: &Path) -> io::Result<(Arc<Dir>, OsString)> {
        let rel = if path.is_absolute() {
            path.strip_prefix(&self.root_path).map_err(|_| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{} is outside {}", path.display(), self.root_path.display()),
                )
            })?
        } else {
            path
        };
        let names = dir::plain_components(rel).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{} is not a plain path inside the environment",
                    rel.display()
                ),
            )
        })?;
        let (name, parents) = names.split_last().expect("plain_components is never empty");
        let parent: PathBuf = parents.iter().collect();
        Ok((self.dir(&parent)?, name.to_os_string()))
    }

    /// A job on the file at `path` inside this tree.
    pub fn job(&self, path: &Path, change: Change) -> io::Result<Job> {
        let (dir, name) = self.locate(path)?;
        Ok(Job {
            dir,
            name,
            path: self
                .root_path
                .join(path.strip_prefix(&self.root_path).unwrap_or(path)),
            change,
        })
    }
}

/// A job on a file outside any environment (a user's kernelspec, IPython profile): its
/// folder is opened as named, the file itself never through a symlink.
pub fn job_in_own_folder(path: &Path, change: Change) -> io::Result<Job> {
    let parent = path.parent().unwrap_or(Path::new("/"));
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
    Ok(Job {
        dir: Arc::new(Dir::open(parent)?),
        name: name.to_os_string(),
        path: path.to_path_buf(),
        change,
    })
}

/// Remove temp files left behind by a run that was killed.
pub fn remove_stale_temps(dir: &Dir) -> io::Result<usize> {
    let mut removed = 0;
    for name in dir.names()? {
        if is_temp_name(&name) && dir.stat(&name).is_ok_and(|s| s.is_file() || s.is_symlink()) {
            dir.unlink(&name)?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Read a whole regular file (at most `cap` bytes) opened without following a symlink.
fn read_file(dir: &Dir, name: &OsStr, cap: u64) -> Result<(Vec<u8>, Stat), Outcome> {
    let mut f = match dir.open_read(name) {
        Ok(f) => f,
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(Outcome::Refused("is a symbolic link".into()));
        }
        Err(e) => return Err(Outcome::Failed(e.to_string())),
    };
    let st = dir::fstat(&f).map_err(|e| Outcome::Failed(e.to_string()))?;
    if !st.is_file() {
        return Err(Outcome::Refused("not a regular file".into()));
    }
    if st.size > cap {
        return Err(Outcome::Refused(format!("larger than {} MiB", cap >> 20)));
    }
    let mut buf = Vec::with_capacity(st.size as usize);
    (&mut f)
        .take(cap + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Outcome::Failed(e.to_string()))?;
    Ok((buf, st))
}

/// A temp file beside the original holding `content`, with the original's owner and mode.
fn write_temp(dir: &Arc<Dir>, content: &[u8], like: &Stat) -> io::Result<OsString> {
    let temp = temp_name();
    let mut f = dir.create_new(&temp, 0o600)?;
    let staged = Staged {
        dir: Arc::clone(dir),
        temp: temp.clone(),
        original: *like,
        done: false,
    };
    f.write_all(content)?;
    let mine = dir::fstat(&f)?;
    if mine.uid != like.uid || mine.gid != like.gid {
        // Keep the owner where we may (root, or a group we belong to); otherwise the file
        // becomes ours, as with any editor.
        // SAFETY: an open descriptor.
        let _ = unsafe { libc::fchown(f.as_raw_fd(), like.uid, like.gid) };
    }
    // After chown, which clears set-id bits; skipped when the mode is already right.
    let want = like.mode & 0o7777;
    if mine.mode & 0o7777 != want || mine.uid != like.uid {
        // SAFETY: an open descriptor.
        if unsafe { libc::fchmod(f.as_raw_fd(), want as libc::mode_t) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    if !cfg!(target_os = "linux") {
        f.sync_data()?;
    }
    let mut staged = staged;
    staged.done = true;
    Ok(temp)
}

fn stage_rewrite(job: &Job, compute: &Compute, dry_run: bool) -> (Outcome, Option<Staged>) {
    let (old, st) = match read_file(&job.dir, &job.name, MAX_REWRITE) {
        Ok(x) => x,
        Err(outcome) => return (outcome, None),
    };
    let new = match compute(&old) {
        Ok(Some(new)) => new,
        Ok(None) => return (Outcome::Unchanged, None),
        Err(why) => return (Outcome::Refused(why), None),
    };
    let diff = crate::diff::unified(&job.path, &old, &new, DIFF_SHOWN);
    let edit = Edit::between(&old, &new);
    if dry_run {
        return (Outcome::Changed { diff, edit }, None);
    }
    match write_temp(&job.dir, &new, &st) {
        Ok(temp) => (
            Outcome::Changed { diff, edit },
            Some(Staged::new(job, temp, st)),
        ),
        Err(e) => (Outcome::Failed(e.to_string()), None),
    }
}

fn stage_relink(
    job: &Job,
    to: &Path,
    expect: Option<&Path>,
    dry_run: bool,
) -> (Outcome, Option<Staged>) {
    let st = match job.dir.stat(&job.name) {
        Ok(st) if st.is_symlink() => st,
        Ok(_) => return (Outcome::Refused("not a symbolic link".into()), None),
        Err(e) => return (Outcome::Failed(e.to_string()), None),
    };
    let old = match job.dir.readlink(&job.name) {
        Ok(t) => t,
        Err(e) => return (Outcome::Failed(e.to_string()), None),
    };
    if old == to {
        return (Outcome::Unchanged, None);
    }
    if expect.is_some_and(|e| e != old) {
        return (
            Outcome::Refused(format!(
                "now points to {}, not where pydoctor left it; left as is",
                old.display()
            )),
            None,
        );
    }
    let diff = format!(
        "{}: {} -> {}\n",
        job.path.display(),
        old.display(),
        to.display()
    );
    let edit = Edit::Link {
        old,
        new: to.to_path_buf(),
    };
    if dry_run {
        return (Outcome::Changed { diff, edit }, None);
    }
    let temp = temp_name();
    match job.dir.symlink(to, &temp) {
        Ok(()) => (
            Outcome::Changed { diff, edit },
            Some(Staged::new(job, temp, st)),
        ),
        Err(e) => (Outcome::Failed(e.to_string()), None),
    }
}

/// Read, compute and (unless `dry_run`) stage one job.
fn stage(job: &Job, dry_run: bool) -> (Outcome, Option<Staged>) {
    match &job.change {
        Change::Rewrite(compute) => stage_rewrite(job, compute, dry_run),
        Change::Relink { to, expect } => stage_relink(job, to, expect.as_deref(), dry_run),
    }
}

/// What a batch did: one outcome per job, in order, and warnings that affect no single file.
#[derive(Debug, Default)]
pub struct Batch {
    pub outcomes: Vec<Outcome>,
    pub warnings: Vec<String>,
}

/// Writes the undo journal for the staged edits (path as the job names it), before any file
/// is renamed.
pub type Journal<'a> = &'a dyn Fn(&[(&Path, &Edit)]) -> io::Result<()>;

/// Distinct folders of the staged jobs (by descriptor), in first-seen order.
fn distinct_dirs<'a>(dirs: impl Iterator<Item = &'a Arc<Dir>>) -> Vec<&'a Arc<Dir>> {
    let mut out: Vec<&Arc<Dir>> = Vec::new();
    for d in dirs {
        if !out.iter().any(|o| Arc::ptr_eq(o, d)) {
            out.push(d);
        }
    }
    out
}

/// Run every job: stage all, sync once, write the undo journal, rename each, sync the folders.
pub fn run(jobs: &[Job], dry_run: bool, journal: Option<Journal>) -> Batch {
    let staged: Vec<(Outcome, Option<Staged>)> =
        jobs.par_iter().map(|j| stage(j, dry_run)).collect();
    let mut outcomes = Vec::with_capacity(staged.len());
    let mut pending: Vec<(usize, Staged)> = Vec::new();
    for (index, (outcome, temp)) in staged.into_iter().enumerate() {
        if let Some(s) = temp {
            pending.push((index, s));
        }
        outcomes.push(outcome);
    }
    let mut warnings = Vec::new();
    if pending.is_empty() {
        return Batch { outcomes, warnings };
    }
    let fail_all = |outcomes: &mut Vec<Outcome>, pending: &[(usize, Staged)], why: String| {
        for (i, _) in pending {
            outcomes[*i] = Outcome::Failed(why.clone());
        }
    };
    // One syncfs per filesystem covers every temp file (elsewhere each was synced).
    let mut devs = Vec::new();
    for (_, s) in &pending {
        if !devs.contains(&s.original.dev) {
            devs.push(s.original.dev);
            if let Err(e) = s.dir.syncfs() {
                // Nothing renamed yet: every original is intact; the temps are removed on drop.
                fail_all(&mut outcomes, &pending, format!("sync failed: {e}"));
                return Batch { outcomes, warnings };
            }
        }
    }
    if let Some(write_journal) = journal {
        let edits: Vec<(&Path, &Edit)> = pending
            .iter()
            .filter_map(|(i, _)| match &outcomes[*i] {
                Outcome::Changed { edit, .. } => Some((jobs[*i].path.as_path(), edit)),
                _ => None,
            })
            .collect();
        if let Err(e) = write_journal(&edits) {
            // No way back without the journal: change nothing.
            fail_all(
                &mut outcomes,
                &pending,
                format!("could not write the undo journal: {e}"),
            );
            return Batch { outcomes, warnings };
        }
    }
    // Each file is checked and renamed on its own (atomic per file), many at once: on a
    // network filesystem each check and rename is a round trip.
    let renamed: Vec<Result<(), String>> = pending
        .par_iter_mut()
        .map(|(i, s)| {
            let job = &jobs[*i];
            let still = job
                .dir
                .stat(&job.name)
                .is_ok_and(|now| now.same_version(&s.original) && now.mode == s.original.mode);
            if !still {
                return Err("changed by someone else while fixing; run again".into());
            }
            job.dir
                .rename(&s.temp, &job.name)
                .map(|()| s.done = true)
                .map_err(|e| format!("rename failed: {e}"))
        })
        .collect();
    for ((i, _), r) in pending.iter().zip(renamed) {
        if let Err(why) = r {
            outcomes[*i] = Outcome::Failed(why);
        }
    }
    for d in distinct_dirs(pending.iter().map(|(_, s)| &s.dir)) {
        if let Err(e) = d.sync() {
            // The renames happened; only their durability on power loss is in doubt.
            warnings.push(format!("could not sync {}: {e}", d.path().display()));
        }
    }
    Batch { outcomes, warnings }
}

/// Replace the file `name` in `dir` atomically and durably: temp file in the same folder with
/// `like`'s mode and owner (0600 and ours for a new file), data synced, rename, folder synced.
pub fn write_atomic_in(
    dir: &Arc<Dir>,
    name: &OsStr,
    content: &[u8],
    like: Option<&Stat>,
) -> io::Result<()> {
    let own = Stat {
        dev: 0,
        ino: 0,
        size: 0,
        mtime_ns: 0,
        mode: 0o100600,
        // SAFETY: getuid/getgid cannot fail.
        uid: unsafe { libc::geteuid() },
        gid: unsafe { libc::getegid() },
    };
    let temp = write_temp(dir, content, like.unwrap_or(&own))?;
    let mut staged = Staged {
        dir: Arc::clone(dir),
        temp: temp.clone(),
        original: own,
        done: false,
    };
    let f = dir.open_read(&temp)?;
    f.sync_all()?;
    dir.rename(&temp, name)?;
    staged.done = true;
    dir.sync()
}

/// [`write_atomic_in`] the folder of `path` (opened as named: the user's own config folder),
/// keeping the mode and owner of the file it replaces.
pub fn write_atomic(path: &Path, content: &[u8]) -> io::Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
    let dir = Arc::new(Dir::open(parent)?);
    let like = dir.stat(name).ok().filter(Stat::is_file);
    write_atomic_in(&dir, name, content, like.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn between_keeps_hashes_of_whole_files() {
        let Edit::File {
            old,
            new,
            before,
            after,
        } = Edit::between(b"#!/x/envs/p\nbody\n", b"#!/x/env/p\nbody\n")
        else {
            panic!("a file edit");
        };
        assert_eq!(old, b"#!/x/envs");
        assert_eq!(new, b"#!/x/env");
        assert_eq!(before, digest(b"#!/x/envs/p\nbody\n"));
        assert_eq!(after, digest(b"#!/x/env/p\nbody\n"));
    }
}
