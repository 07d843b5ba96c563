//! Human-readable output. Findings that share a rule and message are grouped so a bin/ with
//! 5,000 broken scripts reads as one line, not 5,000.

use std::io::{self, Write};
use std::path::Path;

use anstyle::{AnsiColor, Style};

use super::{Counts, Verbosity};
use crate::engine::{EnvReport, Finding, Report, Severity};
use crate::fix::EnvFix;
use crate::paths::display_rel;
use crate::printer::Printer;
use crate::rules::{Applicability, Rule};

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const GREEN: Style = AnsiColor::Green.on_default().bold();
const CYAN: Style = AnsiColor::Cyan.on_default();

fn sev_style(s: Severity) -> Style {
    match s {
        Severity::Error => AnsiColor::Red.on_default().bold(),
        Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        Severity::Info => AnsiColor::Blue.on_default().bold(),
    }
}

/// How many file names a group shows before "and N more".
const GROUP_SHOWN: usize = 6;

fn env_heading(w: &mut dyn Write, r: &EnvReport) -> io::Result<()> {
    let env = r.env();
    let version = env
        .version
        .as_deref()
        .map(|v| format!(", Python {v}"))
        .unwrap_or_default();
    writeln!(
        w,
        "{BOLD}{}{BOLD:#} {DIM}({}{version}){DIM:#}",
        env.root.display(),
        env.kind
    )
}

fn names(files: &[&Finding], base: &Path, v: Verbosity) -> String {
    let shown = if v == Verbosity::Verbose {
        files.len()
    } else {
        GROUP_SHOWN
    };
    let mut list: Vec<String> = files
        .iter()
        .take(shown)
        .map(|f| display_rel(&f.path, base))
        .collect();
    if files.len() > shown {
        list.push(format!("and {} more (-v lists all)", files.len() - shown));
    }
    list.join(", ")
}

/// Findings grouped by rule and message (they are sorted by severity, rule, path), paths
/// shown relative to `base`.
fn findings(w: &mut dyn Write, list: &[Finding], base: &Path, v: Verbosity) -> io::Result<()> {
    let mut groups: Vec<Vec<&Finding>> = Vec::new();
    for f in list {
        match groups
            .iter_mut()
            .find(|g| g[0].rule.code == f.rule.code && g[0].message == f.message)
        {
            Some(g) => g.push(f),
            None => groups.push(vec![f]),
        }
    }
    for g in &groups {
        let f = g[0];
        let st = sev_style(f.severity());
        if g.len() == 1 {
            writeln!(
                w,
                "  {st}{}[{}]{st:#} {}: {}",
                f.severity(),
                f.rule.id,
                display_rel(&f.path, base),
                f.message
            )?;
        } else {
            writeln!(
                w,
                "  {st}{}[{}]{st:#} {}",
                f.severity(),
                f.rule.id,
                f.message
            )?;
            writeln!(w, "      {} files: {}", g.len(), names(g, base, v))?;
        }
        if let Some(fix) = &f.fix {
            let label = match fix.applicability {
                Applicability::Manual => "by hand",
                _ => "fix",
            };
            writeln!(w, "      {CYAN}{label}{CYAN:#}: {}", fix.command)?;
        }
    }
    Ok(())
}

/// Print one environment's findings.
pub fn scan_env(w: &mut dyn Write, r: &EnvReport, v: Verbosity) -> io::Result<()> {
    if r.findings.is_empty() {
        if v != Verbosity::Quiet {
            env_heading(w, r)?;
            writeln!(
                w,
                "  {GREEN}ok{GREEN:#}: no problems ({} scripts checked)",
                r.facts.listing.scripts.len()
            )?;
        }
        return Ok(());
    }
    env_heading(w, r)?;
    findings(w, &r.findings, &r.env().root, v)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A whole scan: each environment, the machine's section, the summary.
pub fn scan(w: &mut dyn Write, report: &Report, v: Verbosity) -> io::Result<()> {
    if report.envs.is_empty() && report.machine.findings.is_empty() {
        return Ok(()); // every argument was bad: the errors say it all
    }
    for r in &report.envs {
        scan_env(w, r, v)?;
    }
    if !report.machine.findings.is_empty() {
        writeln!(
            w,
            "{BOLD}this machine{BOLD:#} {DIM}(the process's variables and the user's files){DIM:#}"
        )?;
        findings(w, &report.machine.findings, Path::new(""), v)?;
    }
    let c = Counts::of(report);
    let envs = plural(report.envs.len(), "environment", "environments");
    if c.total() == 0 {
        return writeln!(w, "{GREEN}healthy{GREEN:#}: no problems in {envs}");
    }
    writeln!(
        w,
        "{BOLD}summary{BOLD:#}: {}, {}, {} in {envs}",
        plural(c.errors, "error", "errors"),
        plural(c.warnings, "warning", "warnings"),
        plural(c.info, "note", "notes"),
    )
}

/// What to do next after a scan.
pub fn scan_hints(report: &Report, printer: &mut Printer) {
    if Counts::of(report).total() == 0 {
        return;
    }
    let fixable = report.findings().any(|f| {
        f.fix
            .as_ref()
            .is_some_and(|x| x.applicability == Applicability::Safe)
    });
    if fixable {
        printer.hint(
            "`pydoctor fix ENV` applies the safe fixes; add --dry-run to preview them as a diff",
        );
    }
    printer.hint("`pydoctor explain ID` tells why a rule matters");
}

/// Print what fixing one environment did (or would do, with --dry-run: the diffs).
pub fn fix_env(w: &mut dyn Write, f: &EnvFix, v: Verbosity) -> io::Result<()> {
    let base = f.env.as_ref().map_or(Path::new(""), |e| e.root.as_path());
    if f.dry_run {
        for c in &f.changed {
            write!(w, "{}", c.diff)?;
        }
    }
    if v == Verbosity::Quiet && f.skipped.is_empty() && f.failed.is_empty() {
        return Ok(());
    }
    match &f.env {
        Some(env) => writeln!(
            w,
            "{BOLD}{}{BOLD:#} {DIM}({}){DIM:#}",
            base.display(),
            env.kind
        )?,
        None => writeln!(
            w,
            "{BOLD}this machine{BOLD:#} {DIM}(the user's files){DIM:#}"
        )?,
    }
    let verb = match (f.undo, f.dry_run) {
        (false, true) => "would fix",
        (false, false) => "fixed",
        (true, true) => "would restore",
        (true, false) => "restored",
    };
    // Group changes by (from, to).
    let mut groups: Vec<(&str, &str, Vec<String>)> = Vec::new();
    for c in &f.changed {
        let name = display_rel(&c.path, base);
        match groups.iter_mut().find(|g| g.0 == c.from && g.1 == c.to) {
            Some(g) => g.2.push(name),
            None => groups.push((&c.from, &c.to, vec![name])),
        }
    }
    for (from, to, files) in &groups {
        let shown = if v == Verbosity::Verbose {
            files.len()
        } else {
            GROUP_SHOWN
        };
        let mut list = files
            .iter()
            .take(shown)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if files.len() > shown {
            list.push_str(&format!(", and {} more", files.len() - shown));
        }
        if f.undo {
            writeln!(
                w,
                "  {GREEN}{verb}{GREEN:#} {} as they were before pydoctor's last fix",
                plural(files.len(), "file", "files")
            )?;
        } else {
            writeln!(
                w,
                "  {GREEN}{verb}{GREEN:#} {}: {from} -> {to}",
                plural(files.len(), "file", "files")
            )?;
        }
        writeln!(w, "      {list}")?;
    }
    for s in &f.skipped {
        let st = sev_style(Severity::Warning);
        writeln!(
            w,
            "  {st}skipped{st:#} {}: {}",
            display_rel(&s.path, base),
            s.reason
        )?;
    }
    for s in &f.failed {
        let st = sev_style(Severity::Error);
        writeln!(
            w,
            "  {st}failed{st:#} {}: {}",
            display_rel(&s.path, base),
            s.reason
        )?;
    }
    if f.changed.is_empty() && f.skipped.is_empty() && f.failed.is_empty() {
        let nothing = if f.undo {
            "nothing to undo"
        } else {
            "nothing to fix"
        };
        writeln!(w, "  {GREEN}ok{GREEN:#}: {nothing}")?;
    }
    if f.stale_temps_removed > 0 {
        writeln!(
            w,
            "  removed {} from an interrupted earlier run",
            plural(f.stale_temps_removed, "temp file", "temp files")
        )?;
    }
    Ok(())
}

/// `pydoctor rules`.
pub fn rules(w: &mut dyn Write, rules: &[std::sync::Arc<Rule>]) -> io::Result<()> {
    let name_w = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
    for r in rules {
        let st = sev_style(r.severity);
        // Pad outside the styled span: escape codes must not count towards the width.
        let pad = " ".repeat(7 - r.severity.name().len());
        writeln!(
            w,
            "{BOLD}{}{BOLD:#}  {:<name_w$}  {st}{}{st:#}{pad}  {}  {DIM}[fix: {}]{DIM:#}",
            r.id, r.name, r.severity, r.title, r.fix
        )?;
    }
    Ok(())
}

/// `pydoctor explain ID`.
pub fn explain(w: &mut dyn Write, r: &Rule) -> io::Result<()> {
    let st = sev_style(r.severity);
    writeln!(w, "{BOLD}{} {}{BOLD:#}: {}", r.id, r.name, r.title)?;
    writeln!(
        w,
        "severity: {st}{}{st:#}   category: {}",
        r.severity, r.category
    )?;
    writeln!(w)?;
    writeln!(w, "{}", r.explanation.trim())?;
    writeln!(w)?;
    writeln!(w, "fix: {}", r.fix)?;
    for link in &r.references {
        writeln!(w, "see: {link}")?;
    }
    Ok(())
}

/// A date (seconds since 1970) as `YYYY-MM-DD`, UTC.
fn day(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    // Civil date from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// What the freshness column shows: pip's newest version, else the oldest content date.
fn freshness(p: &crate::mirrors::probe::Probe) -> String {
    if let Some(Some(v)) = p.newest.first() {
        return v.clone();
    }
    p.updated
        .iter()
        .flatten()
        .min()
        .map(|t| day(*t))
        .unwrap_or_else(|| "-".into())
}

/// One target's probes for `pydoctor mirrors`: a table sorted by rank, failures last with their
/// error class (conda: a line of per-channel results under a site that lacks one).
pub fn mirrors(
    w: &mut dyn Write,
    target: crate::mirrors::Target,
    probes: &[crate::mirrors::probe::Probe],
    fastest: Option<&str>,
    ending: MirrorsEnding,
    v: Verbosity,
) -> io::Result<()> {
    use crate::mirrors::Target;
    let name_w = probes
        .iter()
        .map(|p| p.name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    // -q: only the mirrors with a problem, then the ending.
    let shown: Vec<_> = probes
        .iter()
        .filter(|p| v != Verbosity::Quiet || !p.ok || p.stale)
        .collect();
    let fresh_head = if target == Target::Pip {
        "newest"
    } else {
        "updated"
    };
    if !shown.is_empty() {
        writeln!(
            w,
            "{BOLD}{:<name_w$}  {:<13} {:>9}  {:<10} url{BOLD:#}",
            "name", "status", "latency", fresh_head
        )?;
    }
    for p in shown {
        let (status, st) = match (&p.error, p.stale) {
            (Some(e), _) => (e.clone(), sev_style(Severity::Error)),
            (None, true) => ("stale".to_string(), sev_style(Severity::Warning)),
            (None, false) => ("ok".to_string(), GREEN),
        };
        let latency = p
            .latency_ms
            .map(|l| format!("{l:.0} ms"))
            .unwrap_or_else(|| "-".into());
        writeln!(
            w,
            "{:<name_w$}  {st}{:<13}{st:#} {:>9}  {:<10} {}",
            p.name,
            status,
            latency,
            freshness(p),
            p.url
        )?;
        if !p.ok || v == Verbosity::Verbose {
            let channels: Vec<String> = p
                .channels
                .iter()
                .map(|c| match (&c.error, c.latency_ms) {
                    (Some(e), _) => format!("{} {e}", c.channel),
                    (None, Some(l)) => format!("{} ok {l:.0} ms", c.channel),
                    (None, None) => format!("{} ok", c.channel),
                })
                .collect();
            if !channels.is_empty() {
                writeln!(w, "{:<name_w$}  channels: {}", "", channels.join(", "))?;
            }
        }
        if let Some(t) = p.throughput_mbps {
            writeln!(w, "{:<name_w$}  download: {t:.2} MB/s", "")?;
        } else if let Some(e) = &p.download_error {
            writeln!(w, "{:<name_w$}  download: {e}", "")?;
        }
        if let Some(to) = &p.redirected_to {
            writeln!(w, "{:<name_w$}  {DIM}redirected to {to}{DIM:#}", "")?;
        }
        if v == Verbosity::Verbose
            && let Some(d) = &p.detail
        {
            writeln!(w, "{:<name_w$}  {DIM}{d}{DIM:#}", "")?;
        }
    }
    let best = fastest.and_then(|f| probes.iter().find(|p| p.name == f));
    match (ending, best) {
        (MirrorsEnding::Summary, _) if v != Verbosity::Quiet => {}
        (MirrorsEnding::Summary, _) => {
            let usable = probes.iter().filter(|p| p.ok && !p.stale).count();
            writeln!(
                w,
                "{usable} of {} mirrors usable and up to date",
                probes.len()
            )?;
        }
        (_, None) => writeln!(w, "\nno usable, up-to-date mirror")?,
        (MirrorsEnding::Applying, Some(p)) => {
            writeln!(w, "\n{GREEN}applying{GREEN:#}: {} ({})", p.name, p.url)?;
        }
        (MirrorsEnding::Fastest, Some(p)) => {
            writeln!(w, "\n{GREEN}fastest{GREEN:#}: {} ({})", p.name, p.url)?;
            match target {
                Target::Pip => {
                    writeln!(
                        w,
                        "  configure pip and uv: pydoctor mirrors --apply {}",
                        p.name
                    )?;
                    writeln!(
                        w,
                        "  or for pip alone:     pip config --user set global.index-url {}",
                        p.url
                    )?;
                }
                Target::Huggingface => writeln!(
                    w,
                    "  the line for your shell: pydoctor mirrors --apply {} --target {target}",
                    p.name
                )?,
                _ => writeln!(
                    w,
                    "  configure it: pydoctor mirrors --apply {} --target {target}",
                    p.name
                )?,
            }
        }
    }
    Ok(())
}

/// What a target's client uses now, and why.
pub fn in_use(
    w: &mut dyn Write,
    target: crate::mirrors::Target,
    now: &crate::mirrors::target::InUse,
) -> io::Result<()> {
    writeln!(
        w,
        "{DIM}{target} uses now: {} (from {}){DIM:#}",
        now.url, now.source
    )
}

/// A section heading (one per mirror target).
pub fn heading(w: &mut dyn Write, title: &str) -> io::Result<()> {
    writeln!(w, "{BOLD}{title}{BOLD:#}")
}

/// The lines that set a variable, the user's shell first: printed, never written to a file.
pub fn shell_lines(
    w: &mut dyn Write,
    lines: &[(&'static str, String)],
    user_shell: &str,
) -> io::Result<()> {
    let mut ordered: Vec<&(&str, String)> =
        lines.iter().filter(|(s, _)| *s == user_shell).collect();
    ordered.extend(lines.iter().filter(|(s, _)| *s != user_shell));
    writeln!(
        w,
        "only the environment sets it; add this line to your shell's startup file:"
    )?;
    for (i, (shell, line)) in ordered.iter().enumerate() {
        if i == 0 {
            writeln!(w, "  {line}")?;
        } else {
            writeln!(w, "  {DIM}{line}   ({shell}){DIM:#}")?;
        }
    }
    Ok(())
}

/// How the mirror table ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MirrorsEnding {
    /// Nothing more (with -q: a one-line count).
    Summary,
    /// The fastest, and how to configure it.
    Fastest,
    /// The mirror being written into the config (no advice to do what is being done).
    Applying,
}

/// Config files written (or, with --dry-run, the diffs that would be written).
pub fn config_changes(
    w: &mut dyn Write,
    changes: &[crate::mirrors::config::Change],
    dry_run: bool,
    verb: &str,
) -> io::Result<()> {
    if changes.is_empty() {
        return writeln!(w, "nothing to change");
    }
    for c in changes {
        if dry_run {
            write!(w, "{}", c.diff)?;
        } else {
            write!(w, "{GREEN}{verb}{GREEN:#} {}", c.path.display())?;
            match &c.backup {
                Some(b) if verb == "updated" => writeln!(w, " (backup: {})", b.display())?,
                _ => writeln!(w)?,
            }
        }
    }
    Ok(())
}
