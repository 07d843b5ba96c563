//! Pure ranking of one target's probes: mark mirrors that lag behind the others as stale (pip:
//! the newest version listed; conda and the Hub: content dated more than a day before another
//! site's), then order usable-and-current by latency, then stale ones, then failures.

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

/// How far behind the freshest site a dated copy may be: mirrors sync every few hours.
pub const DATE_SLACK_SECS: i64 = 24 * 3600;

/// Mark sites whose dated content (per compared item) is over a day older than another's.
fn mark_dated(probes: &mut [Probe]) {
    let n = probes.iter().map(|p| p.updated.len()).max().unwrap_or(0);
    for i in 0..n {
        let newest = probes
            .iter()
            .filter(|p| p.ok)
            .filter_map(|p| p.updated.get(i).copied().flatten())
            .max();
        let Some(newest) = newest else { continue };
        for p in probes.iter_mut().filter(|p| p.ok) {
            if let Some(Some(t)) = p.updated.get(i)
                && newest - t > DATE_SLACK_SECS
            {
                p.stale = true;
            }
        }
    }
}

/// Mark stale mirrors and sort. Returns the name of the fastest usable, current mirror.
pub fn rank(probes: &mut [Probe]) -> Option<String> {
    mark_dated(probes);
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
        let job = super::super::probe::Job {
            name: name.into(),
            target: crate::mirrors::Target::Pip,
            url: format!("https://{name}/simple"),
            channels: Vec::new(),
        };
        let mut p = Probe::start(&job, 1);
        p.ok = ok;
        p.latency_ms = ok.then_some(ms);
        p.first_ms = p.latency_ms;
        p.error = (!ok).then(|| "timeout".into());
        p.newest = vec![(!newest.is_empty()).then(|| newest.into())];
        p
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
    fn a_day_old_copy_is_stale() {
        let day = DATE_SLACK_SECS;
        let mut v = vec![p("old", true, 10.0, ""), p("new", true, 90.0, "")];
        v[0].updated = vec![Some(1_000_000)];
        v[1].updated = vec![Some(1_000_000 + day + 1)];
        assert_eq!(rank(&mut v).as_deref(), Some("new"));
        let mut w = vec![p("a", true, 10.0, ""), p("b", true, 90.0, "")];
        w[0].updated = vec![Some(1_000_000)];
        w[1].updated = vec![Some(1_000_000 + day - 1)];
        assert_eq!(
            rank(&mut w).as_deref(),
            Some("a"),
            "within a day is current"
        );
    }

    #[test]
    fn none_usable() {
        let mut v = vec![p("a", false, 0.0, ""), p("b", false, 0.0, "")];
        assert_eq!(rank(&mut v), None);
    }
}
