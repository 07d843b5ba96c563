//! Pure reading and rewriting of the `VIRTUAL_ENV` path in activate scripts. The templates
//! differ (CPython < 3.12: `VIRTUAL_ENV="/x"`; 3.12+: `export VIRTUAL_ENV="/x"` and a
//! `$(cygpath "/x")` branch; virtualenv: single quotes; csh `setenv`, fish `set -gx`, nu, xsh),
//! so rather than one pattern per template we take every quoted absolute path on a line that
//! mentions VIRTUAL_ENV.

/// Activate scripts that carry the environment's path. `Activate.ps1` and `activate_this.py`
/// compute it from their own location and need no rewrite.
pub const ACTIVATE_FILES: &[&str] = &[
    "activate",
    "activate.csh",
    "activate.fish",
    "activate.nu",
    "activate.xsh",
];

/// One quoted path on a VIRTUAL_ENV line: `text[start..end]` is the path between the quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub start: usize,
    pub end: usize,
    pub quote: u8,
    pub value: String,
}

/// Every quoted absolute path on lines that mention `VIRTUAL_ENV` (any case).
pub fn assignments(text: &str) -> Vec<Assignment> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.to_ascii_uppercase().contains("VIRTUAL_ENV") {
            let bytes = line.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                let q = bytes[i];
                if (q == b'"' || q == b'\'')
                    && let Some(len) = bytes[i + 1..].iter().position(|&c| c == q)
                {
                    let value = &line[i + 1..i + 1 + len];
                    if value.starts_with('/') && !value.contains('$') {
                        out.push(Assignment {
                            start: offset + i + 1,
                            end: offset + i + 1 + len,
                            quote: q,
                            value: value.to_owned(),
                        });
                    }
                    i += len + 2;
                    continue;
                }
                i += 1;
            }
        }
        offset += line.len();
    }
    out
}

/// Why a path cannot be written inside a given quote.
pub fn quote_problem(path: &str, quote: u8) -> Option<&'static str> {
    let bad: &[char] = if quote == b'"' {
        &['"', '$', '`', '\\', '\n']
    } else {
        &['\'', '\n']
    };
    path.contains(bad)
        .then_some("the new path holds a character that this quoting cannot carry")
}

/// Replace every stale assignment with `new_root`. `Ok(None)` when nothing is stale.
pub fn rewrite(
    text: &str,
    new_root: &str,
    is_stale: impl Fn(&str) -> bool,
) -> Result<Option<String>, &'static str> {
    let stale: Vec<Assignment> = assignments(text)
        .into_iter()
        .filter(|a| is_stale(&a.value))
        .collect();
    if stale.is_empty() {
        return Ok(None);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for a in &stale {
        if let Some(why) = quote_problem(new_root, a.quote) {
            return Err(why);
        }
        out.push_str(&text[last..a.start]);
        out.push_str(new_root);
        last = a.end;
    }
    out.push_str(&text[last..]);
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PY312: &str = r#"if [ "${OSTYPE:-}" = "cygwin" ] || [ "${OSTYPE:-}" = "msys" ] ; then
    export VIRTUAL_ENV=$(cygpath "/old/env")
else
    export VIRTUAL_ENV="/old/env"
fi
export PATH="$VIRTUAL_ENV/bin:$PATH"
"#;

    #[test]
    fn finds_all_template_forms() {
        let vals: Vec<String> = assignments(PY312).into_iter().map(|a| a.value).collect();
        assert_eq!(vals, ["/old/env", "/old/env"]);
        for t in [
            "VIRTUAL_ENV=\"/old/env\"\nexport VIRTUAL_ENV\n",
            "VIRTUAL_ENV='/old/env'\n",
            "setenv VIRTUAL_ENV \"/old/env\"\n",
            "set -gx VIRTUAL_ENV '/old/env'\n",
        ] {
            assert_eq!(assignments(t)[0].value, "/old/env", "{t}");
        }
    }

    #[test]
    fn rewrites_only_stale_paths() {
        let out = rewrite(PY312, "/new place/env", |v| v == "/old/env")
            .unwrap()
            .unwrap();
        assert!(out.contains("cygpath \"/new place/env\""));
        assert!(out.contains("export VIRTUAL_ENV=\"/new place/env\""));
        assert!(out.contains("$VIRTUAL_ENV/bin:$PATH"));
        assert_eq!(rewrite(PY312, "/x", |_| false).unwrap(), None);
        assert!(rewrite(PY312, "/a\"b", |_| true).is_err());
    }
}
