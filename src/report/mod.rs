//! The only place that prints: human and JSON renderers of the same data.

pub mod human;
pub mod json;

use crate::engine::{EnvReport, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// Findings counted by severity.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub info: usize,
}

impl Counts {
    pub fn of(reports: &[EnvReport]) -> Counts {
        let mut c = Counts::default();
        for f in reports.iter().flat_map(|r| &r.findings) {
            match f.severity() {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.info += 1,
            }
        }
        c
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.info
    }
}
