//! The uv-python target: where `uv python install` downloads CPython builds
//! (python-build-standalone's release assets, `<mirror>/<tag>/<file>`). A site is probed by
//! asking for the start of the asset uv itself would fetch first, so a mirror that dropped the
//! release tag the installed uv wants (some keep only the newest) answers 404 here too.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use toml_edit::{DocumentMut, value};

use super::probe::{self, Job, Options, Probe};

/// Bytes asked for: the start of the archive, enough to time it and to see it is not a page.
const ASSET_CAP: usize = 64 << 10;

pub(super) async fn probe(client: reqwest::Client, job: Job, opts: Options) -> Probe {
    let p = Probe::start(&job, 0);
    if opts.uv_python_asset.is_empty() {
        return p.failed(probe::fail("no-asset", "no Python build to ask for"));
    }
    let url = format!(
        "{}/{}",
        job.url.trim_end_matches('/'),
        opts.uv_python_asset.trim_start_matches('/')
    );
    let range = format!("bytes=0-{}", ASSET_CAP - 1);
    match probe::get_head(&client, &url, &[("range", &range)], ASSET_CAP).await {
        Ok(head) => {
            if let Some(f) = probe::html_instead(&head, "a Python build") {
                return p.failed(f);
            }
            let mut p = p;
            p.ok = true;
            p.latency_ms = Some(probe::ms(head.elapsed));
            p.first_ms = p.latency_ms;
            if head.final_url != url {
                p.redirected_to = Some(head.final_url);
            }
            p
        }
        Err(f) => p.failed(f),
    }
}

/// The first CPython build the installed uv would download (`TAG/FILE`), asked of uv itself
/// (`uv python list --only-downloads`, which reads uv's built-in list and needs no network);
/// `None` when uv is not on PATH or does not answer within 3 s.
pub fn asset_from_uv() -> Option<String> {
    let uv = which::which("uv").ok()?;
    let mut child = Command::new(uv)
        .args([
            "python",
            "list",
            "--only-downloads",
            "--output-format",
            "json",
        ])
        .env("UV_OFFLINE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let t0 = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if t0.elapsed() < Duration::from_secs(3) => {
                std::thread::sleep(Duration::from_millis(10));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let out = child.wait_with_output().ok()?;
    asset_from_listing(&out.stdout)
}

/// The `TAG/FILE` of the build `uv python install` picks with no version: the first (newest)
/// stable CPython of the default variant in uv's JSON listing.
fn asset_from_listing(json: &[u8]) -> Option<String> {
    let list: Vec<serde_json::Value> = serde_json::from_slice(json).ok()?;
    let field =
        |e: &serde_json::Value, k: &str| e.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    list.iter()
        .filter(|e| field(e, "implementation").as_deref() == Some("cpython"))
        .filter(|e| field(e, "variant").is_none_or(|v| v == "default"))
        .filter(|e| {
            field(e, "version").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
        })
        .filter_map(|e| field(e, "url"))
        .find_map(|u| {
            let (_, rest) = u.split_once("/releases/download/")?;
            (rest.split('/').count() == 2).then(|| rest.to_owned())
        })
}

/// Where uv's Python downloads come from now: `$UV_PYTHON_INSTALL_MIRROR`, else the user
/// uv.toml's `python-install-mirror`; with the source.
pub fn configured() -> Option<(PathBuf, String)> {
    if let Some(v) = std::env::var_os("UV_PYTHON_INSTALL_MIRROR").filter(|v| !v.is_empty()) {
        return Some((
            PathBuf::from("$UV_PYTHON_INSTALL_MIRROR"),
            v.to_string_lossy().into_owned(),
        ));
    }
    let path = super::config::uv_config_path()?;
    let text = crate::fsread::read_text(&path, crate::fsread::CONFIG_CAP).ok()?;
    let doc: DocumentMut = text.parse().ok()?;
    let url = doc.get("python-install-mirror")?.as_str()?.to_owned();
    Some((path, url))
}

/// Set uv.toml's `python-install-mirror`, keeping everything else.
pub fn set_install_mirror(text: &str, url: &str) -> Result<String> {
    let mut doc: DocumentMut = text.parse().context("uv.toml is not valid TOML")?;
    doc["python-install-mirror"] = value(url);
    Ok(doc.to_string())
}

pub fn apply(url: &str, dry_run: bool) -> Result<Vec<super::config::Change>> {
    let Some(path) = super::config::uv_config_path() else {
        return Ok(Vec::new());
    };
    let change = super::config::edit_file(&path, dry_run, |t| set_install_mirror(t, url))?;
    Ok(change.into_iter().collect())
}

pub fn overrides() -> Vec<String> {
    std::env::var_os("UV_PYTHON_INSTALL_MIRROR")
        .filter(|v| !v.is_empty())
        .map(|v| {
            format!(
                "$UV_PYTHON_INSTALL_MIRROR is set ({}) and overrides uv.toml",
                v.to_string_lossy()
            )
        })
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_of_uv_listing() {
        let json = br#"[{"implementation":"pypy","url":"https://downloads.python.org/pypy/x.tar.bz2"},
            {"implementation":"cpython","version":"3.16.0a2","variant":"default","url":"https://r/releases/download/20261110/cpython-3.16.0a2.tar.gz"},
            {"implementation":"cpython","version":"3.15.2","variant":"freethreaded","url":"https://r/releases/download/20261110/cpython-3.15.2t.tar.gz"},
            {"implementation":"cpython","version":"3.15.2","variant":"default","url":"https://releases.astral.sh/github/python-build-standalone/releases/download/20261110/cpython-3.15.2%2B20261110-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"}]"#;
        assert_eq!(
            asset_from_listing(json).unwrap(),
            "20261110/cpython-3.15.2%2B20261110-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
        );
        assert_eq!(asset_from_listing(b"not json"), None);
    }

    #[test]
    fn uv_toml_edit_keeps_the_rest() {
        let out = set_install_mirror(
            "# mine\n[[index]]\nurl = \"https://i/simple\"\n",
            "https://m/pbs",
        )
        .unwrap();
        assert!(
            out.starts_with("python-install-mirror = \"https://m/pbs\"\n# mine\n")
                || out.contains("# mine")
        );
        let doc: DocumentMut = out.parse().unwrap();
        assert_eq!(doc["python-install-mirror"].as_str(), Some("https://m/pbs"));
        assert_eq!(doc["index"][0]["url"].as_str(), Some("https://i/simple"));
    }
}
