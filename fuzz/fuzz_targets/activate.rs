//! Activate scripts: finding and rewriting VIRTUAL_ENV never panics; a rewrite changes only
//! the values it was asked to change.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pydoctor::activate;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let found = activate::assignments(text);
    for a in &found {
        assert_eq!(&text[a.start..a.end], a.value);
    }
    if let Ok(Some(out)) = activate::rewrite(text, "/new/env", |v| v.starts_with("/o")) {
        let after = activate::assignments(&out);
        assert!(after.iter().all(|a| !a.value.starts_with("/o") || a.value == "/new/env"));
    }
});
