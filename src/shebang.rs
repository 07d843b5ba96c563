//! Pure parsing and rendering of interpreter lines. No I/O here: callers hand in the first bytes
//! of a file and get back what the kernel and `/bin/sh` would run, and how many bytes the header
//! spans (everything after it is the body, which a rewrite keeps byte-identical).
//!
//! Forms understood:
//! - plain `#!/abs/python [arg]`, split the way the Linux kernel splits it;
//! - `#!/usr/bin/env [-S] python3 [args]`;
//! - pip/distlib's `#!/bin/sh` + `'''exec' PATH ARGS "$0" "$@"` + `' '''` trampoline, PATH bare or
//!   double-quoted, and uv's single-quoted variant (a PEP 263 cookie may sit between line one and
//!   the exec line);
//! - uv's relocatable trampoline, `"$(dirname -- "$(realpath -- "$0")")"/'python'`.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The longest plain `#!` line (including `#!` and the newline) that every Linux kernel runs:
/// kernels before 5.1 read 128 bytes. pip/distlib and uv use the same threshold.
pub const PORTABLE_SHEBANG_MAX: usize = 127;
/// Kernels since 5.1 read 256 bytes; a longer line fails everywhere on Linux.
pub const LINUX_SHEBANG_MAX: usize = 255;

/// How a script starts, as the OS and the shell would run it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    /// `#!interpreter [arg]`.
    Direct {
        /// What the kernel executes: the bytes after `#!` up to the first space or tab.
        kernel_interpreter: PathBuf,
        /// The path the author meant. Differs from `kernel_interpreter` only when the path has
        /// spaces: the kernel then runs the first word and the script is broken.
        intended: PathBuf,
        /// Arguments after the path (the kernel passes them as one string).
        args: Option<String>,
    },
    /// `#!/usr/bin/env [options] program [args]`: resolved through `$PATH` at run time.
    Env {
        env: PathBuf,
        program: String,
        args: Vec<String>,
    },
    /// A `/bin/sh` trampoline that `exec`s an absolute interpreter.
    Trampoline {
        shell: PathBuf,
        interpreter: PathBuf,
        args: Vec<String>,
        quote: Quote,
    },
    /// uv's relocatable trampoline: the interpreter is found next to the script's real path.
    Relocatable { name: String, args: Vec<String> },
}

/// How the interpreter path was quoted in a trampoline's exec line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    Bare,
    Double,
    Single,
}

/// A parsed header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub form: Form,
    /// Bytes the header spans, including its final newline.
    pub len: usize,
    /// Line one ends in `\r\n`; the kernel then looks for an interpreter whose name ends in `\r`.
    pub crlf: bool,
    /// Length of line one in bytes as the kernel counts it (`#!` through the newline).
    pub line_one_len: usize,
    /// A PEP 263 coding cookie line (with its newline) that the header carries along.
    pub cookie: Option<Vec<u8>>,
}

/// Why the first bytes are not a header we can reason about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotScript {
    /// Does not start with `#!` (binaries, data, empty files).
    NoShebang,
    /// Line one does not end within the bytes given: longer than any kernel reads.
    LineTooLong,
    /// `#!` followed by nothing usable.
    Empty,
}

impl Header {
    /// The absolute interpreter this header runs, if it names one.
    pub fn interpreter(&self) -> Option<&Path> {
        match &self.form {
            Form::Direct { intended, .. } => Some(intended),
            Form::Trampoline { interpreter, .. } => Some(interpreter),
            Form::Env { .. } | Form::Relocatable { .. } => None,
        }
    }

    /// Arguments to carry over into a rewritten header.
    pub fn args(&self) -> Vec<String> {
        match &self.form {
            Form::Direct { args, .. } => args
                .as_deref()
                .map(|a| a.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default(),
            Form::Trampoline { args, .. } | Form::Relocatable { args, .. } => args.clone(),
            Form::Env { args, .. } => args.clone(),
        }
    }
}

fn split_line(buf: &[u8]) -> Option<(&[u8], usize)> {
    let nl = memchr(b'\n', buf)?;
    Some((&buf[..nl], nl + 1))
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// PEP 263: a comment line matching `coding[:=]\s*([-\w.]+)`.
pub fn is_coding_cookie(line: &[u8]) -> bool {
    let trimmed = trim_start(line);
    if !trimmed.starts_with(b"#") {
        return false;
    }
    let mut rest = trimmed;
    while let Some(i) = find(rest, b"coding") {
        let after = &rest[i + 6..];
        if let Some((&sep, tail)) = after.split_first()
            && (sep == b':' || sep == b'=')
        {
            let tail = trim_start(tail);
            if tail
                .first()
                .is_some_and(|c| c.is_ascii_alphanumeric() || b"-_.".contains(c))
            {
                return true;
            }
        }
        rest = after;
    }
    false
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t' | b'\x0c'))
        .count();
    &b[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn is_shell(interp: &[u8]) -> bool {
    matches!(
        interp,
        b"/bin/sh" | b"/usr/bin/sh" | b"/bin/bash" | b"/usr/bin/bash" | b"/bin/dash"
    )
}

/// Parse the first bytes of a file. `buf` must hold at least line one and, for trampolines, the
/// lines after it (a few KiB is plenty: paths are at most 4 KiB).
pub fn parse(buf: &[u8]) -> Result<Header, NotScript> {
    if !buf.starts_with(b"#!") {
        return Err(NotScript::NoShebang);
    }
    let (line, line_one_len) = split_line(buf).ok_or(NotScript::LineTooLong)?;
    let crlf = line.ends_with(b"\r");
    let body = strip_cr(&line[2..]);
    // The kernel skips blanks after `#!`, takes the interpreter up to the next blank, then one
    // argument with trailing blanks removed.
    let body = trim_start_blank(body);
    let end = body
        .iter()
        .position(|&c| c == b' ' || c == b'\t')
        .unwrap_or(body.len());
    let interp = &body[..end];
    if interp.is_empty() {
        return Err(NotScript::Empty);
    }
    let rest = trim_end_blank(trim_start_blank(&body[end..]));
    let rest_str = (!rest.is_empty()).then(|| String::from_utf8_lossy(rest).into_owned());

    if is_shell(interp)
        && rest.is_empty()
        && let Some(h) = parse_trampoline(buf, line_one_len, crlf, interp)
    {
        return Ok(h);
    }

    let header = |form| Header {
        form,
        len: line_one_len,
        crlf,
        line_one_len,
        cookie: None,
    };

    if interp.ends_with(b"/env")
        && let Some(rest) = &rest_str
        && let Some(form) = parse_env(interp, rest)
    {
        return Ok(header(form));
    }

    // A path with spaces: the words up to the last one holding a `/` are the path, the rest are
    // options. `#!/usr/bin/python -E` keeps `-E` as an argument.
    let (intended, args) = match &rest_str {
        Some(rest) => {
            let words: Vec<&str> = rest.split([' ', '\t']).collect();
            match words.iter().rposition(|w| w.contains('/')) {
                Some(last) if !words[0].starts_with('-') => {
                    let mut path = interp.to_vec();
                    path.push(b' ');
                    path.extend_from_slice(words[..=last].join(" ").as_bytes());
                    let args = words[last + 1..].join(" ");
                    (path, (!args.is_empty()).then_some(args))
                }
                _ => (interp.to_vec(), rest_str.clone()),
            }
        }
        None => (interp.to_vec(), None),
    };
    Ok(header(Form::Direct {
        kernel_interpreter: bytes_path(interp),
        intended: bytes_path(&intended),
        args,
    }))
}

fn trim_start_blank(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| matches!(c, b' ' | b'\t')).count();
    &b[n..]
}

fn trim_end_blank(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .rev()
        .take_while(|c| matches!(c, b' ' | b'\t'))
        .count();
    &b[..b.len() - n]
}

fn bytes_path(b: &[u8]) -> PathBuf {
    PathBuf::from(OsStr::from_bytes(b))
}

fn parse_env(env: &[u8], rest: &str) -> Option<Form> {
    let mut words = rest.split_whitespace().peekable();
    // Skip env's own options (`-S`, `-i`, `-u NAME`) and NAME=VALUE assignments.
    while let Some(w) = words.peek() {
        if *w == "-u" {
            words.next();
            words.next();
        } else if w.starts_with('-') || w.contains('=') {
            words.next();
        } else {
            break;
        }
    }
    let program = words.next()?.to_owned();
    Some(Form::Env {
        env: bytes_path(env),
        program,
        args: words.map(str::to_owned).collect(),
    })
}

fn parse_trampoline(buf: &[u8], start: usize, crlf: bool, shell: &[u8]) -> Option<Header> {
    let mut pos = start;
    let mut cookie = None;
    let (mut line, mut next) = split_line(&buf[pos..])?;
    if is_coding_cookie(strip_cr(line)) {
        cookie = Some(buf[pos..pos + next].to_vec());
        pos += next;
        (line, next) = split_line(&buf[pos..])?;
    }
    let exec_line = strip_cr(line);
    if !exec_line.starts_with(b"'''exec' ") {
        return None;
    }
    pos += next;
    let (close, close_len) = split_line(&buf[pos..])?;
    if strip_cr(close) != b"' '''" {
        return None;
    }
    let len = pos + close_len;
    let text = std::str::from_utf8(exec_line).ok()?;
    let after = &text["'''exec' ".len()..];

    let form = if let Some(name_part) = after.strip_prefix(RELOCATABLE_PREFIX) {
        let words = shell_words::split(name_part).ok()?;
        let (name, args) = exec_words(&words)?;
        Form::Relocatable {
            name: name.to_owned(),
            args,
        }
    } else {
        let quote = match after.as_bytes().first() {
            Some(b'"') => Quote::Double,
            Some(b'\'') => Quote::Single,
            _ => Quote::Bare,
        };
        let words = shell_words::split(after).ok()?;
        let (interp, mut args) = exec_words(&words)?;
        if !interp.starts_with('/') {
            return None;
        }
        let mut interpreter = interp.to_owned();
        // distlib leaves the path unquoted when a caller sets `executable` itself, so a path
        // with spaces arrives split into words (and `sh` runs the first); rejoin the intended
        // path.
        if quote == Quote::Bare
            && let Some(last) = args.iter().rposition(|w| w.contains('/'))
            && !args[0].starts_with('-')
        {
            let rest: Vec<String> = args.drain(..=last).collect();
            interpreter = format!("{interpreter} {}", rest.join(" "));
        }
        Form::Trampoline {
            shell: bytes_path(shell),
            interpreter: PathBuf::from(interpreter),
            args,
            quote,
        }
    };
    Some(Header {
        form,
        len,
        crlf,
        line_one_len: start,
        cookie,
    })
}

/// Splits `INTERP ARGS... "$0" "$@"` into the interpreter and its arguments.
fn exec_words(words: &[String]) -> Option<(&str, Vec<String>)> {
    let n = words.len();
    if n < 3 || words[n - 2] != "$0" || words[n - 1] != "$@" {
        return None;
    }
    Some((&words[0], words[1..n - 2].to_vec()))
}

/// What uv writes before the interpreter's file name in a relocatable script.
const RELOCATABLE_PREFIX: &str = r#""$(dirname -- "$(realpath -- "$0")")"/"#;

/// How a rewritten header should run its interpreter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A plain `#!` when every kernel runs it, else the `/bin/sh` trampoline.
    Auto,
    /// uv's relocatable trampoline: survives the next move (needs `realpath`).
    Relocatable,
}

/// Why a header cannot be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// A newline or NUL in the path cannot be written in any header.
    UnwritablePath,
    /// A quote or backslash in the path or arguments would end, or be read as an escape in,
    /// the Python string the trampoline hides its exec line in.
    QuoteInPath,
    /// Python decodes every line of a script as UTF-8, line one too: a path that is not UTF-8
    /// cannot be spelled out in a header (uv's relocatable form names only the file name).
    NotUtf8,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::UnwritablePath => {
                f.write_str("interpreter path contains a newline or NUL")
            }
            RenderError::NotUtf8 => f.write_str(
                "interpreter path is not UTF-8, which Python cannot read in a script header",
            ),
            RenderError::QuoteInPath => f.write_str(
                "interpreter path contains a quote or backslash, which the /bin/sh trampoline \
                 cannot carry safely",
            ),
        }
    }
}

/// Render a header that runs `interpreter` with `args`. `args_raw` is the original plain-form
/// argument string, reused verbatim when the result is plain so the kernel sees the same bytes.
pub fn render(
    interpreter: &Path,
    args: &[String],
    args_raw: Option<&str>,
    cookie: Option<&[u8]>,
    style: Style,
) -> Result<Vec<u8>, RenderError> {
    let path = interpreter.as_os_str().as_bytes();
    if path.iter().any(|&b| b == b'\n' || b == b'\r' || b == 0) {
        return Err(RenderError::UnwritablePath);
    }
    if style == Style::Auto && std::str::from_utf8(path).is_err() {
        return Err(RenderError::NotUtf8);
    }
    if style == Style::Auto {
        let plain_args = match (args_raw, args) {
            (Some(raw), _) => Some(raw.to_owned()),
            (None, []) => None,
            (None, [one]) => Some(one.clone()),
            (None, _) => None,
        };
        let fits_one_arg = args_raw.is_some() || args.len() <= 1;
        let mut line = b"#!".to_vec();
        line.extend_from_slice(path);
        if let Some(a) = &plain_args {
            line.push(b' ');
            line.extend_from_slice(a.as_bytes());
        }
        line.push(b'\n');
        let has_blank = path.iter().any(|&b| b == b' ' || b == b'\t');
        if fits_one_arg && !has_blank && line.len() <= PORTABLE_SHEBANG_MAX {
            let mut out = line;
            if let Some(c) = cookie {
                out.extend_from_slice(&normalize_eol(c));
            }
            return Ok(out);
        }
    }
    let mut out = b"#!/bin/sh\n".to_vec();
    if let Some(c) = cookie {
        out.extend_from_slice(&normalize_eol(c));
    }
    out.extend_from_slice(b"'''exec' ");
    match style {
        Style::Relocatable => {
            let name = interpreter
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.extend_from_slice(RELOCATABLE_PREFIX.as_bytes());
            out.extend_from_slice(shell_quote_single(&name).as_bytes());
        }
        Style::Auto => {
            // The exec line sits inside a Python string ('''...'''): a quote could end it
            // early (and what follows would run as Python), a backslash would be an escape.
            if path.iter().any(|&b| b == b'\\' || b == b'\'') {
                return Err(RenderError::QuoteInPath);
            }
            out.extend_from_slice(&shell_quote_path(path))
        }
    }
    for a in args {
        out.push(b' ');
        out.extend_from_slice(shell_words::quote(a).as_bytes());
    }
    out.extend_from_slice(b" \"$0\" \"$@\"\n' '''\n");
    // Whatever the arguments were: the string must run from the opening quotes to the closing
    // ones and hold no escape.
    let exec = out.windows(9).position(|w| w == b"'''exec' ").unwrap_or(0) + 3;
    let inner = &out[exec..out.len() - 4];
    if inner.contains(&b'\\') || inner.windows(3).any(|w| w == b"'''") {
        return Err(RenderError::QuoteInPath);
    }
    Ok(out)
}

fn normalize_eol(line: &[u8]) -> Vec<u8> {
    let mut l = strip_cr(line.strip_suffix(b"\n").unwrap_or(line)).to_vec();
    l.push(b'\n');
    l
}

/// Quote a path for the exec line: bare when it has only safe characters (what distlib writes),
/// double quotes when it has spaces (distlib's choice), single quotes when it holds `"`, `$` or
/// a backtick.
fn shell_quote_path(path: &[u8]) -> Vec<u8> {
    let safe = |c: &u8| c.is_ascii_alphanumeric() || b"/._+-@%:,=".contains(c) || *c >= 0x80;
    if path.iter().all(safe) {
        return path.to_vec();
    }
    if !path.iter().any(|c| b"\"$`!".contains(c)) {
        let mut out = vec![b'"'];
        out.extend_from_slice(path);
        out.push(b'"');
        return out;
    }
    shell_quote_single(&String::from_utf8_lossy(path)).into_bytes()
}

fn shell_quote_single(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// True when putting a trampoline in front of `body` would break it: the trampoline's string
/// becomes the module docstring, so a real docstring followed by `from __future__` turns into a
/// SyntaxError.
pub fn trampoline_breaks(body: &[u8]) -> bool {
    let mut lines = body.split(|&b| b == b'\n');
    let first = lines.find(|l| {
        let t = trim_start(strip_cr(l));
        !t.is_empty() && !t.starts_with(b"#")
    });
    let Some(first) = first else { return false };
    let t = trim_start(first);
    let unprefixed = t
        .iter()
        .position(|c| *c == b'"' || *c == b'\'')
        .filter(|&i| i <= 2 && t[..i].iter().all(|c| b"rRuUbB".contains(c)));
    if unprefixed.is_none() {
        return false;
    }
    // `from __future__` can only follow a docstring (and comments), so any occurrence at the
    // start of a line means the file relies on the docstring slot.
    std::iter::once(first)
        .chain(lines)
        .any(|l| l.starts_with(b"from __future__"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Header {
        parse(s.as_bytes()).expect("parses")
    }

    #[test]
    fn plain_with_arg() {
        let h = p("#!/env/bin/python -E\nimport x\n");
        assert_eq!(
            h.form,
            Form::Direct {
                kernel_interpreter: "/env/bin/python".into(),
                intended: "/env/bin/python".into(),
                args: Some("-E".into()),
            }
        );
        assert_eq!(h.len, 21);
        assert!(!h.crlf);
    }

    #[test]
    fn plain_with_space_in_path() {
        let h = p("#!/my env/bin/python3 -s\n");
        match h.form {
            Form::Direct {
                kernel_interpreter,
                intended,
                args,
            } => {
                assert_eq!(kernel_interpreter, Path::new("/my"));
                assert_eq!(intended, Path::new("/my env/bin/python3"));
                assert_eq!(args.as_deref(), Some("-s"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn crlf_and_blanks() {
        let h = p("#! \t/env/bin/python\r\nx");
        assert!(h.crlf);
        assert_eq!(h.interpreter(), Some(Path::new("/env/bin/python")));
    }

    #[test]
    fn env_forms() {
        let h = p("#!/usr/bin/env -S python3 -E\n");
        assert_eq!(
            h.form,
            Form::Env {
                env: "/usr/bin/env".into(),
                program: "python3".into(),
                args: vec!["-E".into()],
            }
        );
    }

    #[test]
    fn distlib_trampolines() {
        let bare = p("#!/bin/sh\n'''exec' /long/bin/python \"$0\" \"$@\"\n' '''\nimport x\n");
        assert_eq!(bare.interpreter(), Some(Path::new("/long/bin/python")));
        assert_eq!(bare.len, bare.len);
        let quoted = p("#!/bin/sh\n'''exec' \"/a b/bin/python\" -E \"$0\" \"$@\"\n' '''\n");
        assert_eq!(quoted.interpreter(), Some(Path::new("/a b/bin/python")));
        assert_eq!(quoted.args(), vec!["-E".to_string()]);
        let uv = p("#!/bin/sh\n'''exec' '/it'\\''s/bin/python' \"$0\" \"$@\"\n' '''\n");
        assert_eq!(uv.interpreter(), Some(Path::new("/it's/bin/python")));
        let split = p("#!/bin/sh\n'''exec' /a b/c d/python -E \"$0\" \"$@\"\n' '''\n");
        assert_eq!(split.interpreter(), Some(Path::new("/a b/c d/python")));
        assert_eq!(split.args(), vec!["-E".to_string()]);
    }

    #[test]
    fn trampoline_with_cookie() {
        let src =
            "#!/bin/sh\n# -*- coding: latin-1 -*-\n'''exec' /x/python \"$0\" \"$@\"\n' '''\nbody";
        let h = p(src);
        assert_eq!(
            h.cookie.as_deref(),
            Some(&b"# -*- coding: latin-1 -*-\n"[..])
        );
        assert_eq!(&src[h.len..], "body");
    }

    #[test]
    fn relocatable() {
        let h = p(
            "#!/bin/sh\n'''exec' \"$(dirname -- \"$(realpath -- \"$0\")\")\"/'python' \"$0\" \"$@\"\n' '''\n",
        );
        assert_eq!(
            h.form,
            Form::Relocatable {
                name: "python".into(),
                args: vec![],
            }
        );
    }

    #[test]
    fn shell_script_is_direct() {
        let h = p("#!/bin/sh\necho hi\n");
        assert_eq!(h.interpreter(), Some(Path::new("/bin/sh")));
    }

    #[test]
    fn not_scripts() {
        assert_eq!(parse(b"\x7fELF"), Err(NotScript::NoShebang));
        assert_eq!(parse(b""), Err(NotScript::NoShebang));
        assert_eq!(parse(b"#!/no/newline"), Err(NotScript::LineTooLong));
        assert_eq!(parse(b"#!   \n"), Err(NotScript::Empty));
    }

    #[test]
    fn render_plain_and_trampoline() {
        let short = render(
            Path::new("/e/bin/python"),
            &["-E".into()],
            None,
            None,
            Style::Auto,
        );
        assert_eq!(short.unwrap(), b"#!/e/bin/python -E\n");
        let long = format!("/{}/bin/python", "x".repeat(130));
        let t = render(Path::new(&long), &[], None, None, Style::Auto).unwrap();
        assert_eq!(
            String::from_utf8(t.clone()).unwrap(),
            format!("#!/bin/sh\n'''exec' {long} \"$0\" \"$@\"\n' '''\n")
        );
        assert_eq!(parse(&t).unwrap().interpreter(), Some(Path::new(&long)));
        let spaced = render(
            Path::new("/a b/python"),
            &[],
            None,
            Some(b"# coding: latin-1\r\n"),
            Style::Auto,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(spaced).unwrap(),
            "#!/bin/sh\n# coding: latin-1\n'''exec' \"/a b/python\" \"$0\" \"$@\"\n' '''\n"
        );
    }

    #[test]
    fn render_round_trips_odd_paths() {
        for path in ["/a'b/python", "/a\"b $x/python", "/a`b/python", "/é/python"] {
            let out = render(Path::new(path), &["-I".into()], None, None, Style::Auto).unwrap();
            let h = parse(&out).unwrap();
            assert_eq!(h.interpreter(), Some(Path::new(path)), "{path}");
            assert_eq!(h.args(), vec!["-I".to_string()]);
        }
        assert!(render(Path::new("/a\nb"), &[], None, None, Style::Auto).is_err());
    }

    #[test]
    fn render_relocatable() {
        let out = render(
            Path::new("/e/bin/python3.12"),
            &[],
            None,
            None,
            Style::Relocatable,
        )
        .unwrap();
        let h = parse(&out).unwrap();
        assert_eq!(
            h.form,
            Form::Relocatable {
                name: "python3.12".into(),
                args: vec![]
            }
        );
    }

    #[test]
    fn cookies() {
        assert!(is_coding_cookie(b"# -*- coding: utf-8 -*-"));
        assert!(is_coding_cookie(b"# vim: set fileencoding=latin-1 :"));
        assert!(!is_coding_cookie(b"# nothing here"));
        assert!(!is_coding_cookie(b"x = 'coding: utf-8'"));
    }

    #[test]
    fn docstring_future_trap() {
        assert!(trampoline_breaks(
            b"# c\n\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n"
        ));
        assert!(!trampoline_breaks(b"from __future__ import annotations\n"));
        assert!(!trampoline_breaks(b"\"\"\"Doc.\"\"\"\nimport sys\n"));
        assert!(!trampoline_breaks(b"import sys\n"));
    }
}
