/** The "program" of a command line, for statistics: first word, wrappers stripped, subcommand kept for multi-tools. */
const WRAPPERS = new Set([
  'sudo',
  'doas',
  'time',
  'nice',
  'nohup',
  'env',
  'command',
  'builtin',
  'exec',
  'run0',
]);
const WITH_SUBCOMMAND = new Set([
  'apt',
  'apt-get',
  'cargo',
  'docker',
  'git',
  'go',
  'kubectl',
  'npm',
  'pnpm',
  'yarn',
  'npx',
  'systemctl',
  'journalctl',
  'podman',
  'pip',
  'pip3',
  'brew',
  'dnf',
  'yum',
  'pacman',
  'snap',
  'flatpak',
  'helm',
  'terraform',
  'gh',
  'nix',
  'make',
  'uv',
  'poetry',
  'conda',
  'rustup',
  'zypper',
  'ip',
  'loginctl',
  'nmcli',
]);

export function programOf(command: string): string {
  const words = command.trim().split(/\s+/, 16);
  let i = 0;
  while (i < words.length) {
    const w = words[i] ?? '';
    if (WRAPPERS.has(w) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) {
      i++;
      // skip wrapper options such as sudo -u root, nice -n 5
      while (i < words.length && (words[i] ?? '').startsWith('-'))
        i += /^-[unCgpt]$/.test(words[i] ?? '') ? 2 : 1;
      continue;
    }
    break;
  }
  const first = words[i];
  if (!first) return '';
  const base = first.includes('/') && !first.endsWith('/') ? first.slice(first.lastIndexOf('/') + 1) : first;
  const prog = base.slice(0, 64);
  if (WITH_SUBCOMMAND.has(prog)) {
    for (let j = i + 1; j < words.length; j++) {
      const w = words[j] ?? '';
      if (w.startsWith('-')) continue;
      if (/^[A-Za-z][A-Za-z0-9_.:-]*$/.test(w)) return `${prog} ${w.slice(0, 64)}`;
      break;
    }
  }
  return prog;
}
