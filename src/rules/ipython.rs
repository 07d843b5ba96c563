//! PD119 (info, from the team's notes): IPython is installed but its default profile does not
//! load autoreload, so edited modules are not re-imported until the kernel restarts. Enabling
//! it changes behaviour, so the fix is opt-in (unsafe).

use super::{Applicability, Fix, FixAction, Hit, env_arg};
use crate::engine::machine::MachineFacts;

pub fn autoreload(m: &MachineFacts) -> Vec<Hit> {
    let Some(p) = m.ipython.as_ref().filter(|p| !p.autoreload) else {
        return Vec::new();
    };
    let fix_cmd = format!("pydoctor fix --unsafe-fixes {}", env_arg(&p.env));
    let fix = if p.exists {
        Fix::new(Applicability::Unsafe, FixAction::Autoreload, fix_cmd.into())
    } else {
        Fix::advice(format!("ipython profile create, then {fix_cmd}"))
    };
    vec![Hit::new(&p.path).fix(Some(fix))]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::machine::IpythonProfile;

    #[test]
    fn opt_in_and_only_with_a_profile() {
        let mut m = MachineFacts {
            ipython: Some(IpythonProfile {
                path: "/h/.ipython/profile_default/ipython_config.py".into(),
                exists: false,
                autoreload: false,
                env: "/e".into(),
            }),
            ..Default::default()
        };
        let fix = autoreload(&m)[0].fix.clone().unwrap();
        assert_eq!(fix.applicability, Applicability::Manual);
        if let Some(p) = m.ipython.as_mut() {
            p.exists = true;
        }
        assert_eq!(
            autoreload(&m)[0].fix.as_ref().unwrap().action,
            FixAction::Autoreload
        );
        if let Some(p) = m.ipython.as_mut() {
            p.autoreload = true;
        }
        assert!(autoreload(&m).is_empty());
    }
}
