//! PD117-PD118: variables of the process that affect every interpreter: a `$VIRTUAL_ENV` that
//! no longer exists (an env moved while activated), and `PYTHONHOME`.

use super::Hit;
use crate::engine::machine::MachineFacts;

pub fn virtual_env_stale(m: &MachineFacts) -> Vec<Hit> {
    m.stale_virtual_env
        .iter()
        .map(|p| Hit::new("$VIRTUAL_ENV").var("path", p.display().to_string()))
        .collect()
}

pub fn pythonhome_set(m: &MachineFacts) -> Vec<Hit> {
    m.pythonhome
        .iter()
        .map(|v| Hit::new("$PYTHONHOME").var("value", v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::assert_vars;
    use super::*;

    #[test]
    fn one_finding_each() {
        let m = MachineFacts {
            pythonhome: Some("/opt/py".into()),
            stale_virtual_env: Some("/gone".into()),
            ..Default::default()
        };
        assert_vars(Code::PythonhomeSet, &pythonhome_set(&m));
        assert_vars(Code::VirtualEnvStale, &virtual_env_stale(&m));
        assert!(pythonhome_set(&MachineFacts::default()).is_empty());
    }
}
