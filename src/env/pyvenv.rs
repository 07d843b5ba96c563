//! `pyvenv.cfg`: the `key = value` file `python -m venv`, virtualenv and uv write.

/// The keys pydoctor reads; every line is kept so a rewrite can preserve the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PyvenvCfg {
    pub lines: Vec<(String, String)>,
}

impl PyvenvCfg {
    /// Parse leniently, like CPython's `site.py`: `key = value` lines, anything else ignored.
    pub fn parse(text: &str) -> Self {
        let lines = text
            .lines()
            .filter_map(|l| {
                let (k, v) = l.split_once('=')?;
                Some((k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            })
            .collect();
        PyvenvCfg { lines }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.lines
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `version` (venv, virtualenv) or `version_info` (uv).
    pub fn version(&self) -> Option<&str> {
        self.get("version").or_else(|| self.get("version_info"))
    }

    /// The environment directory named by the `command` key (Python 3.11+): the last argument
    /// of `python -m venv [options] DIR`.
    pub fn command_target(&self) -> Option<String> {
        let cmd = self.get("command")?;
        let words: Vec<&str> = cmd.split(' ').collect();
        let venv = words.iter().position(|w| *w == "venv")?;
        let mut i = venv + 1;
        while i < words.len() && words[i].starts_with('-') {
            // `--prompt NAME` takes a value; the other venv options are flags.
            i += if words[i] == "--prompt" { 2 } else { 1 };
        }
        let dir = words.get(i..)?.join(" ");
        (!dir.is_empty()).then_some(dir)
    }
}

/// `text` with `key = value` set: the key's line replaced, or a line appended.
pub fn set_key(text: &str, key: &str, value: &str) -> String {
    let mut found = false;
    let mut out: String = text
        .split_inclusive('\n')
        .map(|l| match l.split_once('=') {
            Some((k, _)) if k.trim().eq_ignore_ascii_case(key) => {
                found = true;
                let eol = if l.ends_with("\r\n") { "\r\n" } else { "\n" };
                format!("{key} = {value}{eol}")
            }
            _ => l.to_owned(),
        })
        .collect();
    if !found {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&format!("{key} = {value}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_keys() {
        assert_eq!(
            set_key("home = /x\n", "relocatable", "true"),
            "home = /x\nrelocatable = true\n"
        );
        assert_eq!(
            set_key("relocatable = false\nb = 1", "relocatable", "true"),
            "relocatable = true\nb = 1"
        );
    }

    #[test]
    fn reads_keys() {
        let c = PyvenvCfg::parse(
            "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.12.1\n\
             command = /usr/bin/python3 -m venv --without-pip /old/env\n",
        );
        assert_eq!(c.get("home"), Some("/usr/bin"));
        assert_eq!(c.version(), Some("3.12.1"));
        assert_eq!(c.command_target().as_deref(), Some("/old/env"));
        let spaced = PyvenvCfg::parse("command = /p -m venv --prompt x /my env\n");
        assert_eq!(spaced.command_target().as_deref(), Some("/my env"));
        assert_eq!(
            PyvenvCfg::parse("uv = 0.5\nversion_info = 3.13.0").version(),
            Some("3.13.0")
        );
    }
}
