/**
 * The AppImage's "Install system helper" / "Uninstall" with the real integration script against a
 * staged root (AINL_ROOT). The one stand-in is the elevation step: a `pkexec` that runs its
 * arguments directly (this test already runs as root; real pkexec needs a polkit agent and a
 * person to type the password).
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import {
  mkdtempSync,
  mkdirSync,
  writeFileSync,
  cpSync,
  rmSync,
  readdirSync,
  statSync,
  existsSync,
  readFileSync,
  chmodSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SystemInstaller, parseManifest } from './installer';
import { Problem } from '../../shared/problems';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** A minimal AppImage app directory with the real packaged resources (no Electron inside). */
function fakeAppDir(dir: string): string {
  const app = join(dir, 'squashfs-root');
  mkdirSync(join(app, 'resources', 'app', 'out', 'main'), { recursive: true });
  writeFileSync(join(app, 'ai-native-linux'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  writeFileSync(join(app, 'AppRun'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  for (const d of ['deb', 'dbus', 'polkit', 'profile.d', 'config', 'shell']) {
    cpSync(join(REPO, 'resources', d), join(app, 'resources', 'resources', d), { recursive: true });
  }
  mkdirSync(join(app, 'resources', 'systemd'), { recursive: true });
  for (const u of ['ai-native-linux-helper.service', 'ai-native-linux.service']) {
    cpSync(join(REPO, 'systemd', u), join(app, 'resources', 'systemd', u));
  }
  cpSync(join(REPO, 'packaging', 'bin'), join(app, 'resources', 'bin'), { recursive: true });
  return app;
}

function listTree(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      out.push(p.slice(root.length));
      if (statSync(p, { throwIfNoEntry: false })?.isDirectory()) walk(p);
    }
  };
  walk(root);
  return out.sort();
}

describe.skipIf(!isRoot)('SystemInstaller (AppImage install/uninstall through pkexec)', () => {
  let tmp: string;
  let root: string;
  let app: string;
  let pkexec: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ainl-installer-'));
    root = join(tmp, 'root');
    // a staged system: the directories a Debian system has, and its account files
    for (const d of [
      'etc/profile.d',
      'etc/systemd/system',
      'usr/bin',
      'usr/lib/systemd/system',
      'usr/lib/systemd/user',
      'usr/share/dbus-1/system.d',
      'usr/share/polkit-1/actions',
      'var/lib',
      'opt',
    ]) {
      mkdirSync(join(root, d), { recursive: true });
    }
    for (const f of ['group', 'gshadow', 'passwd', 'shadow']) {
      if (existsSync(`/etc/${f}`)) cpSync(`/etc/${f}`, join(root, 'etc', f));
    }
    writeFileSync(
      join(root, 'etc/group'),
      readFileSync(join(root, 'etc/group'), 'utf8').replace(/^ainl-heal:.*\n/m, ''),
    );
    app = fakeAppDir(tmp);
    pkexec = join(tmp, 'pkexec');
    writeFileSync(pkexec, '#!/bin/sh\nexec "$@"\n', { mode: 0o755 });
    env = {
      PATH: process.env.PATH,
      APPIMAGE: join(tmp, 'AI-Native-Linux.AppImage'),
      APPDIR: app,
      AINL_ROOT: root,
      AINL_PKEXEC: pkexec,
    };
  });
  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  const make = (over: Partial<NodeJS.ProcessEnv> = {}) =>
    new SystemInstaller({
      env: { ...env, ...over },
      root,
      stagingParent: tmp,
      helperState: async () => 'active',
    });

  it('reports an AppImage that can install, then installs, twice, and uninstalls back to the original tree', async () => {
    const before = listTree(root);
    const inst = make();
    const s0 = await inst.status();
    expect(s0).toMatchObject({
      installed: false,
      mode: null,
      flavor: 'appimage',
      canInstall: true,
      reason: '',
    });

    const r1 = await inst.install();
    expect(r1.status).toMatchObject({
      installed: true,
      mode: 'appimage',
      appDir: '/opt/ai-native-linux',
      helperState: 'active',
      missing: [],
    });
    expect(r1.output).toMatch(/installed \(appimage/);
    // the app was copied out of the (unreadable-to-root) mount into /opt
    expect(existsSync(join(root, 'opt/ai-native-linux/ai-native-linux'))).toBe(true);
    expect(
      readFileSync(
        join(root, 'usr/lib/systemd/system/ai-native-linux-helper.service.d/10-runtime.conf'),
        'utf8',
      ),
    ).toContain(
      'ExecStart=/opt/ai-native-linux/ai-native-linux /opt/ai-native-linux/resources/app/out/main/rootHelper.js',
    );
    expect(readFileSync(join(root, 'etc/profile.d/ai-native-linux.sh'), 'utf8')).toContain(
      '/opt/ai-native-linux/resources/resources/shell/questlog.bash',
    );
    expect(readFileSync(join(root, 'etc/group'), 'utf8')).toMatch(/^ainl-heal:/m);
    const tree1 = listTree(root);
    const manifest1 = readFileSync(join(root, 'var/lib/ai-native-linux/manifest'), 'utf8');
    // the staging copy under /var/tmp (here: tmp) is gone
    expect(readdirSync(tmp).filter((e) => e.startsWith('ai-native-linux-install-'))).toEqual([]);

    const r2 = await inst.install();
    expect(r2.status.installed).toBe(true);
    expect(listTree(root)).toEqual(tree1);
    expect(readFileSync(join(root, 'var/lib/ai-native-linux/manifest'), 'utf8')).toBe(manifest1);

    const u = await inst.uninstall(true);
    expect(u.status).toMatchObject({ installed: false, mode: null });
    const after = listTree(root).filter(
      (p) => !/^\/etc\/(group|gshadow|passwd|shadow)-$/.test(p) && p !== '/etc/.pwd.lock',
    );
    expect(after).toEqual(before);
    expect(readFileSync(join(root, 'etc/group'), 'utf8')).not.toMatch(/^ainl-heal:/m);
  }, 30_000);

  it('keeps an edited config on a plain uninstall and removes it on purge', async () => {
    const inst = make();
    await inst.install();
    writeFileSync(join(root, 'etc/ai-native-linux/config.json'), '{"ui":{"theme":"dark"}}\n');
    await inst.uninstall(false);
    expect(readFileSync(join(root, 'etc/ai-native-linux/config.json'), 'utf8')).toContain('dark');
    expect(
      parseManifest(readFileSync(join(root, 'var/lib/ai-native-linux/manifest'), 'utf8')).mode,
    ).toBeNull();
    expect((await inst.status()).installed).toBe(false);
    // a purge later still finds what was kept
    await inst.install();
    await inst.uninstall(true);
    expect(existsSync(join(root, 'etc/ai-native-linux'))).toBe(false);
    expect(existsSync(join(root, 'var/lib/ai-native-linux'))).toBe(false);
  }, 30_000);

  it('a dismissed password dialog is access-denied; a missing pkexec or a non-AppImage is unavailable', async () => {
    writeFileSync(
      pkexec,
      '#!/bin/sh\necho "Error executing command as another user: Not authorized" >&2\nexit 126\n',
    );
    chmodSync(pkexec, 0o755);
    await expect(make().install()).rejects.toMatchObject({ problem: 'access-denied' });
    expect(existsSync(join(root, 'var/lib/ai-native-linux/manifest'))).toBe(false);

    const noPk = make({ AINL_PKEXEC: join(tmp, 'no-such-pkexec') });
    const st = await noPk.status();
    expect(st).toMatchObject({ canInstall: false });
    expect(st.reason).toMatch(/pkexec/);
    await expect(noPk.install()).rejects.toBeInstanceOf(Problem);

    const src = make({ APPIMAGE: undefined, APPDIR: undefined });
    expect(await src.status()).toMatchObject({ flavor: 'source', canInstall: false });
    await expect(src.install()).rejects.toMatchObject({ problem: 'unavailable' });
    await expect(src.uninstall(false)).rejects.toMatchObject({ problem: 'unavailable' });
  });

  it('refuses an APPDIR that is not this app, and uninstall when nothing is installed', async () => {
    await expect(make({ APPDIR: tmp }).install()).rejects.toMatchObject({ problem: 'not-found' });
    await expect(make().uninstall(false)).rejects.toMatchObject({ problem: 'not-found' });
  });

  it('a failing installer is an internal-error with its last line', async () => {
    rmSync(join(app, 'resources', 'resources', 'dbus'), { recursive: true });
    await expect(make().install()).rejects.toMatchObject({
      problem: 'internal-error',
      message: expect.stringMatching(/missing file in the app/),
    });
  });
});

describe('parseManifest', () => {
  it('reads mode, app and the recorded files; ignores junk', () => {
    const m = parseManifest(
      'file /a\nlink /usr/bin/ainl\nmode appimage\napp /opt/ai-native-linux\ngarbage\nmode evil\n',
    );
    expect(m).toEqual({ mode: 'appimage', appDir: '/opt/ai-native-linux', files: ['/a', '/usr/bin/ainl'] });
  });
});
