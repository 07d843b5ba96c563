//! PD127: a command link of pipx or uv (`~/.local/bin/NAME`, `PIPX_BIN_DIR`,
//! `UV_TOOL_BIN_DIR`, `XDG_BIN_HOME`) points into a tool environment that is not there any
//! more (a home migration, a renamed mount): the command users type exits 127. When the tool
//! environment is found where the tool keeps them now, the fix relinks it; otherwise it names
//! the reinstall command.

use super::{Applicability, Fix, FixAction, Hit};
use crate::engine::machine::MachineFacts;

pub fn dangling(m: &MachineFacts) -> Vec<Hit> {
    m.tool_links
        .iter()
        .map(|l| {
            let name = shell_words::quote(&l.env_name).into_owned();
            let fix = match &l.now {
                Some(to) => Fix::new(
                    Applicability::Safe,
                    FixAction::ToolLink { to: to.clone() },
                    "pydoctor fix --all".into(),
                ),
                None if l.tool == "pipx" => Fix::advice(format!("pipx reinstall {name}")),
                None => Fix::advice(format!("uv tool install --reinstall {name}")),
            };
            Hit::new(&l.link)
                .var("target", l.target.display().to_string())
                .fix(Some(fix))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::super::testing::assert_vars;
    use super::*;
    use crate::engine::machine::ToolLink;

    #[test]
    fn relinked_when_found_else_reinstalled() {
        let mut m = MachineFacts::default();
        m.tool_links.push(ToolLink {
            link: "/h/.local/bin/cowsay".into(),
            target: "/old/h/.local/share/pipx/venvs/cowsay/bin/cowsay".into(),
            tool: "pipx",
            env_name: "cowsay".into(),
            now: None,
        });
        let hits = dangling(&m);
        assert_vars(Code::ToolLinkDangling, &hits);
        assert_eq!(
            hits[0].fix.as_ref().unwrap().command.as_ref(),
            "pipx reinstall cowsay"
        );
        m.tool_links[0].now = Some("/h/.local/share/pipx/venvs/cowsay/bin/cowsay".into());
        assert_eq!(
            dangling(&m)[0].fix.as_ref().unwrap().applicability,
            Applicability::Safe
        );
    }
}
