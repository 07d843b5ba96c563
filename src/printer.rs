//! The Printer: the only place that writes to the terminal. Report data goes to stdout,
//! buffered (a report of 5,000 findings is one write); diagnostics (errors, warnings, hints,
//! notes) go to stderr *after* the report they belong to, so on a terminal they read in order;
//! progress goes to stderr at once, on a terminal only, and is cleared before the report.

use std::fmt::Display;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::cli::{ColorWhen, Format};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Error,
    /// A line of an error's chain.
    Cause,
    Warning,
    Note,
    Hint,
}

pub struct Printer {
    format: Format,
    verbosity: Verbosity,
    out: anstream::AutoStream<Box<dyn Write>>,
    diagnostics: Vec<(Level, String)>,
    progress: bool,
    progress_shown: bool,
}

impl Printer {
    pub fn new(format: Format, color: ColorWhen, verbosity: Verbosity) -> Printer {
        let choice = match color {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        };
        choice.write_global();
        let stream_choice = anstream::AutoStream::choice(&io::stdout());
        let raw: Box<dyn Write> = Box::new(BufWriter::with_capacity(1 << 16, io::stdout()));
        let out = anstream::AutoStream::new(raw, stream_choice);
        Printer {
            format,
            verbosity,
            out,
            diagnostics: Vec::new(),
            progress: format == Format::Human
                && verbosity != Verbosity::Quiet
                && io::stderr().is_terminal(),
            progress_shown: false,
        }
    }

    pub fn is_json(&self) -> bool {
        self.format == Format::Json
    }

    pub fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    /// Where a human report is written.
    pub fn out(&mut self) -> &mut dyn Write {
        self.clear_progress();
        &mut self.out
    }

    /// The one JSON document of this run.
    pub fn json(&mut self, doc: &impl Serialize) -> io::Result<()> {
        self.clear_progress();
        serde_json::to_writer_pretty(&mut self.out, doc)?;
        writeln!(self.out)
    }

    pub fn error(&mut self, msg: impl Display) {
        self.diagnostics.push((Level::Error, msg.to_string()));
    }

    /// A command that failed as a whole: the error, its chain and a hint, on stderr; in JSON
    /// mode also the one document on stdout, so a pipe always gets JSON.
    pub fn failure(&mut self, e: &anyhow::Error, hint: Option<&str>) -> io::Result<()> {
        let causes: Vec<String> = e.chain().skip(1).map(|c| c.to_string()).collect();
        if self.is_json() {
            let doc = serde_json::json!({
                "errors": [{ "path": null, "message": e.to_string(), "causes": causes, "hint": hint }],
            });
            self.json(&doc)?;
        }
        self.error(e);
        for c in causes {
            self.diagnostics.push((Level::Cause, c));
        }
        if let Some(h) = hint {
            self.diagnostics.push((Level::Hint, h.to_owned()));
        }
        Ok(())
    }

    /// A warning about the run (shown in human mode; JSON documents carry their own).
    pub fn warning(&mut self, msg: impl Display) {
        if !self.is_json() {
            self.diagnostics.push((Level::Warning, msg.to_string()));
        }
    }

    /// Context for the report (what was discovered); not shown with `-q` or in JSON.
    pub fn note(&mut self, msg: impl Display) {
        if !self.is_json() && self.verbosity != Verbosity::Quiet {
            self.diagnostics.push((Level::Note, msg.to_string()));
        }
    }

    /// What to do next; not shown with `-q` or in JSON.
    pub fn hint(&mut self, msg: impl Display) {
        if !self.is_json() && self.verbosity != Verbosity::Quiet {
            self.diagnostics.push((Level::Hint, msg.to_string()));
        }
    }

    /// Ask a yes/no question on the terminal (on stderr, the answer from stdin), after what was
    /// printed so far. `None` when stdin or stderr is not a terminal: nobody to ask.
    pub fn confirm(&mut self, question: &str) -> Option<bool> {
        if !(io::stdin().is_terminal() && io::stderr().is_terminal()) {
            return None;
        }
        self.clear_progress();
        let _ = self.out.flush();
        let mut err = io::stderr().lock();
        let _ = write!(err, "{question} [y/N] ");
        let _ = err.flush();
        drop(err);
        let mut line = String::new();
        io::stdin().read_line(&mut line).ok()?;
        Some(matches!(line.trim(), "y" | "Y" | "yes" | "Yes" | "YES"))
    }

    /// A progress count for work done on many threads ("scanning 12/300 environments"), shown
    /// like [`Printer::progress`] and cleared before the report.
    pub fn counter(&mut self, label: &str, total: usize, unit: &str) -> Counter {
        self.progress_shown |= self.progress;
        Counter {
            label: label.to_owned(),
            unit: unit.to_owned(),
            total,
            done: AtomicUsize::new(0),
            enabled: self.progress,
            last: Mutex::new(None),
        }
    }

    /// A one-line progress message on a terminal, replaced by the next or by the report.
    pub fn progress(&mut self, msg: impl Display) {
        if self.progress {
            let _ = write!(io::stderr(), "\r\x1b[2K{msg}");
            self.progress_shown = true;
        }
    }

    fn clear_progress(&mut self) {
        if self.progress_shown {
            let _ = write!(io::stderr(), "\r\x1b[2K");
            self.progress_shown = false;
        }
    }

    /// Flush the report, then the diagnostics that belong after it.
    pub fn finish(mut self) -> io::Result<()> {
        self.clear_progress();
        self.out.flush()?;
        let mut err = anstream::stderr().lock();
        for (level, msg) in &self.diagnostics {
            let (label, style) = match level {
                Level::Error => ("error", anstyle::AnsiColor::Red.on_default().bold()),
                Level::Cause => ("  caused by", anstyle::Style::new()),
                Level::Warning => ("warning", anstyle::AnsiColor::Yellow.on_default().bold()),
                Level::Note => ("note", anstyle::Style::new().dimmed()),
                Level::Hint => ("hint", anstyle::AnsiColor::Cyan.on_default()),
            };
            writeln!(err, "{style}{label}{style:#}: {msg}")?;
        }
        Ok(())
    }
}

/// A count of finished items, safe to bump from worker threads. On a terminal it redraws its
/// line at most ten times a second (and at the last item); elsewhere it does nothing.
pub struct Counter {
    label: String,
    unit: String,
    total: usize,
    done: AtomicUsize,
    enabled: bool,
    last: Mutex<Option<Instant>>,
}

impl Counter {
    pub fn tick(&self) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if !self.enabled {
            return;
        }
        // A busy lock means another thread is drawing: skip, the next tick will; the last
        // count always waits its turn, so the line ends on the total.
        let last = if n == self.total {
            self.last.lock().ok()
        } else {
            self.last.try_lock().ok()
        };
        let Some(mut last) = last else {
            return;
        };
        let due = last.is_none_or(|t| t.elapsed() >= Duration::from_millis(100));
        if due || n == self.total {
            *last = Some(Instant::now());
            let _ = write!(
                io::stderr(),
                "\r\x1b[2K{} {n}/{} {}",
                self.label,
                self.total,
                self.unit
            );
        }
    }
}
