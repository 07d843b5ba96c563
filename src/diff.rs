//! The one unified-diff renderer: `--dry-run` of fixes, undo and config edits.

use std::path::Path;

/// Lines of context around each change.
const CONTEXT: usize = 2;

/// A unified diff of `old` to `new`, both labelled `path`. Bytes that are not UTF-8 are shown
/// as U+FFFD. `shown` caps how much of each side is compared; a cut side is compared only up
/// to the same cut on the other side, so a cut never reads as a change at the end.
pub fn unified(path: &Path, old: &[u8], new: &[u8], shown: usize) -> String {
    let cut = old.len() > shown || new.len() > shown;
    let (old, new) = if cut {
        // Compare whole lines up to the cap; the rest of a rewritten file is byte-identical.
        let end = |b: &[u8]| {
            let n = b.len().min(shown);
            b[..n]
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(n, |i| i + 1)
        };
        (&old[..end(old)], &new[..end(new)])
    } else {
        (old, new)
    };
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    let name = path.display().to_string();
    similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(CONTEXT)
        .header(&name, &name)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_file_shows_one_hunk() {
        let body = "x = 1\n".repeat(20_000);
        let old = format!("#!/old/bin/python\n{body}");
        let new = format!("#!/new/bin/python\n{body}");
        let d = unified(Path::new("s"), old.as_bytes(), new.as_bytes(), 64 << 10);
        assert_eq!(d.matches("@@").count(), 2, "{d}");
        assert!(!d.contains("No newline"), "{d}");
    }
}
