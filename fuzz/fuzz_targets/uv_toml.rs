//! uv.toml: setting the default index never panics and gives valid TOML.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pydoctor::mirrors::config::set_uv_index;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(out) = set_uv_index(&text, "https://mirror.example/simple") {
        let doc: toml::Table = toml::from_str(&out).expect("valid TOML");
        assert!(doc.contains_key("index"));
    }
});
