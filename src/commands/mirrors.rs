//! `pydoctor mirrors`: probe mirror sites per target side by side, rank them, and optionally
//! write the winner into each target's config (or revert that).

use std::path::PathBuf;

use anyhow::Result;

use super::ExitStatus;
use crate::cli::MirrorsArgs;
use crate::config::UserConfig;
use crate::error::BadInput;
use crate::mirrors::probe::{Job, Options, Probe};
use crate::mirrors::{self, Mirror, Target};
use crate::printer::Printer;
use crate::report;

/// One target's results, and what `--apply` did for it.
pub struct TargetResult {
    pub target: Target,
    /// Where the client fetches from now.
    pub in_use: mirrors::target::InUse,
    pub probes: Vec<Probe>,
    pub fastest: Option<String>,
    pub applied: Option<Applied>,
}

/// What `--apply` wrote (or, for huggingface, the lines to set) for one target.
#[derive(Debug, serde::Serialize)]
pub struct Applied {
    pub site: String,
    pub url: String,
    pub dry_run: bool,
    pub changes: Vec<mirrors::config::Change>,
    pub warnings: Vec<String>,
    /// huggingface: `(shell family, line)`; nothing is written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shell_lines: Vec<(&'static str, String)>,
}

/// The targets asked for: `--target`, else pip and uv's index with --mirror or --apply (what
/// they always meant), else all.
fn targets(args: &MirrorsArgs) -> Result<Vec<Target>, BadInput> {
    let mut t = args.target.clone();
    t.sort();
    t.dedup();
    if t.is_empty() {
        let pip_only = (!args.mirror.is_empty() || args.apply.is_some()) && !args.revert;
        t = if pip_only {
            vec![Target::Pip, Target::UvIndex]
        } else {
            Target::ALL.to_vec()
        };
    }
    if !args.mirror.is_empty() && probe_kinds(&t).len() > 1 {
        return Err(
            BadInput::new("--mirror takes one --target (its URL is that target's)").hint(
                "e.g. --target conda --mirror tuna=https://mirrors.tuna.tsinghua.edu.cn/anaconda",
            ),
        );
    }
    Ok(t)
}

/// The probes `targets` need: uv's index is answered by pip's probe.
fn probe_kinds(targets: &[Target]) -> Vec<Target> {
    let mut kinds: Vec<Target> = targets.iter().map(|t| t.probe_kind()).collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

fn site_list(cfg: &UserConfig, args: &MirrorsArgs, targets: &[Target]) -> Result<Vec<Mirror>> {
    if args.mirror.is_empty() {
        let mut list = if args.no_builtin {
            Vec::new()
        } else {
            mirrors::known().to_vec()
        };
        list.extend(cfg.mirror.iter().cloned());
        return Ok(list);
    }
    let target = targets.first().copied().unwrap_or(Target::Pip);
    Ok(args
        .mirror
        .iter()
        .map(|m| {
            mirrors::parse_mirror_arg(m, target)
                .map_err(|e| e.hint(format!("e.g. --mirror {}", target.example())))
        })
        .collect::<Result<_, _>>()?)
}

/// Probe settings: conda's channels from ~/.condarc, uv's first download from uv itself.
fn options(args: &MirrorsArgs, targets: &[Target], rcs: &[mirrors::conda::RcFile]) -> Options {
    let settings = mirrors::probe_settings();
    let mut conda_channels = settings.conda_channels;
    if targets.contains(&Target::Conda) {
        let entries: Vec<String> = rcs
            .iter()
            .filter_map(|f| f.parsed.as_ref().ok())
            .flat_map(|rc| rc.channels.iter().cloned())
            .collect();
        let names = mirrors::conda::channel_names(&entries);
        if !names.is_empty() {
            conda_channels = names;
        }
    }
    let uv_python_asset = targets
        .contains(&Target::UvPython)
        .then(mirrors::uv_python::asset_from_uv)
        .flatten()
        .unwrap_or(settings.uv_python_asset);
    Options {
        packages: args.package.clone(),
        timeout: std::time::Duration::from_secs_f64(args.timeout),
        samples: args.samples as usize,
        conda_channels,
        uv_python_asset,
        huggingface_model: settings.huggingface_model,
        ..Default::default()
    }
}

fn revert(targets: &[Target], args: &MirrorsArgs, printer: &mut Printer) -> Result<ExitStatus> {
    // pip's and uv's targets can share a file (uv.toml): each is restored once.
    let mut files: Vec<PathBuf> = Vec::new();
    for f in targets.iter().flat_map(|t| t.config_files()) {
        if !files.contains(&f) {
            files.push(f);
        }
    }
    let changes = mirrors::config::revert(&files, args.dry_run)?;
    if printer.is_json() {
        printer.json(&report::json::reverted(&changes, args.dry_run))?;
    } else {
        report::human::config_changes(printer.out(), &changes, args.dry_run, "restored")?;
    }
    Ok(ExitStatus::Success)
}

/// Write site `p` into `target`'s config.
fn apply_one(
    target: Target,
    site: &Mirror,
    p: &Probe,
    rcs: &[mirrors::conda::RcFile],
    dry_run: bool,
) -> Result<Applied> {
    let mut applied = Applied {
        site: p.name.clone(),
        url: p.url.clone(),
        dry_run,
        changes: Vec::new(),
        warnings: Vec::new(),
        shell_lines: Vec::new(),
    };
    match target {
        Target::Pip => {
            applied.changes = mirrors::config::apply_pip(&p.url, dry_run)?;
            applied.warnings = mirrors::config::pip_overrides();
        }
        Target::UvIndex => {
            applied.changes = mirrors::config::apply_uv_index(&p.url, dry_run)?;
            applied.warnings = mirrors::config::uv_index_overrides();
        }
        Target::Conda => {
            let carried: Vec<String> = p
                .channels
                .iter()
                .filter(|c| c.ok)
                .map(|c| c.channel.clone())
                .collect();
            applied.changes = mirrors::conda::apply(site, &carried, dry_run)?;
            for c in p.channels.iter().filter(|c| !c.ok) {
                applied.warnings.push(format!(
                    "{} does not carry channel {} ({}): conda keeps fetching it from where .condarc sends it now",
                    p.name,
                    c.channel,
                    c.error.as_deref().unwrap_or("?")
                ));
            }
            applied.warnings.extend(mirrors::conda::overrides(rcs));
        }
        Target::UvPython => {
            applied.changes = mirrors::uv_python::apply(&p.url, dry_run)?;
            applied.warnings = mirrors::uv_python::overrides();
        }
        Target::Huggingface => {
            applied.shell_lines = mirrors::huggingface::shell_lines(&p.url).ok_or_else(|| {
                BadInput::new(format!(
                    "{}: the URL has characters a shell line would need escaped; set HF_ENDPOINT by hand",
                    p.url
                ))
            })?;
        }
    }
    Ok(applied)
}

pub fn mirrors(cfg: &UserConfig, args: &MirrorsArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let targets = targets(args)?;
    if args.revert {
        return revert(&targets, args, printer);
    }
    let mut sites = site_list(cfg, args, &targets)?;
    let named = match args.apply.as_deref() {
        Some(name) if !name.is_empty() => Some(
            sites
                .iter()
                .find(|m| m.name == name)
                .cloned()
                .ok_or_else(|| {
                    BadInput::new(format!("--apply {name}: no such mirror"))
                        .hint("`pydoctor mirrors` lists them; add your own with --mirror NAME=URL")
                })?,
        ),
        _ => None,
    };
    // A named site is checked alone: the others' answers would decide nothing.
    if let Some(m) = &named {
        for t in &targets {
            if t.url_of(m).is_none() {
                return Err(BadInput::new(format!(
                    "--apply {}: that site serves no {t} mirror",
                    m.name
                ))
                .hint("`pydoctor mirrors --target TARGET` lists the sites of a target")
                .into());
            }
        }
        sites = vec![m.clone()];
    }
    // conda's config files, read once: for the channels to probe and the overrides to report.
    let rcs = if targets.contains(&Target::Conda) {
        mirrors::conda::read_condarcs()
    } else {
        Vec::new()
    };
    let opts = options(args, &targets, &rcs);
    // One probe per site and kind: uv's index is probed once with pip's.
    let kinds = probe_kinds(&targets);
    let jobs: Vec<Job> = kinds
        .iter()
        .flat_map(|t| sites.iter().filter_map(|m| Job::new(*t, m, &opts)))
        .collect();
    if jobs.is_empty() {
        return Err(BadInput::new("no site to probe for the targets given")
            .hint("--mirror NAME=URL adds one, [[mirror]] in the config file too")
            .into());
    }
    let total = jobs.len();
    let probes = mirrors::probe::probe_all(&jobs, &opts, &mut |answered, left| {
        printer.progress(format!(
            "probing {total} mirrors: {answered} answered, {:.1} s left",
            left.as_secs_f64()
        ));
    })?;

    let mut ranked: Vec<(Target, Vec<Probe>, Option<String>)> = Vec::new();
    for k in &kinds {
        let mut mine: Vec<Probe> = probes.iter().filter(|p| p.target == *k).cloned().collect();
        let mut fastest = mirrors::rank::rank(&mut mine);
        if *k == Target::Pip && args.download && fastest.is_some() {
            printer.progress("downloading from the best mirrors...");
            mirrors::probe::download_top(&mut mine, 3, opts.timeout)?;
            fastest = mirrors::rank::rank_by_throughput(&mut mine);
        }
        ranked.push((*k, mine, fastest));
    }
    let mut results = Vec::new();
    for t in &targets {
        let Some((_, mine, fastest)) = ranked.iter().find(|(k, ..)| *k == t.probe_kind()) else {
            continue;
        };
        let mut mine = mine.clone();
        for p in &mut mine {
            p.target = *t;
        }
        results.push(TargetResult {
            target: *t,
            in_use: t.in_use(),
            probes: mine,
            fastest: fastest.clone(),
            applied: None,
        });
    }

    if args.apply.is_some() {
        for r in &mut results {
            let chosen = match &named {
                Some(m) => {
                    // conda: a site with some of the channels can still serve those.
                    let p = r
                        .probes
                        .first()
                        .filter(|p| p.ok || p.channels.iter().any(|c| c.ok));
                    let Some(p) = p else {
                        let why = r
                            .probes
                            .first()
                            .and_then(|p| p.error.clone())
                            .unwrap_or_default();
                        return Err(BadInput::new(format!(
                            "--apply {}: {} does not answer as a {} mirror ({why}); nothing written",
                            m.name,
                            r.target.url_of(m).unwrap_or_default(),
                            r.target
                        ))
                        .hint("`pydoctor mirrors -v` shows why; --timeout gives slow links more time")
                        .into());
                    };
                    (m.clone(), p.clone())
                }
                None => {
                    let Some(f) = &r.fastest else {
                        return Err(anyhow::anyhow!(
                            "no usable, up-to-date {} mirror to apply",
                            r.target
                        ));
                    };
                    let p = r.probes.iter().find(|p| &p.name == f).cloned();
                    let site = sites.iter().find(|m| &m.name == f).cloned();
                    match (site, p) {
                        (Some(s), Some(p)) => (s, p),
                        _ => continue,
                    }
                }
            };
            r.applied = Some(apply_one(
                r.target,
                &chosen.0,
                &chosen.1,
                &rcs,
                args.dry_run,
            )?);
        }
    }

    // A target is served when a site answered for it (or one was applied: a conda site
    // carrying some of the channels is written for those).
    let usable = results
        .iter()
        .all(|r| r.applied.is_some() || r.probes.iter().any(|p| p.ok));
    if printer.is_json() {
        printer.json(&report::json::mirrors(&results))?;
    } else {
        print_human(printer, &results, args)?;
    }
    Ok(if usable {
        ExitStatus::Success
    } else {
        ExitStatus::Problems
    })
}

fn print_human(printer: &mut Printer, results: &[TargetResult], args: &MirrorsArgs) -> Result<()> {
    let v = printer.verbosity();
    let has = |t: Target| results.iter().any(|r| r.target == t);
    // pip and uv's index share their sites and probes: one table for both.
    let shared = has(Target::Pip) && has(Target::UvIndex);
    let tables = results.len() - usize::from(shared);
    let mut warnings = Vec::new();
    let mut wrote = false;
    let mut first = true;
    for r in results {
        let out = printer.out();
        let table = !(shared && r.target == Target::UvIndex);
        if table && tables > 1 {
            if !first {
                writeln!(out)?;
            }
            let title = if shared && r.target == Target::Pip {
                "package indexes (pip, uv)"
            } else {
                r.target.title()
            };
            report::human::heading(out, title)?;
        }
        first = false;
        let ending = if r.applied.is_some() {
            report::human::MirrorsEnding::Applying
        } else if args.fastest {
            report::human::MirrorsEnding::Fastest
        } else {
            report::human::MirrorsEnding::Summary
        };
        if table {
            report::human::mirrors(out, r.target, &r.probes, r.fastest.as_deref(), ending, v)?;
        }
        if v != crate::printer::Verbosity::Quiet && r.applied.is_none() {
            report::human::in_use(out, r.target, &r.in_use)?;
        }
        if let Some(a) = &r.applied {
            if table {
                writeln!(out)?;
            }
            if a.shell_lines.is_empty() {
                report::human::config_changes(out, &a.changes, args.dry_run, "updated")?;
            } else {
                report::human::shell_lines(
                    out,
                    &a.shell_lines,
                    mirrors::huggingface::user_shell(),
                )?;
            }
            wrote |= !a.changes.is_empty() && !args.dry_run;
            warnings.extend(a.warnings.iter().cloned());
        }
    }
    for w in &warnings {
        printer.warning(w);
    }
    if wrote {
        printer.hint("`pydoctor mirrors --revert` restores the previous files");
    }
    Ok(())
}
