//! Renderers of command results, human and JSON. They write into what the Printer hands them;
//! nothing here chooses a stream.

pub mod human;
pub mod json;

use crate::engine::{Report, Severity};
pub use crate::printer::Verbosity;

/// Findings counted by severity.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub info: usize,
}

impl Counts {
    pub fn of(report: &Report) -> Counts {
        let mut c = Counts::default();
        for f in report.findings() {
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
