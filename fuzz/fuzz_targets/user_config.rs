//! The user config and the rule files: parsing arbitrary text never panics.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = pydoctor::config::parse(&text, Path::new("config.toml"));
    let _ = pydoctor::rules::registry::load_from(&[("fuzz.toml", &text)]);
});
