//! Entry point: parse, run the command, map its status to an exit code. Errors are printed by
//! the Printer (with their chain and hint).

use std::process::ExitCode;

use clap::FromArgMatches;

use pydoctor::cli::Cli;
use pydoctor::commands::{self, ExitStatus};
use pydoctor::error::BadInput;
use pydoctor::printer::Printer;

fn main() -> ExitCode {
    // Die quietly on a closed pipe (`pydoctor scan | head`), like other Unix tools.
    // SAFETY: restoring the default disposition of a signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = match Cli::from_arg_matches(&pydoctor::cli::command().get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let (format, color, verbosity) = cli.command.printer_settings();
    let mut printer = Printer::new(format, color, verbosity);
    let status = match commands::run(&cli, &mut printer) {
        Ok(status) => status,
        Err(e) => {
            let hint = e.downcast_ref::<BadInput>().and_then(|b| b.hint.as_deref());
            let _ = printer.failure(&e, hint);
            ExitStatus::BadInput
        }
    };
    let _ = printer.finish();
    status.into()
}
