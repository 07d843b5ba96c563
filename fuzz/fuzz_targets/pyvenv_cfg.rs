//! pyvenv.cfg: parsing arbitrary text never panics; `command`'s target is a suffix of it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pydoctor::env::PyvenvCfg;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let cfg = PyvenvCfg::parse(&text);
    let _ = cfg.version();
    if let Some(t) = cfg.command_target() {
        assert!(cfg.get("command").unwrap_or_default().ends_with(&t));
    }
});
