//! Command-line types (clap). No logic here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "pydoctor",
    version,
    about = "A doctor for Python environments: finds and repairs what breaks when an env is moved, copied or its interpreter changes.",
    long_about = None,
    after_help = "Examples:\n  pydoctor scan ~/envs/qwen           check one environment\n  pydoctor scan /mnt/glusterfs/envs   check every environment in a folder\n  pydoctor fix-shebang --dry-run ENV  show the interpreter-line repairs as a diff\n  pydoctor fix ENV                    apply every safe fix\n  pydoctor explain PD101              why a rule matters and how to fix it"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// How a report is printed: for the commands that report (scan, fix, fix-shebang, mirrors).
#[derive(Debug, Args)]
pub struct OutputArgs {
    #[command(flatten)]
    pub style: StyleArgs,
    /// Print less: only problems and the summary.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: every file of a group, not only the first few.
    #[arg(short, long)]
    pub verbose: bool,
    /// Read settings from this file instead of $XDG_CONFIG_HOME/pydoctor/config.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// How many file operations are kept in flight, for the commands that read or write many
/// files.
#[derive(Debug, Args)]
pub struct JobsArgs {
    /// File operations kept in flight (reads of scripts, environments scanned, temp files
    /// written and renamed). Default: 64 when an environment is on a network filesystem (NFS,
    /// GlusterFS and other FUSE mounts, SMB, Ceph, Lustre...), where each one waits a round
    /// trip; else one per core. 1 is strictly sequential.
    #[arg(long, short = 'j', value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub jobs: Option<u16>,
}

/// Format and colour: for every command that prints something but a completion script.
#[derive(Debug, Args)]
pub struct StyleArgs {
    /// Output format: `json` prints exactly one JSON document on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to colour output (NO_COLOR is honoured with `auto`).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

/// The command line, with the parts that are generated from the rules table: what `fix` repairs
/// (so the help cannot drift from the code). Used to parse, and for completions and man pages.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let Ok(rules) = crate::rules::all() else {
        return cmd;
    };
    let list = |pick: &dyn Fn(&str) -> bool| {
        rules
            .iter()
            .filter(|r| pick(r.fix))
            .map(|r| format!("  {} {}: {}", r.id, r.name, r.title))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let safe = list(&|fix| {
        fix.starts_with("fix-shebang")
            || (fix.starts_with("fix") && !fix.contains("--unsafe-fixes"))
    });
    let unsafe_ = list(&|fix| fix.starts_with("fix --unsafe-fixes"));
    let about = format!(
        "Apply the fixes of what `scan` finds (with the same --select/--ignore and config). Exit \
         codes as fix-shebang.\n\nSafe fixes restore what the tools wrote; they repair:\n{safe}\n\n\
         --unsafe-fixes also applies fixes that change behaviour:\n{unsafe_}\n\nEvery other \
         finding is reported with what to do by hand (`pydoctor explain ID`)."
    );
    cmd.mut_subcommand("fix", |c| c.long_about(about))
}

impl OutputArgs {
    pub fn verbosity(&self) -> crate::printer::Verbosity {
        use crate::printer::Verbosity;
        if self.quiet {
            Verbosity::Quiet
        } else if self.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        }
    }
}

impl Command {
    /// The format, colour and verbosity this command prints with (defaults where it has none).
    pub fn printer_settings(&self) -> (Format, ColorWhen, crate::printer::Verbosity) {
        let output = match self {
            Command::Scan(a) => &a.output,
            Command::FixShebang(a) => &a.output,
            Command::Fix(a) => &a.common.output,
            Command::Mirrors(a) => &a.output,
            Command::Rules { style } | Command::Explain { style, .. } => {
                return (style.format, style.color, crate::printer::Verbosity::Normal);
            }
            Command::Completions { .. } => {
                return (
                    Format::Human,
                    ColorWhen::Never,
                    crate::printer::Verbosity::Normal,
                );
            }
        };
        (output.style.format, output.style.color, output.verbosity())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find problems in environments and on the machine. Exit 0 healthy, 1 any error, 2 bad
    /// input.
    ///
    /// With no ENV: $VIRTUAL_ENV, then $CONDA_PREFIX, then ./.venv and ./venv, and failing those
    /// every environment on the machine (as with --all). An ENV that is a folder of
    /// environments (a conda envs/ folder) scans each of them. Problems of the machine rather
    /// than of one environment ($PYTHONHOME, the user's pip config and kernelspecs) are
    /// reported once, in their own section.
    #[command(
        after_help = "Examples:\n  pydoctor scan                         the active env, else every env on the machine\n  pydoctor scan ~/envs/qwen ~/proj/.venv  these environments\n  pydoctor scan /mnt/glusterfs/envs     every environment in a conda envs/ folder\n  pydoctor scan --all --format json | jq '.envs[].findings[].id'"
    )]
    Scan(ScanArgs),
    /// Repair interpreter lines (#!) of the scripts in ENV/bin. Exit 0 all fixed or nothing to
    /// fix, 1 some left broken, 2 bad input.
    ///
    /// Each script is pointed at the environment's own interpreter (the same name it used,
    /// else python3, else python), keeping interpreter options. Lines that are too long for the
    /// kernel or have spaces get pip's /bin/sh trampoline. Writes are atomic (temp file +
    /// rename), keep mode bits, and never touch binaries, symlinks or healthy scripts.
    #[command(
        name = "fix-shebang",
        after_help = "Examples:\n  pydoctor fix-shebang --dry-run ~/envs/qwen2   the repairs as a diff, nothing written\n  pydoctor fix-shebang ~/envs/qwen2             repair (the active env when no ENV)\n  pydoctor fix-shebang --relocatable .venv      survive the next move too\n  pydoctor fix-shebang --undo ~/envs/qwen2      put the last repair back"
    )]
    FixShebang(FixShebangArgs),
    /// Apply the fixes of what `scan` finds (with the same --select/--ignore and config). Exit
    /// codes as fix-shebang.
    ///
    /// (The rules it fixes are listed here by `command()`, from the rules table.)
    #[command(
        after_help = "Examples:\n  pydoctor fix --dry-run ~/envs/qwen2   every safe fix as a diff, nothing written\n  pydoctor fix                          the active env ($VIRTUAL_ENV, $CONDA_PREFIX, ./.venv)\n  pydoctor fix --all --yes              every environment on the machine\n  pydoctor fix --unsafe-fixes .venv     also relink a venv whose base Python is gone"
    )]
    Fix(FixArgs),
    /// Probe mirror sites side by side, per target, and rank them: pip's and uv's package
    /// index, conda's channels, uv's Python downloads, the Hugging Face Hub. Exit 0 when every
    /// target probed has a usable site, 1 when one has none, 2 bad input.
    ///
    /// Each probe is what the client does first: pip (and uv) GET <index>/<package>/ with pip's
    /// Accept header; conda GETs <channel>/<subdir>/repodata.json of every channel in
    /// ~/.condarc (main and conda-forge when it names none); uv asks for the Python build it
    /// would install first; huggingface_hub GETs /api/models/<id>. A site counts only if it
    /// answers 2xx with the real data (not a login page); one behind another (an older newest
    /// version, content dated over a day earlier) is stale and never the fastest. Everything
    /// is probed at once under one deadline.
    ///
    /// With no option it probes the built-in sites (PyPI, Anaconda, GitHub, Hugging Face and
    /// the Aliyun, TUNA, USTC, BFSU, NJU... mirrors) and those of the config file for every
    /// target, prints one table per target and writes nothing.
    #[command(
        after_help = "Examples:\n  pydoctor mirrors --fastest                  every target's sites ranked, the fastest named\n  pydoctor mirrors --apply tuna --dry-run     the pip/uv config change TUNA would make\n  pydoctor mirrors --apply tuna -t conda      point ~/.condarc's channels at TUNA\n  pydoctor mirrors --revert                   put the previous config files back"
    )]
    Mirrors(MirrorsArgs),
    /// List the rules pydoctor checks: id, name, severity, title and how each is fixed.
    #[command(
        after_help = "Examples:\n  pydoctor rules\n  pydoctor rules --format json | jq -r '.rules[] | select(.severity == \"error\") | .id'"
    )]
    Rules {
        #[command(flatten)]
        style: StyleArgs,
    },
    /// Explain a rule: why it matters and how to fix it.
    #[command(
        after_help = "Examples:\n  pydoctor explain PD101\n  pydoctor explain activate-stale"
    )]
    Explain {
        /// Rule id (PD101) or name (interpreter-missing).
        rule: String,
        #[command(flatten)]
        style: StyleArgs,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  pydoctor completions bash > ~/.local/share/bash-completion/completions/pydoctor\n  pydoctor completions fish > ~/.config/fish/completions/pydoctor.fish\n  pydoctor completions zsh > \"${fpath[1]}/_pydoctor\""
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Which rules run, for `scan` and `fix` alike.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// Run only these rules (ids or names, comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub select: Vec<String>,
    /// Skip these rules (ids or names, comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Environments, or folders of environments. With none: the active environment, else
    /// every environment on the machine (as --all).
    #[arg(value_name = "ENV")]
    pub envs: Vec<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub jobs: JobsArgs,
    /// Skip the checks that use the network (probing the configured pip index).
    #[arg(long)]
    pub offline: bool,
    /// Discover and scan every environment on the machine (conda, pyenv, virtualenvwrapper,
    /// pipx, uv tools, poetry, hatch, pdm, and the config's env-roots).
    #[arg(long, conflicts_with = "envs")]
    pub all: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Args)]
pub struct FixShebangArgs {
    /// Environments, or folders of environments. With none: the active environment
    /// ($VIRTUAL_ENV, $CONDA_PREFIX, ./.venv, ./venv); never the whole machine unless --all.
    #[arg(value_name = "ENV")]
    pub envs: Vec<PathBuf>,
    /// Fix every environment discovery finds on the machine. On a terminal it first lists the
    /// environments it would write to and asks.
    #[arg(long, conflicts_with = "envs")]
    pub all: bool,
    /// With --all: do not ask before writing.
    #[arg(long, short = 'y', requires = "all", conflicts_with = "envs")]
    pub yes: bool,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub jobs: JobsArgs,
    /// Show what would change as a unified diff; write nothing.
    #[arg(long, short = 'n')]
    pub dry_run: bool,
    /// Point broken scripts at this interpreter instead of the environment's own.
    #[arg(long, value_name = "PATH")]
    pub python: Option<PathBuf>,
    /// Write uv's relocatable form, which finds the interpreter next to the script's real path,
    /// so the environment survives the next move. Needs `realpath` (coreutils 8.15+, macOS 13+).
    #[arg(long)]
    pub relocatable: bool,
    /// Put back exactly what the last fix of each ENV changed (from the undo journal in
    /// ENV/.pydoctor/undo/); repeat to step further back.
    #[arg(long, conflicts_with_all = ["python", "relocatable"])]
    pub undo: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub common: FixShebangArgs,
    /// Also apply fixes that change behaviour (listed in the description above).
    #[arg(long)]
    pub unsafe_fixes: bool,
}

#[derive(Debug, Args)]
pub struct MirrorsArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    /// End with the fastest usable, up-to-date mirror and the command that configures it.
    #[arg(long)]
    pub fastest: bool,
    /// Only these targets (repeatable or comma-separated). Default: all of them, except with
    /// --mirror or --apply, which mean pip and uv-index unless a target is given.
    #[arg(long, short = 't', value_name = "TARGET", value_delimiter = ',')]
    pub target: Vec<crate::mirrors::Target>,
    /// Probe only these sites (repeatable): NAME=URL, the URL being what the one --target uses
    /// (pip: an index; conda: the folder holding pkgs/main and cloud/; uv-python: the folder of
    /// release tags; huggingface: the Hub).
    #[arg(long, value_name = "NAME=URL")]
    pub mirror: Vec<String>,
    /// Leave out the built-in sites: probe only those of the config file ([[mirror]]) and
    /// --mirror (an internal mirror behind a firewall, say).
    #[arg(long)]
    pub no_builtin: bool,
    /// Overall deadline for all probes, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 5.0, value_parser = parse_timeout)]
    pub timeout: f64,
    /// Page fetches per mirror over one connection; ranked on the median.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub samples: u32,
    /// Probe package (repeatable); the first is timed, all are checked for freshness.
    #[arg(long, value_name = "NAME", default_value = "pip")]
    pub package: Vec<String>,
    /// Also download one distribution file (up to 4 MiB) from each of the best 3 mirrors, one
    /// after another, and rank them on measured throughput.
    #[arg(long)]
    pub download: bool,
    /// Write the fastest site (or the named one) into each target's config, with a backup
    /// beside each file: pip's and uv's default index, ~/.condarc's default_channels and
    /// custom_channels (those the site carries), uv.toml's python-install-mirror; for
    /// huggingface, print the HF_ENDPOINT line for your shell (only the environment sets it).
    #[arg(long, value_name = "NAME", num_args = 0..=1, default_missing_value = "", conflicts_with = "revert")]
    pub apply: Option<String>,
    /// Restore the config files saved by the last --apply (of the --target given, else all).
    #[arg(long)]
    pub revert: bool,
    /// With --apply or --revert: show the change as a diff, write nothing.
    #[arg(long, short = 'n')]
    pub dry_run: bool,
}

fn parse_timeout(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if !(v > 0.0 && v <= 600.0) {
        return Err("must be more than 0 and at most 600 seconds".into());
    }
    Ok(v)
}
