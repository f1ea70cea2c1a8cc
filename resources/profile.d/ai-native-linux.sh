# /etc/profile.d/ai-native-linux.sh: installed by AI-Native Linux (ainl-integration).
#
# Loads the Quest Log shell hook in interactive bash and zsh login shells, but only for users who
# opted in: the hook is loaded when ~/.config/ai-native-linux/shell-hook exists
# (create it with: mkdir -p ~/.config/ai-native-linux && touch ~/.config/ai-native-linux/shell-hook).
# Non-login shells (most desktop terminals) read ~/.bashrc instead: there, add
#   eval "$(questlog init bash)"        (or  eval "$(questlog init zsh)"  in ~/.zshrc)
# The hook has an include guard, so loading it from both places is harmless.
# QL_OFF=1 in the environment keeps it off.
if [ -n "${PS1:-}" ] && [ -z "${QL_OFF:-}" ]; then
  __ainl_optin="${XDG_CONFIG_HOME:-$HOME/.config}/ai-native-linux/shell-hook"
  if [ -e "$__ainl_optin" ]; then
    if [ -n "${BASH_VERSION:-}" ] && [ -r "@APP@/resources/resources/shell/questlog.bash" ]; then
      . "@APP@/resources/resources/shell/questlog.bash"
    elif [ -n "${ZSH_VERSION:-}" ] && [ -r "@APP@/resources/resources/shell/questlog.zsh" ]; then
      . "@APP@/resources/resources/shell/questlog.zsh"
    fi
  fi
  unset __ainl_optin
fi
