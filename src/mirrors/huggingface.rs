//! The huggingface target: the Hub `huggingface_hub` downloads from, `HF_ENDPOINT`. A site is
//! probed with the model API page `from_pretrained` asks for first (`/api/models/<id>`), and
//! its `lastModified` is compared across sites. Only the environment sets `HF_ENDPOINT`, so
//! `--apply` prints the line for the user's shell instead of editing shell files.

use super::probe::{self, Job, Options, Probe};

const API_CAP: usize = 1 << 20;

/// Seconds since 1970 of an ISO 8601 UTC time as the Hub writes it (`2024-02-19T10:57:45.000Z`).
pub fn parse_iso(s: &str) -> Option<i64> {
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3_600 + mi * 60 + sec)
}

pub(super) async fn probe(client: reqwest::Client, job: Job, opts: Options) -> Probe {
    let mut p = Probe::start(&job, 0);
    let url = format!(
        "{}/api/models/{}",
        job.url.trim_end_matches('/'),
        opts.huggingface_model
    );
    let head =
        match probe::get_head(&client, &url, &[("accept", "application/json")], API_CAP).await {
            Ok(h) => h,
            Err(f) => return p.failed(f),
        };
    if let Some(f) = probe::html_instead(&head, "the model API") {
        return p.failed(f);
    }
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(&head.body) else {
        return p.failed(probe::fail(
            "not-the-data",
            format!("{url} is not JSON (or over {API_CAP} bytes)"),
        ));
    };
    if doc.get("id").or_else(|| doc.get("modelId")).is_none() {
        return p.failed(probe::fail(
            "not-the-data",
            format!("{url} does not describe a model"),
        ));
    }
    let updated = doc
        .get("lastModified")
        .and_then(|v| v.as_str())
        .and_then(parse_iso)
        .or(head.last_modified);
    p.updated = vec![updated];
    p.ok = true;
    p.latency_ms = Some(probe::ms(head.elapsed));
    p.first_ms = p.latency_ms;
    p
}

/// `$HF_ENDPOINT`, when set.
pub fn configured() -> Option<String> {
    std::env::var("HF_ENDPOINT").ok().filter(|v| !v.is_empty())
}

/// The line that sets `HF_ENDPOINT` to `url` in each shell family, or `None` when the URL has
/// a character that would need shell-specific escaping (no real endpoint does).
pub fn shell_lines(url: &str) -> Option<Vec<(&'static str, String)>> {
    let safe = url
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ":/._~%+-=?&@,".contains(c));
    safe.then(|| {
        vec![
            ("sh", format!("export HF_ENDPOINT='{url}'")),
            ("fish", format!("set -gx HF_ENDPOINT '{url}'")),
            ("csh", format!("setenv HF_ENDPOINT '{url}'")),
        ]
    })
}

/// The shell family of `$SHELL`: `sh` (bash, zsh, dash...), `fish` or `csh` (tcsh).
pub fn user_shell() -> &'static str {
    let shell = std::env::var("SHELL").unwrap_or_default();
    let name = shell.rsplit('/').next().unwrap_or("");
    match name {
        "fish" => "fish",
        "csh" | "tcsh" => "csh",
        _ => "sh",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_times() {
        assert_eq!(parse_iso("1970-01-01T00:00:00.000Z"), Some(0));
        assert_eq!(parse_iso("2024-02-19T10:57:45.000Z"), Some(1_708_340_265));
        assert_eq!(parse_iso("2024-13-01T00:00:00Z"), None);
        assert_eq!(parse_iso("soon"), None);
    }

    #[test]
    fn lines_are_single_quoted_or_refused() {
        let l = shell_lines("https://hf-mirror.com").unwrap();
        assert_eq!(l[0].1, "export HF_ENDPOINT='https://hf-mirror.com'");
        assert!(shell_lines("https://x/'$(id)'").is_none());
        assert!(shell_lines("https://x/!1").is_none());
    }
}
