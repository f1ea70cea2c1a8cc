/**
 * Packaging files checked without building a package (electron-builder cannot run offline):
 * electron-builder.yml through electron-builder's own schema validation, the deb scripts through
 * its template expansion, shell syntax, XML policies (xmllint), desktop entries
 * (desktop-file-validate), the default config against the app's schema, the units with
 * systemd-analyze (verify, and the helper's exposure score offline), and the container files.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, statSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/services/config/loader';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const read = (p: string): string => readFileSync(join(REPO, p), 'utf8');

type Yml = Record<string, unknown> & {
  linux: { target: Array<{ target: string; arch: string[] }>; executableName: string; icon: string };
  deb: { afterInstall: string; afterRemove: string; fpm: string[]; depends: string[] };
  asarUnpack: string[];
  extraResources: Array<{ from: string; to: string }>;
};
const loadYml = (): Yml => yaml.load(read('electron-builder.yml')) as Yml;

async function validate(config: unknown): Promise<void> {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    validateConfiguration(c: unknown, log: { isEnabled: boolean; add(): void }): Promise<void>;
  };
  await validateConfiguration(config, { isEnabled: false, add: () => undefined });
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own configuration validation", async () => {
    await expect(validate(loadYml())).resolves.toBeUndefined();
  });

  it('a wrong option is rejected by the same validation (the check is real)', async () => {
    const bad = loadYml();
    (bad.deb as Record<string, unknown>).afterInstal = 'typo';
    await expect(validate(bad)).rejects.toThrow(/deb/);
  });

  it('builds AppImage and deb for x64 and arm64, unpacks native modules, ships the integration files', () => {
    const y = loadYml();
    expect(y.linux.target.map((t) => [t.target, [...t.arch].sort()])).toEqual([
      ['AppImage', ['arm64', 'x64']],
      ['deb', ['arm64', 'x64']],
    ]);
    expect(y.productName).toBe('ai-native-linux'); // → /opt/ai-native-linux, which the scripts and units use
    expect(y.linux.executableName).toBe('ai-native-linux');
    expect(y.asarUnpack).toEqual(
      expect.arrayContaining(['**/*.node', 'node_modules/better-sqlite3/**', 'node_modules/node-pty/**']),
    );
    expect(y.extraResources.map((r) => `${r.from}→${r.to}`)).toEqual([
      'resources→resources',
      'systemd→systemd',
      'packaging/bin→bin',
      'docs→docs',
    ]);
    expect(statSync(join(REPO, y.linux.icon)).size).toBeGreaterThan(1000);
    for (const f of [
      y.deb.afterInstall,
      y.deb.afterRemove,
      ...y.deb.fpm.filter((a) => a.startsWith('--before-remove=')).map((a) => a.split('=')[1] as string),
    ]) {
      expect(statSync(join(REPO, f)).mode & 0o111, `${f} executable`).not.toBe(0);
    }
    expect(y.deb.depends).toEqual(expect.arrayContaining(['dbus', 'systemd']));
  });

  it("the deb scripts survive electron-builder's template expansion unchanged", () => {
    // the same expansion FpmTarget applies: ${name} must be a known macro or the build throws
    const known = {
      executable: 'ai-native-linux',
      sanitizedProductName: 'ai-native-linux',
      productFilename: 'ai-native-linux',
    };
    for (const f of ['resources/deb/postinst', 'resources/deb/postrm', 'resources/deb/prerm']) {
      const text = read(f);
      const expanded = text.replace(/\${([a-zA-Z]+)}/g, (_m, name: string) => {
        if (!(name in known)) throw new Error(`${f}: macro ${name} is not defined`);
        return known[name as keyof typeof known];
      });
      expect(expanded, f).toBe(text);
    }
  });
});

describe('shell scripts', () => {
  const scripts = [
    'resources/deb/postinst',
    'resources/deb/prerm',
    'resources/deb/postrm',
    'resources/deb/ainl-integration',
    'resources/profile.d/ai-native-linux.sh',
    'packaging/stage-install.sh',
    'packaging/bin/ainl',
    'packaging/bin/questlog',
    'packaging/bin/ai',
  ];
  it.each(scripts)('%s parses with dash and bash', (f) => {
    for (const sh of ['dash', 'bash']) {
      const r = spawnSync(sh, ['-n', join(REPO, f)], { encoding: 'utf8' });
      expect(r.status, `${sh} -n ${f}: ${r.stderr}`).toBe(0);
    }
  });

  it('scripts/release.sh (bash) parses', () => {
    const r = spawnSync('bash', ['-n', join(REPO, 'scripts/release.sh')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  it.skipIf(!has('zsh'))('the profile.d hook also parses with zsh', () => {
    const r = spawnSync('zsh', ['-n', join(REPO, 'resources/profile.d/ai-native-linux.sh')], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
  });

  it('ainl-integration: --help, and usage errors exit 2 with a message', () => {
    const script = join(REPO, 'resources/deb/ainl-integration');
    const help = spawnSync('sh', [script, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/ainl-integration install/);
    for (const argv of [
      [],
      ['frobnicate'],
      ['install', '--bogus'],
      ['install', '--app-dir', 'relative'],
      ['uninstall', '--nope'],
    ]) {
      const r = spawnSync('sh', [script, ...argv], {
        encoding: 'utf8',
        env: { ...process.env, AINL_ROOT: '/nonexistent-root' },
      });
      expect(r.status, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/ainl-integration: /);
    }
  });

  it('the profile.d hook loads the Quest Log hook only for users who opted in', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ainl-profile-'));
    try {
      const app = join(tmp, 'app');
      const shellDir = join(app, 'resources/resources/shell');
      spawnSync('mkdir', ['-p', shellDir, join(tmp, 'home/.config/ai-native-linux')]);
      writeFileSync(join(shellDir, 'questlog.bash'), 'echo HOOK-LOADED\n');
      const profile = join(tmp, 'profile.sh');
      writeFileSync(profile, read('resources/profile.d/ai-native-linux.sh').replaceAll('@APP@', app));
      const runIt = () =>
        spawnSync('bash', ['-c', `PS1='$ '; . ${profile}; echo done`], {
          encoding: 'utf8',
          env: { PATH: process.env.PATH, HOME: join(tmp, 'home') },
        }).stdout;
      expect(runIt()).toBe('done\n');
      writeFileSync(join(tmp, 'home/.config/ai-native-linux/shell-hook'), '');
      expect(runIt()).toBe('HOOK-LOADED\ndone\n');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!has('xmllint'))('XML policies (xmllint)', () => {
  it('the D-Bus policy is well-formed: root may own the name, others may only call its interface', () => {
    const f = join(REPO, 'resources/dbus/org.ainl.Helper1.conf');
    expect(spawnSync('xmllint', ['--noout', '--nonet', f]).status).toBe(0);
    const xp = (q: string) =>
      spawnSync('xmllint', ['--nonet', '--xpath', q, f], { encoding: 'utf8' }).stdout.trim();
    expect(xp('string(/busconfig/policy[@user="root"]/allow/@own)')).toBe('org.ainl.Helper1');
    expect(xp('string(/busconfig/policy[@context="default"]/deny/@own)')).toBe('org.ainl.Helper1');
    expect(xp('count(/busconfig/policy[@context="default"]/allow[@own])')).toBe('0');
  });

  it('the polkit actions validate against the polkit DTD and name every action the helper asks for', () => {
    const f = join(REPO, 'resources/polkit/org.ainl.helper.policy');
    const dtd = '/usr/share/polkit-1/policyconfig-1.dtd';
    const args = existsSync(dtd) ? ['--noout', '--nonet', '--dtdvalid', dtd, f] : ['--noout', '--nonet', f];
    const r = spawnSync('xmllint', args, { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const ids = spawnSync('xmllint', ['--nonet', '--xpath', '//action/@id', f], { encoding: 'utf8' }).stdout;
    const helper = read('helpers/helperService.ts');
    for (const m of helper.matchAll(/'(org\.ainl\.helper\.[a-z-]+)'/g)) expect(ids).toContain(m[1]);
  });

  it('a broken policy file is rejected (the check is real)', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ainl-xml-'));
    try {
      writeFileSync(join(tmp, 'bad.conf'), '<busconfig><policy user="root"></busconfig>');
      expect(spawnSync('xmllint', ['--noout', '--nonet', join(tmp, 'bad.conf')]).status).not.toBe(0);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!has('desktop-file-validate'))('desktop entries', () => {
  it.each([
    'resources/desktop/ai-native-linux.desktop',
    'resources/desktop/ai-native-linux-autostart.desktop',
  ])('%s is valid', (f) => {
    const r = spawnSync('desktop-file-validate', [join(REPO, f)], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect((r.stdout + r.stderr).trim()).toBe('');
  });
});

describe('default /etc/ai-native-linux/config.json', () => {
  it('is valid against the app schema: loads with no problems', () => {
    const loaded = loadConfig({
      AINL_SYSTEM_CONFIG_DIR: join(REPO, 'resources/config'),
      HOME: '/nonexistent',
      XDG_CONFIG_HOME: '/nonexistent/.config',
    });
    expect(loaded.sources).toEqual([join(REPO, 'resources/config/config.json')]);
    expect(loaded.problems).toEqual([]);
    expect(loaded.config.questlog.redact).toBe(true);
    expect(loaded.config.healing.targets).toEqual([]);
  });
});

describe.skipIf(!has('systemd-analyze'))('systemd units (systemd-analyze)', () => {
  it('the root helper unit verifies and its exposure is <= 2.5', () => {
    const unit = join(REPO, 'systemd/ai-native-linux-helper.service');
    const v = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    expect(v.status, v.stderr).toBe(0);
    expect(v.stderr.trim()).toBe('');
    const s = spawnSync(
      'systemd-analyze',
      ['security', '--offline=true', '--threshold=25', '--no-pager', unit],
      { encoding: 'utf8' },
    );
    expect(s.status, s.stdout.slice(-500)).toBe(0);
    const m = /Overall exposure level for \S+: ([\d.]+)/.exec(s.stdout);
    expect(Number(m?.[1])).toBeLessThanOrEqual(2.5);
  });

  it('the headless daemon user unit verifies (ExecStart pointed at the checkout) and runs ainl daemon', () => {
    const text = read('systemd/ai-native-linux.service');
    expect(text).toMatch(/^ExecStart=\/usr\/bin\/ainl daemon$/m);
    expect(text).toMatch(/^WantedBy=default\.target$/m);
    const tmp = mkdtempSync(join(tmpdir(), 'ainl-unit-'));
    try {
      const unit = join(tmp, 'ai-native-linux.service');
      writeFileSync(unit, text.replace('ExecStart=/usr/bin/ainl', `ExecStart=${join(REPO, 'bin/ainl')}`));
      const v = spawnSync('systemd-analyze', ['verify', '--user', unit], {
        encoding: 'utf8',
        env: { ...process.env, XDG_RUNTIME_DIR: tmp },
      });
      expect(v.status, v.stderr).toBe(0);
      expect(v.stderr.trim()).toBe(''); // systemd only warns (exit 0) about a bad line: no warnings either
      // and a broken unit fails the same check
      writeFileSync(unit, text.replace('Restart=on-failure', 'Restart=sometimes'));
      const bad = spawnSync('systemd-analyze', ['verify', '--user', unit], {
        encoding: 'utf8',
        env: { ...process.env, XDG_RUNTIME_DIR: tmp },
      });
      expect(bad.stderr).toMatch(/restart specifier/i);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('container files (no Docker engine here: checked, never built)', () => {
  it('docker-compose.yml runs the daemon from packaging/Dockerfile with a data volume, hardened', () => {
    const c = yaml.load(read('packaging/docker-compose.yml')) as {
      services: Record<
        string,
        {
          command: string[];
          build: { dockerfile: string; context: string };
          volumes: string[];
          cap_drop: string[];
          read_only: boolean;
          profiles?: string[];
        }
      >;
      volumes: Record<string, unknown>;
    };
    const d = c.services.daemon;
    expect(d?.command).toEqual(['daemon']);
    expect(d?.build.dockerfile).toBe('packaging/Dockerfile');
    expect(existsSync(resolve(REPO, 'packaging', d?.build.context ?? '', d?.build.dockerfile ?? ''))).toBe(
      true,
    );
    expect(d?.volumes).toContain('ainl-data:/data');
    expect(Object.keys(c.volumes)).toEqual(['ainl-data']);
    expect(d?.cap_drop).toEqual(['ALL']);
    expect(d?.read_only).toBe(true);
    expect(c.services.ui?.profiles).toEqual(['ui']);
  });

  it('the Dockerfile copies only paths that exist and starts `ainl daemon`', () => {
    const text = read('packaging/Dockerfile');
    expect(text).toMatch(/^FROM node:20-bookworm-slim AS build$/m);
    expect(text).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--", "ainl"\]$/m);
    expect(text).toMatch(/^CMD \["daemon"\]$/m);
    for (const m of text.matchAll(/^COPY --from=build \/src\/(\S+)/gm)) {
      const p = m[1] as string;
      if (p === 'out' || p === 'node_modules') continue; // produced by the build stage
      expect(existsSync(join(REPO, p)), p).toBe(true);
    }
  });
});
