/** Everyday intents: addresses, reachability, DNS, routes, SSH, scp, rsync and tunnels. */
import { answer, bare, files, host, shq, type Intent } from './common';

export const NETWORK_INTENTS: Intent[] = [
  {
    id: 'public-ip',
    when: /\b(public|external|wan|internet)\s+ip\b/,
    confidence: 0.92,
    build: () =>
      answer('curl -s https://ifconfig.me', 'asks ifconfig.me which address your traffic comes from'),
  },
  {
    id: 'ping',
    when: /\bping\b|\b(is|can i reach|check if|check whether)\s+\S+\s+(is\s+)?(up|reachable|online|alive|down)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const h = host(i.t);
      if (!h) return null;
      const n = /\b(\d{1,4})\s+(?:times|pings|packets)\b/.exec(i.t)?.[1] ?? '4';
      return answer(`ping -c ${n} ${h}`, `sends ${n} echo requests to ${h}`);
    },
  },
  {
    id: 'dns',
    when: /\b(dns|resolve|look ?up|nslookup|dig)\b.*\b((?:[a-z0-9-]+\.)+[a-z]{2,})\b|\bip(?: address)? (?:of|for)\s+(?:[a-z0-9-]+\.)+[a-z]{2,}\b/,
    unless: /\b(ip of my|public ip)\b/,
    confidence: 0.86,
    build: (_m, i) => {
      const h = host(i.t);
      return h ? answer(`dig +short ${h}`, `the addresses DNS gives for ${h}`) : null;
    },
  },
  {
    id: 'route',
    when: /\b(routing table|routes|default gateway|gateway)\b/,
    confidence: 0.88,
    build: () => answer('ip route', 'the routing table, default gateway first'),
  },
  {
    id: 'port-check',
    when: /\b(?:is|check (?:if|whether)?|test(?: if)?)\s+(?:the\s+)?port\s+(\d{1,5})\s+(?:is\s+)?open\s+on\s+(\S+)|\b(?:connect(?:ion)?|reach)\s+(?:to\s+)?(\S+)\s+(?:on\s+)?port\s+(\d{1,5})/,
    confidence: 0.88,
    build: (m) => {
      const port = m[1] ?? m[4];
      const h = (m[2] ?? m[3] ?? '').replace(/[?.,]$/, '');
      return port && h
        ? answer(`nc -zv ${shq(h)} ${port}`, `tries a TCP connection to ${h} port ${port}`)
        : null;
    },
  },
  {
    id: 'scp',
    when: /\b(copy|send|upload|transfer|scp)\b.*\b(to|onto)\s+(\S+@\S+|\S+:\S*)/,
    confidence: 0.9,
    build: (m, i) => {
      const dest = (m[3] as string).replace(/[.,]$/, '');
      const src = files(i).find((f) => !dest.includes(f));
      if (!src) return null;
      const rec = /\b(folder|directory|dir|recursive)\b/.test(i.t) ? '-r ' : '';
      return answer(
        `scp ${rec}${shq(src)} ${shq(dest.includes(':') ? dest : `${dest}:`)}`,
        `copies ${src} to ${dest} over SSH`,
      );
    },
  },
  {
    id: 'ssh-login',
    when: /\b(ssh|log ?in|connect|login)\s+(?:in)?to\s+(\S+)(?:\s+as\s+([a-z_][\w-]*))?|\bssh\s+(?:in)?to\s+(\S+)/,
    unless: /\b(copy|key|port \d+ open)\b/,
    confidence: 0.92,
    build: (m, i) => {
      const target = ((m[2] ?? m[4]) as string).replace(/[.,?]$/, '');
      if (!/[.@]|^localhost$/.test(target)) return null;
      const user = m[3];
      const port = i.slots.find((s) => s.kind === 'port')?.value;
      return answer(
        `ssh${port ? ` -p ${port}` : ''} ${shq(`${user && !target.includes('@') ? `${user}@` : ''}${target}`)}`,
        `opens a shell on ${target} over SSH`,
      );
    },
  },
  {
    id: 'ssh-keygen',
    when: /\b(generate|create|make)\b.*\bssh key/,
    confidence: 0.92,
    build: () => answer('ssh-keygen -t ed25519', 'a new Ed25519 key pair in ~/.ssh (asks for a passphrase)'),
  },
  {
    id: 'ssh-copy-id',
    when: /\b(copy|install|add|upload)\b.*\b(ssh |public )key\b.*\b(to|on)\s+(\S+)/,
    confidence: 0.9,
    build: (m) =>
      answer(
        `ssh-copy-id ${shq((m[4] as string).replace(/[.,]$/, ''))}`,
        `adds your public key to ${m[4] as string}'s authorized keys`,
      ),
  },
  {
    id: 'connections',
    when: /\b(active|established|open|current) (network )?connections\b|\bnetwork connections\b/,
    confidence: 0.88,
    build: () => answer('ss -tunp', 'established TCP and UDP connections with their processes'),
  },
  {
    id: 'interfaces',
    when: /\b(network )?interfaces\b|\bnetwork (cards?|adapters?|devices?)\b/,
    confidence: 0.86,
    build: () => answer('ip -brief link', 'network interfaces and whether they are up'),
  },
  {
    id: 'wifi',
    when: /\b(wifi|wi-fi|wireless) networks?\b|\bavailable networks\b/,
    confidence: 0.88,
    build: () => answer('nmcli device wifi list', 'Wi-Fi networks in range with signal strength'),
  },
  {
    id: 'ssh-tunnel',
    when: /\b(tunnel|forward)\b.*\bport\b/,
    confidence: 0.92,
    build: (_m, i) => {
      const ports = [...i.t.matchAll(/\bport\s+(\d{1,5})\b/g)].map((x) => x[1]);
      const h = [
        ...i.t.matchAll(/\b((?:\w+@)?(?:[a-z0-9-]+\.)+[a-z]{2,}|(?:\w+@)?\d{1,3}(?:\.\d{1,3}){3})\b/g),
      ].map((x) => x[1])[0];
      if (!h || ports.length === 0) return null;
      const local = ports[0] as string;
      const remote = ports[1] ?? local;
      return answer(
        `ssh -N -L ${local}:localhost:${remote} ${h}`,
        `forwards local port ${local} to port ${remote} on ${h} over SSH`,
      );
    },
  },
  {
    id: 'sync',
    when: /\b(sync|synchronize|mirror|rsync)\b/,
    confidence: 0.88,
    build: (_m, i) => {
      const fs = files(i);
      const remote = /\b(\S+@\S+:\S*|\S+:\/\S*)/.exec(i.raw)?.[1];
      const word = bare(
        /\b(?:sync|synchronize|mirror|rsync)\s+(?:the\s+|my\s+)?(?:folder\s+|directory\s+)?([\w.~/-]+)/.exec(
          i.raw,
        )?.[1],
      );
      const src =
        fs.find((f) => !remote?.includes(f)) ?? (word && !/^(to|with|from)$/.test(word) ? word : undefined);
      const [a, b] = remote ? [src, remote] : [fs[0], fs[1]];
      if (!a || !b) return null;
      const del = /\b(delete|exact|mirror)\b/.test(i.t) ? ' --delete' : '';
      return answer(
        `rsync -av${del} ${shq(a)} ${shq(b)}`,
        `copies what changed from ${a} to ${b}${del ? ', deleting extra files there' : ''}`,
      );
    },
  },
  {
    id: 'firewall',
    when: /\bfirewall\b|\bufw\b|\bfirewalld\b/,
    confidence: 0.92,
    build: (_m, i) => {
      const t = i.t;
      const fw = ['dnf', 'yum', 'zypper'].includes(i.packageManager ?? '') ? 'firewalld' : 'ufw';
      const port =
        i.slots.find((x) => x.kind === 'port')?.value ??
        /\bport\s+(\d{1,5})\b|\b(\d{2,5})\/(tcp|udp)\b/.exec(t)?.[1];
      const proto = /\budp\b/.test(t) ? 'udp' : 'tcp';
      const service = /\b(ssh|http|https|samba|dns)\b/.exec(t)?.[1];
      const what = port ? `${port}/${proto}` : service;
      const allow = /\b(open|allow|enable access|let .* through|permit|unblock)\b/.test(t);
      const deny = /\b(close|block|deny|reject)\b/.test(t);
      if (what && (allow || deny)) {
        if (fw === 'ufw')
          return answer(
            `sudo ufw ${deny ? 'deny' : 'allow'} ${what}`,
            `${deny ? 'blocks' : 'allows'} incoming ${what}`,
          );
        const spec = port
          ? `--${deny ? 'remove' : 'add'}-port=${what}`
          : `--${deny ? 'remove' : 'add'}-service=${what}`;
        return answer(
          `sudo firewall-cmd --permanent ${spec} && sudo firewall-cmd --reload`,
          `${deny ? 'blocks' : 'allows'} incoming ${what}`,
        );
      }
      if (/\b(enable|turn on|start|activate)\b/.test(t))
        return fw === 'ufw'
          ? answer('sudo ufw enable', 'turns the firewall on (at boot too)')
          : answer('sudo systemctl enable --now firewalld', 'turns the firewall on');
      if (/\b(disable|turn off|stop|deactivate)\b/.test(t))
        return fw === 'ufw'
          ? answer('sudo ufw disable', 'turns the firewall off')
          : answer('sudo systemctl disable --now firewalld', 'turns the firewall off');
      return fw === 'ufw'
        ? answer('sudo ufw status verbose', 'whether the firewall is on, its defaults and rules')
        : answer('sudo firewall-cmd --list-all', 'the active zone with its services, ports and rules');
    },
  },
  {
    id: 'dns-servers',
    when: /\bdns servers?\b|\bname ?servers?\b|\bresolvers?\b/,
    unless: /\b(flush|clear|cache)\b/,
    confidence: 0.9,
    build: () => answer('resolvectl dns', 'the DNS servers each interface uses'),
  },
];
