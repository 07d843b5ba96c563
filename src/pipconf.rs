//! pip's INI config files, read as pip's `configparser` reads them, and the one edit pydoctor
//! makes to them (the index URL). Pure: text in, text or values out.
//!
//! configparser's rules, as pip uses them: a section header is `[name]` on a line of its own,
//! and the name is exact (`[ global ]` and `[Global]` are other sections); `key = value` or
//! `key: value`, keys case-insensitive with `_` and `-` alike; a line that starts with
//! whitespace continues the previous value; `#` and `;` start a comment line.

/// One setting: where it is and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub section: String,
    /// Lower case, `_` written as `-` (pip's normalisation).
    pub key: String,
    /// Continuation lines joined with `\n`, each trimmed.
    pub value: String,
    /// The first line (0-based) and one past the last continuation line.
    pub lines: std::ops::Range<usize>,
}

/// A parsed file: its settings and its section headers (name, line).
#[derive(Debug, Default)]
pub struct Ini {
    pub settings: Vec<Setting>,
    pub sections: Vec<(String, usize)>,
}

fn is_comment(t: &str) -> bool {
    t.starts_with('#') || t.starts_with(';')
}

fn normalise_key(k: &str) -> String {
    k.trim().to_ascii_lowercase().replace('_', "-")
}

/// Parse `text`; `Err` says why pip would refuse the file (its first problem, with the line).
pub fn parse(text: &str) -> Result<Ini, String> {
    let mut ini = Ini::default();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || is_comment(t) {
            continue;
        }
        if line.starts_with([' ', '\t']) && !ini.sections.is_empty() {
            let section_line = ini.sections.last().map_or(0, |(_, l)| *l);
            if let Some(s) = ini
                .settings
                .last_mut()
                .filter(|s| s.lines.start > section_line)
            {
                s.value.push('\n');
                s.value.push_str(t);
                s.lines.end = i + 1;
            }
            continue;
        }
        if t.starts_with('[') {
            let Some(name) = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) else {
                return Err(format!("line {}: unclosed section header {t:?}", i + 1));
            };
            ini.sections.push((name.to_owned(), i));
            continue;
        }
        let Some((section, _)) = ini.sections.last() else {
            return Err(format!(
                "line {}: {t:?} comes before any [section] header",
                i + 1
            ));
        };
        let Some((k, v)) = t.split_once(['=', ':']) else {
            return Err(format!("line {}: {t:?} is not `key = value`", i + 1));
        };
        ini.settings.push(Setting {
            section: section.clone(),
            key: normalise_key(k),
            value: v.trim().to_owned(),
            lines: i..i + 1,
        });
    }
    Ok(ini)
}

/// Why pip would refuse `text`, if it would.
pub fn problem(text: &str) -> Option<String> {
    parse(text).err()
}

/// Sections whose `index-url` `pip install` uses, weakest first (`[install]` overrides
/// `[global]`).
pub const INDEX_SECTIONS: &[&str] = &["global", "install"];

impl Ini {
    fn get(&self, section: &str, key: &str) -> Option<&Setting> {
        self.settings
            .iter()
            .rev()
            .find(|s| s.section == section && s.key == key)
    }

    /// The index `pip install` uses and the trusted hosts, as this file sets them.
    pub fn index(&self) -> (Option<String>, Vec<String>) {
        let mut url = None;
        let mut trusted = Vec::new();
        for section in INDEX_SECTIONS {
            if let Some(s) = self
                .get(section, "index-url")
                .or_else(|| self.get(section, "i"))
            {
                url = s.value.split_whitespace().next().map(str::to_owned);
            }
            if let Some(s) = self.get(section, "trusted-host") {
                trusted.extend(s.value.split_whitespace().map(str::to_owned));
            }
        }
        (url, trusted)
    }
}

/// Set `index-url` (and, for a plain-http index, `trusted-host`) in `[global]`, and replace an
/// `index-url` that `[install]` or `[download]` sets (it would win over `[global]`), keeping
/// every other line as it is. A value's continuation lines go with it.
pub fn set_index(text: &str, url: &str) -> Result<String, String> {
    if url.contains(['\n', '\r', '\0']) {
        return Err("the URL holds a line break".into());
    }
    let ini = parse(text)?;
    let mut wanted: Vec<(&str, String)> = vec![("index-url", url.to_owned())];
    if let Ok(u) = reqwest::Url::parse(url)
        && u.scheme() == "http"
        && let Some(h) = u.host_str()
    {
        wanted.push(("trusted-host", h.to_owned()));
    }
    // Keep the file's line endings (a pip.conf edited on Windows uses CRLF).
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    // A bare CR ending a line is whitespace to configparser; dropping it keeps one line ending.
    let mut lines: Vec<Option<String>> = text
        .lines()
        .map(|l| Some(l.trim_end_matches('\r').to_owned()))
        .collect();
    let mut set_at = |s: &Setting, k: &str, v: &str| {
        lines[s.lines.start] = Some(format!("{k} = {v}"));
        for l in s.lines.start + 1..s.lines.end {
            lines[l] = None;
        }
    };
    for section in ["install", "download"] {
        for s in ini
            .settings
            .iter()
            .filter(|s| s.section == section && (s.key == "index-url" || s.key == "i"))
        {
            set_at(s, "index-url", url);
        }
    }
    let mut appended = Vec::new();
    match ini.sections.iter().position(|(n, _)| n == "global") {
        None => appended = wanted.clone(),
        Some(_) => {
            let mut missing = Vec::new();
            for (k, v) in &wanted {
                let found: Vec<&Setting> = ini
                    .settings
                    .iter()
                    .filter(|s| {
                        s.section == "global"
                            && (s.key == *k || (*k == "index-url" && s.key == "i"))
                    })
                    .collect();
                if found.is_empty() {
                    missing.push((*k, v.clone()));
                }
                for s in found {
                    set_at(s, k, v);
                }
            }
            if !missing.is_empty() {
                // After the last line of the first [global] section's settings.
                let start = ini
                    .sections
                    .iter()
                    .find(|(n, _)| n == "global")
                    .map_or(0, |(_, l)| *l);
                let end = ini
                    .sections
                    .iter()
                    .find(|(_, l)| *l > start)
                    .map_or(lines.len(), |(_, l)| *l);
                let at = (start + 1..end)
                    .rev()
                    .find(|&i| lines[i].as_deref().is_some_and(|l| !l.trim().is_empty()))
                    .map_or(start + 1, |i| i + 1);
                for (j, (k, v)) in missing.into_iter().enumerate() {
                    lines.insert(at + j, Some(format!("{k} = {v}")));
                }
            }
        }
    }
    let mut out: String = lines.into_iter().flatten().map(|l| l + eol).collect();
    if !appended.is_empty() {
        if !out.is_empty() {
            out.push_str(eol);
        }
        out.push_str(&format!("[global]{eol}"));
        for (k, v) in appended {
            out.push_str(&format!("{k} = {v}{eol}"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems() {
        assert!(
            problem("index-url = x\n[global]\n")
                .unwrap()
                .contains("before any")
        );
        assert!(
            problem("[global]\nindex-url x\n")
                .unwrap()
                .contains("key = value")
        );
        assert!(problem("[global\n").is_some());
        assert_eq!(problem("# c\n[global]\ntrusted-host = a\n    b\n"), None);
    }

    #[test]
    fn reads_global_and_install() {
        let ini = parse(
            "[global]\n# c\nindex_url = http://m/simple\ntrusted-host = m\n  other\n[list]\nindex-url=x\n",
        )
        .unwrap();
        let (u, t) = ini.index();
        assert_eq!(u.as_deref(), Some("http://m/simple"));
        assert_eq!(t, ["m", "other"]);
        let (u, _) = parse("[install]\nindex-url: https://i/simple\n")
            .unwrap()
            .index();
        assert_eq!(u.as_deref(), Some("https://i/simple"));
        assert_eq!(parse("[freeze]\nindex-url = x\n").unwrap().index().0, None);
        let both = parse("[install]\nindex-url = https://i\n[global]\nindex-url = https://g\n");
        assert_eq!(
            both.unwrap().index().0.as_deref(),
            Some("https://i"),
            "[install] wins"
        );
        assert_eq!(
            parse("[ global ]\nindex-url = x\n").unwrap().index().0,
            None
        );
    }

    #[test]
    fn edit_keeps_comments_and_other_keys() {
        let before = "# my settings\n[global]\ntimeout = 60\nindex-url = https://old/simple\n\n[install]\n# keep\nuser = true\n";
        let after = set_index(before, "https://new/simple").unwrap();
        assert_eq!(
            after,
            "# my settings\n[global]\ntimeout = 60\nindex-url = https://new/simple\n\n[install]\n# keep\nuser = true\n"
        );
        assert_eq!(
            set_index(&after, "https://new/simple").unwrap(),
            after,
            "idempotent"
        );
        assert_eq!(
            set_index("", "http://10.0.0.1:8080/simple").unwrap(),
            "[global]\nindex-url = http://10.0.0.1:8080/simple\ntrusted-host = 10.0.0.1\n"
        );
        assert_eq!(
            set_index("[install]\nuser = true", "https://x/simple").unwrap(),
            "[install]\nuser = true\n\n[global]\nindex-url = https://x/simple\n"
        );
        assert_eq!(
            set_index("; win\r\n[global]\r\ntimeout = 5\r\n", "https://b").unwrap(),
            "; win\r\n[global]\r\ntimeout = 5\r\nindex-url = https://b\r\n"
        );
        assert_eq!(
            set_index("[global]\nindex_url=https://a\n", "https://b").unwrap(),
            "[global]\nindex-url = https://b\n"
        );
    }

    #[test]
    fn edit_handles_continuations_and_install() {
        let before = "[global]\nindex-url = https://a/simple\n    http://glued/simple\ntimeout = 5\n[install]\nindex-url = https://i/simple\n";
        let after = set_index(before, "https://new/simple").unwrap();
        assert_eq!(
            after,
            "[global]\nindex-url = https://new/simple\ntimeout = 5\n[install]\nindex-url = https://new/simple\n"
        );
        assert_eq!(
            parse(&after).unwrap().index().0.as_deref(),
            Some("https://new/simple")
        );
        assert!(set_index("", "https://x\n[global]").is_err());
        // Found by fuzzing: a line ending in a bare CR; a second edit must change nothing.
        let once = set_index("; c[\r", "https://m/simple").unwrap();
        assert_eq!(set_index(&once, "https://m/simple").unwrap(), once);
    }
}
