//! Pure ranking: mark mirrors that lag behind the newest version any index lists as stale,
//! then order usable-and-current by latency, then stale ones, then failures.

use std::str::FromStr;

use pep440_rs::Version;

use super::probe::Probe;

/// After `--download`: among usable, current mirrors, the one with the best measured
/// throughput goes first (page latency decides among the rest).
pub fn rank_by_throughput(probes: &mut [Probe]) -> Option<String> {
    let measured = |p: &Probe| p.ok && !p.stale && p.throughput_mbps.is_some();
    probes.sort_by(|a, b| match (measured(a), measured(b)) {
        (true, true) => b
            .throughput_mbps
            .unwrap_or(0.0)
            .total_cmp(&a.throughput_mbps.unwrap_or(0.0)),
        (true, false) => std::cmp::Ordering::Less,
        (false, true) => std::cmp::Ordering::Greater,
        (false, false) => std::cmp::Ordering::Equal,
    });
    probes
        .first()
        .filter(|p| p.ok && !p.stale)
        .map(|p| p.name.clone())
}

/// Mark stale mirrors and sort. Returns the name of the fastest usable, current mirror.
pub fn rank(probes: &mut [Probe]) -> Option<String> {
    let n = probes.iter().map(|p| p.newest.len()).max().unwrap_or(0);
    for i in 0..n {
        let newest = probes
            .iter()
            .filter(|p| p.ok)
            .filter_map(|p| p.newest.get(i)?.as_deref())
            .filter_map(|v| Version::from_str(v).ok())
            .max();
        let Some(newest) = newest else { continue };
        for p in probes.iter_mut().filter(|p| p.ok) {
            let behind = p
                .newest
                .get(i)
                .and_then(|v| v.as_deref())
                .and_then(|v| Version::from_str(v).ok())
                .is_none_or(|v| v < newest);
            if behind {
                p.stale = true;
            }
        }
    }
    let key = |p: &Probe| match (p.ok, p.stale) {
        (true, false) => 0,
        (true, true) => 1,
        _ => 2,
    };
    probes.sort_by(|a, b| {
        key(a).cmp(&key(b)).then_with(|| {
            let la = a.latency_ms.unwrap_or(f64::INFINITY);
            let lb = b.latency_ms.unwrap_or(f64::INFINITY);
            la.total_cmp(&lb).then_with(|| a.name.cmp(&b.name))
        })
    });
    probes
        .first()
        .filter(|p| p.ok && !p.stale)
        .map(|p| p.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, ok: bool, ms: f64, newest: &str) -> Probe {
        Probe {
            name: name.into(),
            url: format!("https://{name}/simple"),
            ok,
            latency_ms: ok.then_some(ms),
            first_ms: ok.then_some(ms),
            error: (!ok).then(|| "timeout".into()),
            detail: None,
            format: None,
            newest: vec![(!newest.is_empty()).then(|| newest.into())],
            stale: false,
            redirected_to: None,
            download_url: None,
            throughput_mbps: None,
            download_error: None,
        }
    }

    #[test]
    fn stale_never_wins() {
        let mut v = vec![
            p("slow", true, 300.0, "24.10"),
            p("fast-stale", true, 20.0, "24.9"),
            p("dead", false, 0.0, ""),
            p("mid", true, 100.0, "24.10"),
        ];
        assert_eq!(rank(&mut v).as_deref(), Some("mid"));
        let order: Vec<&str> = v.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(order, ["mid", "slow", "fast-stale", "dead"]);
        assert!(v[2].stale);
    }

    #[test]
    fn none_usable() {
        let mut v = vec![p("a", false, 0.0, ""), p("b", false, 0.0, "")];
        assert_eq!(rank(&mut v), None);
    }
}
