
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pydoctor' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pydoctor'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'pydoctor' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Find problems in environments and on the machine. Exit 0 healthy, 1 any error, 2 bad input')
            [CompletionResult]::new('fix-shebang', 'fix-shebang', [CompletionResultType]::ParameterValue, 'Repair interpreter lines (#!) of the scripts in ENV/bin. Exit 0 all fixed or nothing to fix, 1 some left broken, 2 bad input')
            [CompletionResult]::new('mirrors', 'mirrors', [CompletionResultType]::ParameterValue, 'Probe mirror sites side by side, per target, and rank them: pip''s and uv''s package index, conda''s channels, uv''s Python downloads, the Hugging Face Hub. Exit 0 when every target probed has a usable site, 1 when one has none, 2 bad input')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List the rules pydoctor checks: id, name, severity, title and how each is fixed')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a rule: why it matters and how to fix it')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('fix', 'fix', [CompletionResultType]::ParameterValue, 'Apply the fixes of what `scan` finds (with the same --select/--ignore and config). Exit codes as fix-shebang')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pydoctor;scan' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: `json` prints exactly one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read settings from this file instead of $XDG_CONFIG_HOME/pydoctor/config.toml')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'File operations kept in flight (reads of scripts, environments scanned, temp files written and renamed). Default: 64 when an environment is on a network filesystem (NFS, GlusterFS and other FUSE mounts, SMB, Ceph, Lustre...), where each one waits a round trip; else one per core. 1 is strictly sequential')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'File operations kept in flight (reads of scripts, environments scanned, temp files written and renamed). Default: 64 when an environment is on a network filesystem (NFS, GlusterFS and other FUSE mounts, SMB, Ceph, Lustre...), where each one waits a round trip; else one per core. 1 is strictly sequential')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Run only these rules (ids or names, comma-separated or repeated)')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Skip these rules (ids or names, comma-separated or repeated)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'The lowest severity that makes the exit code 1')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: only problems and the summary')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: only problems and the summary')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: every file of a group, not only the first few')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: every file of a group, not only the first few')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Skip the checks that use the network (probing the configured pip index)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Discover and scan every environment on the machine (conda, pyenv, virtualenvwrapper, pipx, uv tools, poetry, hatch, pdm, and the config''s env-roots)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pydoctor;fix-shebang' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: `json` prints exactly one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read settings from this file instead of $XDG_CONFIG_HOME/pydoctor/config.toml')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'File operations kept in flight (reads of scripts, environments scanned, temp files written and renamed). Default: 64 when an environment is on a network filesystem (NFS, GlusterFS and other FUSE mounts, SMB, Ceph, Lustre...), where each one waits a round trip; else one per core. 1 is strictly sequential')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'File operations kept in flight (reads of scripts, environments scanned, temp files written and renamed). Default: 64 when an environment is on a network filesystem (NFS, GlusterFS and other FUSE mounts, SMB, Ceph, Lustre...), where each one waits a round trip; else one per core. 1 is strictly sequential')
            [CompletionResult]::new('--python', '--python', [CompletionResultType]::ParameterName, 'Point broken scripts at this interpreter instead of the environment''s own')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Run only these rules (ids or names, comma-separated or repeated)')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Skip these rules (ids or names, comma-separated or repeated)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Fix every environment discovery finds on the machine. On a terminal it first lists the environments it would write to and asks')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'With --all: do not ask before writing')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'With --all: do not ask before writing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: only problems and the summary')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: only problems and the summary')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: every file of a group, not only the first few')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: every file of a group, not only the first few')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show what would change as a unified diff; write nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change as a unified diff; write nothing')
            [CompletionResult]::new('--relocatable', '--relocatable', [CompletionResultType]::ParameterName, 'Write uv''s relocatable form, which finds the interpreter next to the script''s real path, so the environment survives the next move. Needs `realpath` (coreutils 8.15+, macOS 13+)')
            [CompletionResult]::new('--undo', '--undo', [CompletionResultType]::ParameterName, 'Put back exactly what the last fix of each ENV changed (from the undo journal in ENV/.pydoctor/undo/); repeat to step further back')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pydoctor;mirrors' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: `json` prints exactly one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read settings from this file instead of $XDG_CONFIG_HOME/pydoctor/config.toml')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only these targets (repeatable or comma-separated). Default: all of them, except with --mirror or --apply, which mean pip and uv-index unless a target is given')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Only these targets (repeatable or comma-separated). Default: all of them, except with --mirror or --apply, which mean pip and uv-index unless a target is given')
            [CompletionResult]::new('--mirror', '--mirror', [CompletionResultType]::ParameterName, 'Probe only these sites (repeatable): NAME=URL, the URL being what the one --target uses (pip: an index; conda: the folder holding pkgs/main and cloud/; uv-python: the folder of release tags; huggingface: the Hub)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Overall deadline for all probes, in seconds')
            [CompletionResult]::new('--samples', '--samples', [CompletionResultType]::ParameterName, 'Page fetches per mirror over one connection; ranked on the median')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Probe package (repeatable); the first is timed, all are checked for freshness')
            [CompletionResult]::new('--apply', '--apply', [CompletionResultType]::ParameterName, 'Write the fastest site (or the named one) into each target''s config, with a backup beside each file: pip''s and uv''s default index, ~/.condarc''s default_channels and custom_channels (those the site carries), uv.toml''s python-install-mirror; for huggingface, print the HF_ENDPOINT line for your shell (only the environment sets it)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: only problems and the summary')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: only problems and the summary')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: every file of a group, not only the first few')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: every file of a group, not only the first few')
            [CompletionResult]::new('--fastest', '--fastest', [CompletionResultType]::ParameterName, 'End with the fastest usable, up-to-date mirror and the command that configures it')
            [CompletionResult]::new('--no-builtin', '--no-builtin', [CompletionResultType]::ParameterName, 'Leave out the built-in sites: probe only those of the config file ([[mirror]]) and --mirror (an internal mirror behind a firewall, say)')
            [CompletionResult]::new('--download', '--download', [CompletionResultType]::ParameterName, 'Also download one distribution file (up to 4 MiB) from each of the best 3 mirrors, one after another, and rank them on measured throughput')
            [CompletionResult]::new('--revert', '--revert', [CompletionResultType]::ParameterName, 'Restore the config files saved by the last --apply (of the --target given, else all)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'With --apply or --revert: show the change as a diff, write nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --apply or --revert: show the change as a diff, write nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pydoctor;rules' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: `json` prints exactly one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pydoctor;explain' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: `json` prints exactly one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pydoctor;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pydoctor;fix' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: `json` prints exactly one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read settings from this file instead of $XDG_CONFIG_HOME/pydoctor/config.toml')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'File operations kept in flight (reads of scripts, environments scanned, temp files written and renamed). Default: 64 when an environment is on a network filesystem (NFS, GlusterFS and other FUSE mounts, SMB, Ceph, Lustre...), where each one waits a round trip; else one per core. 1 is strictly sequential')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'File operations kept in flight (reads of scripts, environments scanned, temp files written and renamed). Default: 64 when an environment is on a network filesystem (NFS, GlusterFS and other FUSE mounts, SMB, Ceph, Lustre...), where each one waits a round trip; else one per core. 1 is strictly sequential')
            [CompletionResult]::new('--python', '--python', [CompletionResultType]::ParameterName, 'Point broken scripts at this interpreter instead of the environment''s own')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Run only these rules (ids or names, comma-separated or repeated)')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Skip these rules (ids or names, comma-separated or repeated)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Fix every environment discovery finds on the machine. On a terminal it first lists the environments it would write to and asks')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'With --all: do not ask before writing')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'With --all: do not ask before writing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: only problems and the summary')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: only problems and the summary')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: every file of a group, not only the first few')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: every file of a group, not only the first few')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show what would change as a unified diff; write nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change as a unified diff; write nothing')
            [CompletionResult]::new('--relocatable', '--relocatable', [CompletionResultType]::ParameterName, 'Write uv''s relocatable form, which finds the interpreter next to the script''s real path, so the environment survives the next move. Needs `realpath` (coreutils 8.15+, macOS 13+)')
            [CompletionResult]::new('--undo', '--undo', [CompletionResultType]::ParameterName, 'Put back exactly what the last fix of each ENV changed (from the undo journal in ENV/.pydoctor/undo/); repeat to step further back')
            [CompletionResult]::new('--unsafe-fixes', '--unsafe-fixes', [CompletionResultType]::ParameterName, 'Also apply fixes that change behaviour (listed in the description above)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pydoctor;help' {
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Find problems in environments and on the machine. Exit 0 healthy, 1 any error, 2 bad input')
            [CompletionResult]::new('fix-shebang', 'fix-shebang', [CompletionResultType]::ParameterValue, 'Repair interpreter lines (#!) of the scripts in ENV/bin. Exit 0 all fixed or nothing to fix, 1 some left broken, 2 bad input')
            [CompletionResult]::new('mirrors', 'mirrors', [CompletionResultType]::ParameterValue, 'Probe mirror sites side by side, per target, and rank them: pip''s and uv''s package index, conda''s channels, uv''s Python downloads, the Hugging Face Hub. Exit 0 when every target probed has a usable site, 1 when one has none, 2 bad input')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List the rules pydoctor checks: id, name, severity, title and how each is fixed')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a rule: why it matters and how to fix it')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('fix', 'fix', [CompletionResultType]::ParameterValue, 'Apply the fixes of what `scan` finds (with the same --select/--ignore and config). Exit codes as fix-shebang')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pydoctor;help;scan' {
            break
        }
        'pydoctor;help;fix-shebang' {
            break
        }
        'pydoctor;help;mirrors' {
            break
        }
        'pydoctor;help;rules' {
            break
        }
        'pydoctor;help;explain' {
            break
        }
        'pydoctor;help;completions' {
            break
        }
        'pydoctor;help;fix' {
            break
        }
        'pydoctor;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
