//! pip.conf: parsing never panics; setting the index gives a file pip parses, whose index is
//! the one set, and setting it again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pydoctor::pipconf;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(ini) = pipconf::parse(&text) else {
        return;
    };
    let _ = ini.index();
    let url = "https://mirror.example/simple";
    if let Ok(out) = pipconf::set_index(&text, url) {
        let parsed = pipconf::parse(&out).expect("the edited file parses");
        assert_eq!(parsed.index().0.as_deref(), Some(url));
        assert_eq!(pipconf::set_index(&out, url).as_deref(), Ok(out.as_str()));
    }
});
