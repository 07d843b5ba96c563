//! Activate scripts: reading and rewriting them by each shell's quoting rules never panics; a
//! rewrite of a script's stale place leaves a script that names the new place instead. The first
//! byte picks the shell, so each execution lexes one script once (seven shells per input made
//! this target seven times slower than the others for no more coverage).
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
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let shell = SHELLS[usize::from(pick) % SHELLS.len()];
    let loc = activate::location(shell, text);
    let stale: Vec<String> = loc.literals.iter().filter(|l| *l != "/new env").cloned().collect();
    if let Ok(Some(out)) = activate::rewrite(shell, text, &stale, "/new env") {
        // No old place survives. A "stale" literal already under the new place may come back
        // (`/old/x` -> `/new env/x` when the script also names `/new env/x`): it is not old.
        let old = |l: &String| stale.contains(l) && l.strip_prefix("/new env").is_none_or(|r| !r.starts_with('/'));
        let after = activate::location(shell, &out);
        assert!(!after.literals.iter().any(old), "{shell:?}: {out:?}");
    }
});
