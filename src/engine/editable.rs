//! Editable installs: where an environment's site-packages says a project's sources are. pip
//! and uv record them as the build backend writes them: a path line in a `.pth` file
//! (setuptools' compat mode, hatchling, pdm), a PEP 660 finder module whose `MAPPING` names
//! each package's folder (setuptools' default), an `.egg-link` and `easy-install.pth` (the
//! legacy `setup.py develop`), and `direct_url.json`'s `file://` URL. Reading is pure: text
//! in, places out.

use std::path::{Path, PathBuf};

use crate::fsread;

/// The kind of record an editable install's place is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// A line of a `.pth` file that is a path (also `easy-install.pth`).
    PthLine,
    /// A string value of a PEP 660 finder module's `MAPPING`.
    FinderMapping,
    /// The first line of an `.egg-link`.
    EggLink,
    /// `direct_url.json`'s `url` (`file://...`).
    DirectUrl,
}

/// One place an editable install points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editable {
    /// The file that records it.
    pub file: PathBuf,
    pub record: Record,
    /// The place, as an absolute path.
    pub target: String,
    pub exists: bool,
}

/// Absolute path lines of a `.pth` file (lines starting with `import` run code; `#` comments).
pub fn pth_paths(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| l.starts_with('/'))
        .map(str::to_owned)
        .collect()
}

/// The string values of a finder module's `MAPPING: dict[str, str] = {...}`.
pub fn finder_mapping(text: &str) -> Vec<String> {
    let Some(at) = text.find("MAPPING") else {
        return Vec::new();
    };
    let Some(open) = text[at..].find('{').map(|i| at + i) else {
        return Vec::new();
    };
    let Some(close) = text[open..].find('}').map(|i| open + i) else {
        return Vec::new();
    };
    python_strings(&text[open + 1..close])
        .into_iter()
        .skip(1)
        .step_by(2)
        .collect()
}

/// The simple string literals (no escapes) in `s`, in order.
fn python_strings(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(['\'', '"']) {
        let q = rest.as_bytes()[i] as char;
        let body = &rest[i + 1..];
        let Some(end) = body.find(q) else { break };
        out.push(body[..end].to_owned());
        rest = &body[end + 1..];
    }
    out
}

/// The path of a `file://` URL (percent-decoded), if it is one.
pub fn file_url_path(url: &str) -> Option<String> {
    let u = reqwest::Url::parse(url).ok()?;
    if u.scheme() != "file" {
        return None;
    }
    u.to_file_path().ok()?.to_str().map(str::to_owned)
}

/// `direct_url.json`'s URL when it records an editable install.
pub fn direct_url_editable(json: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(json).ok()?;
    if v.get("dir_info")?.get("editable")?.as_bool()? {
        file_url_path(v.get("url")?.as_str()?)
    } else {
        None
    }
}

fn read(path: &Path) -> Option<String> {
    fsread::read_text(path, fsread::CONFIG_CAP).ok()
}

/// Every editable install recorded in `site` (a site-packages folder).
pub fn in_site(site: &Path) -> Vec<Editable> {
    let Ok(entries) = std::fs::read_dir(site) else {
        return Vec::new();
    };
    let mut names: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    names.sort();
    let mut out = Vec::new();
    let mut push = |file: &Path, record: Record, target: String| {
        let exists = Path::new(&target).exists();
        out.push(Editable {
            file: file.to_path_buf(),
            record,
            target,
            exists,
        });
    };
    for p in &names {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.ends_with(".pth") {
            for t in read(p).map(|t| pth_paths(&t)).unwrap_or_default() {
                push(p, Record::PthLine, t);
            }
        } else if name.starts_with("__editable__") && name.ends_with("_finder.py") {
            for t in read(p).map(|t| finder_mapping(&t)).unwrap_or_default() {
                push(p, Record::FinderMapping, t);
            }
        } else if name.ends_with(".egg-link") {
            if let Some(t) = read(p).and_then(|t| t.lines().next().map(str::to_owned)) {
                push(p, Record::EggLink, t.trim_end().to_owned());
            }
        } else if name.ends_with(".dist-info") {
            let du = p.join("direct_url.json");
            if let Some(t) = fsread::read_bytes(&du, fsread::CONFIG_CAP, fsread::Links::Follow)
                .ok()
                .and_then(|b| direct_url_editable(&b))
            {
                push(&du, Record::DirectUrl, t);
            }
        }
    }
    out
}

/// Rewrite the place `old` to `new` in a record's text, as that record spells it. `Err` when
/// `new` cannot be written there safely.
pub fn rewrite(record: Record, text: &str, old: &str, new: &str) -> Result<Option<String>, String> {
    if new.contains(['\n', '\r', '\0']) {
        return Err("the new path holds a line break".into());
    }
    let out = match record {
        Record::PthLine | Record::EggLink => {
            let mut changed = false;
            let out: String = text
                .split_inclusive('\n')
                .map(|l| {
                    let body = l.trim_end_matches(['\n', '\r']);
                    match body.strip_prefix(old) {
                        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                            changed = true;
                            format!("{new}{rest}{}", &l[body.len()..])
                        }
                        _ => l.to_owned(),
                    }
                })
                .collect();
            changed.then_some(out)
        }
        Record::FinderMapping => {
            if new.contains(['\'', '"', '\\']) {
                return Err("the new path holds a quote or backslash; reinstall instead".into());
            }
            let mut changed = false;
            let mut out = text.to_owned();
            for q in ['\'', '"'] {
                for suffix in [q.to_string(), "/".to_string()] {
                    let from = format!("{q}{old}{suffix}");
                    if out.contains(&from) {
                        changed = true;
                        out = out.replace(&from, &format!("{q}{new}{suffix}"));
                    }
                }
            }
            changed.then_some(out)
        }
        Record::DirectUrl => {
            let mut v: serde_json::Value =
                serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
            let url = v.get("url").and_then(|u| u.as_str()).unwrap_or_default();
            let Some(path) = file_url_path(url) else {
                return Ok(None);
            };
            let Some(rest) = path.strip_prefix(old) else {
                return Ok(None);
            };
            let new_url = reqwest::Url::from_file_path(format!("{new}{rest}"))
                .map_err(|_| "not an absolute path".to_string())?;
            v["url"] = serde_json::Value::String(new_url.to_string());
            let mut s = serde_json::to_string(&v).map_err(|e| e.to_string())?;
            if text.ends_with('\n') {
                s.push('\n');
            }
            Some(s)
        }
    };
    Ok(out)
}

/// Where a missing place has gone: the candidate moves, from the most specific, are the
/// environment's own old->new roots and those of its enclosing folders while their names agree
/// (`/home/u/proj/.venv` -> `/home/u/work/proj/.venv` also moved `/home/u/proj`).
pub fn moved(target: &str, old_root: &Path, new_root: &Path) -> Option<(String, String)> {
    let (mut o, mut n) = (old_root.to_path_buf(), new_root.to_path_buf());
    loop {
        let (os, ns) = (o.to_str()?, n.to_str()?);
        if let Some(rest) = target.strip_prefix(os)
            && (rest.is_empty() || rest.starts_with('/'))
        {
            let candidate = format!("{ns}{rest}");
            return Path::new(&candidate)
                .exists()
                .then(|| (os.to_owned(), ns.to_owned()));
        }
        if o.file_name()? != n.file_name()? {
            return None;
        }
        o = o.parent()?.to_path_buf();
        n = n.parent()?.to_path_buf();
        if o.parent().is_none() || n.parent().is_none() {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_record() {
        assert_eq!(
            pth_paths("import x; x.install()\n/home/u/p/src\n# c\n"),
            ["/home/u/p/src"]
        );
        let finder = "MAPPING: dict[str, str] = {'mypkg': '/home/u/p/src/mypkg', 'b': \"/x\"}\nNAMESPACES = {}\n";
        assert_eq!(finder_mapping(finder), ["/home/u/p/src/mypkg", "/x"]);
        let du = br#"{"url": "file:///home/u/my%20p", "dir_info": {"editable": true}}"#;
        assert_eq!(direct_url_editable(du).as_deref(), Some("/home/u/my p"));
        assert_eq!(
            direct_url_editable(br#"{"url": "file:///x", "dir_info": {}}"#),
            None
        );
    }

    #[test]
    fn rewrites_each_record() {
        let out = rewrite(Record::PthLine, "/o/p/src\nimport a\n", "/o/p", "/n/p").unwrap();
        assert_eq!(out.as_deref(), Some("/n/p/src\nimport a\n"));
        let out = rewrite(
            Record::FinderMapping,
            "MAPPING = {'m': '/o/p/src/m'}\n",
            "/o/p",
            "/n p",
        )
        .unwrap();
        assert_eq!(out.as_deref(), Some("MAPPING = {'m': '/n p/src/m'}\n"));
        assert!(rewrite(Record::FinderMapping, "{'m': '/o/p'}", "/o/p", "/it's").is_err());
        let du = r#"{"url": "file:///o/p", "dir_info": {"editable": true}}"#;
        let out = rewrite(Record::DirectUrl, du, "/o/p", "/n p")
            .unwrap()
            .unwrap();
        assert!(out.contains("file:///n%20p"), "{out}");
        assert_eq!(
            rewrite(Record::PthLine, "/other\n", "/o/p", "/n").unwrap(),
            None
        );
    }
}
