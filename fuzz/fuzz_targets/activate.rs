//! Activate scripts: reading and rewriting them by each shell's quoting rules never panics; a
//! rewrite of a script's stale place leaves a script that names the new place instead.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pydoctor::activate::{self, Shell};

const SHELLS: [Shell; 7] = [
    Shell::Sh,
    Shell::Csh,
    Shell::Fish,
    Shell::Nu,
    Shell::Xonsh,
    Shell::PowerShell,
    Shell::Python,
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for shell in SHELLS {
        let loc = activate::location(shell, text);
        let stale: Vec<String> = loc.literals.iter().filter(|l| *l != "/new env").cloned().collect();
        if let Ok(Some(out)) = activate::rewrite(shell, text, &stale, "/new env") {
            let after = activate::location(shell, &out);
            assert!(after.literals.iter().all(|l| !stale.contains(l)), "{shell:?}: {out:?}");
        }
    }
});
