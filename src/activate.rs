//! Activate scripts, read as their shells read them. Each template records the environment's
//! location as a quoted word (CPython's venv, virtualenv 20 and 21, uv) or computes it at run
//! time (uv `--relocatable`, PowerShell, `activate_this.py`). Words are decoded by the shell's
//! own quoting rules (sh/bash/zsh/dash, csh/tcsh, fish, nushell, xonsh, PowerShell), so `$X`,
//! command substitutions and globs are never mistaken for a path, and a lines that only *use*
//! `$VIRTUAL_ENV` are never touched.
//!
//! The value assigned to `VIRTUAL_ENV` (or to the variable a template assigns it from) is the
//! anchor: when it names another place, every word of the script that decodes to that place
//! (or to a path below it, as in `source '/old/env'/bin/deactivate.csh`) is rewritten to the
//! new place, quoted for that shell. Pure: text in, text out.

/// Activate scripts a Python environment may have, by file name.
pub const ACTIVATE_FILES: &[&str] = &[
    "activate",
    "activate.csh",
    "activate.fish",
    "activate.nu",
    "activate.xsh",
    "activate.ps1",
    "Activate.ps1",
    "activate_this.py",
];

/// The language an activate script is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    /// sh, bash, zsh, dash (`activate`).
    Sh,
    /// csh, tcsh.
    Csh,
    Fish,
    Nu,
    Xonsh,
    PowerShell,
    /// virtualenv's and uv's `activate_this.py`.
    Python,
}

impl Shell {
    pub fn of_file(name: &str) -> Option<Shell> {
        Some(match name {
            "activate" => Shell::Sh,
            "activate.csh" => Shell::Csh,
            "activate.fish" => Shell::Fish,
            "activate.nu" => Shell::Nu,
            "activate.xsh" => Shell::Xonsh,
            "activate.ps1" | "Activate.ps1" => Shell::PowerShell,
            "activate_this.py" => Shell::Python,
            _ => return None,
        })
    }
}

/// What a script says of the environment's location.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The literal places assigned (usually one; CPython 3.12 writes it twice).
    pub literals: Vec<String>,
    /// Some assignment computes the place at run time.
    pub computed: bool,
}

impl Location {
    /// The template is one pydoctor knows how to read.
    pub fn recognised(&self) -> bool {
        !self.literals.is_empty() || self.computed
    }
}

/// A word of a script: its byte span and, when it holds no expansion, its decoded value.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    start: usize,
    end: usize,
    value: Option<String>,
}

/// Lexing rules of the sh-like shells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Sh,
    Csh,
    Fish,
}

struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    dialect: Dialect,
    words: Vec<Word>,
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn peek2(&self) -> Option<char> {
        self.text[self.pos..].chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn is_operator(&self, c: char) -> bool {
        matches!(c, ';' | '&' | '|' | '<' | '>')
            || (c == '(' || c == ')') && self.dialect != Dialect::Fish
    }

    /// Lex words until the end, or until an unmatched `close` (a command substitution's end).
    fn run(&mut self, close: Option<char>) {
        while let Some(c) = self.peek() {
            if Some(c) == close {
                return;
            }
            if c.is_whitespace() || self.is_operator(c) {
                self.bump();
            } else if c == '#' {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.bump();
                }
            } else {
                self.word(close);
            }
        }
    }

    /// Skip a command substitution that was opened: lex its words (they are words of the
    /// script too) up to its `close`.
    fn substitution(&mut self, close: char) {
        self.run(Some(close));
        self.bump();
    }

    fn word(&mut self, close: Option<char>) {
        let start = self.pos;
        let mut value = Some(String::new());
        let push = |value: &mut Option<String>, c: char| {
            if let Some(v) = value {
                v.push(c);
            }
        };
        while let Some(c) = self.peek() {
            if c.is_whitespace() || self.is_operator(c) || Some(c) == close {
                break;
            }
            match c {
                '\'' => {
                    self.bump();
                    loop {
                        match self.bump() {
                            None => break,
                            Some('\'') => break,
                            Some('\\')
                                if self.dialect == Dialect::Fish
                                    && matches!(self.peek(), Some('\'' | '\\')) =>
                            {
                                let e = self.bump().unwrap_or('\\');
                                push(&mut value, e);
                            }
                            Some(ch) => push(&mut value, ch),
                        }
                    }
                }
                '"' => {
                    self.bump();
                    while let Some(ch) = self.bump() {
                        match ch {
                            '"' => break,
                            '\\' if self.dialect != Dialect::Csh => match self.peek() {
                                Some('\n') => {
                                    self.bump();
                                }
                                Some(e @ ('$' | '`' | '"' | '\\')) => {
                                    self.bump();
                                    push(&mut value, e);
                                }
                                _ => push(&mut value, '\\'),
                            },
                            '$' => {
                                value = None;
                                self.expansion();
                            }
                            '`' if self.dialect != Dialect::Fish => {
                                value = None;
                                self.backtick();
                            }
                            ch => push(&mut value, ch),
                        }
                    }
                }
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        // fish reads `\n`, `\x41`... as escapes: not decoded here.
                        Some(e) if self.dialect == Dialect::Fish && e.is_ascii_alphanumeric() => {
                            value = None;
                        }
                        Some(e) => push(&mut value, e),
                        None => {}
                    }
                }
                '$' => {
                    value = None;
                    self.bump();
                    if self.dialect == Dialect::Fish && self.peek() == Some('(') {
                        self.bump();
                        self.substitution(')');
                    } else {
                        self.pos -= 1;
                        self.expansion();
                    }
                }
                '`' if self.dialect != Dialect::Fish => {
                    value = None;
                    self.backtick();
                }
                '(' if self.dialect == Dialect::Fish => {
                    value = None;
                    self.bump();
                    self.substitution(')');
                }
                // Globs, brace expansion and a leading `~` make the word something else at run
                // time (`[` alone is the test command).
                '*' | '?' | '{' => {
                    value = None;
                    self.bump();
                }
                '[' if self.pos > start => {
                    value = None;
                    self.bump();
                }
                '~' if self.pos == start => {
                    value = None;
                    self.bump();
                }
                _ => {
                    self.bump();
                    push(&mut value, c);
                }
            }
        }
        if self.pos > start {
            self.words.push(Word {
                start,
                end: self.pos,
                value,
            });
        }
    }

    /// `$name`, `${...}`, `$(...)`, `$?`... starting at `$`.
    fn expansion(&mut self) {
        if self.peek() == Some('$') {
            self.bump();
        }
        match self.peek() {
            Some('(') if self.dialect != Dialect::Csh => {
                self.bump();
                self.substitution(')');
            }
            Some('{') => {
                let mut depth = 0;
                while let Some(c) = self.bump() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            Some(c) if c.is_ascii_alphanumeric() || c == '_' => {
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    self.bump();
                }
                // csh modifiers: `$x:q`, `$x:t:q`.
                while self.dialect == Dialect::Csh
                    && self.peek() == Some(':')
                    && self.peek2().is_some_and(|c| c.is_ascii_alphabetic())
                {
                    self.bump();
                    self.bump();
                }
            }
            Some(_) => {
                self.bump();
            }
            None => {}
        }
    }

    fn backtick(&mut self) {
        self.bump();
        while let Some(c) = self.bump() {
            match c {
                '`' => break,
                '\\' => {
                    self.bump();
                }
                _ => {}
            }
        }
    }
}

fn lex(dialect: Dialect, text: &str) -> Vec<Word> {
    let mut l = Lexer {
        text,
        pos: 0,
        dialect,
        words: Vec::new(),
    };
    l.run(None);
    l.words.sort_by_key(|w| w.start);
    l.words
}

/// An assignment site: the span of the assigned value and, if literal, the value.
#[derive(Debug, Clone)]
struct Anchor {
    start: usize,
    end: usize,
    value: Option<String>,
}

/// A `NAME=value` word: the value's part of it.
fn assignment(text: &str, w: &Word, name: &str) -> Option<Anchor> {
    let raw = &text[w.start..w.end];
    let prefix = format!("{name}=");
    raw.strip_prefix(&prefix)?;
    let value_start = w.start + prefix.len();
    let value = lex_one(text, value_start, w.end);
    Some(Anchor {
        start: value_start,
        end: w.end,
        value,
    })
}

/// Decode `text[start..end]` as one sh word.
fn lex_one(text: &str, start: usize, end: usize) -> Option<String> {
    let words = lex(Dialect::Sh, &text[start..end]);
    match words.as_slice() {
        [w] if w.start == 0 && w.end == end - start => w.value.clone(),
        [] => Some(String::new()),
        _ => None,
    }
}

/// The words of an sh-like script and its anchors.
fn sh_like(dialect: Dialect, text: &str) -> (Vec<Word>, Vec<Anchor>) {
    let words = lex(dialect, text);
    let mut anchors = Vec::new();
    // Top-level words in order, without those nested inside a command substitution.
    let mut top: Vec<&Word> = Vec::new();
    for w in &words {
        if top.last().is_none_or(|t| w.start >= t.end) {
            top.push(w);
        }
    }
    let raw = |w: &Word| &text[w.start..w.end];
    let anchor_of = |w: &Word| Anchor {
        start: w.start,
        end: w.end,
        value: w.value.clone(),
    };
    for (i, w) in top.iter().enumerate() {
        match dialect {
            Dialect::Sh => {
                if let Some(a) = assignment(text, w, "VIRTUAL_ENV") {
                    anchors.push(a);
                }
            }
            Dialect::Csh => {
                let next = |k: usize| top.get(i + k).map(|w| raw(w));
                if raw(w) == "setenv" && next(1) == Some("VIRTUAL_ENV") {
                    anchors.extend(top.get(i + 2).map(|w| anchor_of(w)));
                }
                if raw(w) == "set" {
                    if let Some(n) = top.get(i + 1)
                        && let Some(a) = assignment(text, n, "_virtualenv_dir")
                    {
                        anchors.push(Anchor {
                            value: lex(Dialect::Csh, &text[a.start..a.end])
                                .first()
                                .and_then(|x| x.value.clone()),
                            ..a
                        });
                    } else if next(1) == Some("_virtualenv_dir") && next(2) == Some("=") {
                        anchors.extend(top.get(i + 3).map(|w| anchor_of(w)));
                    }
                }
            }
            Dialect::Fish => {
                if raw(w) == "set" {
                    let mut k = i + 1;
                    while top.get(k).is_some_and(|f| raw(f).starts_with('-')) {
                        k += 1;
                    }
                    if top.get(k).is_some_and(|n| raw(n) == "VIRTUAL_ENV") {
                        anchors.extend(top.get(k + 1).map(|w| anchor_of(w)));
                    }
                }
            }
        }
    }
    (words, anchors)
}

/// The anchor of a line `KEY VALUE...` in a non-sh language: the value from `start` to the end
/// of its token (before a comment or the end of the line).
fn line_anchors<'a>(
    text: &'a str,
    keys: &[&str],
    decode: impl Fn(&'a str) -> Option<(usize, Option<String>)>,
) -> Vec<Anchor> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        for key in keys {
            if let Some(rest) = trimmed.strip_prefix(key) {
                let value_start = offset + indent + key.len();
                let rest = rest.trim_end_matches(['\n', '\r']);
                let lead = rest.len() - rest.trim_start().len();
                let token = rest.trim_start();
                match decode(token) {
                    Some((len, value)) => out.push(Anchor {
                        start: value_start + lead,
                        end: value_start + lead + len,
                        value,
                    }),
                    None => out.push(Anchor {
                        start: value_start + lead,
                        end: value_start + lead + token.len(),
                        value: None,
                    }),
                }
            }
        }
        offset += line.len();
    }
    out
}

/// A nushell string at the start of `s`: `r#'...'#`, `'...'`, `"..."`; its length and value.
/// `None` when `s` is not a single string (an expression: computed).
fn nu_string(s: &str) -> Option<(usize, Option<String>)> {
    let end_ok = |len: usize| {
        let after = s[len..].trim_start();
        after.is_empty() || after.starts_with('#')
    };
    if let Some(body) = s.strip_prefix('r') {
        let hashes = body.chars().take_while(|&c| c == '#').count();
        let open = format!("{}'", "#".repeat(hashes));
        let close = format!("'{}", "#".repeat(hashes));
        let inner = body.strip_prefix(&open)?;
        let end = inner.find(&close)?;
        let len = 1 + open.len() + end + close.len();
        return end_ok(len).then(|| (len, Some(inner[..end].to_owned())));
    }
    if let Some(inner) = s.strip_prefix('\'') {
        let end = inner.find('\'')?;
        let len = end + 2;
        return end_ok(len).then(|| (len, Some(inner[..end].to_owned())));
    }
    if let Some(inner) = s.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = inner.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    let len = i + 2;
                    return end_ok(len).then_some((len, Some(out)));
                }
                '\\' => match chars.next()?.1 {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    '/' => out.push('/'),
                    _ => return Some((i + 2, None)),
                },
                c => out.push(c),
            }
        }
    }
    None
}

/// xonsh (virtualenv 21): `self._fs_path(''.join(...chr, (47, 116, ...)))` or a Python string
/// literal; anything else is computed.
fn xonsh_value(s: &str) -> Option<(usize, Option<String>)> {
    let s_end = s.trim_end().len();
    if let Some(at) = s.find("chr, (") {
        let codes = &s[at + 6..];
        let close = codes.find(')')?;
        let value: Option<String> = codes[..close]
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| t.parse::<u32>().ok().and_then(char::from_u32))
            .collect();
        return Some((s_end, value));
    }
    let inner = s.strip_prefix("self._fs_path(").unwrap_or(s);
    let q = inner.chars().next()?;
    if q == '\'' || q == '"' {
        let body = &inner[1..];
        let end = body.find(q)?;
        let lit = &body[..end];
        if lit.contains('\\') {
            return Some((s_end, None));
        }
        return Some((s_end, Some(lit.to_owned())));
    }
    None
}

/// PowerShell: a single-quoted literal (`''` is a quote) or anything else (computed).
fn ps_value(s: &str) -> Option<(usize, Option<String>)> {
    let inner = s.strip_prefix('\'')?;
    let mut out = String::new();
    let mut chars = inner.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().is_some_and(|&(_, n)| n == '\'') {
                chars.next();
                out.push('\'');
            } else {
                return Some((i + 2, Some(out)));
            }
        } else {
            out.push(c);
        }
    }
    None
}

/// A Python string literal assigned to `os.environ["VIRTUAL_ENV"]` (anything else: computed).
fn python_value(s: &str) -> Option<(usize, Option<String>)> {
    let q = s.chars().next()?;
    if q != '\'' && q != '"' {
        return None;
    }
    let end = s[1..].find(q)?;
    let lit = &s[1..1 + end];
    Some((end + 2, (!lit.contains('\\')).then(|| lit.to_owned())))
}

fn anchors(shell: Shell, text: &str) -> (Vec<Word>, Vec<Anchor>) {
    match shell {
        Shell::Sh => sh_like(Dialect::Sh, text),
        Shell::Csh => sh_like(Dialect::Csh, text),
        Shell::Fish => sh_like(Dialect::Fish, text),
        Shell::Nu => (
            Vec::new(),
            line_anchors(
                text,
                &[
                    "let virtual_env =",
                    "const virtual_env =",
                    "$env.VIRTUAL_ENV =",
                ],
                nu_string,
            ),
        ),
        Shell::Xonsh => (
            Vec::new(),
            line_anchors(
                text,
                &["self.embedded_virtual_env =", "$VIRTUAL_ENV ="],
                xonsh_value,
            ),
        ),
        Shell::PowerShell => (
            Vec::new(),
            line_anchors(text, &["$env:VIRTUAL_ENV =", "$VIRTUAL_ENV ="], ps_value),
        ),
        Shell::Python => (
            Vec::new(),
            line_anchors(text, &["os.environ[\"VIRTUAL_ENV\"] ="], python_value),
        ),
    }
}

/// Where the script says the environment is.
pub fn location(shell: Shell, text: &str) -> Location {
    let (_, anchors) = anchors(shell, text);
    let mut loc = Location::default();
    for a in anchors {
        match a.value {
            Some(v) if v.starts_with('/') => {
                if !loc.literals.contains(&v) {
                    loc.literals.push(v);
                }
            }
            // A relative or empty literal is not a location.
            Some(_) => {}
            None => loc.computed = true,
        }
    }
    loc
}

/// `value` quoted so that `shell` reads it back exactly; `Err` when it cannot be written
/// safely (a line break, a NUL).
pub fn quote(shell: Shell, value: &str) -> Result<String, &'static str> {
    if value.contains(['\n', '\r', '\0']) {
        return Err("the path holds a line break, which an activate script cannot carry");
    }
    let safe = |c: char| c.is_ascii_alphanumeric() || "/._+-@%:,=".contains(c);
    Ok(match shell {
        Shell::Sh if value.chars().all(safe) => value.to_owned(),
        Shell::Sh => format!("'{}'", value.replace('\'', r"'\''")),
        // csh: `!` is history substitution even inside single quotes: escape it outside them.
        Shell::Csh if value.chars().all(safe) => value.to_owned(),
        Shell::Csh => format!("'{}'", value.replace('\'', r"'\''").replace('!', r"'\!'")),
        Shell::Fish => format!("'{}'", value.replace('\\', r"\\").replace('\'', r"\'")),
        Shell::Nu => {
            let mut hashes = 1;
            while value.contains(&format!("'{}", "#".repeat(hashes))) {
                hashes += 1;
            }
            let h = "#".repeat(hashes);
            format!("r{h}'{value}'{h}")
        }
        Shell::Xonsh => {
            let codes: Vec<String> = value.chars().map(|c| u32::from(c).to_string()).collect();
            format!(
                "self._fs_path(''.join(__import__('builtins').map(__import__('builtins').chr, ({},))), required=True)",
                codes.join(", ")
            )
        }
        Shell::PowerShell => format!("'{}'", value.replace('\'', "''")),
        Shell::Python => {
            let mut s = String::from("\"");
            for c in value.chars() {
                match c {
                    '"' => s.push_str("\\\""),
                    '\\' => s.push_str("\\\\"),
                    c => s.push(c),
                }
            }
            s.push('"');
            s
        }
    })
}

/// Rewrite every place the script names one of `stale` (or a path below it) to `new_root`,
/// quoted for its shell. `Ok(None)` when nothing names a stale place.
pub fn rewrite(
    shell: Shell,
    text: &str,
    stale: &[String],
    new_root: &str,
) -> Result<Option<String>, &'static str> {
    let (words, anchors) = anchors(shell, text);
    let renamed = |v: &str| -> Option<String> {
        stale.iter().find_map(|s| {
            let rest = v.strip_prefix(s.as_str())?;
            (rest.is_empty() || rest.starts_with('/')).then(|| format!("{new_root}{rest}"))
        })
    };
    // Spans to replace: anchors first (their spans may be inside a word, as in
    // `VIRTUAL_ENV='...'`), then every other literal word of an sh-like script.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let overlaps = |edits: &[(usize, usize, String)], s: usize, e: usize| {
        edits.iter().any(|(a, b, _)| s < *b && *a < e)
    };
    for a in &anchors {
        if let Some(new) = a.value.as_deref().and_then(renamed) {
            // xonsh keeps its form (char codes) only when the anchor used it.
            let q = quote(shell, &new)?;
            let q = if shell == Shell::Xonsh && !text[a.start..a.end].contains("chr, (") {
                quote(Shell::Python, &new)?
            } else {
                q
            };
            edits.push((a.start, a.end, q));
        }
    }
    // Only a template whose own assignment names a stale place is rewritten: never guessed.
    if edits.is_empty() {
        return Ok(None);
    }
    for w in &words {
        if overlaps(&edits, w.start, w.end) {
            continue;
        }
        if let Some(new) = w.value.as_deref().and_then(renamed) {
            edits.push((w.start, w.end, quote(shell, &new)?));
        }
    }
    if edits.is_empty() {
        return Ok(None);
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (s, e, new) in edits {
        if s < last {
            continue; // nested in a word already replaced
        }
        out.push_str(&text[last..s]);
        out.push_str(&new);
        last = e;
    }
    out.push_str(&text[last..]);
    Ok(Some(out))
}

/// The expression that finds the environment from the script's own location at run time, for
/// the shells that can (as uv writes them for `--relocatable`); `root` is where the
/// environment is now, the fallback where the shell cannot know the file it sources (dash).
fn run_time_location(shell: Shell, root: &str) -> Option<Result<String, &'static str>> {
    Some(match shell {
        Shell::Sh => quote(Shell::Sh, &format!("{root}/bin/activate")).map(|fallback| {
            format!(
                "\"$(if [ -n \"${{BASH_SOURCE:-}}\" ]; then _pd_src=\"$BASH_SOURCE\"; \
                 elif [ -n \"${{ZSH_VERSION:-}}\" ]; then _pd_src=\"$0\"; \
                 else _pd_src={fallback}; fi; \
                 cd -- \"$(dirname -- \"$_pd_src\")/..\" && pwd)\""
            )
        }),
        Shell::Fish => Ok("(dirname -- (dirname -- (realpath -- (status -f))))".to_owned()),
        Shell::Nu => Ok("(path self | path dirname | path dirname)".to_owned()),
        Shell::Csh | Shell::Xonsh | Shell::PowerShell | Shell::Python => return None,
    })
}

/// Make the script find the environment at run time instead of naming it: every literal
/// assignment becomes the shell's run-time expression. `Ok(None)` when nothing names a place;
/// `Err` for a shell that cannot find the file it sources (csh) or a template without one.
pub fn relocate(shell: Shell, text: &str, root: &str) -> Result<Option<String>, &'static str> {
    let (_, anchors) = anchors(shell, text);
    let literal: Vec<&Anchor> = anchors
        .iter()
        .filter(|a| a.value.as_deref().is_some_and(|v| v.starts_with('/')))
        .collect();
    if literal.is_empty() {
        return Ok(None);
    }
    let expr = match run_time_location(shell, root) {
        Some(e) => e?,
        None => return Err("this shell cannot find the file it sources: the path stays absolute"),
    };
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for a in literal {
        out.push_str(&text[last..a.start]);
        out.push_str(&expr);
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
    fn cpython_312_both_branches() {
        let loc = location(Shell::Sh, PY312);
        assert_eq!(loc.literals, ["/old/env"]);
        assert!(loc.computed, "the cygpath branch is computed");
        let out = rewrite(Shell::Sh, PY312, &["/old/env".into()], "/new place/env")
            .unwrap()
            .unwrap();
        assert!(out.contains("cygpath '/new place/env'"), "{out}");
        assert!(out.contains("export VIRTUAL_ENV='/new place/env'"), "{out}");
        assert!(out.contains("\"$VIRTUAL_ENV/bin:$PATH\""));
    }

    #[test]
    fn uses_of_virtual_env_are_not_locations() {
        // uv's fish template: the false alarm of an earlier version.
        let fish = "set -gx VIRTUAL_ENV '/e'\nset -gx PATH \"$VIRTUAL_ENV\"'/bin' $PATH\n";
        assert_eq!(location(Shell::Fish, fish).literals, ["/e"]);
        let out = rewrite(Shell::Fish, fish, &["/e".into()], "/n")
            .unwrap()
            .unwrap();
        assert_eq!(
            out,
            "set -gx VIRTUAL_ENV '/n'\nset -gx PATH \"$VIRTUAL_ENV\"'/bin' $PATH\n"
        );
        let reloc = "set -gx VIRTUAL_ENV ''(dirname -- (dirname -- (realpath -- (status -f))))''\n";
        let loc = location(Shell::Fish, reloc);
        assert!(loc.literals.is_empty() && loc.computed);
    }

    #[test]
    fn virtualenv_forms() {
        // 20.x: unquoted (shlex.quote of a safe path) and quoted.
        assert_eq!(
            location(Shell::Sh, "    VIRTUAL_ENV=/x/e\n").literals,
            ["/x/e"]
        );
        assert_eq!(
            location(Shell::Csh, "setenv VIRTUAL_ENV /x/e\n").literals,
            ["/x/e"]
        );
        assert_eq!(
            location(Shell::Fish, "set -gx VIRTUAL_ENV /x/e\n").literals,
            ["/x/e"]
        );
        let q = "VIRTUAL_ENV='/tmp/it'\"'\"'s'\n";
        assert_eq!(location(Shell::Sh, q).literals, ["/tmp/it's"]);
        // 21.x csh: the place is in `_virtualenv_dir`, also in a `source` path.
        let csh = "if ($?_OLD_VIRTUAL_PATH) source '/o/e'\"/\"'bin'\"/deactivate.csh\"\n\
                   set _virtualenv_dir='/o/e'\nsetenv VIRTUAL_ENV \"$_virtualenv_dir:q\"\n";
        let loc = location(Shell::Csh, csh);
        assert_eq!(loc.literals, ["/o/e"]);
        let out = rewrite(Shell::Csh, csh, &["/o/e".into()], "/n e")
            .unwrap()
            .unwrap();
        assert!(out.contains("source '/n e/bin/deactivate.csh'"), "{out}");
        assert!(out.contains("set _virtualenv_dir='/n e'"), "{out}");
        assert!(out.contains("\"$_virtualenv_dir:q\""));
        // 21.x nushell and xonsh.
        let nu = "    let virtual_env = r#'/o/e'#\n    let bin = r#'bin'#\n";
        assert_eq!(location(Shell::Nu, nu).literals, ["/o/e"]);
        let codes = "self.embedded_virtual_env = self._fs_path(''.join(__import__('builtins').map(__import__('builtins').chr, (47, 111))), required=True)\n";
        assert_eq!(location(Shell::Xonsh, codes).literals, ["/o"]);
        let out = rewrite(Shell::Xonsh, codes, &["/o".into()], "/n")
            .unwrap()
            .unwrap();
        assert!(out.contains("(47, 110,)"), "{out}");
        assert_eq!(location(Shell::Xonsh, &out).literals, ["/n"]);
    }

    #[test]
    fn unrecognised_is_not_guessed() {
        let loc = location(Shell::Sh, "echo VIRTUAL_ENV is set\n");
        assert!(!loc.recognised());
        assert_eq!(
            rewrite(Shell::Sh, "echo /o/e\n", &["/o/e".into()], "/n").unwrap(),
            None
        );
    }

    #[test]
    fn relocated_scripts_compute_their_place() {
        let sh = "VIRTUAL_ENV='/e'\nexport VIRTUAL_ENV\n";
        let out = relocate(Shell::Sh, sh, "/e").unwrap().unwrap();
        let loc = location(Shell::Sh, &out);
        assert!(loc.literals.is_empty() && loc.computed, "{out}");
        let fish = "set -gx VIRTUAL_ENV '/e'\n";
        let out = relocate(Shell::Fish, fish, "/e").unwrap().unwrap();
        assert!(out.contains("(status -f)"));
        assert!(relocate(Shell::Csh, "setenv VIRTUAL_ENV /e\n", "/e").is_err());
        assert_eq!(relocate(Shell::Sh, "echo hi\n", "/e").unwrap(), None);
    }

    #[test]
    fn quoting_refuses_line_breaks() {
        for s in [
            Shell::Sh,
            Shell::Csh,
            Shell::Fish,
            Shell::Nu,
            Shell::PowerShell,
        ] {
            assert!(quote(s, "/a\nb").is_err());
        }
        assert_eq!(quote(Shell::Sh, "/a b").unwrap(), "'/a b'");
        assert_eq!(quote(Shell::Fish, r"/a\'b").unwrap(), r"'/a\\\'b'");
        assert_eq!(quote(Shell::Nu, "/a'#b").unwrap(), "r##'/a'#b'##");
    }
}
