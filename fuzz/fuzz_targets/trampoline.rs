//! The header renderer, with a round-trip oracle: for any interpreter path bytes, a rendered
//! header parses back to exactly that interpreter, and a trampoline's exec line holds no quote
//! run or backslash that could end or escape the Python string around it.
#![no_main]

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use pydoctor::shebang::{self, Style};

fuzz_target!(|data: &[u8]| {
    let mut path = b"/".to_vec();
    path.extend_from_slice(data);
    let path = Path::new(OsStr::from_bytes(&path));
    for style in [Style::Auto, Style::Relocatable] {
        let Ok(head) = shebang::render(path, &[], None, None, style) else {
            continue;
        };
        let h = shebang::parse(&head).expect("a rendered header parses");
        assert_eq!(h.len, head.len());
        if style == Style::Auto {
            assert_eq!(h.interpreter(), Some(path));
        }
        // A trampoline (not a plain `#!/bin/sh` line, which is what /bin/sh itself gets).
        if let Some(at) = head.windows(9).position(|w| w == b"'''exec' ") {
            let start = at + 3;
            let inner = &head[start..head.len() - 4];
            assert!(!inner.contains(&b'\\'));
            assert!(!inner.windows(3).any(|w| w == b"'''"));
        }
    }
});
