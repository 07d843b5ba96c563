//! Entry point: parse, run, map the result to an exit code, print the error chain.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use pydoctor::cli::Cli;
use pydoctor::error::BadInput;
use pydoctor::run::{self, EXIT_BAD_INPUT};

fn main() -> ExitCode {
    // Die quietly on a closed pipe (`pydoctor scan | head`), like other Unix tools.
    // SAFETY: restoring the default disposition of a signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    match run::run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let mut err = anstream::stderr();
            let _ = writeln!(err, "error: {e}");
            for cause in e.chain().skip(1) {
                let _ = writeln!(err, "  caused by: {cause}");
            }
            if let Some(hint) = e.downcast_ref::<BadInput>().and_then(|b| b.hint.as_deref()) {
                let _ = writeln!(err, "hint: {hint}");
            }
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}
