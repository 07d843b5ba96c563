//! PD125: an editable install (`pip install -e`, `uv pip install -e`, hatchling, `setup.py
//! develop`) points to a folder that does not exist, so `import` of the project fails. When the
//! project moved with the environment (a project folder renamed with its `.venv` inside), the
//! fix points the record at the new place; otherwise it says to reinstall.

use super::{Applicability, Fix, FixAction, Hit, fix_command};
use crate::engine::editable::moved;
use crate::engine::facts::Facts;

pub fn missing(f: &Facts) -> Vec<Hit> {
    f.editables
        .iter()
        .filter(|e| !e.exists)
        .map(|e| {
            let fix = match f
                .old_root
                .as_deref()
                .and_then(|old| moved(&e.target, old, &f.env.root))
            {
                Some((old, new)) => Fix::new(
                    Applicability::Safe,
                    FixAction::Editable {
                        record: e.record,
                        old,
                        new,
                    },
                    fix_command(&f.env.root),
                ),
                None => Fix::advice(format!(
                    "reinstall it from its new folder: {}/bin/python -m pip install -e NEW_FOLDER",
                    super::env_arg(&f.env.root)
                )),
            };
            Hit::new(&e.file)
                .var("target", e.target.clone())
                .fix(Some(fix))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::*;
    use super::*;
    use crate::engine::editable::{Editable, Record};

    #[test]
    fn only_missing_places_and_a_fix_only_when_the_project_moved_too() {
        let t = tempfile::tempdir().unwrap();
        let new_root = t.path().join("work/proj/.venv");
        std::fs::create_dir_all(&new_root).unwrap();
        std::fs::create_dir_all(t.path().join("work/proj/src")).unwrap();
        let mut f = env(new_root.to_str().unwrap());
        f.old_root = Some(t.path().join("proj/.venv"));
        let old_src = t.path().join("proj/src").display().to_string();
        for (target, exists) in [
            (old_src.clone(), false),
            ("/gone/elsewhere".into(), false),
            ("/".into(), true),
        ] {
            f.editables.push(Editable {
                file: new_root.join("lib/python3.11/site-packages/_p.pth"),
                record: Record::PthLine,
                target,
                exists,
            });
        }
        let hits = missing(&f);
        assert_eq!(hits.len(), 2);
        assert_vars(Code::EditableMissing, &hits);
        assert_eq!(
            hits[0].fix.as_ref().unwrap().action,
            FixAction::Editable {
                record: Record::PthLine,
                old: t.path().join("proj").display().to_string(),
                new: t.path().join("work/proj").display().to_string(),
            }
        );
        assert_eq!(
            hits[1].fix.as_ref().unwrap().applicability,
            Applicability::Manual
        );
    }
}
