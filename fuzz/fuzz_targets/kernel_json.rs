//! kernel.json: reading argv[0] never panics; repointing it changes argv[0] and nothing else.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pydoctor::engine::facts::kernel_argv0;
use pydoctor::fix::plan::kernelspec_argv0;

fuzz_target!(|data: &[u8]| {
    let _ = kernel_argv0(data);
    if let Ok(Some(out)) = kernelspec_argv0(data, "/new env/bin/python") {
        assert_eq!(kernel_argv0(&out).as_deref(), Some("/new env/bin/python"));
        let before: serde_json::Value = serde_json::from_slice(data).expect("it parsed before");
        let mut after: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
        after["argv"][0] = before["argv"][0].clone();
        assert_eq!(before, after, "only argv[0] changed");
    }
});
