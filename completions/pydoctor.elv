
use builtin;
use str;

set edit:completion:arg-completer[pydoctor] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pydoctor'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pydoctor'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand scan 'Find problems in environments and on the machine. Exit 0 healthy, 1 any error, 2 bad input'
            cand fix-shebang 'Repair interpreter lines (#!) of the scripts in ENV/bin. Exit 0 all fixed or nothing to fix, 1 some left broken, 2 bad input'
            cand mirrors 'Probe mirror sites side by side, per target, and rank them: pip''s and uv''s package index, conda''s channels, uv''s Python downloads, the Hugging Face Hub. Exit 0 when every target probed has a usable site, 1 when one has none, 2 bad input'
            cand rules 'List the rules pydoctor checks: id, name, severity, title and how each is fixed'
            cand explain 'Explain a rule: why it matters and how to fix it'
            cand completions 'Print a shell completion script'
            cand fix 'Apply the fixes of what `scan` finds (with the same --select/--ignore and config). Exit codes as fix-shebang'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pydoctor;scan'= {
            cand --format 'Output format: `json` prints exactly one JSON document on stdout'
            cand --color 'When to colour output (NO_COLOR is honoured with `auto`)'
            cand --config 'Read settings from this file instead of $XDG_CONFIG_HOME/pydoctor/config.toml'
            cand -j 'File operations kept in flight (reads of scripts, environments scanned, temp files written and renamed). Default: 64 when an environment is on a network filesystem (NFS, GlusterFS and other FUSE mounts, SMB, Ceph, Lustre...), where each one waits a round trip; else one per core. 1 is strictly sequential'
            cand --jobs 'File operations kept in flight (reads of scripts, environments scanned, temp files written and renamed). Default: 64 when an environment is on a network filesystem (NFS, GlusterFS and other FUSE mounts, SMB, Ceph, Lustre...), where each one waits a round trip; else one per core. 1 is strictly sequential'
            cand --select 'Run only these rules (ids or names, comma-separated or repeated)'
            cand --ignore 'Skip these rules (ids or names, comma-separated or repeated)'
            cand --fail-on 'The lowest severity that makes the exit code 1'
            cand -q 'Print less: only problems and the summary'
            cand --quiet 'Print less: only problems and the summary'
            cand -v 'Print more: every file of a group, not only the first few'
            cand --verbose 'Print more: every file of a group, not only the first few'
            cand --offline 'Skip the checks that use the network (probing the configured pip index)'
            cand --all 'Discover and scan every environment on the machine (conda, pyenv, virtualenvwrapper, pipx, uv tools, poetry, hatch, pdm, and the config''s env-roots)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pydoctor;fix-shebang'= {
            cand --format 'Output format: `json` prints exactly one JSON document on stdout'
            cand --color 'When to colour output (NO_COLOR is honoured with `auto`)'
            cand --config 'Read settings from this file instead of $XDG_CONFIG_HOME/pydoctor/config.toml'
            cand -j 'File operations kept in flight (reads of scripts, environments scanned, temp files written and renamed). Default: 64 when an environment is on a network filesystem (NFS, GlusterFS and other FUSE mounts, SMB, Ceph, Lustre...), where each one waits a round trip; else one per core. 1 is strictly sequential'
            cand --jobs 'File operations kept in flight (reads of scripts, environments scanned, temp files written and renamed). Default: 64 when an environment is on a network filesystem (NFS, GlusterFS and other FUSE mounts, SMB, Ceph, Lustre...), where each one waits a round trip; else one per core. 1 is strictly sequential'
            cand --python 'Point broken scripts at this interpreter instead of the environment''s own'
            cand --select 'Run only these rules (ids or names, comma-separated or repeated)'
            cand --ignore 'Skip these rules (ids or names, comma-separated or repeated)'
            cand --all 'Fix every environment discovery finds on the machine. On a terminal it first lists the environments it would write to and asks'
            cand -y 'With --all: do not ask before writing'
            cand --yes 'With --all: do not ask before writing'
            cand -q 'Print less: only problems and the summary'
            cand --quiet 'Print less: only problems and the summary'
            cand -v 'Print more: every file of a group, not only the first few'
            cand --verbose 'Print more: every file of a group, not only the first few'
            cand -n 'Show what would change as a unified diff; write nothing'
            cand --dry-run 'Show what would change as a unified diff; write nothing'
            cand --relocatable 'Write uv''s relocatable form, which finds the interpreter next to the script''s real path, so the environment survives the next move. Needs `realpath` (coreutils 8.15+, macOS 13+)'
            cand --undo 'Put back exactly what the last fix of each ENV changed (from the undo journal in ENV/.pydoctor/undo/); repeat to step further back'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pydoctor;mirrors'= {
            cand --format 'Output format: `json` prints exactly one JSON document on stdout'
            cand --color 'When to colour output (NO_COLOR is honoured with `auto`)'
            cand --config 'Read settings from this file instead of $XDG_CONFIG_HOME/pydoctor/config.toml'
            cand -t 'Only these targets (repeatable or comma-separated). Default: all of them, except with --mirror or --apply, which mean pip and uv-index unless a target is given'
            cand --target 'Only these targets (repeatable or comma-separated). Default: all of them, except with --mirror or --apply, which mean pip and uv-index unless a target is given'
            cand --mirror 'Probe only these sites (repeatable): NAME=URL, the URL being what the one --target uses (pip: an index; conda: the folder holding pkgs/main and cloud/; uv-python: the folder of release tags; huggingface: the Hub)'
            cand --timeout 'Overall deadline for all probes, in seconds'
            cand --samples 'Page fetches per mirror over one connection; ranked on the median'
            cand --package 'Probe package (repeatable); the first is timed, all are checked for freshness'
            cand --apply 'Write the fastest site (or the named one) into each target''s config, with a backup beside each file: pip''s and uv''s default index, ~/.condarc''s default_channels and custom_channels (those the site carries), uv.toml''s python-install-mirror; for huggingface, print the HF_ENDPOINT line for your shell (only the environment sets it)'
            cand -q 'Print less: only problems and the summary'
            cand --quiet 'Print less: only problems and the summary'
            cand -v 'Print more: every file of a group, not only the first few'
            cand --verbose 'Print more: every file of a group, not only the first few'
            cand --fastest 'End with the fastest usable, up-to-date mirror and the command that configures it'
            cand --no-builtin 'Leave out the built-in sites: probe only those of the config file ([[mirror]]) and --mirror (an internal mirror behind a firewall, say)'
            cand --download 'Also download one distribution file (up to 4 MiB) from each of the best 3 mirrors, one after another, and rank them on measured throughput'
            cand --revert 'Restore the config files saved by the last --apply (of the --target given, else all)'
            cand -n 'With --apply or --revert: show the change as a diff, write nothing'
            cand --dry-run 'With --apply or --revert: show the change as a diff, write nothing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pydoctor;rules'= {
            cand --format 'Output format: `json` prints exactly one JSON document on stdout'
            cand --color 'When to colour output (NO_COLOR is honoured with `auto`)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pydoctor;explain'= {
            cand --format 'Output format: `json` prints exactly one JSON document on stdout'
            cand --color 'When to colour output (NO_COLOR is honoured with `auto`)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pydoctor;completions'= {
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pydoctor;fix'= {
            cand --format 'Output format: `json` prints exactly one JSON document on stdout'
            cand --color 'When to colour output (NO_COLOR is honoured with `auto`)'
            cand --config 'Read settings from this file instead of $XDG_CONFIG_HOME/pydoctor/config.toml'
            cand -j 'File operations kept in flight (reads of scripts, environments scanned, temp files written and renamed). Default: 64 when an environment is on a network filesystem (NFS, GlusterFS and other FUSE mounts, SMB, Ceph, Lustre...), where each one waits a round trip; else one per core. 1 is strictly sequential'
            cand --jobs 'File operations kept in flight (reads of scripts, environments scanned, temp files written and renamed). Default: 64 when an environment is on a network filesystem (NFS, GlusterFS and other FUSE mounts, SMB, Ceph, Lustre...), where each one waits a round trip; else one per core. 1 is strictly sequential'
            cand --python 'Point broken scripts at this interpreter instead of the environment''s own'
            cand --select 'Run only these rules (ids or names, comma-separated or repeated)'
            cand --ignore 'Skip these rules (ids or names, comma-separated or repeated)'
            cand --all 'Fix every environment discovery finds on the machine. On a terminal it first lists the environments it would write to and asks'
            cand -y 'With --all: do not ask before writing'
            cand --yes 'With --all: do not ask before writing'
            cand -q 'Print less: only problems and the summary'
            cand --quiet 'Print less: only problems and the summary'
            cand -v 'Print more: every file of a group, not only the first few'
            cand --verbose 'Print more: every file of a group, not only the first few'
            cand -n 'Show what would change as a unified diff; write nothing'
            cand --dry-run 'Show what would change as a unified diff; write nothing'
            cand --relocatable 'Write uv''s relocatable form, which finds the interpreter next to the script''s real path, so the environment survives the next move. Needs `realpath` (coreutils 8.15+, macOS 13+)'
            cand --undo 'Put back exactly what the last fix of each ENV changed (from the undo journal in ENV/.pydoctor/undo/); repeat to step further back'
            cand --unsafe-fixes 'Also apply fixes that change behaviour (listed in the description above)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pydoctor;help'= {
            cand scan 'Find problems in environments and on the machine. Exit 0 healthy, 1 any error, 2 bad input'
            cand fix-shebang 'Repair interpreter lines (#!) of the scripts in ENV/bin. Exit 0 all fixed or nothing to fix, 1 some left broken, 2 bad input'
            cand mirrors 'Probe mirror sites side by side, per target, and rank them: pip''s and uv''s package index, conda''s channels, uv''s Python downloads, the Hugging Face Hub. Exit 0 when every target probed has a usable site, 1 when one has none, 2 bad input'
            cand rules 'List the rules pydoctor checks: id, name, severity, title and how each is fixed'
            cand explain 'Explain a rule: why it matters and how to fix it'
            cand completions 'Print a shell completion script'
            cand fix 'Apply the fixes of what `scan` finds (with the same --select/--ignore and config). Exit codes as fix-shebang'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pydoctor;help;scan'= {
        }
        &'pydoctor;help;fix-shebang'= {
        }
        &'pydoctor;help;mirrors'= {
        }
        &'pydoctor;help;rules'= {
        }
        &'pydoctor;help;explain'= {
        }
        &'pydoctor;help;completions'= {
        }
        &'pydoctor;help;fix'= {
        }
        &'pydoctor;help;help'= {
        }
    ]
    $completions[$command]
}
