//! PD126: files conda lists as holding the prefix (`conda-meta/*.json` `paths_data`) still
//! name the environment's old place after a move, copy or remount: activation hooks,
//! pkg-config files, `_sysconfigdata`, `*-config` scripts, and binaries with a compiled-in
//! prefix (OpenSSL's certificate folder: `pip` then fails with certificate errors). The fix
//! replaces the prefix as conda does at install time; a binary's strings cannot grow, so a
//! longer new prefix is refused with what to do instead.

use super::{Applicability, Fix, FixAction, Hit, fix_command};
use crate::engine::facts::Facts;
use crate::engine::machine::MachineFacts;

/// PD139: a copied conda environment that `conda env list` does not know (conda#11100): the
/// safe fix adds it to `~/.conda/environments.txt`.
pub fn unlisted(m: &MachineFacts) -> Vec<Hit> {
    let Some((file, envs)) = &m.conda_unlisted else {
        return Vec::new();
    };
    envs.iter()
        .map(|env| {
            Hit::new(file)
                .var("env", env.display().to_string())
                .fix(Some(Fix::new(
                    Applicability::Safe,
                    FixAction::CondaRegister { env: env.clone() },
                    fix_command(env),
                )))
        })
        .collect()
}

pub fn stale(f: &Facts) -> Vec<Hit> {
    let Some(old) = f.old_root.as_deref().and_then(|o| o.to_str()) else {
        return Vec::new();
    };
    let Some(new) = f.env.root.to_str() else {
        return Vec::new();
    };
    let command = fix_command(&f.env.root);
    f.conda_stale
        .iter()
        .map(|(path, mode)| {
            let fix = Fix::new(
                Applicability::Safe,
                FixAction::CondaPrefix {
                    mode: *mode,
                    old: old.to_owned(),
                    new: new.to_owned(),
                },
                command.clone(),
            );
            Hit::new(f.env.root.join(path))
                .var("old", old)
                .var("mode", format!("{mode:?}").to_lowercase())
                .fix(Some(fix))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::*;
    use super::*;
    use crate::engine::conda::FileMode;

    #[test]
    fn one_finding_per_listed_file_that_names_the_old_place() {
        let mut f = env("/mnt/glusterfs/envs/qwen2");
        assert!(stale(&f).is_empty());
        f.old_root = Some("/mnt/glusterfs101/envs/qwen".into());
        f.conda_stale
            .push(("lib/libcrypto.so.3".into(), FileMode::Binary));
        let hits = stale(&f);
        assert_vars(Code::CondaPrefixStale, &hits);
        assert!(hits[0].path.ends_with("lib/libcrypto.so.3"));
    }
}
