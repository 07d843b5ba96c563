//! Facts about the Python setup around the environments: which interpreter each command on
//! PATH runs, pyenv's version files and shims, variables that leak into every interpreter
//! (PYTHONPATH, CA bundles), the user site, `~/.pydistutils.cfg`, the temp folder. Only files
//! and metadata are read (no subprocess, no network), so `scan` stays fast.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use crate::fsread;

/// What an interpreter is, for telling two apart: the venv it belongs to (its `bin/python` may
/// link to the same base as another venv's), else the real file it resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    Venv(PathBuf),
    Real(PathBuf),
}

/// A command on PATH and the interpreter that runs it.
#[derive(Debug, Clone)]
pub struct OnPath {
    pub name: &'static str,
    pub path: PathBuf,
    /// The interpreter it runs: itself for `python*`, its `#!` interpreter for scripts.
    pub interpreter: PathBuf,
    pub identity: Identity,
}

/// `pip` (or `ipython`, `jupyter`) runs another interpreter than `python` of the same PATH.
#[derive(Debug, Clone)]
pub struct Mismatch {
    pub python: OnPath,
    pub tool: OnPath,
}

/// The active environment is not where PATH finds `python`.
#[derive(Debug, Clone)]
pub struct ActiveShadowed {
    pub var: &'static str,
    pub env: PathBuf,
    pub found: PathBuf,
}

/// A pyenv version named somewhere that is not installed.
#[derive(Debug, Clone)]
pub struct PyenvMissing {
    pub version: String,
    /// `$PYENV_VERSION`, a `.python-version` file, or pyenv's global `version` file.
    pub source: String,
}

/// A CA bundle variable whose file cannot serve.
#[derive(Debug, Clone)]
pub struct CaProblem {
    pub var: &'static str,
    pub path: PathBuf,
    /// `None`: exists and is readable but holds no PEM certificate.
    pub unusable: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct SetupFacts {
    pub mismatches: Vec<Mismatch>,
    pub active_shadowed: Vec<ActiveShadowed>,
    pub pyenv_missing: Vec<PyenvMissing>,
    /// pyenv shims for commands no installed version has.
    pub orphan_shims: Vec<PathBuf>,
    pub pythonpath: Option<String>,
    pub ca: Vec<CaProblem>,
    pub pydistutils: Option<PathBuf>,
    /// The temp folder builds use, and why it cannot serve (not writable, `noexec`).
    pub tmpdir: Option<(PathBuf, String)>,
}

fn var(name: &str) -> Option<OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}

fn home() -> Option<PathBuf> {
    var("HOME").map(PathBuf::from)
}

/// The interpreter a file on PATH runs: a `python*` is one; a script names one on line one
/// (`#!/usr/bin/env python3` resolves through PATH too, so it cannot disagree: `None`).
fn interpreter_of(name: &str, path: &Path) -> Option<PathBuf> {
    if name.starts_with("python") {
        return Some(path.to_path_buf());
    }
    let mut f = crate::scripts::open_nofollow(path)
        .or_else(|_| fs::File::open(path))
        .ok()?;
    let head = crate::scripts::read_head(&mut f, 8 << 10).ok()?;
    let header = crate::shebang::parse(&head).ok()?;
    header.interpreter().map(Path::to_path_buf)
}

/// The venv an interpreter path lies in (`ROOT/bin/python` with `ROOT/pyvenv.cfg`), else the
/// real file behind it.
pub fn identity(interpreter: &Path) -> Option<Identity> {
    if let Some(root) = interpreter.parent().and_then(Path::parent)
        && root.join("pyvenv.cfg").is_file()
    {
        return Some(Identity::Venv(
            fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
        ));
    }
    fs::canonicalize(interpreter).ok().map(Identity::Real)
}

fn on_path(name: &'static str, path_var: &OsString) -> Option<OnPath> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    let path = which::which_in(name, Some(path_var), cwd).ok()?;
    let interpreter = interpreter_of(name, &path)?;
    let identity = identity(&interpreter)?;
    Some(OnPath {
        name,
        path,
        interpreter,
        identity,
    })
}

/// `pip`/`pip3` and `python`/`python3` of the same PATH that run different interpreters; also
/// `ipython` and `jupyter` against `python` (or `python3` where there is no `python`).
fn mismatches(path_var: &OsString) -> Vec<Mismatch> {
    let python = on_path("python", path_var);
    let python3 = on_path("python3", path_var);
    let default = python.clone().or_else(|| python3.clone());
    let pairs = [
        (python.clone(), "pip"),
        (python3.clone(), "pip3"),
        (default.clone(), "ipython"),
        (default, "jupyter"),
    ];
    pairs
        .into_iter()
        .filter_map(|(py, tool)| {
            let py = py?;
            let tool = on_path(tool, path_var)?;
            (py.identity != tool.identity).then_some(Mismatch { python: py, tool })
        })
        .collect()
}

/// `$VIRTUAL_ENV` / `$CONDA_PREFIX` that exist but whose `bin/python` is not what PATH finds.
fn active_shadowed(path_var: &OsString) -> Vec<ActiveShadowed> {
    let found = on_path("python", path_var).or_else(|| on_path("python3", path_var));
    ["VIRTUAL_ENV", "CONDA_PREFIX"]
        .into_iter()
        .filter_map(|v| {
            let env = PathBuf::from(var(v)?);
            let own = env.join("bin/python");
            if !own.exists() {
                return None; // a stale $VIRTUAL_ENV is PD117's
            }
            let found = found.as_ref()?;
            let inside = identity(&own) == Some(found.identity.clone())
                || fs::canonicalize(found.path.parent()?).ok()
                    == fs::canonicalize(env.join("bin")).ok();
            (!inside).then(|| ActiveShadowed {
                var: v,
                env,
                found: found.path.clone(),
            })
        })
        .collect()
}

/// pyenv's root, when pyenv is installed.
fn pyenv_root() -> Option<PathBuf> {
    let root = var("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".pyenv")))?;
    root.join("versions").is_dir().then_some(root)
}

/// Whether pyenv can run `version`: `system`, an installed version, or a prefix of one (pyenv
/// 2.3.24+ resolves `3.11` to the newest installed 3.11.x).
fn pyenv_has(installed: &BTreeSet<String>, version: &str) -> bool {
    version == "system"
        || installed.contains(version)
        || installed
            .iter()
            .any(|v| v.starts_with(&format!("{version}.")))
}

/// The versions a pyenv version file names (whitespace- or colon-separated; `#` comments).
fn version_file(path: &Path) -> Option<Vec<String>> {
    let text = fsread::read_text(path, 64 << 10).ok()?;
    Some(
        text.lines()
            .map(|l| l.split('#').next().unwrap_or_default())
            .flat_map(|l| l.split([' ', '\t', ':']))
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect(),
    )
}

fn pyenv(cwd: &Path) -> (Vec<PyenvMissing>, Vec<PathBuf>) {
    let Some(root) = pyenv_root() else {
        return Default::default();
    };
    let installed: BTreeSet<String> = fs::read_dir(root.join("versions"))
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    let mut named: Vec<(String, String)> = Vec::new();
    if let Some(v) = var("PYENV_VERSION") {
        for w in v
            .to_string_lossy()
            .split([':', ' '])
            .filter(|w| !w.is_empty())
        {
            named.push((w.to_owned(), "$PYENV_VERSION".into()));
        }
    }
    for dir in cwd.ancestors() {
        let file = dir.join(".python-version");
        if let Some(versions) = version_file(&file) {
            named.extend(
                versions
                    .into_iter()
                    .map(|v| (v, file.display().to_string())),
            );
            break; // pyenv reads the nearest one only
        }
    }
    let global = root.join("version");
    if let Some(versions) = version_file(&global) {
        named.extend(
            versions
                .into_iter()
                .map(|v| (v, global.display().to_string())),
        );
    }
    let missing = named
        .into_iter()
        .filter(|(v, _)| !pyenv_has(&installed, v))
        .map(|(version, source)| PyenvMissing { version, source })
        .collect();

    // A shim is a command some installed version has in its bin/.
    let mut commands: BTreeSet<OsString> = BTreeSet::new();
    for v in &installed {
        if let Ok(d) = fs::read_dir(root.join("versions").join(v).join("bin")) {
            commands.extend(d.flatten().map(|e| e.file_name()));
        }
    }
    let mut orphans: Vec<PathBuf> = fs::read_dir(root.join("shims"))
        .map(|d| {
            d.flatten()
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .filter(|e| !commands.contains(&e.file_name()))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    orphans.sort();
    (missing, orphans)
}

/// The CA variables requests, pip, OpenSSL and curl read; a folder is accepted where the
/// variable allows one (requests and curl take a CA folder too).
fn ca_problems() -> Vec<CaProblem> {
    let vars = [
        ("REQUESTS_CA_BUNDLE", true),
        ("SSL_CERT_FILE", false),
        ("PIP_CERT", false),
        ("CURL_CA_BUNDLE", true),
    ];
    vars.into_iter()
        .filter_map(|(v, dir_ok)| {
            let path = PathBuf::from(var(v)?);
            let problem = |why: &str| {
                Some(CaProblem {
                    var: v,
                    path: path.clone(),
                    unusable: Some(why.to_owned()),
                })
            };
            let meta = match fs::metadata(&path) {
                Ok(m) => m,
                Err(e) if crate::paths::is_gone(&e) => return problem("does not exist"),
                Err(e) => return problem(&format!("cannot be read ({e})")),
            };
            if meta.is_dir() {
                return if dir_ok {
                    None
                } else {
                    problem("is a folder, not a file")
                };
            }
            match fsread::read_bytes(&path, 64 << 20, fsread::Links::Follow) {
                Err(e) => problem(&format!("cannot be read ({e})")),
                Ok(bytes) if !contains(&bytes, b"-----BEGIN CERTIFICATE-----") => Some(CaProblem {
                    var: v,
                    path,
                    unusable: None,
                }),
                Ok(_) => None,
            }
        })
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The mount options of the mount holding `dir` (the longest mount point that is a prefix of
/// it), from `/proc/self/mountinfo`.
fn mount_options(dir: &Path) -> Option<Vec<String>> {
    let text = fsread::read_text(Path::new("/proc/self/mountinfo"), 16 << 20).ok()?;
    let mut best: Option<(usize, Vec<String>)> = None;
    for line in text.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        let (Some(point), Some(opts)) = (fields.get(4), fields.get(5)) else {
            continue;
        };
        let point = unescape_mountinfo(point);
        if dir.starts_with(&point) && best.as_ref().is_none_or(|(n, _)| point.len() >= *n) {
            best = Some((point.len(), opts.split(',').map(str::to_owned).collect()));
        }
    }
    best.map(|(_, o)| o)
}

/// mountinfo escapes space, tab, newline and backslash as `\ooo`.
fn unescape_mountinfo(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = (b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0');
            out.push(v);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `$TMPDIR` (else /tmp) when a build could not use it: not a writable folder, or mounted
/// `noexec` (build backends run helpers and compiled test programs from there).
fn tmpdir() -> Option<(PathBuf, String)> {
    let dir = var("TMPDIR").map_or_else(|| PathBuf::from("/tmp"), PathBuf::from);
    let meta = match fs::metadata(&dir) {
        Ok(m) => m,
        Err(e) => return Some((dir, format!("cannot be used ({e})"))),
    };
    if !meta.is_dir() {
        return Some((dir, "is not a folder".into()));
    }
    let c = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()).ok()?;
    // SAFETY: `c` is a valid NUL-terminated path; access(2) only reads it.
    if unsafe { libc::access(c.as_ptr(), libc::W_OK | libc::X_OK) } != 0 {
        return Some((dir, "is not writable".into()));
    }
    let real = fs::canonicalize(&dir).ok()?;
    mount_options(&real)
        .filter(|o| o.iter().any(|x| x == "noexec"))
        .map(|_| (dir, "is on a noexec mount".into()))
}

/// Gather the setup facts of this process (its PATH, variables, home and current folder).
pub fn gather() -> SetupFacts {
    let path_var = var("PATH").unwrap_or_default();
    let cwd = crate::paths::logical_cwd().unwrap_or_else(|_| PathBuf::from("/"));
    let (pyenv_missing, orphan_shims) = pyenv(&cwd);
    SetupFacts {
        mismatches: mismatches(&path_var),
        active_shadowed: active_shadowed(&path_var),
        pyenv_missing,
        orphan_shims,
        pythonpath: var("PYTHONPATH").map(|v| v.to_string_lossy().into_owned()),
        ca: ca_problems(),
        pydistutils: home()
            .map(|h| h.join(".pydistutils.cfg"))
            .filter(|p| p.exists()),
        tmpdir: tmpdir(),
    }
}

/// Top-level names in a site-packages folder that an import can find (packages, modules,
/// extension modules), without metadata and bookkeeping.
pub fn importable_names(site: &Path) -> BTreeSet<String> {
    let Ok(entries) = fs::read_dir(site) else {
        return BTreeSet::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with(['_', '.']) && !n.ends_with(".dist-info"))
        .filter(|n| !n.ends_with(".egg-info") && !n.ends_with(".pth") && n != "README.txt")
        .map(|n| n.split('.').next().unwrap_or(&n).to_owned())
        .collect()
}

/// The user site-packages of Python `mm` (`$PYTHONUSERBASE`, else `~/.local`).
pub fn user_site(mm: &str) -> Option<PathBuf> {
    let base = var("PYTHONUSERBASE")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".local")))?;
    Some(base.join(format!("lib/python{mm}/site-packages")))
}

/// Whether interpreters see the user site at all (`PYTHONNOUSERSITE` turns it off).
pub fn user_site_enabled() -> bool {
    var("PYTHONNOUSERSITE").is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyenv_versions_and_prefixes() {
        let installed: BTreeSet<String> = ["3.11.7", "3.12.1", "myenv"]
            .into_iter()
            .map(String::from)
            .collect();
        for ok in ["system", "3.11.7", "3.11", "3", "myenv"] {
            assert!(pyenv_has(&installed, ok), "{ok}");
        }
        for missing in ["3.11.8", "3.10", "3.1", "other"] {
            assert!(!pyenv_has(&installed, missing), "{missing}");
        }
    }

    #[test]
    fn mountinfo_escapes() {
        assert_eq!(unescape_mountinfo(r"/mnt/a\040b"), "/mnt/a b");
        assert_eq!(unescape_mountinfo(r"/x\134y"), r"/x\y");
        assert_eq!(unescape_mountinfo(r"/plain\0"), r"/plain\0");
    }

    #[test]
    fn importable_names_skip_metadata() {
        let d = tempfile::tempdir().unwrap();
        for n in [
            "requests",
            "six.py",
            "_cffi_backend.so",
            "numpy-1.0.dist-info",
            "x.pth",
        ] {
            fs::write(d.path().join(n), "").unwrap();
        }
        fs::write(d.path().join("yaml.cpython-311-x86_64-linux-gnu.so"), "").unwrap();
        let names: Vec<String> = importable_names(d.path()).into_iter().collect();
        assert_eq!(names, ["requests", "six", "yaml"]);
    }
}

/// Packages of another site that an environment's interpreter also imports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLeak {
    pub site: PathBuf,
    /// How many importable names that site has.
    pub names: usize,
    /// Those the environment has too (shadowed by the user site, which comes first on
    /// sys.path) or, for the base's site, those the environment lacks (found there instead).
    pub overlap: Vec<String>,
}

/// What an environment's interpreter imports from outside it: the user site (conda envs and
/// prefixes, and venvs with `include-system-site-packages = true`; plain venvs exclude it), and
/// the base interpreter's site for such venvs.
pub fn site_leaks(
    env: &crate::env::Env,
    lib_versions: &[String],
) -> (Option<SiteLeak>, Option<SiteLeak>) {
    use crate::env::EnvKind;
    let Some(mm) = lib_versions.first() else {
        return (None, None);
    };
    let own_site = env.root.join(format!("lib/python{mm}/site-packages"));
    let own = importable_names(&own_site);
    let system_site = env
        .cfg
        .as_ref()
        .and_then(|c| c.get("include-system-site-packages"))
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let sees_user = match env.kind {
        EnvKind::Conda => true,
        EnvKind::Venv | EnvKind::Virtualenv | EnvKind::Uv => system_site,
        EnvKind::Prefix => false,
    };
    let user = (sees_user && user_site_enabled())
        .then(|| user_site(mm))
        .flatten()
        .and_then(|site| {
            let names = importable_names(&site);
            (!names.is_empty()).then(|| SiteLeak {
                overlap: names.intersection(&own).cloned().collect(),
                names: names.len(),
                site,
            })
        });
    let base = system_site
        .then(|| {
            let home = PathBuf::from(env.cfg.as_ref()?.get("home")?.trim());
            let prefix = home.parent()?;
            // The base's own site, and Debian's dist-packages folders where it has them.
            let sites = [
                format!("lib/python{mm}/site-packages"),
                "lib/python3/dist-packages".to_owned(),
                format!("local/lib/python{mm}/dist-packages"),
            ]
            .map(|s| prefix.join(s));
            let site = sites.iter().find(|s| s.is_dir())?.clone();
            let names: BTreeSet<String> = sites.iter().flat_map(|s| importable_names(s)).collect();
            let lacking: Vec<String> = names.difference(&own).cloned().collect();
            (!lacking.is_empty()).then_some(SiteLeak {
                names: names.len(),
                overlap: lacking,
                site,
            })
        })
        .flatten();
    (user, base)
}
