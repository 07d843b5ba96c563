//! Pure parsing of a package's index page: PEP 691 JSON or PEP 503 HTML, chosen by the
//! response Content-Type, into file names and versions.

use std::str::FromStr;

use pep440_rs::Version;

/// The `Accept` header pip sends: PEP 691 JSON preferred, PEP 503 HTML accepted.
pub const ACCEPT: &str = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Json,
    Html,
}

/// What an index page lists for one package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub format: Format,
    pub files: Vec<File>,
    /// The newest final (non-pre-release) version listed, else the newest of any.
    pub newest: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub filename: String,
    pub url: String,
}

/// Why a 2xx answer is not an index page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotIndex {
    ContentType(String),
    Unparsable(String),
    /// A page with no files of the package (a captive portal's login page, an error page).
    NoFiles,
}

/// PEP 503 name normalisation.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The version in a distribution file name of `package`, if it is one.
pub fn version_of(filename: &str, package: &str) -> Option<String> {
    let want = normalize(package);
    if let Some(stem) = filename.strip_suffix(".whl") {
        let mut parts = stem.split('-');
        let (name, ver) = (parts.next()?, parts.next()?);
        return (normalize(name) == want).then(|| ver.to_owned());
    }
    let stem = [".tar.gz", ".zip", ".tar.bz2", ".tgz", ".egg"]
        .iter()
        .find_map(|ext| filename.strip_suffix(ext))?;
    let (name, ver) = stem.rsplit_once('-')?;
    (normalize(name) == want).then(|| ver.to_owned())
}

fn newest<'a>(versions: impl Iterator<Item = &'a str>) -> Option<String> {
    let parsed: Vec<Version> = versions.filter_map(|v| Version::from_str(v).ok()).collect();
    let finals = parsed.iter().filter(|v| !v.any_prerelease()).max();
    finals
        .or_else(|| parsed.iter().max())
        .map(|v| v.to_string())
}

/// Parse `body` as served with `content_type` for `package`.
pub fn parse(content_type: &str, body: &[u8], package: &str) -> Result<Page, NotIndex> {
    let ct = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let (format, files, listed) = match ct.as_str() {
        "application/vnd.pypi.simple.v1+json" | "application/json" => {
            let (files, versions) = parse_json(body)?;
            (Format::Json, files, versions)
        }
        "application/vnd.pypi.simple.v1+html" | "text/html" => (
            Format::Html,
            parse_html(&String::from_utf8_lossy(body)),
            Vec::new(),
        ),
        other => return Err(NotIndex::ContentType(other.to_owned())),
    };
    let from_files: Vec<String> = files
        .iter()
        .filter_map(|f| version_of(&f.filename, package))
        .collect();
    if from_files.is_empty() {
        return Err(NotIndex::NoFiles);
    }
    let newest = newest(listed.iter().chain(&from_files).map(String::as_str));
    Ok(Page {
        format,
        files,
        newest,
    })
}

fn parse_json(body: &[u8]) -> Result<(Vec<File>, Vec<String>), NotIndex> {
    #[derive(serde::Deserialize)]
    struct Doc {
        files: Vec<JsonFile>,
        #[serde(default)]
        versions: Vec<String>,
    }
    #[derive(serde::Deserialize)]
    struct JsonFile {
        filename: String,
        url: String,
    }
    let doc: Doc = serde_json::from_slice(body).map_err(|e| NotIndex::Unparsable(e.to_string()))?;
    let files = doc
        .files
        .into_iter()
        .map(|f| File {
            filename: f.filename,
            url: f.url,
        })
        .collect();
    Ok((files, doc.versions))
}

/// Anchors `<a href="URL">FILENAME</a>`; tolerant of attribute order, quotes and case.
fn parse_html(text: &str) -> Vec<File> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(i) = lower[pos..].find("<a") {
        let start = pos + i;
        let Some(gt) = lower[start..].find('>') else {
            break;
        };
        let tag_end = start + gt;
        let Some(close) = lower[tag_end..].find("</a>") else {
            break;
        };
        let text_end = tag_end + close;
        let tag = &text[start..tag_end];
        let name = text[tag_end + 1..text_end].trim();
        if let Some(href) = attr(tag, "href") {
            out.push(File {
                filename: html_unescape(name),
                url: html_unescape(&href),
            });
        }
        pos = text_end + 4;
    }
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let i = lower.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[i..];
    let (quote, rest) = match rest.chars().next()? {
        q @ ('"' | '\'') => (Some(q), &rest[1..]),
        _ => (None, rest),
    };
    let end = match quote {
        Some(q) => rest.find(q)?,
        None => rest.find([' ', '>', '\t', '\n']).unwrap_or(rest.len()),
    };
    Some(rest[..end].to_owned())
}

fn html_unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    const HTML: &str = r#"<!DOCTYPE html><html><body><h1>Links for pip</h1>
<a href="../../packages/pip-23.3.tar.gz#sha256=ab" data-requires-python="&gt;=3.7">pip-23.3.tar.gz</a><br/>
<A HREF='https://x/pip-24.0-py3-none-any.whl'>pip-24.0-py3-none-any.whl</A>
<a href="x">pip-24.1b1-py3-none-any.whl</a>
</body></html>"#;

    #[test]
    fn html_index() {
        let p = parse("text/html; charset=utf-8", HTML.as_bytes(), "pip").unwrap();
        assert_eq!(p.format, Format::Html);
        assert_eq!(p.files.len(), 3);
        assert_eq!(p.files[0].url, "../../packages/pip-23.3.tar.gz#sha256=ab");
        assert_eq!(
            p.newest.as_deref(),
            Some("24.0"),
            "pre-releases do not count"
        );
    }

    #[test]
    fn json_index() {
        let body = br#"{"meta":{"api-version":"1.1"},"name":"pip","files":[
            {"filename":"pip-23.3.tar.gz","url":"https://f/pip-23.3.tar.gz","hashes":{}},
            {"filename":"pip-23.10-py3-none-any.whl","url":"https://f/w","hashes":{}}],
            "versions":["23.3","23.10"]}"#;
        let p = parse("application/vnd.pypi.simple.v1+json", body, "pip").unwrap();
        assert_eq!(p.format, Format::Json);
        assert_eq!(
            p.newest.as_deref(),
            Some("23.10"),
            "PEP 440 order, not text order"
        );
    }

    #[test]
    fn not_an_index() {
        let portal = b"<html><form action=login><a href=/help>Help</a></form></html>";
        assert_eq!(parse("text/html", portal, "pip"), Err(NotIndex::NoFiles));
        assert!(matches!(
            parse("text/plain", b"x", "pip"),
            Err(NotIndex::ContentType(_))
        ));
        assert!(matches!(
            parse("application/vnd.pypi.simple.v1+json", b"{", "pip"),
            Err(NotIndex::Unparsable(_))
        ));
    }

    #[test]
    fn filenames() {
        assert_eq!(
            version_of("Foo_Bar-1.0.tar.gz", "foo-bar").as_deref(),
            Some("1.0")
        );
        assert_eq!(
            version_of("foo_bar-2.0-py3-none-any.whl", "Foo.Bar").as_deref(),
            Some("2.0")
        );
        assert_eq!(version_of("other-1.0.tar.gz", "foo"), None);
    }
}
