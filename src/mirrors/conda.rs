//! The conda target: channels, where `.condarc` sends them, probing a channel the way conda
//! starts (`<channel>/<subdir>/repodata.json`), and pointing `.condarc` at a mirror site.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tokio::task::JoinSet;

use super::Mirror;
use super::condarc::{self, Condarc};
use super::probe::{self, ChannelProbe, Job, Options, Probe};

/// Anaconda's own channels, served from `pkgs/` (every other name is a community channel).
const DEFAULT_NAMES: &[&str] = &["main", "r", "msys2", "free", "pro", "mro", "archive"];

/// What `defaults` means when `default_channels` is not set (conda on Linux and macOS).
pub const UPSTREAM_DEFAULTS: &[&str] = &[
    "https://repo.anaconda.com/pkgs/main",
    "https://repo.anaconda.com/pkgs/r",
];
pub const UPSTREAM_ALIAS: &str = "https://conda.anaconda.org";

/// Channels Anaconda retired; mirrors stopped serving them and conda ≥ 4.7 no longer asks.
const RETIRED: &[&str] = &["pkgs/free", "pkgs/pro", "pkgs/mro"];

/// Bytes of repodata.json read: enough to time the transfer's start and see it is JSON.
const REPODATA_CAP: usize = 256 << 10;

/// conda's name for this platform's package folder.
pub fn platform_subdir() -> &'static str {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "linux-64",
        ("linux", "aarch64") => "linux-aarch64",
        ("linux", "powerpc64") => "linux-ppc64le",
        ("macos", "x86_64") => "osx-64",
        ("macos", "aarch64") => "osx-arm64",
        ("windows", _) => "win-64",
        _ => "noarch",
    }
}

/// The URL of channel `name` on site `m`.
pub fn channel_url(m: &Mirror, name: &str) -> Option<String> {
    let root = m.conda.as_deref()?.trim_end_matches('/');
    Some(if DEFAULT_NAMES.contains(&name) {
        format!("{root}/pkgs/{name}")
    } else {
        format!("{}/{name}", cloud_of(m)?)
    })
}

/// The folder a community channel of site `m` lives in (a `custom_channels` value).
fn cloud_of(m: &Mirror) -> Option<String> {
    let root = m.conda.as_deref()?.trim_end_matches('/');
    Some(
        m.conda_cloud
            .as_deref()
            .map(|c| c.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| format!("{root}/cloud")),
    )
}

pub fn channel_urls(m: &Mirror, names: &[String]) -> Vec<(String, String)> {
    names
        .iter()
        .filter_map(|n| Some((n.clone(), channel_url(m, n)?)))
        .collect()
}

/// The channel a `.condarc` entry names, by its last path segment: `conda-forge` for
/// `https://mirrors.x/anaconda/cloud/conda-forge/`, `main` and `r` for `defaults`.
pub fn channel_names(entries: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in entries {
        let names: Vec<String> = if e == "defaults" {
            vec!["main".into(), "r".into()]
        } else {
            e.trim_end_matches('/')
                .rsplit('/')
                .next()
                .filter(|n| !n.is_empty())
                .map(|n| vec![n.to_owned()])
                .unwrap_or_default()
        };
        for n in names {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

async fn probe_channel(
    client: reqwest::Client,
    name: String,
    url: String,
    subdir: String,
) -> ChannelProbe {
    let repodata = format!("{}/{subdir}/repodata.json", url.trim_end_matches('/'));
    let r = probe::get_head(&client, &repodata, &[], REPODATA_CAP).await;
    let outcome = r.and_then(|head| {
        if let Some(f) = probe::html_instead(&head, "repodata.json") {
            return Err(f);
        }
        let json = head
            .body
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'{');
        if !json {
            return Err(probe::fail(
                "not-the-data",
                format!("{repodata} is not JSON"),
            ));
        }
        Ok(head)
    });
    match outcome {
        Ok(head) => ChannelProbe {
            channel: name,
            url,
            ok: true,
            latency_ms: Some(probe::ms(head.elapsed)),
            error: None,
            updated: head.last_modified,
        },
        Err(f) => ChannelProbe {
            channel: name,
            url,
            ok: false,
            latency_ms: None,
            error: Some(f.class),
            updated: None,
        },
    }
}

/// Probe every channel of `job` at once; the site is usable when all answer, and as fast as its
/// slowest channel (conda waits for all of them).
pub(super) async fn probe(client: reqwest::Client, job: Job, opts: Options) -> Probe {
    let mut p = Probe::start(&job, 0);
    let mut set = JoinSet::new();
    for (i, (name, url)) in job.channels.iter().enumerate() {
        let fut = probe_channel(
            client.clone(),
            name.clone(),
            url.clone(),
            opts.conda_subdir.clone(),
        );
        set.spawn(async move { (i, fut.await) });
    }
    let mut got: Vec<Option<ChannelProbe>> = vec![None; job.channels.len()];
    while let Some(Ok((i, c))) = set.join_next().await {
        got[i] = Some(c);
    }
    p.channels = got.into_iter().flatten().collect();
    p.updated = p.channels.iter().map(|c| c.updated).collect();
    let failed: Vec<&ChannelProbe> = p.channels.iter().filter(|c| !c.ok).collect();
    if let Some(first) = failed.first() {
        let class = if failed.len() < p.channels.len() {
            "partial".to_owned()
        } else {
            first.error.clone().unwrap_or_default()
        };
        let detail = failed
            .iter()
            .map(|c| format!("{}: {}", c.channel, c.error.as_deref().unwrap_or("?")))
            .collect::<Vec<_>>()
            .join(", ");
        return p.failed(probe::fail(class, detail));
    }
    p.latency_ms = p
        .channels
        .iter()
        .filter_map(|c| c.latency_ms)
        .max_by(f64::total_cmp);
    p.first_ms = p.latency_ms;
    p.ok = !p.channels.is_empty();
    p
}

/// The `.condarc` files conda reads, lowest precedence first (conda's search path on Unix,
/// without the per-environment file).
pub fn condarc_files() -> Vec<PathBuf> {
    let mut out = vec![
        PathBuf::from("/etc/conda/.condarc"),
        PathBuf::from("/etc/conda/condarc"),
    ];
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".config")));
    if let Some(x) = xdg {
        out.push(x.join("conda/.condarc"));
    }
    if let Some(h) = &home {
        out.push(h.join(".conda/.condarc"));
        out.push(h.join(".condarc"));
    }
    if let Some(c) = std::env::var_os("CONDARC").filter(|v| !v.is_empty()) {
        out.push(PathBuf::from(c));
    }
    out
}

/// The file `--apply` edits: `$CONDARC`, else `~/.condarc` (where `conda config` writes).
pub fn user_condarc() -> Option<PathBuf> {
    std::env::var_os("CONDARC")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".condarc")))
}

/// One `.condarc` read: its settings, or why it could not be read.
pub struct RcFile {
    pub path: PathBuf,
    pub parsed: Result<Condarc, String>,
}

/// Every `.condarc` that exists, read bounded and non-blocking.
pub fn read_condarcs() -> Vec<RcFile> {
    condarc_files()
        .into_iter()
        .filter_map(|f| {
            let parsed = match crate::fsread::read_text(&f, crate::fsread::CONFIG_CAP) {
                Ok(t) => condarc::parse(&t),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
                Err(e) => Err(e.to_string()),
            };
            Some(RcFile { path: f, parsed })
        })
        .collect()
}

/// One channel conda will search, as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    /// As written in `channels` (`defaults` expands to one entry per default channel).
    pub entry: String,
    pub url: String,
    pub source: PathBuf,
}

/// The channels in effect: the `channels` lists of all files (highest precedence first, as
/// conda merges them), each resolved through `default_channels`, `custom_channels` and
/// `channel_alias` (last file wins for those), without dropping repeats.
pub fn effective_channels(files: &[RcFile]) -> Vec<Channel> {
    let read: Vec<(&Path, &Condarc)> = files
        .iter()
        .filter_map(|f| Some((f.path.as_path(), f.parsed.as_ref().ok()?)))
        .collect();
    let defaults: Vec<String> = read
        .iter()
        .rev()
        .find_map(|(_, rc)| rc.default_channels.clone())
        .unwrap_or_else(|| UPSTREAM_DEFAULTS.iter().map(|s| s.to_string()).collect());
    let alias = read
        .iter()
        .rev()
        .find_map(|(_, rc)| rc.channel_alias.clone())
        .unwrap_or_else(|| UPSTREAM_ALIAS.into());
    let mut custom: BTreeMap<String, String> = BTreeMap::new();
    for (_, rc) in &read {
        custom.extend(rc.custom_channels.clone());
    }
    let mut out = Vec::new();
    for (path, rc) in read.iter().rev() {
        for entry in &rc.channels {
            let urls: Vec<String> = if entry == "defaults" {
                defaults.clone()
            } else if entry.contains("://") {
                vec![entry.clone()]
            } else {
                let base = custom.get(entry).unwrap_or(&alias);
                vec![format!("{}/{entry}", base.trim_end_matches('/'))]
            };
            for url in urls {
                out.push(Channel {
                    entry: entry.clone(),
                    url: url.trim_end_matches('/').to_owned(),
                    source: path.to_path_buf(),
                });
            }
        }
    }
    out
}

/// A channel Anaconda retired (`pkgs/free`...), on any host.
pub fn is_retired(url: &str) -> bool {
    let path = url.trim_end_matches('/');
    RETIRED.iter().any(|r| path.ends_with(&format!("/{r}")))
}

/// Point `.condarc` at site `m`: `default_channels` at its `pkgs/main` and `pkgs/r`, and each
/// community channel in `carried` (probed: the site has it) at its cloud folder.
pub fn apply(
    m: &Mirror,
    carried: &[String],
    dry_run: bool,
) -> anyhow::Result<Vec<super::config::Change>> {
    let Some(path) = user_condarc() else {
        return Ok(Vec::new());
    };
    let defaults: Vec<String> = ["main", "r"]
        .iter()
        .filter_map(|n| channel_url(m, n))
        .collect();
    let cloud = cloud_of(m).unwrap_or_default();
    let custom: BTreeMap<String, String> = carried
        .iter()
        .filter(|n| !DEFAULT_NAMES.contains(&n.as_str()))
        .map(|n| (n.clone(), cloud.clone()))
        .collect();
    let change = super::config::edit_file(&path, dry_run, |text| {
        condarc::set_channels(text, &defaults, &custom).map_err(|e| anyhow::anyhow!(e))
    })?;
    Ok(change.into_iter().collect())
}

/// What in the user's `.condarc` escapes the settings `--apply` writes: reported after it.
/// (`$CONDARC` is the file written when set, so no later file overrides it.)
pub fn overrides(files: &[RcFile]) -> Vec<String> {
    let user = user_condarc();
    let mut out = Vec::new();
    for f in files.iter().filter(|f| Some(&f.path) == user.as_ref()) {
        let Ok(rc) = &f.parsed else { continue };
        let urls: Vec<&str> = rc
            .channels
            .iter()
            .filter(|c| c.contains("://"))
            .map(String::as_str)
            .collect();
        if !urls.is_empty() {
            out.push(format!(
                "{} lists channels by full URL ({}); conda fetches those as written",
                f.path.display(),
                urls.join(", ")
            ));
        }
        if let Some(a) = &rc.channel_alias {
            out.push(format!(
                "{} sets channel_alias {a}: channels without a custom_channels entry come from there",
                f.path.display()
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tuna() -> Mirror {
        Mirror {
            name: "tuna".into(),
            conda: Some("https://m/anaconda".into()),
            ..Default::default()
        }
    }

    #[test]
    fn channel_layout() {
        assert_eq!(
            channel_url(&tuna(), "main").unwrap(),
            "https://m/anaconda/pkgs/main"
        );
        assert_eq!(
            channel_url(&tuna(), "conda-forge").unwrap(),
            "https://m/anaconda/cloud/conda-forge"
        );
        let anaconda = Mirror {
            name: "anaconda".into(),
            conda: Some("https://repo.anaconda.com".into()),
            conda_cloud: Some("https://conda.anaconda.org".into()),
            ..Default::default()
        };
        assert_eq!(
            channel_url(&anaconda, "conda-forge").unwrap(),
            "https://conda.anaconda.org/conda-forge"
        );
    }

    #[test]
    fn names_from_entries() {
        let e: Vec<String> = [
            "defaults",
            "https://m/anaconda/cloud/pytorch/",
            "nvidia",
            "main",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(channel_names(&e), ["main", "r", "pytorch", "nvidia"]);
    }

    #[test]
    fn effective_resolution_keeps_repeats() {
        let rc = condarc::parse(
            "channels:\n  - defaults\n  - https://m/anaconda/pkgs/main/\n  - conda-forge\n  - nvidia\ndefault_channels:\n  - https://m/anaconda/pkgs/main\ncustom_channels:\n  conda-forge: https://m/anaconda/cloud\n",
        )
        .unwrap();
        let files = [RcFile {
            path: PathBuf::from("/h/.condarc"),
            parsed: Ok(rc),
        }];
        let urls: Vec<String> = effective_channels(&files)
            .into_iter()
            .map(|c| c.url)
            .collect();
        assert_eq!(
            urls,
            [
                "https://m/anaconda/pkgs/main",
                "https://m/anaconda/pkgs/main",
                "https://m/anaconda/cloud/conda-forge",
                "https://conda.anaconda.org/nvidia"
            ]
        );
        assert!(is_retired(
            "https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/free/"
        ));
        assert!(!is_retired("https://m/anaconda/pkgs/main"));
    }
}
