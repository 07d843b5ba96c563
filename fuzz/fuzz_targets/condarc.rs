//! .condarc: reading never panics; pointing the channels at a mirror gives a file that reads
//! back with exactly those settings, keeps `channels` and `channel_alias` as they were, and is
//! left unchanged by a second edit. Values carry quotes, `#` and `: ` to try the quoting.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use pydoctor::mirrors::condarc::{parse, set_channels};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let before = parse(&text);
    let defaults = vec![
        "https://m.example/a'b #c/pkgs/main".to_string(),
        "https://m.example/anaconda/pkgs/r".to_string(),
    ];
    let custom: BTreeMap<String, String> = [
        ("conda-forge".to_string(), "https://m.example/anaconda/cloud".to_string()),
        ("x' : y".to_string(), "\"https://q\" # not a comment".to_string()),
    ]
    .into();
    if let Ok(out) = set_channels(&text, &defaults, &custom) {
        let after = parse(&out).expect("the edited file reads back");
        assert_eq!(after.default_channels.as_deref(), Some(&defaults[..]));
        for (k, v) in &custom {
            assert_eq!(after.custom_channels.get(k), Some(v), "{k}");
        }
        let before = before.expect("an editable file was readable");
        assert_eq!(after.channels, before.channels);
        assert_eq!(after.channel_alias, before.channel_alias);
        assert_eq!(set_channels(&out, &defaults, &custom).as_deref(), Ok(out.as_str()));
    }
});
