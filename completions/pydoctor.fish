# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pydoctor_global_optspecs
    string join \n h/help V/version
end

function __fish_pydoctor_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pydoctor_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pydoctor_using_subcommand
    set -l cmd (__fish_pydoctor_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pydoctor -n "__fish_pydoctor_needs_command" -s h -l help -d 'Print help'
complete -c pydoctor -n "__fish_pydoctor_needs_command" -s V -l version -d 'Print version'
complete -c pydoctor -n "__fish_pydoctor_needs_command" -f -a "scan" -d 'Find problems in environments and on the machine. Exit 0 healthy, 1 any error, 2 bad input'
complete -c pydoctor -n "__fish_pydoctor_needs_command" -f -a "fix-shebang" -d 'Repair interpreter lines (#!) of the scripts in ENV/bin. Exit 0 all fixed or nothing to fix, 1 some left broken, 2 bad input'
complete -c pydoctor -n "__fish_pydoctor_needs_command" -f -a "mirrors" -d 'Probe mirror sites side by side, per target, and rank them: pip\'s and uv\'s package index, conda\'s channels, uv\'s Python downloads, the Hugging Face Hub. Exit 0 when every target probed has a usable site, 1 when one has none, 2 bad input'
complete -c pydoctor -n "__fish_pydoctor_needs_command" -f -a "rules" -d 'List the rules pydoctor checks: id, name, severity, title and how each is fixed'
complete -c pydoctor -n "__fish_pydoctor_needs_command" -f -a "explain" -d 'Explain a rule: why it matters and how to fix it'
complete -c pydoctor -n "__fish_pydoctor_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c pydoctor -n "__fish_pydoctor_needs_command" -f -a "fix" -d 'Apply the fixes of what `scan` finds (with the same --select/--ignore and config). Exit codes as fix-shebang'
complete -c pydoctor -n "__fish_pydoctor_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand scan" -l format -d 'Output format: `json` prints exactly one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c pydoctor -n "__fish_pydoctor_using_subcommand scan" -l color -d 'When to colour output (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pydoctor -n "__fish_pydoctor_using_subcommand scan" -l config -d 'Read settings from this file instead of $XDG_CONFIG_HOME/pydoctor/config.toml' -r -F
complete -c pydoctor -n "__fish_pydoctor_using_subcommand scan" -s j -l jobs -d 'File operations kept in flight (reads of scripts, environments scanned, temp files written and renamed). Default: 64 when an environment is on a network filesystem (NFS, GlusterFS and other FUSE mounts, SMB, Ceph, Lustre...), where each one waits a round trip; else one per core. 1 is strictly sequential' -r
complete -c pydoctor -n "__fish_pydoctor_using_subcommand scan" -l select -d 'Run only these rules (ids or names, comma-separated or repeated)' -r
complete -c pydoctor -n "__fish_pydoctor_using_subcommand scan" -l ignore -d 'Skip these rules (ids or names, comma-separated or repeated)' -r
complete -c pydoctor -n "__fish_pydoctor_using_subcommand scan" -l fail-on -d 'The lowest severity that makes the exit code 1' -r -f -a "error\t''
warning\t''
info\t''"
complete -c pydoctor -n "__fish_pydoctor_using_subcommand scan" -s q -l quiet -d 'Print less: only problems and the summary'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand scan" -s v -l verbose -d 'Print more: every file of a group, not only the first few'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand scan" -l offline -d 'Skip the checks that use the network (probing the configured pip index)'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand scan" -l all -d 'Discover and scan every environment on the machine (conda, pyenv, virtualenvwrapper, pipx, uv tools, poetry, hatch, pdm, and the config\'s env-roots)'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand scan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix-shebang" -l format -d 'Output format: `json` prints exactly one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix-shebang" -l color -d 'When to colour output (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix-shebang" -l config -d 'Read settings from this file instead of $XDG_CONFIG_HOME/pydoctor/config.toml' -r -F
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix-shebang" -s j -l jobs -d 'File operations kept in flight (reads of scripts, environments scanned, temp files written and renamed). Default: 64 when an environment is on a network filesystem (NFS, GlusterFS and other FUSE mounts, SMB, Ceph, Lustre...), where each one waits a round trip; else one per core. 1 is strictly sequential' -r
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix-shebang" -l python -d 'Point broken scripts at this interpreter instead of the environment\'s own' -r -F
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix-shebang" -l select -d 'Run only these rules (ids or names, comma-separated or repeated)' -r
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix-shebang" -l ignore -d 'Skip these rules (ids or names, comma-separated or repeated)' -r
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix-shebang" -l all -d 'Fix every environment discovery finds on the machine. On a terminal it first lists the environments it would write to and asks'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix-shebang" -s y -l yes -d 'With --all: do not ask before writing'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix-shebang" -s q -l quiet -d 'Print less: only problems and the summary'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix-shebang" -s v -l verbose -d 'Print more: every file of a group, not only the first few'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix-shebang" -s n -l dry-run -d 'Show what would change as a unified diff; write nothing'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix-shebang" -l relocatable -d 'Write uv\'s relocatable form, which finds the interpreter next to the script\'s real path, so the environment survives the next move. Needs `realpath` (coreutils 8.15+, macOS 13+)'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix-shebang" -l undo -d 'Put back exactly what the last fix of each ENV changed (from the undo journal in ENV/.pydoctor/undo/); repeat to step further back'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix-shebang" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand mirrors" -l format -d 'Output format: `json` prints exactly one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c pydoctor -n "__fish_pydoctor_using_subcommand mirrors" -l color -d 'When to colour output (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pydoctor -n "__fish_pydoctor_using_subcommand mirrors" -l config -d 'Read settings from this file instead of $XDG_CONFIG_HOME/pydoctor/config.toml' -r -F
complete -c pydoctor -n "__fish_pydoctor_using_subcommand mirrors" -s t -l target -d 'Only these targets (repeatable or comma-separated). Default: all of them, except with --mirror or --apply, which mean pip and uv-index unless a target is given' -r -f -a "pip\t'pip\'s package index (pip.conf `index-url`)'
uv-index\t'uv\'s default package index (uv.toml `[[index]] default = true`): the same sites and probe as pip\'s'
conda\t'conda\'s channels (`.condarc` `default_channels`, `custom_channels`)'
uv-python\t'uv\'s Python downloads (uv.toml `python-install-mirror`)'
huggingface\t'The Hugging Face Hub (`HF_ENDPOINT`, set in the shell only)'"
complete -c pydoctor -n "__fish_pydoctor_using_subcommand mirrors" -l mirror -d 'Probe only these sites (repeatable): NAME=URL, the URL being what the one --target uses (pip: an index; conda: the folder holding pkgs/main and cloud/; uv-python: the folder of release tags; huggingface: the Hub)' -r
complete -c pydoctor -n "__fish_pydoctor_using_subcommand mirrors" -l timeout -d 'Overall deadline for all probes, in seconds' -r
complete -c pydoctor -n "__fish_pydoctor_using_subcommand mirrors" -l samples -d 'Page fetches per mirror over one connection; ranked on the median' -r
complete -c pydoctor -n "__fish_pydoctor_using_subcommand mirrors" -l package -d 'Probe package (repeatable); the first is timed, all are checked for freshness' -r
complete -c pydoctor -n "__fish_pydoctor_using_subcommand mirrors" -l apply -d 'Write the fastest site (or the named one) into each target\'s config, with a backup beside each file: pip\'s and uv\'s default index, ~/.condarc\'s default_channels and custom_channels (those the site carries), uv.toml\'s python-install-mirror; for huggingface, print the HF_ENDPOINT line for your shell (only the environment sets it)' -r
complete -c pydoctor -n "__fish_pydoctor_using_subcommand mirrors" -s q -l quiet -d 'Print less: only problems and the summary'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand mirrors" -s v -l verbose -d 'Print more: every file of a group, not only the first few'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand mirrors" -l fastest -d 'End with the fastest usable, up-to-date mirror and the command that configures it'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand mirrors" -l no-builtin -d 'Leave out the built-in sites: probe only those of the config file ([[mirror]]) and --mirror (an internal mirror behind a firewall, say)'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand mirrors" -l download -d 'Also download one distribution file (up to 4 MiB) from each of the best 3 mirrors, one after another, and rank them on measured throughput'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand mirrors" -l revert -d 'Restore the config files saved by the last --apply (of the --target given, else all)'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand mirrors" -s n -l dry-run -d 'With --apply or --revert: show the change as a diff, write nothing'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand mirrors" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand rules" -l format -d 'Output format: `json` prints exactly one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c pydoctor -n "__fish_pydoctor_using_subcommand rules" -l color -d 'When to colour output (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pydoctor -n "__fish_pydoctor_using_subcommand rules" -s h -l help -d 'Print help'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand explain" -l format -d 'Output format: `json` prints exactly one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c pydoctor -n "__fish_pydoctor_using_subcommand explain" -l color -d 'When to colour output (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pydoctor -n "__fish_pydoctor_using_subcommand explain" -s h -l help -d 'Print help'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand completions" -s h -l help -d 'Print help'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix" -l format -d 'Output format: `json` prints exactly one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix" -l color -d 'When to colour output (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix" -l config -d 'Read settings from this file instead of $XDG_CONFIG_HOME/pydoctor/config.toml' -r -F
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix" -s j -l jobs -d 'File operations kept in flight (reads of scripts, environments scanned, temp files written and renamed). Default: 64 when an environment is on a network filesystem (NFS, GlusterFS and other FUSE mounts, SMB, Ceph, Lustre...), where each one waits a round trip; else one per core. 1 is strictly sequential' -r
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix" -l python -d 'Point broken scripts at this interpreter instead of the environment\'s own' -r -F
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix" -l select -d 'Run only these rules (ids or names, comma-separated or repeated)' -r
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix" -l ignore -d 'Skip these rules (ids or names, comma-separated or repeated)' -r
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix" -l all -d 'Fix every environment discovery finds on the machine. On a terminal it first lists the environments it would write to and asks'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix" -s y -l yes -d 'With --all: do not ask before writing'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix" -s q -l quiet -d 'Print less: only problems and the summary'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix" -s v -l verbose -d 'Print more: every file of a group, not only the first few'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix" -s n -l dry-run -d 'Show what would change as a unified diff; write nothing'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix" -l relocatable -d 'Write uv\'s relocatable form, which finds the interpreter next to the script\'s real path, so the environment survives the next move. Needs `realpath` (coreutils 8.15+, macOS 13+)'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix" -l undo -d 'Put back exactly what the last fix of each ENV changed (from the undo journal in ENV/.pydoctor/undo/); repeat to step further back'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix" -l unsafe-fixes -d 'Also apply fixes that change behaviour (listed in the description above)'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand fix" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand help; and not __fish_seen_subcommand_from scan fix-shebang mirrors rules explain completions fix help" -f -a "scan" -d 'Find problems in environments and on the machine. Exit 0 healthy, 1 any error, 2 bad input'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand help; and not __fish_seen_subcommand_from scan fix-shebang mirrors rules explain completions fix help" -f -a "fix-shebang" -d 'Repair interpreter lines (#!) of the scripts in ENV/bin. Exit 0 all fixed or nothing to fix, 1 some left broken, 2 bad input'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand help; and not __fish_seen_subcommand_from scan fix-shebang mirrors rules explain completions fix help" -f -a "mirrors" -d 'Probe mirror sites side by side, per target, and rank them: pip\'s and uv\'s package index, conda\'s channels, uv\'s Python downloads, the Hugging Face Hub. Exit 0 when every target probed has a usable site, 1 when one has none, 2 bad input'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand help; and not __fish_seen_subcommand_from scan fix-shebang mirrors rules explain completions fix help" -f -a "rules" -d 'List the rules pydoctor checks: id, name, severity, title and how each is fixed'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand help; and not __fish_seen_subcommand_from scan fix-shebang mirrors rules explain completions fix help" -f -a "explain" -d 'Explain a rule: why it matters and how to fix it'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand help; and not __fish_seen_subcommand_from scan fix-shebang mirrors rules explain completions fix help" -f -a "completions" -d 'Print a shell completion script'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand help; and not __fish_seen_subcommand_from scan fix-shebang mirrors rules explain completions fix help" -f -a "fix" -d 'Apply the fixes of what `scan` finds (with the same --select/--ignore and config). Exit codes as fix-shebang'
complete -c pydoctor -n "__fish_pydoctor_using_subcommand help; and not __fish_seen_subcommand_from scan fix-shebang mirrors rules explain completions fix help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
