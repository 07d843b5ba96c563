//! PD132-PD134: what interpreters import from outside their environment: `PYTHONPATH` set for
//! every interpreter (conda#7208), the user site imported inside conda environments before the
//! environment's own packages (conda#7173), and the base's packages seen by a venv made with
//! `--system-site-packages`.

use super::{Fix, Hit};
use crate::engine::facts::Facts;
use crate::engine::machine::MachineFacts;
use crate::engine::setup::SiteLeak;

pub fn pythonpath_set(m: &MachineFacts) -> Vec<Hit> {
    m.setup
        .pythonpath
        .iter()
        .map(|v| {
            Hit::new("$PYTHONPATH")
                .var("value", v.clone())
                .fix(Some(Fix::advice(
                    "unset PYTHONPATH  # and remove it from your shell's startup file",
                )))
        })
        .collect()
}

/// Up to five names, then how many more.
fn some_names(names: &[String]) -> String {
    let mut s = names.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > 5 {
        s.push_str(&format!(" and {} more", names.len() - 5));
    }
    s
}

pub fn user_site_visible(f: &Facts) -> Vec<Hit> {
    f.user_site
        .iter()
        .map(|l: &SiteLeak| {
            let shadowed = if l.overlap.is_empty() {
                "none of this environment's packages".to_owned()
            } else {
                some_names(&l.overlap)
            };
            Hit::new(&l.site)
                .var("count", l.names.to_string())
                .var("shadowed", shadowed)
                .fix(Some(Fix::advice(
                    "export PYTHONNOUSERSITE=1  # or conda env config vars set PYTHONNOUSERSITE=1",
                )))
        })
        .collect()
}

pub fn system_site_visible(f: &Facts) -> Vec<Hit> {
    f.system_site
        .iter()
        .map(|l| {
            Hit::new(f.env.root.join("pyvenv.cfg"))
                .var("site", l.site.display().to_string())
                .var("count", l.overlap.len().to_string())
                .var("examples", some_names(&l.overlap))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::{assert_vars, env};
    use super::*;

    #[test]
    fn names_what_leaks() {
        let m = MachineFacts {
            setup: crate::engine::setup::SetupFacts {
                pythonpath: Some("/opt/lib:/x".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_vars(Code::PythonpathSet, &pythonpath_set(&m));
        let mut f = env("/e");
        let names: Vec<String> = (0..7).map(|i| format!("p{i}")).collect();
        f.user_site = Some(SiteLeak {
            site: "/h/.local/lib/python3.11/site-packages".into(),
            names: 9,
            overlap: names.clone(),
        });
        f.system_site = Some(SiteLeak {
            site: "/usr/lib/python3.11/site-packages".into(),
            names: 7,
            overlap: names,
        });
        let hits = user_site_visible(&f);
        assert_vars(Code::UserSiteVisible, &hits);
        assert!(
            hits[0]
                .vars
                .iter()
                .any(|(_, v)| v == "p0, p1, p2, p3, p4 and 2 more")
        );
        assert_vars(Code::SystemSiteVisible, &system_site_visible(&f));
    }
}
