//! Probing mirrors the way each client starts: pip's `GET <index>/<package>/` with pip's Accept
//! header here, the other targets' first requests in their modules. All jobs run concurrently
//! under one overall deadline, bodies are read with a size cap, so a server that hangs, drips
//! or streams forever costs at most the deadline and a bounded amount of memory.

use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::task::JoinSet;

use super::index::{self, Format, NotIndex};
use super::{Mirror, Target};

/// One mirror site probed for one target.
#[derive(Debug, Clone)]
pub struct Job {
    pub name: String,
    pub target: Target,
    /// The URL shown and written (conda: the site's default-channels folder).
    pub url: String,
    /// conda: each channel probed, as (name, channel URL).
    pub channels: Vec<(String, String)>,
}

impl Job {
    /// A job for `target` on site `m`, if the site serves it.
    pub fn new(target: Target, m: &Mirror, opts: &Options) -> Option<Job> {
        let url = target.url_of(m)?.to_owned();
        let channels = match target {
            Target::Conda => super::conda::channel_urls(m, &opts.conda_channels),
            _ => Vec::new(),
        };
        Some(Job {
            name: m.name.clone(),
            target,
            url,
            channels,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Probe packages; the first one's page is timed.
    pub packages: Vec<String>,
    /// Overall deadline for the whole probe.
    pub timeout: Duration,
    /// Page fetches per mirror over one kept-alive connection; ranked on the median.
    pub samples: usize,
    /// Largest body read.
    pub max_bytes: usize,
    /// conda: channel names to probe, and the platform's subdir (`linux-64`).
    pub conda_channels: Vec<String>,
    pub conda_subdir: String,
    /// uv-python: the asset asked for, `TAG/FILE`.
    pub uv_python_asset: String,
    /// huggingface: the model whose API page is asked for.
    pub huggingface_model: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            packages: vec!["pip".into()],
            timeout: Duration::from_secs(5),
            samples: 1,
            max_bytes: 8 << 20,
            conda_channels: vec!["main".into(), "conda-forge".into()],
            conda_subdir: super::conda::platform_subdir().into(),
            uv_python_asset: String::new(),
            huggingface_model: "openai-community/gpt2".into(),
        }
    }
}

/// What probing one mirror found.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Probe {
    pub name: String,
    pub target: Target,
    pub url: String,
    pub ok: bool,
    /// Median time to fetch the whole page, in ms.
    pub latency_ms: Option<f64>,
    /// The first fetch, which includes DNS, connect and TLS.
    pub first_ms: Option<f64>,
    /// Error class: dns, connect, tls, timeout, http-NNN, not-an-index, too-large,
    /// redirect-loop, insecure-redirect.
    pub error: Option<String>,
    pub detail: Option<String>,
    pub format: Option<Format>,
    /// Newest version listed for each probe package, in order; empty in JSON when the mirror
    /// listed none (it failed).
    #[serde(serialize_with = "versions_or_empty")]
    pub newest: Vec<Option<String>>,
    /// Behind the newest version another index lists: never chosen as fastest.
    pub stale: bool,
    pub redirected_to: Option<String>,
    /// With `--download`: a distribution file linked from the page, and how fast it came.
    pub download_url: Option<String>,
    /// Megabytes (10^6 bytes) per second over the first `DOWNLOAD_CAP` bytes.
    pub throughput_mbps: Option<f64>,
    pub download_error: Option<String>,
    /// conda: one result per channel (a site may carry `main` but not `nvidia`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<ChannelProbe>,
    /// When the content was last updated (`Last-Modified`, the Hub's `lastModified`), as
    /// seconds since 1970, per compared item (conda: per channel); compared across sites.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub updated: Vec<Option<i64>>,
}

/// One conda channel on one site.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChannelProbe {
    pub channel: String,
    pub url: String,
    pub ok: bool,
    pub latency_ms: Option<f64>,
    pub error: Option<String>,
    pub updated: Option<i64>,
}

impl Probe {
    /// A probe of `job` that has found nothing yet.
    pub fn start(job: &Job, packages: usize) -> Probe {
        Probe {
            name: job.name.clone(),
            target: job.target,
            url: job.url.clone(),
            ok: false,
            latency_ms: None,
            first_ms: None,
            error: None,
            detail: None,
            format: None,
            newest: vec![
                None;
                if job.target == Target::Pip {
                    packages
                } else {
                    0
                }
            ],
            stale: false,
            redirected_to: None,
            download_url: None,
            throughput_mbps: None,
            download_error: None,
            channels: Vec::new(),
            updated: Vec::new(),
        }
    }

    pub(super) fn failed(mut self, f: Failure) -> Probe {
        self.ok = false;
        self.error = Some(f.class);
        self.detail = Some(f.detail);
        self
    }
}

fn versions_or_empty<S: serde::Serializer>(v: &[Option<String>], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let none = v.iter().all(Option::is_none);
    let mut seq = s.serialize_seq(Some(if none { 0 } else { v.len() }))?;
    if !none {
        for x in v {
            seq.serialize_element(x)?;
        }
    }
    seq.end()
}

pub(super) struct Failure {
    pub class: String,
    pub detail: String,
}

pub(super) fn fail(class: impl Into<String>, detail: impl Into<String>) -> Failure {
    Failure {
        class: class.into(),
        detail: detail.into(),
    }
}

/// The error chain as one string, for classification and display.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        out.push_str(": ");
        out.push_str(&s.to_string());
        src = s.source();
    }
    out
}

/// The marker of a refused https -> http redirect in an error's text.
const INSECURE_REDIRECT: &str = "insecure redirect from https to http";

/// An https index that redirects to plain http would hand pip's traffic to anyone on the path.
fn is_downgrade(from: &reqwest::Url, to: &reqwest::Url) -> bool {
    from.scheme() == "https" && to.scheme() == "http"
}

/// At most 5 redirects, and never from https to http.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let downgrade = attempt
            .previous()
            .last()
            .is_some_and(|prev| is_downgrade(prev, attempt.url()));
        if downgrade {
            attempt.error(INSECURE_REDIRECT)
        } else if attempt.previous().len() >= 5 {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    })
}

pub(super) fn classify(e: &reqwest::Error) -> Failure {
    let text = chain(e);
    let lower = text.to_ascii_lowercase();
    let class = if e.is_timeout() {
        "timeout"
    } else if text.contains(INSECURE_REDIRECT) {
        "insecure-redirect"
    } else if e.is_redirect() {
        "redirect-loop"
    } else if lower.contains("dns error") || lower.contains("failed to lookup") {
        "dns"
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        "tls"
    } else {
        "connect"
    };
    fail(class, text)
}

async fn read_capped(mut resp: reqwest::Response, max: usize) -> Result<Vec<u8>, Failure> {
    if resp.content_length().is_some_and(|n| n > max as u64) {
        return Err(fail(
            "too-large",
            format!("Content-Length over {max} bytes"),
        ));
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| classify(&e))? {
        if body.len() + chunk.len() > max {
            return Err(fail("too-large", format!("body over {max} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The start of a response: what the non-pip probes look at.
pub(super) struct Head {
    pub elapsed: Duration,
    pub content_type: String,
    /// `Last-Modified`, seconds since 1970.
    pub last_modified: Option<i64>,
    /// At most the cap asked for.
    pub body: Vec<u8>,
    pub final_url: String,
}

/// GET `url` and read at most `cap` bytes of a 2xx answer (more is not an error: a repodata.json
/// or a Python build is far larger than a probe needs). `elapsed` runs to the last byte read.
pub(super) async fn get_head(
    client: &reqwest::Client,
    url: &str,
    headers: &[(&str, &str)],
    cap: usize,
) -> Result<Head, Failure> {
    let t0 = Instant::now();
    let mut req = client.get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut resp = req.send().await.map_err(|e| classify(&e))?;
    let status = resp.status();
    if !status.is_success() {
        return Err(fail(
            format!("http-{}", status.as_u16()),
            format!("{url} answered {status}"),
        ));
    }
    let header = |name: reqwest::header::HeaderName| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header(reqwest::header::CONTENT_TYPE).unwrap_or_default();
    let last_modified = header(reqwest::header::LAST_MODIFIED)
        .and_then(|v| httpdate::parse_http_date(&v).ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_secs()).ok());
    let final_url = resp.url().to_string();
    let mut body = Vec::new();
    while body.len() < cap {
        match resp.chunk().await.map_err(|e| classify(&e))? {
            Some(chunk) => {
                let take = chunk.len().min(cap - body.len());
                body.extend_from_slice(&chunk[..take]);
            }
            None => break,
        }
    }
    Ok(Head {
        elapsed: t0.elapsed(),
        content_type,
        last_modified,
        body,
        final_url,
    })
}

/// A 200 HTML page where data was asked for: a captive portal or a login page.
pub(super) fn html_instead(head: &Head, what: &str) -> Option<Failure> {
    let html = head.content_type.to_ascii_lowercase().contains("text/html")
        || head
            .body
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'<');
    html.then(|| {
        fail(
            "not-the-data",
            format!("{} answered an HTML page, not {what}", head.final_url),
        )
    })
}

struct Fetched {
    elapsed: Duration,
    file_url: Option<String>,
    format: Format,
    newest: Option<String>,
    final_url: String,
}

async fn fetch(
    client: &reqwest::Client,
    base: &str,
    package: &str,
    max: usize,
) -> Result<Fetched, Failure> {
    let url = format!(
        "{}/{}/",
        base.trim_end_matches('/'),
        index::normalize(package)
    );
    let t0 = Instant::now();
    let resp = client
        .get(&url)
        .header(reqwest::header::ACCEPT, index::ACCEPT)
        .send()
        .await
        .map_err(|e| classify(&e))?;
    let status = resp.status();
    let final_url = resp.url().to_string();
    if !status.is_success() {
        return Err(fail(
            format!("http-{}", status.as_u16()),
            format!("{url} answered {status}"),
        ));
    }
    let ct = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = read_capped(resp, max).await?;
    let elapsed = t0.elapsed();
    let page = index::parse(&ct, &body, package).map_err(|e| {
        let why = match e {
            NotIndex::ContentType(c) => format!("Content-Type {c:?} is not an index page"),
            NotIndex::Unparsable(m) => format!("unparsable index page: {m}"),
            NotIndex::NoFiles => format!("the page lists no files of {package} (a login page?)"),
        };
        fail("not-an-index", why)
    })?;
    Ok(Fetched {
        elapsed,
        format: page.format,
        file_url: pick_file(&page, &final_url),
        newest: page.newest,
        final_url,
    })
}

/// A wheel of the newest version (else the last file listed), as an absolute URL.
fn pick_file(page: &index::Page, page_url: &str) -> Option<String> {
    let newest = page.newest.as_deref();
    let file = page
        .files
        .iter()
        .rev()
        .find(|f| {
            f.filename.ends_with(".whl")
                && newest.is_some_and(|v| f.filename.contains(&format!("-{v}-")))
        })
        .or_else(|| page.files.last())?;
    let base = reqwest::Url::parse(page_url).ok()?;
    let mut url = base.join(&file.url).ok()?;
    url.set_fragment(None);
    Some(url.to_string())
}

pub(super) fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e4).round() / 10.0
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied()
}

async fn probe_pip(client: reqwest::Client, job: Job, opts: Options) -> Probe {
    let m = &job;
    let mut probe = Probe::start(&job, opts.packages.len());
    let mut times = Vec::new();
    for (i, package) in opts.packages.iter().enumerate() {
        // The first package is fetched `samples` times over the kept-alive connection.
        let rounds = if i == 0 { opts.samples.max(1) } else { 1 };
        for _ in 0..rounds {
            match fetch(&client, &m.url, package, opts.max_bytes).await {
                Ok(f) => {
                    if i == 0 {
                        times.push(ms(f.elapsed));
                    }
                    probe.format = Some(f.format);
                    if probe.download_url.is_none() {
                        probe.download_url = f.file_url;
                    }
                    probe.newest[i] = f.newest;
                    let asked = format!(
                        "{}/{}/",
                        m.url.trim_end_matches('/'),
                        index::normalize(package)
                    );
                    if f.final_url != asked && probe.redirected_to.is_none() {
                        probe.redirected_to = Some(f.final_url);
                    }
                }
                Err(e) => return probe.failed(e),
            }
        }
    }
    probe.first_ms = times.first().copied();
    probe.latency_ms = median(times);
    probe.ok = true;
    probe
}

/// A client builder with rustls on the ring provider (installed process-wide once; a second
/// install reports the first one, which is the same provider).
pub(super) fn client_builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

/// Probe one job the way its target's client starts.
async fn probe_one(client: reqwest::Client, job: Job, opts: Options) -> Probe {
    match job.target {
        Target::Pip | Target::UvIndex => probe_pip(client, job, opts).await,
        Target::Conda => super::conda::probe(client, job, opts).await,
        Target::UvPython => super::uv_python::probe(client, job, opts).await,
        Target::Huggingface => super::huggingface::probe(client, job, opts).await,
    }
}

/// Probe every job concurrently; returns one result per job, in input order. Nothing takes
/// longer than `opts.timeout` in all. `progress(answered, left)` is called as answers arrive
/// and every tenth of a second with the time left to the deadline.
pub fn probe_all(
    jobs: &[Job],
    opts: &Options,
    progress: &mut dyn FnMut(usize, Duration),
) -> anyhow::Result<Vec<Probe>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client = client_builder()
        .user_agent(concat!(
            "pydoctor/",
            env!("CARGO_PKG_VERSION"),
            " (pip-compatible probe)"
        ))
        .redirect(redirect_policy())
        .connect_timeout(opts.timeout)
        .build()?;
    rt.block_on(async {
        let deadline = tokio::time::Instant::now() + opts.timeout;
        let mut set = JoinSet::new();
        for (i, job) in jobs.iter().enumerate() {
            let (client, job, opts) = (client.clone(), job.clone(), opts.clone());
            set.spawn(async move {
                let timed_out = Probe::start(&job, opts.packages.len()).failed(fail(
                    "timeout",
                    format!(
                        "no complete answer within {:.1} s",
                        opts.timeout.as_secs_f64()
                    ),
                ));
                let r = tokio::time::timeout_at(deadline, probe_one(client, job, opts)).await;
                (i, r.unwrap_or(timed_out))
            });
        }
        let mut out: Vec<Option<Probe>> = vec![None; jobs.len()];
        let mut answered = 0;
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        loop {
            tokio::select! {
                joined = set.join_next() => match joined {
                    Some(Ok((i, p))) => {
                        out[i] = Some(p);
                        answered += 1;
                    }
                    Some(Err(_)) => answered += 1,
                    None => break,
                },
                _ = tick.tick() => {}
            }
            progress(
                answered,
                deadline.saturating_duration_since(tokio::time::Instant::now()),
            );
        }
        Ok(out.into_iter().flatten().collect())
    })
}

/// Bytes read per download: enough to measure throughput, bounded in memory and time.
pub const DOWNLOAD_CAP: usize = 4 << 20;

async fn download(client: &reqwest::Client, url: &str) -> Result<f64, Failure> {
    let t0 = Instant::now();
    let mut resp = client.get(url).send().await.map_err(|e| classify(&e))?;
    if !resp.status().is_success() {
        let s = resp.status();
        return Err(fail(
            format!("http-{}", s.as_u16()),
            format!("{url} answered {s}"),
        ));
    }
    let mut got = 0usize;
    while let Some(chunk) = resp.chunk().await.map_err(|e| classify(&e))? {
        got += chunk.len();
        if got >= DOWNLOAD_CAP {
            break;
        }
    }
    let secs = t0.elapsed().as_secs_f64().max(1e-6);
    Ok((got as f64 / 1e6 / secs * 100.0).round() / 100.0)
}

/// `--download`: time one file from each of the `top` best-ranked usable mirrors, one after
/// another (so they do not share the bandwidth), each within `timeout`.
pub fn download_top(probes: &mut [Probe], top: usize, timeout: Duration) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client = client_builder()
        .user_agent(concat!("pydoctor/", env!("CARGO_PKG_VERSION")))
        .redirect(redirect_policy())
        .build()?;
    let pip = probes
        .iter_mut()
        .filter(|p| p.target.probe_kind() == Target::Pip && p.ok && !p.stale);
    for p in pip.take(top) {
        let Some(url) = p.download_url.clone() else {
            continue;
        };
        let r = rt.block_on(async { tokio::time::timeout(timeout, download(&client, &url)).await });
        match r {
            Ok(Ok(mbps)) => p.throughput_mbps = Some(mbps),
            Ok(Err(e)) => p.download_error = Some(e.class),
            Err(_) => p.download_error = Some("timeout".into()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_to_http_is_a_downgrade() {
        let u = |s: &str| reqwest::Url::parse(s).unwrap();
        assert!(is_downgrade(
            &u("https://m/simple/"),
            &u("http://m/simple/")
        ));
        assert!(!is_downgrade(
            &u("http://m/simple/"),
            &u("https://m/simple/")
        ));
        assert!(!is_downgrade(&u("https://a/"), &u("https://b/")));
    }
}
