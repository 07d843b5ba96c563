//! `.condarc`: reading the channel settings and rewriting them, keeping every other line byte
//! for byte. `.condarc` is YAML; the settings read here (`channels`, `default_channels`,
//! `custom_channels`, `channel_alias`) are top-level keys holding a scalar, a list or a map of
//! scalars, in block or flow style, which is what conda writes and its mirrors document. A file
//! that gives them with other YAML (anchors, tags, multi-line scalars, several documents) is
//! refused with a reason rather than misread: no YAML crate both parses and preserves comments,
//! and a YAML parser that expands aliases can be made to allocate without bound.

use std::collections::BTreeMap;

/// The channel settings of one `.condarc`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Condarc {
    pub channels: Vec<String>,
    pub default_channels: Option<Vec<String>>,
    /// channel name -> the folder it is found in (the channel is `<folder>/<name>`).
    pub custom_channels: BTreeMap<String, String>,
    pub channel_alias: Option<String>,
}

/// A top-level key and the lines its value spans (the key's own line included).
struct Block<'a> {
    key: &'a str,
    /// What follows `key:` on its own line, comment removed.
    inline: String,
    /// The following lines that belong to it (indented, or `- ` items at column 0).
    body: Vec<&'a str>,
    start: usize,
    end: usize,
}

/// Strip a `#` comment that is outside quotes.
fn strip_comment(s: &str) -> &str {
    let (mut single, mut double) = (false, false);
    let mut prev_space = true;
    for (i, c) in s.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if !single && !double && prev_space => return s[..i].trim_end(),
            _ => {}
        }
        prev_space = c.is_whitespace();
    }
    s.trim_end()
}

fn is_key_line(line: &str) -> Option<(&str, &str)> {
    let first = line.chars().next()?;
    if first.is_whitespace() || matches!(first, '#' | '-') {
        return None;
    }
    let (key, rest) = line.split_once(':')?;
    let key = key.trim();
    let plain = key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    (plain && !key.is_empty() && (rest.is_empty() || rest.starts_with([' ', '\t'])))
        .then_some((key, rest))
}

/// Split `text` into top-level blocks. Lines before the first key and comments between blocks
/// belong to no block. A line that is neither (e.g. `---`, a flow mapping) is an error.
fn blocks<'a>(lines: &[&'a str]) -> Result<Vec<Block<'a>>, String> {
    let mut out: Vec<Block> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            i += 1;
            continue;
        }
        let Some((key, rest)) = is_key_line(line) else {
            if line.starts_with([' ', '\t', '-']) {
                return Err(format!("line {}: indented text outside a setting", i + 1));
            }
            return Err(format!(
                "line {}: {:?} is YAML pydoctor does not edit",
                i + 1,
                t.chars().take(40).collect::<String>()
            ));
        };
        let start = i;
        let mut end = i + 1;
        let mut j = i + 1;
        // The value continues over indented lines and `- ` items; blank lines and comments
        // inside it belong to it only when more of the value follows.
        while j < lines.len() {
            let l = lines[j];
            let lt = l.trim();
            if lt.is_empty() || (lt.starts_with('#') && !l.starts_with([' ', '\t'])) {
                j += 1;
                continue;
            }
            if l.starts_with([' ', '\t']) || l.starts_with("- ") || l == "-" {
                j += 1;
                end = j;
            } else {
                break;
            }
        }
        out.push(Block {
            key,
            inline: strip_comment(rest).trim().to_owned(),
            body: lines[start + 1..end].to_vec(),
            start,
            end,
        });
        i = end;
    }
    Ok(out)
}

/// A YAML scalar as conda would read it: quotes removed, plain text trimmed.
fn scalar(s: &str) -> Result<String, String> {
    let s = s.trim();
    if let Some(inner) = s.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        return Ok(inner.replace("''", "'"));
    }
    if let Some(inner) = s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        if inner.contains('\\') {
            return Err(format!("escapes in {s:?}"));
        }
        return Ok(inner.to_owned());
    }
    if s.starts_with(['&', '*', '!', '|', '>', '[', '{', '@', '`', '%']) {
        return Err(format!("{s:?} uses YAML features pydoctor does not read"));
    }
    Ok(s.to_owned())
}

fn flow_items(inner: &str) -> Result<Vec<String>, String> {
    inner
        .split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(scalar)
        .collect()
}

/// A value that starts with YAML pydoctor does not read (an anchor, alias, tag, or a
/// multi-line scalar), refused with its key.
fn refuse_features(b: &Block) -> Result<(), String> {
    if b.inline.starts_with(['&', '*', '!', '|', '>']) {
        return Err(format!(
            "{}: {:?} uses YAML features pydoctor does not read (anchors, aliases, tags, block scalars)",
            b.key,
            b.inline.chars().take(40).collect::<String>()
        ));
    }
    Ok(())
}

fn list(b: &Block) -> Result<Vec<String>, String> {
    refuse_features(b)?;
    if let Some(inner) = b.inline.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        return flow_items(inner);
    }
    if !b.inline.is_empty() {
        return Err(format!("{}: expected a list", b.key));
    }
    let mut out = Vec::new();
    for l in &b.body {
        let t = strip_comment(l).trim();
        if t.is_empty() {
            continue;
        }
        let item = t
            .strip_prefix('-')
            .ok_or_else(|| format!("{}: {t:?} is not a list item", b.key))?;
        out.push(scalar(item)?);
    }
    Ok(out)
}

/// `key: value` split at the first `:` outside quotes that ends the key (YAML: followed by a
/// space or the end).
fn split_pair(t: &str) -> Option<(&str, &str)> {
    let (mut single, mut double) = (false, false);
    let bytes = t.as_bytes();
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b':' if !single
                && !double
                && bytes.get(i + 1).is_none_or(|n| *n == b' ' || *n == b'\t') =>
            {
                return Some((&t[..i], &t[i + 1..]));
            }
            _ => {}
        }
    }
    None
}

fn map(b: &Block) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    let mut pair = |t: &str| -> Result<(), String> {
        let (k, v) = split_pair(t).ok_or_else(|| format!("{}: {t:?} is not `name: url`", b.key))?;
        out.insert(scalar(k)?, scalar(v)?);
        Ok(())
    };
    refuse_features(b)?;
    if let Some(inner) = b.inline.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        for item in inner.split(',').map(str::trim).filter(|x| !x.is_empty()) {
            pair(item)?;
        }
        return Ok(out);
    }
    if !b.inline.is_empty() {
        return Err(format!("{}: expected a mapping", b.key));
    }
    for l in &b.body {
        let t = strip_comment(l).trim();
        if !t.is_empty() {
            pair(t)?;
        }
    }
    Ok(out)
}

fn check_document(text: &str) -> Result<(), String> {
    if text.contains('\0') {
        return Err("the file contains a NUL byte".into());
    }
    Ok(())
}

/// The channel settings of a `.condarc`, or why it cannot be read safely.
pub fn parse(text: &str) -> Result<Condarc, String> {
    check_document(text)?;
    let lines: Vec<&str> = text.lines().collect();
    let mut rc = Condarc::default();
    for b in blocks(&lines)? {
        match b.key {
            "channels" => rc.channels = list(&b)?,
            "default_channels" => rc.default_channels = Some(list(&b)?),
            "custom_channels" => rc.custom_channels = map(&b)?,
            "channel_alias" => rc.channel_alias = Some(scalar(&b.inline)?),
            _ => {}
        }
    }
    Ok(rc)
}

/// Single-quoted YAML: no escapes, a quote doubled; refuses what would break a line.
fn quote(s: &str) -> Result<String, String> {
    if s.contains(['\n', '\r', '\0']) {
        return Err(format!("{s:?} contains a line break"));
    }
    Ok(format!("'{}'", s.replace('\'', "''")))
}

/// Point `default_channels` at `defaults` and add/replace `custom` entries in
/// `custom_channels` (keeping the others), leaving every other line as it was. New settings go
/// where the old ones were, else at the end.
pub fn set_channels(
    text: &str,
    defaults: &[String],
    custom: &BTreeMap<String, String>,
) -> Result<String, String> {
    check_document(text)?;
    let old = parse(text)?;
    let lines: Vec<&str> = text.lines().collect();
    let found = blocks(&lines)?;
    let mut merged = old.custom_channels.clone();
    merged.extend(custom.iter().map(|(k, v)| (k.clone(), v.clone())));

    let mut rendered = String::from("default_channels:\n");
    for d in defaults {
        rendered.push_str(&format!("  - {}\n", quote(d)?));
    }
    if !merged.is_empty() {
        rendered.push_str("custom_channels:\n");
        for (k, v) in &merged {
            rendered.push_str(&format!("  {}: {}\n", quote(k)?, quote(v)?));
        }
    }
    // Lines are copied as they are (CRLF or LF, a last line without one); ours use the file's
    // first line ending.
    let raw: Vec<&str> = text.split_inclusive('\n').collect();
    // A first line ending in a bare CR (the file's only line) counts as CRLF: the edit adds
    // the LF, and a second edit then sees the same ending.
    let eol = if raw
        .first()
        .is_some_and(|l| l.ends_with("\r\n") || (!l.ends_with('\n') && l.ends_with('\r')))
    {
        "\r\n"
    } else {
        "\n"
    };
    let rendered = rendered.replace('\n', eol);
    let ours = |k: &str| k == "default_channels" || k == "custom_channels";
    let mut out = String::new();
    let mut placed = false;
    let mut i = 0;
    while i < raw.len() {
        match found.iter().find(|b| b.start == i && ours(b.key)) {
            Some(b) => {
                if !placed {
                    out.push_str(&rendered);
                    placed = true;
                }
                i = b.end;
            }
            None => {
                out.push_str(raw[i]);
                i += 1;
            }
        }
    }
    if !placed {
        if out.ends_with('\r') && eol == "\r\n" {
            out.push('\n');
        } else if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(eol);
        }
        out.push_str(&rendered);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TUNA: &str = "\
# from the TUNA help page
channels:
  - defaults
show_channel_urls: true
default_channels:
  - https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/main
  - https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/r   # R
custom_channels:
  conda-forge: https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud
  pytorch: 'https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud'
ssl_verify: true
";

    #[test]
    fn reads_block_style() {
        let rc = parse(TUNA).unwrap();
        assert_eq!(rc.channels, ["defaults"]);
        assert_eq!(
            rc.default_channels.unwrap()[1],
            "https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/r"
        );
        assert_eq!(rc.custom_channels.len(), 2);
        assert_eq!(
            rc.custom_channels["pytorch"],
            "https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud"
        );
    }

    #[test]
    fn reads_flow_style_and_column_zero_items() {
        let rc = parse(
            "channels: [conda-forge, 'defaults']\nchannel_alias: https://m/anaconda/cloud\ndefault_channels:\n- https://m/pkgs/main\n",
        )
        .unwrap();
        assert_eq!(rc.channels, ["conda-forge", "defaults"]);
        assert_eq!(
            rc.channel_alias.as_deref(),
            Some("https://m/anaconda/cloud")
        );
        assert_eq!(rc.default_channels.unwrap(), ["https://m/pkgs/main"]);
    }

    #[test]
    fn refuses_what_it_cannot_read_safely() {
        for bad in [
            "channels: &a [x]\n",
            "channels:\n  - *a\n",
            "---\nchannels: [x]\n",
            "{channels: [x]}\n",
            "channels: !!seq [x]\n",
            "  channels: [x]\n",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn edit_keeps_other_lines_and_is_idempotent() {
        let defaults = vec![
            "https://n/anaconda/pkgs/main".to_string(),
            "https://n/anaconda/pkgs/r".to_string(),
        ];
        let custom: BTreeMap<String, String> = [(
            "conda-forge".to_string(),
            "https://n/anaconda/cloud".to_string(),
        )]
        .into();
        let out = set_channels(TUNA, &defaults, &custom).unwrap();
        assert!(out.starts_with(
            "# from the TUNA help page\nchannels:\n  - defaults\nshow_channel_urls: true\n"
        ));
        assert!(out.ends_with("ssl_verify: true\n"));
        let rc = parse(&out).unwrap();
        assert_eq!(rc.default_channels.unwrap(), defaults);
        assert_eq!(
            rc.custom_channels["conda-forge"],
            "https://n/anaconda/cloud"
        );
        // pytorch was not probed: its entry stays.
        assert_eq!(
            rc.custom_channels["pytorch"],
            "https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud"
        );
        assert_eq!(set_channels(&out, &defaults, &custom).unwrap(), out);
        // An empty file gets just the settings.
        let fresh = set_channels("", &defaults, &custom).unwrap();
        assert_eq!(parse(&fresh).unwrap().default_channels.unwrap(), defaults);
    }

    #[test]
    fn line_endings_and_last_line_kept() {
        let crlf = "# x\r\nchannels:\r\n  - defaults\r\nssl_verify: false";
        let out = set_channels(crlf, &["https://n/pkgs/main".into()], &BTreeMap::new()).unwrap();
        assert_eq!(
            out,
            "# x\r\nchannels:\r\n  - defaults\r\nssl_verify: false\r\ndefault_channels:\r\n  - 'https://n/pkgs/main'\r\n"
        );
        assert_eq!(
            parse(&out).unwrap().default_channels.unwrap(),
            ["https://n/pkgs/main"]
        );
        // Found by fuzzing: a lone line ending in a bare CR, edited twice.
        let cr = "channels: [x]\r";
        let once = set_channels(cr, &["https://n".into()], &BTreeMap::new()).unwrap();
        assert_eq!(
            set_channels(&once, &["https://n".into()], &BTreeMap::new()).unwrap(),
            once
        );
    }

    #[test]
    fn quoting_cannot_inject() {
        let evil: BTreeMap<String, String> =
            [("x' : y".to_string(), "https://a/'b # c".to_string())].into();
        let out = set_channels("", &[], &evil).unwrap();
        let rc = parse(&out).unwrap();
        assert_eq!(rc.custom_channels["x' : y"], "https://a/'b # c");
        assert!(set_channels("", &["a\nb: c".into()], &BTreeMap::new()).is_err());
    }
}
