//! `pydoctor mirrors`: probe package indexes side by side, rank them, and optionally write the
//! winner into pip's and uv's config (or revert that).

use anyhow::Result;

use super::ExitStatus;
use crate::cli::MirrorsArgs;
use crate::config::UserConfig;
use crate::error::BadInput;
use crate::mirrors::{self, Mirror};
use crate::printer::Printer;
use crate::report;

fn mirror_list(cfg: &UserConfig, args: &MirrorsArgs) -> Result<Vec<Mirror>> {
    if args.mirror.is_empty() {
        let mut list = mirrors::known().to_vec();
        list.extend(cfg.mirror.iter().cloned());
        return Ok(list);
    }
    Ok(args
        .mirror
        .iter()
        .map(|m| mirrors::parse_mirror_arg(m))
        .collect::<Result<_, _>>()?)
}

pub fn mirrors(cfg: &UserConfig, args: &MirrorsArgs, printer: &mut Printer) -> Result<ExitStatus> {
    if args.revert {
        let changes = mirrors::config::revert(args.dry_run)?;
        if printer.is_json() {
            printer.json(&report::json::reverted(&changes, args.dry_run))?;
        } else {
            report::human::config_changes(printer.out(), &changes, args.dry_run, "restored")?;
        }
        return Ok(ExitStatus::Success);
    }
    let mut list = mirror_list(cfg, args)?;
    let named = match args.apply.as_deref() {
        Some(name) if !name.is_empty() => Some(
            list.iter()
                .find(|m| m.name == name)
                .cloned()
                .ok_or_else(|| {
                    BadInput::new(format!("--apply {name}: no such mirror"))
                        .hint("`pydoctor mirrors` lists them; add your own with --mirror NAME=URL")
                })?,
        ),
        _ => None,
    };
    // A named mirror is checked alone: the others' answers would decide nothing.
    if let Some(m) = &named {
        list = vec![m.clone()];
    }
    let opts = mirrors::probe::Options {
        packages: args.package.clone(),
        timeout: std::time::Duration::from_secs_f64(args.timeout),
        samples: args.samples as usize,
        ..Default::default()
    };
    let total = list.len();
    let mut probes = mirrors::probe::probe_all(&list, &opts, &mut |answered, left| {
        printer.progress(format!(
            "probing {total} mirrors: {answered} answered, {:.1} s left",
            left.as_secs_f64()
        ));
    })?;
    let mut fastest = mirrors::rank::rank(&mut probes);
    if args.download && fastest.is_some() {
        printer.progress("downloading from the best mirrors...");
        mirrors::probe::download_top(&mut probes, 3, opts.timeout)?;
        fastest = mirrors::rank::rank_by_throughput(&mut probes);
    }
    let usable = probes.iter().any(|p| p.ok);

    let to_apply = match (&args.apply, named) {
        (Some(_), Some(m)) => match probes.first() {
            Some(p) if p.ok => Some(m.url),
            p => {
                let why = p.and_then(|p| p.error.clone()).unwrap_or_default();
                return Err(BadInput::new(format!(
                    "--apply {}: {} does not answer as a package index ({why}); nothing written",
                    m.name, m.url
                ))
                .hint("`pydoctor mirrors -v` shows why; --timeout gives slow links more time")
                .into());
            }
        },
        (Some(_), None) => match &fastest {
            Some(f) => probes.iter().find(|p| &p.name == f).map(|p| p.url.clone()),
            None => return Err(anyhow::anyhow!("no usable, up-to-date mirror to apply")),
        },
        (None, _) => None,
    };
    let changes = match &to_apply {
        Some(url) => mirrors::config::apply(url, args.dry_run)?,
        None => Vec::new(),
    };
    let warnings = if to_apply.is_some() {
        mirrors::config::overrides()
    } else {
        Vec::new()
    };

    if printer.is_json() {
        let applied = to_apply.as_deref().map(|url| report::json::Applied {
            url,
            dry_run: args.dry_run,
            changes: &changes,
            warnings: &warnings,
        });
        printer.json(&report::json::mirrors(&probes, fastest.as_deref(), applied))?;
    } else {
        let v = printer.verbosity();
        let out = printer.out();
        let ending = if to_apply.is_some() {
            report::human::MirrorsEnding::Applying
        } else if args.fastest {
            report::human::MirrorsEnding::Fastest
        } else {
            report::human::MirrorsEnding::Summary
        };
        report::human::mirrors(out, &probes, fastest.as_deref(), ending, v)?;
        if to_apply.is_some() {
            writeln!(out)?;
            report::human::config_changes(out, &changes, args.dry_run, "updated")?;
        }
        for w in &warnings {
            printer.warning(w);
        }
        if !changes.is_empty() && !args.dry_run {
            printer.hint("`pydoctor mirrors --revert` restores the previous files");
        }
    }
    Ok(if usable {
        ExitStatus::Success
    } else {
        ExitStatus::Problems
    })
}
