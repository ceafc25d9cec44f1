# bash completion for glovebox                       -*- shell-script -*-
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Options come from `glovebox --help`, which is generated from glovebox's
# option table, so completion never falls behind the binary.

_glovebox_profiles()
{
    local dir f
    for dir in "${XDG_CONFIG_HOME:-$HOME/.config}/glovebox/profiles" \
               /etc/glovebox/profiles /usr/local/etc/glovebox/profiles \
               /usr/share/glovebox/profiles /usr/local/share/glovebox/profiles; do
        for f in "$dir"/*.ini; do
            [[ -e $f ]] && f=${f##*/} && printf '%s\n' "${f%.ini}"
        done
    done
    echo default
}

_glovebox()
{
    local cur prev words cword
    _init_completion || return

    local i
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} == -- ]]; then
            _command_offset $((i + 1))
            return
        fi
    done

    if ((cword == 1)) && [[ $cur != -* ]]; then
        COMPREPLY=($(compgen -W "check explain compile syscalls bwrap" -- "$cur"))
        _command_offset 1
        return
    fi
    case ${words[1]} in
        check)
            _filedir ini
            return
            ;;
        bwrap)
            # bubblewrap's command line: its options from `glovebox bwrap --help`
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$(glovebox bwrap --help 2>/dev/null |
                    grep -oE '^ +--[a-z0-9-]+')" -- "$cur"))
            else
                _filedir
            fi
            return
            ;;
        syscalls)
            COMPREPLY=($(compgen -W "$(glovebox syscalls 2>/dev/null | cut -d' ' -f1)" -- "$cur"))
            return
            ;;
    esac

    case $prev in
        -p | --profile)
            COMPREPLY=($(compgen -W "$(_glovebox_profiles)" -- "$cur"))
            compopt -o filenames
            COMPREPLY+=($(compgen -f -- "$cur"))
            return
            ;;
        --home)
            COMPREPLY=($(compgen -W "tmpfs ro rw private none" -- "$cur"))
            return
            ;;
        --cwd)
            COMPREPLY=($(compgen -W "ro rw none" -- "$cur"))
            return
            ;;
        --network)
            COMPREPLY=($(compgen -W "none host user" -- "$cur"))
            return
            ;;
        --user)
            COMPREPLY=($(compgen -W "self root" -- "$cur"))
            return
            ;;
        --fallback)
            COMPREPLY=($(compgen -W "none landlock" -- "$cur"))
            return
            ;;
        --host-user)
            COMPREPLY=($(compgen -W "self nobody" -- "$cur"))
            return
            ;;
        --allow | --deny)
            COMPREPLY=($(compgen -W "$(glovebox syscalls 2>/dev/null | cut -d' ' -f1)" -- "$cur"))
            return
            ;;
        --bind | --ro-bind | --dev-bind | --bind-try | --ro-bind-try | --dev-bind-try | \
        --tmpfs | --proc | --dev | --dir | --chdir | --mirror | --remount-ro | --symlink | \
        --remove)
            _filedir
            return
            ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(glovebox --help 2>/dev/null | grep -o -- '--[a-z0-9-]*' | sort -u) -p -h -V" -- "$cur"))
        return
    fi
    _command_offset $cword
}
complete -F _glovebox glovebox
