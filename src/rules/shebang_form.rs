//! PD104-PD107: the interpreter exists, but line one keeps the kernel from reaching it: a CRLF,
//! a line longer than the kernel reads, a space that splits the path. Fixed by rewriting the
//! interpreter line (pip's `/bin/sh` trampoline where a plain `#!` cannot carry the path).

use super::interpreter::shebang_fix;
use super::{Fix, Hit};
use crate::engine::facts::{Facts, InterpState};
use crate::scripts::{HEAD_MAX, Script};
use crate::shebang::{Form, Quote};

/// Linux 5.1 and later read 256 bytes of line one (including `#!`), earlier kernels 128.
const KERNEL_LIMIT: usize = 256;
const OLD_KERNEL_LIMIT: usize = 128;

/// Scripts whose interpreter is fine, so a problem of form is their root cause.
fn healthy(f: &Facts) -> impl Iterator<Item = (&Script, String)> {
    f.scripts().filter_map(|(s, state)| {
        let p = s.header.interpreter()?;
        (*state == InterpState::Ok).then(|| (s, p.display().to_string()))
    })
}

pub fn crlf(f: &Facts) -> Vec<Hit> {
    let fix = shebang_fix(f);
    healthy(f)
        .filter(|(s, _)| s.header.crlf)
        .map(|(s, i)| {
            Hit::new(&s.path)
                .var("interpreter", i)
                .fix(Some(fix.clone()))
        })
        .collect()
}

fn length(f: &Facts, min: usize, max: usize) -> Vec<Hit> {
    let fix = shebang_fix(f);
    let limit = (min - 1).to_string();
    let mut hits: Vec<Hit> = healthy(f)
        .filter(|(s, _)| matches!(s.header.form, Form::Direct { .. }))
        .filter(|(s, _)| (min..=max).contains(&s.header.line_one_len))
        .map(|(s, _)| {
            Hit::new(&s.path)
                .var("bytes", s.header.line_one_len.to_string())
                .var("limit", limit.clone())
                .fix(Some(fix.clone()))
        })
        .collect();
    // Files whose line one did not end within the bytes read are too long for any kernel;
    // they are not scripts pydoctor can repair.
    if max == usize::MAX {
        let by_hand = Fix::advice(
            "edit it by hand: line one is longer than any kernel reads, so it is not a script \
             pydoctor can repair",
        );
        hits.extend(f.listing.overlong.iter().map(|p| {
            Hit::new(p)
                .var("bytes", format!("over {HEAD_MAX}"))
                .var("limit", limit.clone())
                .fix(Some(by_hand.clone()))
        }));
    }
    hits
}

pub fn too_long(f: &Facts) -> Vec<Hit> {
    length(f, KERNEL_LIMIT, usize::MAX)
}

pub fn long_for_old_kernels(f: &Facts) -> Vec<Hit> {
    length(f, OLD_KERNEL_LIMIT, KERNEL_LIMIT - 1)
}

pub fn space(f: &Facts) -> Vec<Hit> {
    let fix = shebang_fix(f);
    healthy(f)
        .filter_map(|(s, i)| {
            let runs = match &s.header.form {
                Form::Direct {
                    kernel_interpreter,
                    intended,
                    ..
                } if kernel_interpreter != intended => kernel_interpreter.display().to_string(),
                // An unquoted path with spaces in a trampoline: `sh` splits it into words.
                Form::Trampoline {
                    interpreter,
                    quote: Quote::Bare,
                    ..
                } if interpreter.as_os_str().as_encoded_bytes().contains(&b' ') => {
                    i.split(' ').next().unwrap_or_default().to_owned()
                }
                _ => return None,
            };
            Some(
                Hit::new(&s.path)
                    .var("interpreter", i)
                    .var("runs", runs)
                    .fix(Some(fix.clone())),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::*;
    use super::*;

    #[test]
    fn lengths_split_at_the_kernel_limits() {
        // `n` bytes with the newline, as the kernel counts them.
        let long = |n: usize| format!("#!/{}\n", "p".repeat(n - 4)).into_bytes();
        let f = env("/e");
        let f = with_script(f, "a", &long(127), InterpState::Ok);
        let f = with_script(f, "b", &long(128), InterpState::Ok);
        let f = with_script(f, "c", &long(256), InterpState::Ok);
        let f = with_script(f, "d", &long(300), InterpState::Missing);
        let old = long_for_old_kernels(&f);
        assert_eq!(old.len(), 1);
        assert!(old[0].path.ends_with("bin/b"));
        assert_vars(Code::ShebangLongForOldKernels, &old);
        let too = too_long(&f);
        assert_eq!(too.len(), 1, "the missing interpreter is its root cause");
        assert!(too[0].path.ends_with("bin/c"));
        assert_eq!(
            too[0].vars,
            [("bytes", "256".into()), ("limit", "255".into())]
        );
    }

    #[test]
    fn crlf_and_space() {
        let f = env("/e");
        let f = with_script(f, "a", b"#!/e/bin/python\r\n", InterpState::Ok);
        let f = with_script(f, "b", b"#!/my env/bin/python\n", InterpState::Ok);
        assert_eq!(crlf(&f).len(), 1);
        let sp = space(&f);
        assert_eq!(sp.len(), 1);
        assert_vars(Code::ShebangSpace, &sp);
        assert_eq!(sp[0].vars[1].1, "/my");
    }
}
