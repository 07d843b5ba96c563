//! The rules. Each rule is a [`Code`] whose detector and typed fix live in one family module
//! here, with unit tests beside them; its prose (title, message, severity, explanation) is in
//! `rules/*.toml`, keyed by its id. The table below is the one place a code is tied to its id,
//! its detector and its message placeholders; every `match` on a code is exhaustive.
//!
//! Adding a rule: a variant in the table, a detector (and fix) in a family module, an entry in
//! `rules/*.toml`, a test. `registry` refuses to load if any of these is missing.

mod activate;
mod build_env;
mod conda;
mod editable;
mod interpreter;
mod ipython;
mod kernelspec;
mod leaks;
mod own_python;
mod path_order;
mod pip;
mod process;
mod pyenv;
mod pyvenv;
pub mod registry;
mod scripts;
mod shebang_form;
mod sources;
mod tool_links;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::engine::facts::Facts;
use crate::engine::machine::MachineFacts;
pub use registry::{Rule, Severity, all, find};

/// Where a rule looks: at one environment, at the machine (process, user files), or both.
pub enum Detector {
    Env(fn(&Facts) -> Vec<Hit>),
    Machine(fn(&MachineFacts) -> Vec<Hit>),
    Both(fn(&Facts) -> Vec<Hit>, fn(&MachineFacts) -> Vec<Hit>),
}

macro_rules! codes {
    ($( $variant:ident = $id:literal, $detector:expr, [$($var:literal),*], $fix:literal; )*) => {
        /// Every rule pydoctor has.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($variant),* }

        impl Code {
            pub const ALL: &[Code] = &[$(Code::$variant),*];

            /// The stable id (`PD101`), the key of the rule's prose in `rules/*.toml`.
            pub fn id(self) -> &'static str {
                match self { $(Code::$variant => $id),* }
            }

            /// The placeholders its message fills in, as its detector provides them.
            pub fn vars(self) -> &'static [&'static str] {
                match self { $(Code::$variant => &[$($var),*]),* }
            }

            pub fn detector(self) -> Detector {
                match self { $(Code::$variant => $detector),* }
            }

            /// How its findings are fixed, in a few words (the `fix` column of `rules`).
            pub fn fix_summary(self) -> &'static str {
                match self { $(Code::$variant => $fix),* }
            }
        }
    };
}

codes! {
    InterpreterMissing = "PD101", Detector::Env(interpreter::missing), ["interpreter"], "fix-shebang";
    InterpreterNotExecutable = "PD102", Detector::Env(interpreter::not_executable), ["interpreter"], "fix-shebang";
    InterpreterOtherEnv = "PD103", Detector::Env(interpreter::other_env), ["interpreter", "owner"], "fix-shebang";
    ShebangCrlf = "PD104", Detector::Env(shebang_form::crlf), ["interpreter"], "fix-shebang";
    ShebangTooLong = "PD105", Detector::Env(shebang_form::too_long), ["bytes", "limit"], "fix-shebang";
    ShebangLongForOldKernels = "PD106", Detector::Env(shebang_form::long_for_old_kernels), ["bytes", "limit"], "fix-shebang";
    ShebangSpace = "PD107", Detector::Env(shebang_form::space), ["interpreter", "runs"], "fix-shebang";
    EnvProgramUnresolved = "PD108", Detector::Env(scripts::env_program_unresolved), ["program"], "–";
    ScriptUnreadable = "PD109", Detector::Env(scripts::unreadable), ["reason"], "–";
    EnvPythonDangling = "PD110", Detector::Env(own_python::dangling), ["link", "target"], "fix --unsafe-fixes (relink)";
    PyvenvHomeMissing = "PD111", Detector::Env(own_python::home_missing), ["home"], "fix --unsafe-fixes (relink), else recreate";
    ActivateStale = "PD112", Detector::Env(activate::stale), ["value"], "fix";
    PyvenvCommandStale = "PD113", Detector::Env(pyvenv::command_stale), ["target"], "fix";
    PyvenvCfgMissing = "PD114", Detector::Env(pyvenv::cfg_missing), [], "manual: venv --upgrade";
    PyvenvVersionMismatch = "PD115", Detector::Env(pyvenv::version_mismatch), ["version", "libs"], "manual: recreate";
    KernelspecPythonMissing = "PD116", Detector::Both(kernelspec::in_env, kernelspec::of_user), ["python"], "fix";
    VirtualEnvStale = "PD117", Detector::Machine(process::virtual_env_stale), ["path"], "–";
    PythonhomeSet = "PD118", Detector::Machine(process::pythonhome_set), ["value"], "–";
    IpythonAutoreload = "PD119", Detector::Machine(ipython::autoreload), [], "fix --unsafe-fixes";
    PipIndexRetired = "PD120", Detector::Both(pip::retired_in_env, pip::retired_for_user), ["url", "current"], "manual: mirrors --apply";
    PipIndexHttpUntrusted = "PD121", Detector::Both(pip::http_untrusted_in_env, pip::http_untrusted_for_user), ["url", "host"], "manual: mirrors --apply";
    PipIndexUnreachable = "PD122", Detector::Both(pip::unreachable_in_env, pip::unreachable_for_user), ["url", "reason"], "manual: mirrors --apply";
    PipConfigInvalid = "PD123", Detector::Both(pip::invalid_in_env, pip::invalid_for_user), ["reason"], "–";
    ActivateUnrecognised = "PD124", Detector::Env(activate::unrecognised), ["shell"], "–";
    EditableMissing = "PD125", Detector::Env(editable::missing), ["target"], "fix, else reinstall";
    CondaPrefixStale = "PD126", Detector::Env(conda::stale), ["old", "mode"], "fix";
    ToolLinkDangling = "PD127", Detector::Machine(tool_links::dangling), ["target"], "fix --all, else reinstall";
    ToolPythonMismatch = "PD128", Detector::Machine(path_order::tool_python_mismatch), ["tool", "tool_python", "python", "python_path"], "manual: python -m pip";
    ActiveEnvNotFirst = "PD129", Detector::Machine(path_order::active_env_not_first), ["env", "found"], "manual: PATH order";
    PyenvVersionMissing = "PD130", Detector::Machine(pyenv::version_missing), ["version"], "manual: pyenv install";
    PyenvShimOrphan = "PD131", Detector::Machine(pyenv::orphan_shims), [], "manual: pyenv rehash";
    PythonpathSet = "PD132", Detector::Machine(leaks::pythonpath_set), ["value"], "manual: unset";
    UserSiteVisible = "PD133", Detector::Env(leaks::user_site_visible), ["count", "shadowed"], "manual: PYTHONNOUSERSITE=1";
    SystemSiteVisible = "PD134", Detector::Env(leaks::system_site_visible), ["site", "count", "examples"], "–";
    CaFileMissing = "PD135", Detector::Machine(build_env::ca_file_missing), ["file", "reason"], "manual: unset or fix the path";
    CaFileNotPem = "PD136", Detector::Machine(build_env::ca_file_not_pem), ["file"], "–";
    PydistutilsCfg = "PD137", Detector::Machine(build_env::pydistutils_cfg), [], "–";
    TmpdirUnusable = "PD138", Detector::Machine(build_env::tmpdir_unusable), ["reason"], "manual: TMPDIR";
    CondaEnvUnlisted = "PD139", Detector::Machine(conda::unlisted), ["env"], "fix";
    CondaChannelUnreachable = "PD140", Detector::Machine(sources::channel_unreachable), ["channel", "url", "reason"], "manual: mirrors --target conda";
    CondaChannelDuplicate = "PD141", Detector::Machine(sources::channel_duplicate), ["url", "first", "second"], "manual: edit .condarc";
    CondaChannelRetired = "PD142", Detector::Machine(sources::channel_retired), ["channel", "url"], "manual: conda config --remove";
    UvPythonMirrorUnreachable = "PD143", Detector::Machine(sources::uv_python_unreachable), ["url", "reason"], "manual: mirrors --target uv-python";
    HfEndpointUnreachable = "PD144", Detector::Machine(sources::hf_endpoint_unreachable), ["url", "reason"], "manual: mirrors --target huggingface";
    CondarcUnreadable = "PD145", Detector::Machine(sources::condarc_unreadable), ["reason"], "–";
}

impl Code {
    pub fn from_id(id: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.id() == id)
    }

    /// A rule about what runs the scripts in `bin/`: what `fix-shebang` repairs or reports.
    pub fn in_fix_shebang(self) -> bool {
        matches!(
            self,
            Code::EnvPythonDangling
                | Code::InterpreterMissing
                | Code::InterpreterNotExecutable
                | Code::InterpreterOtherEnv
                | Code::ShebangCrlf
                | Code::ShebangTooLong
                | Code::ShebangLongForOldKernels
                | Code::ShebangSpace
                | Code::EnvProgramUnresolved
                | Code::ScriptUnreadable
        )
    }

    pub fn scope_name(self) -> &'static str {
        match self.detector() {
            Detector::Env(_) => "environment",
            Detector::Machine(_) => "machine",
            Detector::Both(..) => "both",
        }
    }

    /// Checks environments (as opposed to only the machine).
    pub fn is_env_rule(self) -> bool {
        matches!(self.detector(), Detector::Env(_) | Detector::Both(..))
    }
}

/// When a fix is applied, as ruff has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Restores what the tools wrote: applied by `pydoctor fix`.
    Safe,
    /// Changes behaviour beyond a repair: only with `--unsafe-fixes`.
    Unsafe,
    /// A command for the user to run; pydoctor writes nothing.
    Manual,
}

impl Applicability {
    pub fn name(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::Manual => "manual",
        }
    }
}

/// What a fix writes. Each variant has exactly one writer in `fix::plan`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixAction {
    /// Point the script's interpreter line at this environment's interpreter (the target is
    /// chosen when fixing, so `--python` can override it).
    Shebang,
    /// Rewrite the places an activate script names (`stale`) to the environment's path,
    /// quoted for its `shell`.
    Activate {
        shell: crate::activate::Shell,
        stale: Vec<String>,
    },
    /// Set pyvenv.cfg's `command` target `old` to the environment's path.
    PyvenvCommand { old: String },
    /// Point the kernelspec's `argv[0]` at `python`.
    Kernelspec { python: PathBuf },
    /// Relink the environment's dangling `bin/python*` to the base interpreter `base`.
    Relink { base: PathBuf },
    /// Point an editable install's record (a `.pth` line, a finder's `MAPPING`, an egg-link,
    /// `direct_url.json`) from the folder `old` to `new`.
    Editable {
        record: crate::engine::editable::Record,
        old: String,
        new: String,
    },
    /// Replace conda's recorded prefix `old` with `new` in a file, as its `mode` needs.
    CondaPrefix {
        mode: crate::engine::conda::FileMode,
        old: String,
        new: String,
    },
    /// Point a pipx or uv command link at its tool environment's new place.
    ToolLink { to: PathBuf },
    /// Enable IPython's autoreload in the profile.
    Autoreload,
    /// Add a conda environment's path to `~/.conda/environments.txt`.
    CondaRegister { env: PathBuf },
    /// Nothing to write: the command is advice.
    Advice,
}

/// How to repair a finding: what pydoctor writes, when, and the command that does it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub action: FixAction,
    /// What the user runs (shared by the findings of one rule in one environment).
    pub command: Arc<str>,
}

impl Fix {
    pub fn new(applicability: Applicability, action: FixAction, command: Arc<str>) -> Fix {
        Fix {
            applicability,
            action,
            command,
        }
    }

    pub fn advice(command: impl Into<Arc<str>>) -> Fix {
        Fix::new(Applicability::Manual, FixAction::Advice, command.into())
    }
}

/// One detector result: the file it is about, the values for the message, and its fix.
#[derive(Debug, Clone)]
pub struct Hit {
    pub path: PathBuf,
    pub vars: Vec<(&'static str, String)>,
    pub fix: Option<Fix>,
}

impl Hit {
    pub fn new(path: impl Into<PathBuf>) -> Hit {
        Hit {
            path: path.into(),
            vars: Vec::new(),
            fix: None,
        }
    }

    pub fn var(mut self, name: &'static str, value: impl Into<String>) -> Hit {
        self.vars.push((name, value.into()));
        self
    }

    pub fn fix(mut self, fix: Option<Fix>) -> Hit {
        self.fix = fix;
        self
    }
}

/// The environment's path as a shell word, for fix commands.
pub fn env_arg(root: &Path) -> String {
    shell_words::quote(&root.to_string_lossy()).into_owned()
}

/// `pydoctor fix ENV` (safe fixes) for one environment.
pub fn fix_command(root: &Path) -> Arc<str> {
    format!("pydoctor fix {}", env_arg(root)).into()
}

#[cfg(test)]
pub(crate) mod testing {
    //! A small facts builder for the detectors' unit tests: an environment at a path that
    //! need not exist, with scripts parsed from given bytes.

    use std::path::Path;

    use crate::engine::facts::{Facts, InterpState};
    use crate::env::{Env, EnvKind};
    use crate::scripts::Script;

    /// The command of the first hit's fix.
    pub fn fix_command(hits: &[super::Hit]) -> &str {
        let fix = hits.first().and_then(|h| h.fix.as_ref());
        fix.map(|f| &*f.command).expect("a hit with a fix")
    }

    pub fn env(root: &str) -> Facts {
        Facts::empty(Env {
            root: root.into(),
            kind: EnvKind::Venv,
            cfg: None,
            version: Some("3.11.7".into()),
            source: None,
        })
    }

    pub fn with_script(mut f: Facts, name: &str, head: &[u8], state: InterpState) -> Facts {
        let header = crate::shebang::parse(head).expect("a script header");
        f.listing.scripts.push(Script {
            path: Path::new(&f.env.root).join("bin").join(name),
            header,
        });
        f.states.push(state);
        f
    }

    /// Every placeholder of `code`'s message is provided by each hit.
    pub fn assert_vars(code: super::Code, hits: &[super::Hit]) {
        for h in hits {
            let mut got: Vec<&str> = h.vars.iter().map(|(k, _)| *k).collect();
            got.sort_unstable();
            let mut want = code.vars().to_vec();
            want.sort_unstable();
            assert_eq!(got, want, "{}", code.id());
        }
    }
}
