//! Machine-wide discovery: every environment the usual tools keep, each found once (symlinked
//! spellings of one directory are folded by inode), bounded depth, symlink loops and unreadable
//! folders reported but never fatal. Never prints.

use std::collections::HashSet;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::Env;

/// What discovery found, and what it could not read.
#[derive(Debug, Default)]
pub struct Discovery {
    pub envs: Vec<Env>,
    pub problems: Vec<String>,
}

struct Walker {
    out: Discovery,
    seen: HashSet<(u64, u64)>,
}

fn var(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

impl Walker {
    fn add(&mut self, path: &Path, source: &str) -> bool {
        let Ok(meta) = fs::metadata(path) else {
            return false;
        };
        if !meta.is_dir() {
            return false;
        }
        match Env::open(path) {
            Ok(Some(mut env)) => {
                if self.seen.insert((meta.dev(), meta.ino())) {
                    env.source = Some(source.to_owned());
                    self.out.envs.push(env);
                }
                true
            }
            Ok(None) => false,
            Err(e) => {
                self.out.problems.push(format!("{}: {e}", path.display()));
                false
            }
        }
    }

    /// Environments at most `depth` levels below `root` (not descending into environments).
    fn walk(&mut self, root: &Path, depth: usize, source: &str) {
        if !root.is_dir() {
            return;
        }
        let mut it = WalkDir::new(root)
            .min_depth(1)
            .max_depth(depth)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        while let Some(entry) = it.next() {
            match entry {
                Ok(e) if e.file_type().is_dir() => {
                    if self.add(e.path(), source) {
                        it.skip_current_dir();
                    }
                }
                Ok(_) => {}
                // A symlink loop is expected in the wild; anything else is worth a note.
                Err(e) if e.loop_ancestor().is_some() => {}
                Err(e) => self.out.problems.push(e.to_string()),
            }
        }
    }
}

/// Where pipx and uv keep their tool environments (one env per child folder), by tool.
pub fn tool_env_dirs() -> Vec<(PathBuf, &'static str)> {
    let home = var("HOME").unwrap_or_else(|| PathBuf::from("/"));
    let data = var("XDG_DATA_HOME").unwrap_or_else(|| home.join(".local/share"));
    let mut out: Vec<(PathBuf, &'static str)> = [
        var("PIPX_HOME").map(|p| p.join("venvs")),
        Some(home.join(".local/pipx/venvs")),
        Some(data.join("pipx/venvs")),
    ]
    .into_iter()
    .flatten()
    .map(|d| (d, "pipx"))
    .collect();
    out.extend(
        [var("UV_TOOL_DIR"), Some(data.join("uv/tools"))]
            .into_iter()
            .flatten()
            .map(|d| (d, "uv tool")),
    );
    out
}

/// Folders where pipx and uv put their command links.
pub fn tool_bin_dirs() -> Vec<PathBuf> {
    let home = var("HOME").unwrap_or_else(|| PathBuf::from("/"));
    let mut out: Vec<PathBuf> = [
        var("PIPX_BIN_DIR"),
        var("UV_TOOL_BIN_DIR"),
        var("XDG_BIN_HOME"),
    ]
    .into_iter()
    .flatten()
    .collect();
    out.push(home.join(".local/bin"));
    out.dedup();
    out
}

/// Discover every environment on the machine for the current user, plus `extra_roots`.
pub fn discover(extra_roots: &[PathBuf]) -> Discovery {
    let mut w = Walker {
        out: Discovery::default(),
        seen: HashSet::new(),
    };
    let home = var("HOME").unwrap_or_else(|| PathBuf::from("/"));
    let data = var("XDG_DATA_HOME").unwrap_or_else(|| home.join(".local/share"));
    let cache = var("XDG_CACHE_HOME").unwrap_or_else(|| home.join(".cache"));

    if let Some(p) = var("VIRTUAL_ENV") {
        w.add(&p, "$VIRTUAL_ENV");
    }
    if let Some(p) = var("CONDA_PREFIX") {
        w.add(&p, "$CONDA_PREFIX");
    }
    // conda: its own registry, CONDA_ENVS_PATH, and the usual install roots.
    if let Ok(text) = crate::fsread::read_text(
        &home.join(".conda/environments.txt"),
        crate::fsread::CONFIG_CAP,
    ) {
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            w.add(Path::new(line), "conda (~/.conda/environments.txt)");
        }
    }
    if let Some(paths) = std::env::var_os("CONDA_ENVS_PATH") {
        for dir in std::env::split_paths(&paths) {
            w.walk(&dir, 1, "conda (CONDA_ENVS_PATH)");
        }
    }
    let mut conda_roots: Vec<PathBuf> = [
        "miniconda3",
        "anaconda3",
        "miniforge3",
        "mambaforge",
        "miniconda",
        "anaconda",
        ".conda",
    ]
    .iter()
    .map(|n| home.join(n))
    .collect();
    conda_roots.extend(["/opt/conda", "/opt/miniconda3", "/opt/anaconda3"].map(PathBuf::from));
    for root in &conda_roots {
        w.add(root, "conda");
        w.walk(&root.join("envs"), 1, "conda");
    }
    // pyenv versions, and pyenv-virtualenv's envs inside them.
    let pyenv = var("PYENV_ROOT").unwrap_or_else(|| home.join(".pyenv"));
    w.walk(&pyenv.join("versions"), 1, "pyenv");
    if let Ok(dir) = fs::read_dir(pyenv.join("versions")) {
        let mut versions: Vec<PathBuf> = dir.flatten().map(|e| e.path()).collect();
        versions.sort();
        for v in versions {
            w.walk(&v.join("envs"), 1, "pyenv-virtualenv");
        }
    }
    let workon = var("WORKON_HOME").unwrap_or_else(|| home.join(".virtualenvs"));
    w.walk(&workon, 1, "virtualenvwrapper");
    for (dir, source) in tool_env_dirs() {
        w.walk(&dir, 1, source);
    }
    for dir in [
        var("POETRY_VIRTUALENVS_PATH"),
        Some(cache.join("pypoetry/virtualenvs")),
        Some(home.join("Library/Caches/pypoetry/virtualenvs")),
    ]
    .into_iter()
    .flatten()
    {
        w.walk(&dir, 1, "poetry");
    }
    // hatch keeps <data>/env/virtual/<project>/<hash>/<env>.
    w.walk(&data.join("hatch/env/virtual"), 3, "hatch");
    w.walk(&data.join("pdm/venvs"), 1, "pdm");
    for root in extra_roots {
        if !w.add(root, "config env-roots") {
            w.walk(root, 2, "config env-roots");
        }
    }
    w.out
}
