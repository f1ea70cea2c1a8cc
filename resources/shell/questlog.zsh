# AI-Native Linux Quest Log: zsh capture hook (zsh >= 5.0).
# Load with:  eval "$(questlog init zsh)"   (or source this file from ~/.zshrc)
#
# Each finished command appends one record to a per-shell spool file; the Quest Log daemon (or the
# next `questlog` call) ingests it. Only shell built-ins run per command: no process is started.
# Record: c US <exit> US <start> US <end> US <cwd> US <command> RS   (US = 0x1f, RS = 0x1e)
# Private: commands starting with a space, `QL_OFF=1` in this shell, or incognito mode.

[[ -o interactive ]] || return 0
(( ${+__ql_loaded} )) && return 0
typeset -g __ql_loaded=1
zmodload zsh/datetime 2>/dev/null || { print -u2 'questlog: zsh/datetime is missing; commands are not recorded'; return 0; }
autoload -Uz add-zsh-hook

typeset -g __ql_dir=${QL_SPOOL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/ai-native-linux/spool}
typeset -g __ql_incognito_flag=${__ql_dir%/spool}/incognito
if [[ ! -d $__ql_dir ]] && ! ( umask 077; mkdir -p -- $__ql_dir ) 2>/dev/null; then
  print -u2 "questlog: cannot create $__ql_dir; commands are not recorded"
  return 0
fi
typeset -g __ql_session
printf -v __ql_session '%x%06x%04x%04x' ${EPOCHREALTIME%%[.,]*} $(( ${${EPOCHREALTIME#*[.,]}[1,6]} )) $$ $RANDOM
typeset -g __ql_spool=$__ql_dir/zsh-$$-$__ql_session.spool
export QL_SESSION=$__ql_session
typeset -g __ql_fd
if ! { exec {__ql_fd}>>$__ql_spool } 2>/dev/null; then
  print -u2 "questlog: cannot write $__ql_spool; commands are not recorded"
  return 0
fi
chmod 600 -- $__ql_spool 2>/dev/null
print -rn -u $__ql_fd -- H$'\x1f'zsh$'\x1f'$__ql_session$'\x1f'${USER:-$USERNAME}$'\x1f'${HOST:-}$'\x1f'${TTY:-}$'\x1f'$$$'\x1e'

typeset -g __ql_cmd= __ql_t0= __ql_pwd=
__ql_preexec() { __ql_cmd=$1 __ql_t0=$EPOCHREALTIME __ql_pwd=$PWD; }
__ql_precmd() {
  local ec=$? t1=$EPOCHREALTIME
  [[ -z $__ql_t0 ]] && return $ec
  if [[ $__ql_cmd != [[:space:]]* && -z ${QL_OFF-} && ! -e $__ql_incognito_flag ]]; then
    print -rn -u $__ql_fd -- c$'\x1f'$ec$'\x1f'$__ql_t0$'\x1f'$t1$'\x1f'$__ql_pwd$'\x1f'$__ql_cmd$'\x1e' 2>/dev/null
  fi
  __ql_t0=
  return $ec
}
add-zsh-hook preexec __ql_preexec
# run first so that $? is the command's exit status
precmd_functions=(__ql_precmd ${precmd_functions:#__ql_precmd})
