//! PD140-PD145: where conda, uv's Python downloads and the Hugging Face Hub fetch from: a conda
//! channel that does not answer with repodata (or that its mirror does not carry), the same
//! channel listed twice, a channel Anaconda retired, and an unreachable uv Python mirror or
//! `HF_ENDPOINT`, and a `.condarc` that could not be read. Machine findings, from
//! `engine::sources`.

use super::{Fix, Hit};
use crate::engine::machine::MachineFacts;
use crate::engine::sources::Configured;
use crate::mirrors::conda;

fn advice(target: &str) -> Option<Fix> {
    Some(Fix::advice(format!(
        "pydoctor mirrors --fastest --target {target}"
    )))
}

pub fn channel_unreachable(m: &MachineFacts) -> Vec<Hit> {
    let mut seen = Vec::new();
    m.sources
        .channels
        .iter()
        .filter_map(|c| {
            let why = m.sources.channel_problems.get(&c.url)?;
            if seen.contains(&&c.url) {
                return None;
            }
            seen.push(&c.url);
            Some(
                Hit::new(&c.source)
                    .var("channel", c.entry.clone())
                    .var("url", c.url.clone())
                    .var("reason", why.clone())
                    .fix(advice("conda")),
            )
        })
        .collect()
}

pub fn channel_duplicate(m: &MachineFacts) -> Vec<Hit> {
    let chans = &m.sources.channels;
    chans
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let first = chans[..i].iter().find(|e| e.url == c.url)?;
            // Report each repeated URL once, at its second listing.
            let earlier = chans[..i].iter().filter(|e| e.url == c.url).count();
            (earlier == 1).then(|| {
                Hit::new(&c.source)
                    .var("url", c.url.clone())
                    .var("first", first.entry.clone())
                    .var("second", c.entry.clone())
                    .fix(Some(Fix::advice("conda config --show channels")))
            })
        })
        .collect()
}

pub fn channel_retired(m: &MachineFacts) -> Vec<Hit> {
    let mut seen: Vec<&str> = Vec::new();
    m.sources
        .channels
        .iter()
        .filter(|c| conda::is_retired(&c.url))
        .filter(|c| {
            let new = !seen.contains(&c.url.as_str());
            seen.push(&c.url);
            new
        })
        .map(|c| {
            Hit::new(&c.source)
                .var("channel", c.entry.clone())
                .var("url", c.url.clone())
                .fix(Some(Fix::advice(format!(
                    "conda config --remove channels {}",
                    shell_words::quote(&c.entry)
                ))))
        })
        .collect()
}

fn unreachable(c: &Option<Configured>, target: &str) -> Vec<Hit> {
    c.iter()
        .filter_map(|c| {
            let why = c.problem.as_ref()?;
            Some(
                Hit::new(&c.source)
                    .var("url", c.url.clone())
                    .var("reason", why.clone())
                    .fix(advice(target)),
            )
        })
        .collect()
}

pub fn condarc_unreadable(m: &MachineFacts) -> Vec<Hit> {
    m.sources
        .condarc_errors
        .iter()
        .map(|(path, why)| Hit::new(path).var("reason", why.clone()))
        .collect()
}

pub fn uv_python_unreachable(m: &MachineFacts) -> Vec<Hit> {
    unreachable(&m.sources.uv_python, "uv-python")
}

pub fn hf_endpoint_unreachable(m: &MachineFacts) -> Vec<Hit> {
    unreachable(&m.sources.huggingface, "huggingface")
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::assert_vars;
    use super::*;
    use crate::engine::sources::Sources;
    use crate::mirrors::conda::Channel;

    fn chan(entry: &str, url: &str) -> Channel {
        Channel {
            entry: entry.into(),
            url: url.into(),
            source: "/h/.condarc".into(),
        }
    }

    #[test]
    fn channel_rules() {
        let mut sources = Sources {
            channels: vec![
                chan("defaults", "https://m/anaconda/pkgs/main"),
                chan(
                    "https://m/anaconda/pkgs/main",
                    "https://m/anaconda/pkgs/main",
                ),
                chan("defaults", "https://m/anaconda/pkgs/free"),
                chan("nvidia", "https://m/anaconda/cloud/nvidia"),
            ],
            ..Default::default()
        };
        sources
            .channel_problems
            .insert("https://m/anaconda/cloud/nvidia".into(), "404".into());
        let m = MachineFacts {
            sources,
            ..Default::default()
        };
        let dup = channel_duplicate(&m);
        assert_eq!(dup.len(), 1);
        assert_vars(Code::CondaChannelDuplicate, &dup);
        let retired = channel_retired(&m);
        assert_eq!(retired.len(), 1);
        assert_vars(Code::CondaChannelRetired, &retired);
        let down = channel_unreachable(&m);
        assert_eq!(down.len(), 1);
        assert_vars(Code::CondaChannelUnreachable, &down);
        assert!(channel_duplicate(&MachineFacts::default()).is_empty());
        let m = MachineFacts {
            sources: Sources {
                condarc_errors: vec![("/h/.condarc".into(), "anchors".into())],
                ..Default::default()
            },
            ..Default::default()
        };
        assert_vars(Code::CondarcUnreadable, &condarc_unreadable(&m));
    }

    #[test]
    fn download_sources() {
        let m = MachineFacts {
            sources: Sources {
                huggingface: Some(Configured {
                    source: "$HF_ENDPOINT".into(),
                    url: "https://hf.example".into(),
                    problem: Some("timeout".into()),
                }),
                uv_python: Some(Configured {
                    source: "/h/uv.toml".into(),
                    url: "https://u.example".into(),
                    problem: None,
                }),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_vars(Code::HfEndpointUnreachable, &hf_endpoint_unreachable(&m));
        assert!(uv_python_unreachable(&m).is_empty());
    }
}
