//! Pure computation of a script's new header from its current bytes. The body past the header
//! is never touched.

use std::path::Path;

use crate::shebang::{self, Form, Style};

/// A header rewrite: replace `content[..keep_from]` with `new_head`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderEdit {
    pub new_head: Vec<u8>,
    pub keep_from: usize,
}

/// Why a script is left alone.
pub type Refusal = String;

/// Compute the header that runs `target` for a script whose bytes are `content`. `Ok(None)`
/// when the script already has exactly that header.
pub fn rewrite_header(
    content: &[u8],
    target: &Path,
    style: Style,
) -> Result<Option<HeaderEdit>, Refusal> {
    rewrite_header_with(content, target, style, false)
}

/// [`rewrite_header`]; with `relocate_ok` (the interpreter sits beside the script), a path the
/// trampoline cannot carry (a quote, a backslash) gets uv's relocatable form instead, which
/// names only the interpreter's file name.
pub fn rewrite_header_with(
    content: &[u8],
    target: &Path,
    style: Style,
    relocate_ok: bool,
) -> Result<Option<HeaderEdit>, Refusal> {
    let header = shebang::parse(content).map_err(|e| format!("not a script any more: {e:?}"))?;
    let args = header.args();
    let args_raw = match &header.form {
        Form::Direct { args, .. } => args.clone(),
        _ => None,
    };
    let was_trampoline = matches!(
        header.form,
        Form::Trampoline { .. } | Form::Relocatable { .. }
    );

    // A coding cookie must stay on line 1 or 2 (PEP 263): take it into the header so it can
    // sit between `#!/bin/sh` and the exec line.
    let mut keep_from = header.len;
    let mut cookie = header.cookie.clone();
    if cookie.is_none() {
        let rest = &content[header.len..];
        if let Some(nl) = rest.iter().position(|&b| b == b'\n') {
            let line2 = &rest[..=nl];
            if shebang::is_coding_cookie(line2.strip_suffix(b"\n").unwrap_or(line2)) {
                cookie = Some(line2.to_vec());
                keep_from += line2.len();
            }
        }
    }

    let render =
        |style| shebang::render(target, &args, args_raw.as_deref(), cookie.as_deref(), style);
    let new_head = match render(style) {
        Err(shebang::RenderError::QuoteInPath | shebang::RenderError::NotUtf8)
            if relocate_ok && style == Style::Auto =>
        {
            render(Style::Relocatable)
        }
        r => r,
    }
    .map_err(|e| e.to_string())?;

    let is_trampoline = new_head.starts_with(b"#!/bin/sh\n");
    if is_trampoline && !was_trampoline && shebang::trampoline_breaks(&content[keep_from..]) {
        return Err(
            "a docstring followed by `from __future__` would break behind a /bin/sh trampoline; \
             left as is (a shorter environment path allows a plain #! line)"
                .into(),
        );
    }
    if new_head == content[..keep_from] {
        return Ok(None);
    }
    Ok(Some(HeaderEdit {
        new_head,
        keep_from,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_to_plain_keeps_args_and_body() {
        let src = b"#!/old/bin/python3.11 -E\r\n# -*- coding: utf-8 -*-\nimport x\n";
        let e = rewrite_header(src, Path::new("/new/bin/python3.11"), Style::Auto)
            .unwrap()
            .unwrap();
        let mut out = e.new_head.clone();
        out.extend_from_slice(&src[e.keep_from..]);
        assert_eq!(
            out,
            b"#!/new/bin/python3.11 -E\n# -*- coding: utf-8 -*-\nimport x\n"
        );
    }

    #[test]
    fn cookie_moves_above_exec_line() {
        let src = b"#!/old/python\n# -*- coding: latin-1 -*-\nprint('\xe9')\n";
        let long = format!("/{}/bin/python", "d".repeat(140));
        let e = rewrite_header(src, Path::new(&long), Style::Auto)
            .unwrap()
            .unwrap();
        let mut out = e.new_head.clone();
        out.extend_from_slice(&src[e.keep_from..]);
        let text = String::from_utf8_lossy(&out);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "#!/bin/sh");
        assert_eq!(lines[1], "# -*- coding: latin-1 -*-");
        assert!(lines[2].starts_with("'''exec' /ddd"));
        assert_eq!(&out[out.len() - 11..], b"print('\xe9')\n");
    }

    #[test]
    fn trampoline_back_to_plain() {
        let long = format!("/{}/bin/python", "d".repeat(140));
        let src = format!("#!/bin/sh\n'''exec' {long} \"$0\" \"$@\"\n' '''\nimport x\n");
        let e = rewrite_header(src.as_bytes(), Path::new("/e/bin/python"), Style::Auto)
            .unwrap()
            .unwrap();
        assert_eq!(e.new_head, b"#!/e/bin/python\n");
        assert_eq!(&src.as_bytes()[e.keep_from..], b"import x\n");
    }

    #[test]
    fn refuses_the_future_trap_and_is_idempotent() {
        let long = format!("/{}/bin/python", "d".repeat(140));
        let src = b"#!/old/python\n\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n";
        assert!(rewrite_header(src, Path::new(&long), Style::Auto).is_err());
        let same = b"#!/e/bin/python\nimport x\n";
        assert_eq!(
            rewrite_header(same, Path::new("/e/bin/python"), Style::Auto).unwrap(),
            None
        );
    }
}
