//! conda's own record of where its files hold the prefix: `conda-meta/*.json`, whose
//! `paths_data.paths[]` lists each file with a `prefix_placeholder` and its `file_mode`
//! (`text`: the prefix appears as is; `binary`: inside NUL-terminated strings, padded with NULs
//! to the placeholder's length). At install time conda wrote the real prefix there; after a
//! move or copy those files still name the old one. Pure parsing and rewriting here; the
//! engine reads the files.

use serde::Deserialize;

/// How a file holds the prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileMode {
    Text,
    Binary,
}

/// A file conda lists as holding the prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixFile {
    /// Relative to the environment root.
    pub path: String,
    pub mode: FileMode,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "_path")]
    path: String,
    #[serde(default)]
    prefix_placeholder: Option<String>,
    #[serde(default)]
    file_mode: Option<FileMode>,
}

#[derive(Deserialize)]
struct PathsData {
    #[serde(default)]
    paths: Vec<Entry>,
}

#[derive(Deserialize)]
struct Record {
    #[serde(default)]
    paths_data: Option<PathsData>,
}

/// The files a `conda-meta/*.json` record lists with a prefix placeholder. Paths that are
/// absolute or climb out (`..`) are dropped: the record is input like any other file.
pub fn prefix_files(json: &[u8]) -> Vec<PrefixFile> {
    let Ok(r) = serde_json::from_slice::<Record>(json) else {
        return Vec::new();
    };
    r.paths_data
        .map(|d| d.paths)
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e.prefix_placeholder.is_some())
        .filter(|e| !e.path.starts_with('/') && !e.path.split('/').any(|c| c == ".."))
        .map(|e| PrefixFile {
            path: e.path,
            mode: e.file_mode.unwrap_or(FileMode::Text),
        })
        .collect()
}

/// Whether `haystack` contains `needle`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// `content` with the prefix `old` replaced by `new`, as conda does at install time. Text: every
/// occurrence. Binary: within each NUL-terminated string that holds `old`, every occurrence,
/// then NULs so the string keeps its length; refused when `new` is longer than `old` (the
/// string cannot grow inside a compiled file). `Ok(None)` when `old` is not there.
pub fn replace_prefix(
    content: &[u8],
    mode: FileMode,
    old: &[u8],
    new: &[u8],
) -> Result<Option<Vec<u8>>, String> {
    if !contains(content, old) {
        return Ok(None);
    }
    match mode {
        FileMode::Text => Ok(Some(replace_all(content, old, new))),
        FileMode::Binary => {
            if new.len() > old.len() {
                return Err(format!(
                    "the new prefix is {} bytes longer than the old one, and a binary's \
                     strings cannot grow: recreate the environment, or pack it with conda-pack \
                     at its old place and unpack it here",
                    new.len() - old.len()
                ));
            }
            let mut out = Vec::with_capacity(content.len());
            let mut start = 0;
            while start < content.len() {
                let end = content[start..]
                    .iter()
                    .position(|&b| b == 0)
                    .map_or(content.len(), |i| start + i);
                let s = &content[start..end];
                if contains(s, old) {
                    let r = replace_all(s, old, new);
                    out.extend_from_slice(&r);
                    out.resize(out.len() + (s.len() - r.len()), 0);
                } else {
                    out.extend_from_slice(s);
                }
                if end < content.len() {
                    out.push(0);
                }
                start = end + 1;
            }
            Ok(Some(out))
        }
    }
}

fn replace_all(s: &[u8], old: &[u8], new: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with(old) {
            out.extend_from_slice(new);
            i += old.len();
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_paths_data() {
        let j = br#"{"name":"openssl","paths_data":{"paths":[
            {"_path":"bin/c_rehash","prefix_placeholder":"/opt/anaconda1anaconda2anaconda3","file_mode":"text","path_type":"hardlink"},
            {"_path":"lib/libcrypto.so.3","prefix_placeholder":"/opt/anaconda1anaconda2anaconda3","file_mode":"binary"},
            {"_path":"lib/plain.so"},
            {"_path":"../../etc/passwd","prefix_placeholder":"/x","file_mode":"text"}]}}"#;
        let f = prefix_files(j);
        assert_eq!(f.len(), 2);
        assert_eq!(f[1].mode, FileMode::Binary);
    }

    #[test]
    fn binary_strings_keep_their_length() {
        let c = b"ab\0/mnt/glusterfs101/e/ssl\0\0\0x\0/mnt/glusterfs101/e\0";
        let out = replace_prefix(
            c,
            FileMode::Binary,
            b"/mnt/glusterfs101/e",
            b"/mnt/glusterfs/e",
        )
        .unwrap()
        .unwrap();
        assert_eq!(out.len(), c.len());
        assert_eq!(&out[..23], b"ab\0/mnt/glusterfs/e/ssl");
        assert!(
            replace_prefix(
                c,
                FileMode::Binary,
                b"/mnt/glusterfs101/e",
                b"/mnt/glusterfs1010/e"
            )
            .is_err()
        );
        let t = replace_prefix(b"P=/o/e/lib /o/e", FileMode::Text, b"/o/e", b"/new/e").unwrap();
        assert_eq!(t.as_deref(), Some(&b"P=/new/e/lib /new/e"[..]));
        assert_eq!(
            replace_prefix(b"x", FileMode::Text, b"/o", b"/n").unwrap(),
            None
        );
    }
}
