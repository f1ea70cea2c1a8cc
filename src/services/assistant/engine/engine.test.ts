import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_VERSION } from './learn';
import { initBashParser } from '../bash/parser';
import { OfflineEngine } from './engine';
import { applyRules } from './rules';
import { extractSlots, fillArguments } from './slots';
import { tokenize } from './text';

let engine: OfflineEngine;
beforeAll(async () => {
  await initBashParser();
  engine = OfflineEngine.load();
});

describe('slots and argument filling', () => {
  it('extracts quoted strings, paths, extensions, sizes and ages', () => {
    const s = extractSlots('find "*.log" files over 2 GB in /var/log older than 7 days');
    expect(s).toEqual(
      expect.arrayContaining([
        { kind: 'ext', value: 'log' },
        { kind: 'size', value: '2GB', norm: '2G' },
        { kind: 'path', value: '/var/log' },
        { kind: 'days', value: '7', norm: '7' },
      ]),
    );
  });

  it('moves the request values into a retrieved template', () => {
    const r = fillArguments(
      'grep -r "foo" /etc',
      'search for "foo" in /etc',
      'search for "needle" in /srv/app',
    );
    expect(r.command).toBe('grep -r "needle" /srv/app');
    expect(fillArguments('find . -size +2G', 'files over 2GB', 'files larger than 500 MB').command).toBe(
      'find . -size +500M',
    );
    expect(
      fillArguments("find . -name '*.txt' -mtime +3", 'x', 'python files older than 10 days').command,
    ).toBe("find . -name '*.py' -mtime +10");
  });

  it('puts a place named in words where the example had its own path', () => {
    expect(
      fillArguments(
        "find /home/user1/data -name '*.gz' | wc -l",
        'Count the .gz files in directory tree /home/user1/data',
        'count the python files in this directory',
      ).command,
    ).toBe("find . -name '*.py' | wc -l");
    expect(
      fillArguments('du -sh /var/www', 'disk usage of /var/www', 'disk usage of my home directory').command,
    ).toBe('du -sh ~');
    // an explicit path wins over words
    expect(
      fillArguments('du -sh /var/www', 'disk usage of /var/www', 'disk usage of /srv in this directory')
        .command,
    ).toBe('du -sh /srv');
  });

  it('tokenises with placeholders and stems', () => {
    const t = tokenize('Find all "*.txt" files in /tmp');
    expect(t).toEqual(expect.arrayContaining(['find', 'ext_txt', 'file', 'PATH']));
    expect(t).not.toContain('in');
    expect(t).not.toContain('/tmp');
  });
});

describe('intent rules', () => {
  it('answers everyday requests with filled arguments', () => {
    expect(applyRules('find files over 1 GB in my home')[0]?.command).toBe('find ~ -type f -size +1G');
    expect(applyRules('delete log files older than 30 days in /var/log')[0]?.command).toBe(
      "find /var/log -type f -name '*.log' -mtime +30 -delete",
    );
    expect(applyRules('what is listening on port 8080')[0]?.command).toBe("ss -ltnp 'sport = :8080'");
    expect(applyRules('install ripgrep', { packageManager: 'dnf' })[0]?.command).toBe(
      'sudo dnf install ripgrep',
    );
    expect(applyRules('replace "foo" with "bar" in config.txt')[0]?.command).toBe(
      "sed -i 's/foo/bar/g' config.txt",
    );
  });

  it('covers everyday file, process and network chores', () => {
    const first = (r: string): string | undefined => applyRules(r)[0]?.command;
    expect(first('list all files including hidden ones')).toBe('ls -lah');
    expect(first('delete all .tmp files in this folder')).toBe("find . -type f -name '*.tmp' -delete");
    expect(first('extract backup.tar.gz')).toBe('tar -xf backup.tar.gz');
    expect(first('kill process named firefox')).toBe('pkill -x firefox');
    expect(first('copy dir1 to /backup recursively')).toBe('cp -r dir1 /backup');
    expect(first('create a directory called projects')).toBe('mkdir projects');
    expect(first('create a directory called a/b/c')).toBe('mkdir -p a/b/c');
    expect(first('download https://example.com/file.zip')).toBe('curl -fLO https://example.com/file.zip');
    expect(first('rename all .jpeg files to .jpg')).toBe(
      'for f in *.jpeg; do mv -- "$f" "${f%.jpeg}.jpg"; done',
    );
    expect(first('how much space is left on my disk')).toBe('df -h');
  });

  it('returns nothing for unrelated text', () => {
    expect(applyRules('the quick brown fox')).toEqual([]);
  });
});

describe('offline engine', () => {
  it('returns up to 5 ranked, explained candidates', () => {
    const c = engine.translate('count the lines of all python files in this directory');
    expect(c.length).toBeGreaterThan(0);
    expect(c.length).toBeLessThanOrEqual(5);
    for (const x of c) {
      expect(x.command.length).toBeGreaterThan(0);
      expect(x.confidence).toBeGreaterThanOrEqual(0);
      expect(x.confidence).toBeLessThanOrEqual(1);
      expect(x.explanation.length).toBeGreaterThan(0);
    }
    expect(c.map((x) => x.command).join('\n')).toMatch(/wc/);
  });

  it('prefers a matching intent rule for a plain request', () => {
    expect(engine.translate('find files over 1 GB in my home')[0]?.command).toBe('find ~ -type f -size +1G');
  });

  it('loads in steps that let the event loop run, with the same answers', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const loaded = await OfflineEngine.loadAsync();
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(2);
    const request = 'delete all empty directories under the current folder';
    expect(loaded.translate(request)).toEqual(engine.translate(request));
  });

  it('answers from retrieval alone, saying why, when the model file is missing, corrupt or malformed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ainl-model-'));
    const bad = {
      missing: join(dir, 'nope.json'),
      corrupt: join(dir, 'corrupt.json'),
      binary: join(dir, 'binary.json'),
      wrongShape: join(dir, 'shape.json'),
      oldVersion: join(dir, 'old.json'),
    };
    writeFileSync(bad.corrupt, '{"version": 2, "vocab": [');
    writeFileSync(bad.binary, Buffer.from([0, 159, 146, 150, 255]));
    writeFileSync(bad.wrongShape, JSON.stringify({ version: MODEL_VERSION, vocab: 'x' }));
    writeFileSync(bad.oldVersion, JSON.stringify({ version: 1 }));
    const request = 'delete all empty directories under the current folder';
    for (const [what, file] of Object.entries(bad)) {
      for (const e of [OfflineEngine.load(undefined, file), await OfflineEngine.loadAsync(undefined, file)]) {
        expect(e.model, what).toBeNull();
        expect(e.modelProblem, what).toContain(file);
        expect(e.modelProblem, what).toMatch(/retrieval alone/);
        const c = e.translate(request);
        expect(c.length, what).toBeGreaterThan(0);
        expect(c[0]?.command, what).toMatch(/find/);
      }
    }
    expect(engine.modelProblem).toBeNull();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers nothing rather than garbage for text it cannot match', () => {
    expect(engine.translate('zzqx vvbn')).toEqual([]);
  });
});
