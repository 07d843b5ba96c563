//! The one module that writes. Crash-safe batch rewriting: for every file, a temp file in the same directory with the same
//! mode and owner; then one filesystem sync for the whole batch (an fsync per file is far too
//! slow on 5,000 scripts); then a rename over each original after checking it did not change;
//! then a sync of each directory. A crash leaves every file either old or new, plus temp files
//! that the next run removes.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tempfile::TempPath;

use crate::scripts;

pub mod journal;

/// Identity of a file when it was read; a rewrite checks it again before replacing the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mtime_ns: i128,
}

impl Stamp {
    fn of(m: &fs::Metadata) -> Stamp {
        Stamp {
            dev: m.dev(),
            ino: m.ino(),
            size: m.size(),
            mtime_ns: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
        }
    }
}

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

pub struct Job {
    pub path: PathBuf,
    pub compute: Compute,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Unchanged,
    /// Rewritten (or, in a dry run, would be); `diff` is the unified diff of the change and
    /// `edit` the bytes that differ, for the undo journal.
    Changed {
        diff: String,
        edit: Edit,
    },
    /// Deliberately left alone.
    Refused(String),
    /// An I/O error; the file is as it was.
    Failed(String),
}

/// The part of a file a rewrite changed: `old` was replaced by `new` at the start of the
/// file; everything after is identical. Enough to undo the rewrite exactly.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Edit {
    pub old: Vec<u8>,
    pub new: Vec<u8>,
}

impl Edit {
    /// The differing prefixes of `old` and `new` (their longest common suffix removed).
    pub fn between(old: &[u8], new: &[u8]) -> Edit {
        let common = old
            .iter()
            .rev()
            .zip(new.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        Edit {
            old: old[..old.len() - common].to_vec(),
            new: new[..new.len() - common].to_vec(),
        }
    }
}

struct Pending {
    index: usize,
    temp: TempPath,
    stamp: Stamp,
}

/// Remove temp files left behind by a run that was killed.
pub fn remove_stale_temps(dir: &Path) -> io::Result<usize> {
    let mut removed = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMP_PREFIX)
            && name.ends_with(TEMP_SUFFIX)
            && entry.file_type().is_ok_and(|t| t.is_file())
        {
            fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Hold an exclusive lock on `dir` so two pydoctor processes never rewrite one environment at
/// once (the second waits). `None` where the filesystem has no such locks.
pub fn lock_dir(dir: &Path) -> Option<File> {
    let f = File::open(dir).ok()?;
    f.lock().ok()?;
    Some(f)
}

/// Read, compute and (unless `dry_run`) stage one file. Returns the outcome and, when staged,
/// the temp file waiting to be renamed.
fn stage(job: &Job, dry_run: bool) -> (Outcome, Option<(TempPath, Stamp)>) {
    let fail = |e: io::Error| (Outcome::Failed(e.to_string()), None);
    let mut f = match scripts::open_nofollow(&job.path) {
        Ok(f) => f,
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return (Outcome::Refused("is a symbolic link".into()), None);
        }
        Err(e) => return fail(e),
    };
    let meta = match f.metadata() {
        Ok(m) => m,
        Err(e) => return fail(e),
    };
    if !meta.is_file() {
        return (Outcome::Refused("not a regular file".into()), None);
    }
    if meta.len() > MAX_REWRITE {
        return (Outcome::Refused("larger than 256 MiB".into()), None);
    }
    let old = match scripts::read_head(&mut f, meta.len() as usize + 1) {
        Ok(b) => b,
        Err(e) => return fail(e),
    };
    let new = match (job.compute)(&old) {
        Ok(Some(new)) => new,
        Ok(None) => return (Outcome::Unchanged, None),
        Err(why) => return (Outcome::Refused(why), None),
    };
    let diff = crate::diff::unified(&job.path, &old, &new, DIFF_SHOWN);
    let edit = Edit::between(&old, &new);
    if dry_run {
        return (Outcome::Changed { diff, edit }, None);
    }
    match write_temp(&job.path, &new, &meta) {
        Ok(temp) => (
            Outcome::Changed { diff, edit },
            Some((temp, Stamp::of(&meta))),
        ),
        Err(e) => fail(e),
    }
}

/// A temp file beside `path`, named so a later run recognises it, holding `content`.
fn temp_beside(path: &Path, content: &[u8]) -> io::Result<tempfile::NamedTempFile> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)?;
    tmp.write_all(content)?;
    Ok(tmp)
}

fn write_temp(path: &Path, content: &[u8], meta: &fs::Metadata) -> io::Result<TempPath> {
    let tmp = temp_beside(path, content)?;
    let file = tmp.as_file();
    let mine = file.metadata()?;
    if mine.uid() != meta.uid() || mine.gid() != meta.gid() {
        // Keep the owner where we may (root, or a group we belong to); otherwise the file
        // becomes ours, as with any editor.
        let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    }
    // After chown, which clears set-id bits.
    file.set_permissions(fs::Permissions::from_mode(meta.mode() & 0o7777))?;
    if !cfg!(target_os = "linux") {
        file.sync_data()?;
    }
    Ok(tmp.into_temp_path())
}

/// Flush every staged temp file to disk. On Linux one `syncfs` per filesystem covers the whole
/// batch; elsewhere each file was synced as it was written.
fn sync_filesystems(dirs: &BTreeSet<PathBuf>) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let mut devs = BTreeSet::new();
        for d in dirs {
            let f = File::open(d)?;
            if devs.insert(f.metadata()?.dev()) {
                // SAFETY: `f` is an open descriptor for the duration of the call.
                if unsafe { libc::syncfs(f.as_raw_fd()) } != 0 {
                    return Err(io::Error::last_os_error());
                }
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = dirs;
    Ok(())
}

fn unchanged_since(path: &Path, stamp: &Stamp) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && Stamp::of(&m) == *stamp)
}

/// What a batch did: one outcome per job, in order, and warnings that affect no single file.
#[derive(Debug, Default)]
pub struct Batch {
    pub outcomes: Vec<Outcome>,
    pub warnings: Vec<String>,
}

/// Writes the undo journal for the staged edits, before any file is renamed.
pub type Journal<'a> = &'a dyn Fn(&[(&Path, &Edit)]) -> io::Result<()>;

/// Run every job: stage all, write the undo journal, sync once, rename each, sync the
/// directories.
pub fn run(jobs: &[Job], dry_run: bool, journal: Option<Journal>) -> Batch {
    let staged: Vec<(Outcome, Option<(TempPath, Stamp)>)> =
        jobs.par_iter().map(|j| stage(j, dry_run)).collect();
    let mut outcomes = Vec::with_capacity(staged.len());
    let mut pending = Vec::new();
    for (index, (outcome, temp)) in staged.into_iter().enumerate() {
        if let Some((temp, stamp)) = temp {
            pending.push(Pending { index, temp, stamp });
        }
        outcomes.push(outcome);
    }
    let mut warnings = Vec::new();
    if pending.is_empty() {
        return Batch { outcomes, warnings };
    }
    let dirs: BTreeSet<PathBuf> = pending
        .iter()
        .filter_map(|p| jobs[p.index].path.parent().map(Path::to_path_buf))
        .collect();
    if let Some(write_journal) = journal {
        let edits: Vec<(&Path, &Edit)> = pending
            .iter()
            .filter_map(|p| match &outcomes[p.index] {
                Outcome::Changed { edit, .. } => Some((jobs[p.index].path.as_path(), edit)),
                _ => None,
            })
            .collect();
        if let Err(e) = write_journal(&edits) {
            // No way back without the journal: change nothing.
            for p in &pending {
                outcomes[p.index] =
                    Outcome::Failed(format!("could not write the undo journal: {e}"));
            }
            return Batch { outcomes, warnings };
        }
    }
    if let Err(e) = sync_filesystems(&dirs) {
        // Nothing renamed yet: every original is intact; the temps are removed on drop.
        for p in &pending {
            outcomes[p.index] = Outcome::Failed(format!("sync failed: {e}"));
        }
        return Batch { outcomes, warnings };
    }
    for p in pending {
        let path = &jobs[p.index].path;
        if !unchanged_since(path, &p.stamp) {
            outcomes[p.index] =
                Outcome::Failed("changed by someone else while fixing; run again".into());
            continue;
        }
        if let Err(e) = p.temp.persist(path) {
            outcomes[p.index] = Outcome::Failed(format!("rename failed: {}", e.error));
        }
    }
    for d in &dirs {
        if let Err(e) = File::open(d).and_then(|f| f.sync_all()) {
            // The renames happened; only their durability on power loss is in doubt.
            warnings.push(format!("could not sync {}: {e}", d.display()));
        }
    }
    Batch { outcomes, warnings }
}

/// Replace one file atomically and durably: temp file in the same directory, data synced,
/// rename, directory synced. `mode` defaults to 0644 for new files.
pub fn write_atomic(path: &Path, content: &[u8], mode: Option<u32>) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = temp_beside(path, content)?;
    tmp.as_file()
        .set_permissions(fs::Permissions::from_mode(mode.unwrap_or(0o644) & 0o7777))?;
    tmp.as_file().sync_data()?;
    tmp.persist(path).map_err(|e| e.error)?;
    File::open(dir)?.sync_all()
}
