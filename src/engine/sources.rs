//! Where conda, uv's Python downloads and the Hugging Face Hub fetch from, as configured now
//! (`.condarc`, `UV_PYTHON_INSTALL_MIRROR` / uv.toml, `HF_ENDPOINT`), and, unless the scan is
//! offline, whether each answers the way its client needs. Read once per scan, for the machine.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::mirrors::conda::{self, Channel};
use crate::mirrors::probe::{Job, Probe};
use crate::mirrors::{Target, huggingface, uv_python};

/// A download source set by a file or a variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Configured {
    /// The file, or `$VARIABLE`, that sets it.
    pub source: PathBuf,
    pub url: String,
    /// Why a probe found it unusable; `None` when usable or not probed.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// conda's channels in search order, repeats kept.
    pub channels: Vec<Channel>,
    /// `.condarc` files conda reads that pydoctor could not (and so did not check), and why.
    pub condarc_errors: Vec<(PathBuf, String)>,
    /// Channel URL -> why it did not answer with repodata.
    pub channel_problems: BTreeMap<String, String>,
    pub uv_python: Option<Configured>,
    pub huggingface: Option<Configured>,
}

/// The configured sources, from files and variables only.
pub fn read() -> Sources {
    let rcs = conda::read_condarcs();
    Sources {
        channels: conda::effective_channels(&rcs),
        condarc_errors: rcs
            .iter()
            .filter_map(|f| Some((f.path.clone(), f.parsed.as_ref().err()?.clone())))
            .collect(),
        channel_problems: BTreeMap::new(),
        uv_python: uv_python::configured().map(|(source, url)| Configured {
            source,
            url,
            problem: None,
        }),
        huggingface: huggingface::configured().map(|url| Configured {
            source: PathBuf::from("$HF_ENDPOINT"),
            url,
            problem: None,
        }),
    }
}

fn job(target: Target, url: &str, channels: Vec<(String, String)>) -> Option<Job> {
    crate::mirrors::check_url(url).ok()?;
    Some(Job {
        name: url.to_owned(),
        target,
        url: url.to_owned(),
        channels,
    })
}

/// Why a failed probe failed, in words for a finding.
fn reason(class: &str, detail: Option<&str>) -> String {
    match class {
        "http-404" => "404 Not Found: the site does not carry it (or no longer does)".into(),
        _ => match detail {
            Some(d) if !d.is_empty() => format!("{class}: {d}"),
            _ => class.to_owned(),
        },
    }
}

impl Sources {
    /// One probe per distinct channel URL, uv mirror and Hub.
    pub fn jobs(&self) -> Vec<Job> {
        let mut out: Vec<Job> = Vec::new();
        for c in &self.channels {
            if !out.iter().any(|j| j.url == c.url) {
                out.extend(job(
                    Target::Conda,
                    &c.url,
                    vec![(c.entry.clone(), c.url.clone())],
                ));
            }
        }
        if let Some(u) = &self.uv_python {
            out.extend(job(Target::UvPython, &u.url, Vec::new()));
        }
        if let Some(h) = &self.huggingface {
            out.extend(job(Target::Huggingface, &h.url, Vec::new()));
        }
        out
    }

    /// Take in the probes of `jobs()` (others are ignored).
    pub fn absorb(&mut self, probes: &[Probe]) {
        for p in probes.iter().filter(|p| !p.ok) {
            match p.target {
                Target::Conda => {
                    let class = p
                        .channels
                        .first()
                        .and_then(|c| c.error.clone())
                        .or_else(|| p.error.clone())
                        .unwrap_or_default();
                    self.channel_problems
                        .insert(p.url.clone(), reason(&class, p.detail.as_deref()));
                }
                Target::UvPython | Target::Huggingface => {
                    let slot = if p.target == Target::UvPython {
                        &mut self.uv_python
                    } else {
                        &mut self.huggingface
                    };
                    if let Some(c) = slot.as_mut().filter(|c| c.url == p.url) {
                        c.problem = Some(reason(
                            p.error.as_deref().unwrap_or_default(),
                            p.detail.as_deref(),
                        ));
                    }
                }
                Target::Pip | Target::UvIndex => {}
            }
        }
    }
}
