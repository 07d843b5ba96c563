//! `pydoctor rules`, `pydoctor explain ID` and `pydoctor completions SHELL`: what pydoctor
//! knows, printed.

use anyhow::Result;

use super::ExitStatus;
use crate::error::BadInput;
use crate::printer::Printer;
use crate::report;
use crate::rules;

pub fn rules(printer: &mut Printer) -> Result<ExitStatus> {
    let all = rules::all()?;
    if printer.is_json() {
        printer.json(&report::json::rules(all))?;
    } else {
        report::human::rules(printer.out(), all)?;
    }
    Ok(ExitStatus::Success)
}

pub fn explain(key: &str, printer: &mut Printer) -> Result<ExitStatus> {
    let all = rules::all()?;
    let r = rules::find(all, key).ok_or_else(|| {
        BadInput::new(format!("no rule {key:?}")).hint("`pydoctor rules` lists them")
    })?;
    if printer.is_json() {
        printer.json(r.as_ref())?;
    } else {
        report::human::explain(printer.out(), r)?;
    }
    Ok(ExitStatus::Success)
}

pub fn completions(shell: clap_complete::Shell, printer: &mut Printer) -> Result<ExitStatus> {
    let mut cmd = crate::cli::command();
    clap_complete::generate(shell, &mut cmd, "pydoctor", printer.out());
    Ok(ExitStatus::Success)
}
