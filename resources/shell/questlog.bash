# AI-Native Linux Quest Log: bash capture hook (bash >= 4.4).
# Load with:  eval "$(questlog init bash)"   (or source this file from ~/.bashrc)
#
# Each finished command appends one record to a per-shell spool file; the Quest Log daemon (or the
# next `questlog` call) ingests it. Only shell built-ins run per command: no process is started.
# Record: <kind> US <exit> US <start> US <end> US <cwd> US <text> RS   (US = 0x1f, RS = 0x1e)
#   kind h: text is `history 1` output (number + command); kind c: text is the command itself.
# Private: commands starting with a space, `QL_OFF=1` in this shell, or incognito mode.

[[ $- == *i* ]] || return 0                       # interactive shells only
[[ -n ${__ql_loaded-} ]] && return 0              # include guard
if (( BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 4) )); then
  printf 'questlog: bash %s is too old (need 4.4 or newer); commands are not recorded\n' "$BASH_VERSION" >&2
  return 0
fi
__ql_loaded=1

__ql_dir=${QL_SPOOL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/ai-native-linux/spool}
__ql_incognito_flag=${__ql_dir%/spool}/incognito
if ! { [[ -d $__ql_dir ]] || ( umask 077; mkdir -p -- "$__ql_dir" ) 2>/dev/null; }; then
  printf 'questlog: cannot create %s; commands are not recorded\n' "$__ql_dir" >&2
  return 0
fi
__ql_session=${EPOCHREALTIME:-$SECONDS}; __ql_session=${__ql_session//[.,]/}
printf -v __ql_session '%x%04x%04x' "$__ql_session" "$$" "$RANDOM" 2>/dev/null || __ql_session=$$-$RANDOM
__ql_spool=$__ql_dir/bash-$$-$__ql_session.spool
export QL_SESSION=$__ql_session
if ! { exec {__ql_fd}>>"$__ql_spool"; } 2>/dev/null; then
  printf 'questlog: cannot write %s; commands are not recorded\n' "$__ql_spool" >&2
  unset __ql_fd; return 0
fi
chmod 600 -- "$__ql_spool" 2>/dev/null
__ql_tty=$(tty 2>/dev/null) || __ql_tty=
# header record: shell, session, user, host, tty, pid
printf 'H\x1fbash\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1e' "$__ql_session" "${USER:-$(id -un 2>/dev/null)}" \
  "${HOSTNAME:-}" "$__ql_tty" "$$" >&"$__ql_fd"

# Duplicate suppression would hide repeated commands from `history 1`: keep only ignorespace.
if [[ ${HISTCONTROL-} == *ignoredups* || ${HISTCONTROL-} == *erasedups* || ${HISTCONTROL-} == *ignoreboth* ]]; then
  [[ -z ${QL_QUIET-} ]] && printf 'questlog: HISTCONTROL=%s hides repeated commands; using HISTCONTROL=ignorespace (set QL_QUIET=1 to silence)\n' "$HISTCONTROL" >&2
  HISTCONTROL=ignorespace
fi
if [[ -n ${HISTIGNORE-} && -z ${QL_QUIET-} ]]; then
  printf 'questlog: HISTIGNORE is set; commands it matches are not recorded\n' >&2
fi
if [[ ${HISTSIZE-} == 0 ]]; then
  [[ -z ${QL_QUIET-} ]] && printf 'questlog: HISTSIZE=0 keeps no history; commands are not recorded\n' >&2
elif ! [[ -o history ]]; then
  [[ -z ${QL_QUIET-} ]] && printf 'questlog: shell history is off (set -o history); commands are not recorded\n' >&2
fi

__ql_now() { # sets __ql_t to microseconds since the epoch (built-ins only)
  if [[ -n ${EPOCHREALTIME-} ]]; then __ql_t=${EPOCHREALTIME/[.,]/}
  else printf -v __ql_t '%(%s)T000000' -1; fi
}
__ql_pwd=$PWD; __ql_armed=; __ql_t0=

__ql_precmd() {
  local ec=$? __ql_t
  __ql_now
  if [[ -n $__ql_armed && -z ${QL_OFF-} && ! -e $__ql_incognito_flag ]]; then
    { printf 'h\x1f%s\x1f%s\x1f%s\x1f%s\x1f' "$ec" "$__ql_t0" "$__ql_t" "$__ql_pwd"
      LC_ALL=C HISTTIMEFORMAT= builtin history 1; printf '\x1e'; } >&"$__ql_fd" 2>/dev/null
  fi
  __ql_armed=; __ql_pwd=$PWD
  return $ec
}

if [[ -n ${BLE_VERSION-} ]] && type blehook &>/dev/null; then
  # ble.sh: its own hooks give the exact command text
  __ql_ble_preexec() { local __ql_t; __ql_now; __ql_t0=$__ql_t; __ql_cmd=$1; __ql_armed=1; }
  __ql_ble_precmd() {
    local ec=$? __ql_t
    __ql_now
    if [[ -n $__ql_armed && -z ${QL_OFF-} && ! -e $__ql_incognito_flag && $__ql_cmd != [[:space:]]* ]]; then
      printf 'c\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1e' "$ec" "$__ql_t0" "$__ql_t" "$__ql_pwd" "$__ql_cmd" >&"$__ql_fd" 2>/dev/null
    fi
    __ql_armed=; __ql_pwd=$PWD
  }
  blehook PREEXEC+=__ql_ble_preexec
  blehook PRECMD+=__ql_ble_precmd
elif [[ -n ${bash_preexec_imported-}${__bp_imported-} ]]; then
  # bash-preexec is loaded: register with it and leave PS0/PROMPT_COMMAND alone
  __ql_bp_preexec() { local __ql_t; __ql_now; __ql_t0=$__ql_t; __ql_armed=1; }
  preexec_functions+=(__ql_bp_preexec)
  precmd_functions=(__ql_precmd "${precmd_functions[@]}")
  [[ -z ${QL_QUIET-} ]] && printf 'questlog: bash-preexec detected; note that it removes ignorespace from HISTCONTROL\n' >&2
else
  # PS0 is expanded after a line is read and before it runs; the arithmetic in the substring
  # offset runs in this shell, sets the start time and prints nothing.
  if [[ -n ${EPOCHREALTIME-} ]]; then
    PS0+='${BASH_VERSION:(__ql_t0=${EPOCHREALTIME/[.,]/}, __ql_armed=1)*0:0}'
  else
    PS0+='${BASH_VERSION:(__ql_t0=SECONDS*1000000+__ql_base, __ql_armed=1)*0:0}'
    printf -v __ql_base '%(%s)T' -1; __ql_base=$(( (__ql_base - SECONDS) * 1000000 ))
  fi
  if [[ "$(declare -p PROMPT_COMMAND 2>/dev/null)" == "declare -a"* ]]; then
    PROMPT_COMMAND=(__ql_precmd "${PROMPT_COMMAND[@]}")
  else
    PROMPT_COMMAND="__ql_precmd${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
  fi
fi
