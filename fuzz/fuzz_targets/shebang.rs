//! Interpreter lines: parsing arbitrary bytes never panics, and a rewrite keeps the body.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use pydoctor::fix::edit::rewrite_header;
use pydoctor::shebang::{self, Style};

fuzz_target!(|data: &[u8]| {
    let _ = shebang::parse(data);
    let _ = shebang::trampoline_breaks(data);
    if let Ok(Some(e)) = rewrite_header(data, Path::new("/new env/bin/python3"), Style::Auto) {
        assert!(e.keep_from <= data.len());
        let mut out = e.new_head.clone();
        out.extend_from_slice(&data[e.keep_from..]);
        assert_eq!(
            shebang::parse(&out).ok().and_then(|h| h.interpreter().map(Path::to_path_buf)),
            Some("/new env/bin/python3".into())
        );
    }
});
