//! PEP 503 / PEP 691 index pages: parsing arbitrary bytes never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pydoctor::mirrors::index;

fuzz_target!(|data: &[u8]| {
    for ct in ["text/html", "application/vnd.pypi.simple.v1+json"] {
        let _ = index::parse(ct, data, "pip");
    }
});
