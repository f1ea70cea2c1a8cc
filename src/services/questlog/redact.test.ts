import { describe, expect, it } from 'vitest';
import { createRedactor } from './redact';

const r = createRedactor({ enabled: true });

describe('redaction', () => {
  it.each([
    ['aws-key', 'aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE'],
    ['github-token', 'git clone https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/x/y'],
    ['gitlab-token', 'curl -H "PRIVATE-TOKEN: glpat-abcdefghij0123456789" https://gitlab.example'],
    ['slack-token', 'echo xoxb-1234567890-abcdefghij'],
    ['stripe-key', 'stripe login --api-key sk_live_abcdefghijklmnopqrstuvwx'],
    ['npm-token', 'npm config set //registry.npmjs.org/:_authToken npm_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['secret-variable', 'export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['secret-variable', 'DB_PASSWORD=hunter2 ./run'],
    ['password-option', 'psql --password=hunter2 mydb'],
    ['password-option', 'mysql -u root -phunter2 db'],
    ['password-option', 'sshpass -p hunter2 ssh host'],
    ['password-option', 'curl -u alice:hunter2 https://example.org'],
    ['url-password', 'git remote add o https://alice:hunter2@example.org/repo.git'],
    ['auth-header', 'curl -H "Authorization: Bearer abc.def.ghi" https://api'],
  ])('%s: %s', (category, command) => {
    const out = r.redact(command);
    expect(out.categories?.split(',')).toContain(category);
    expect(out.text).toContain(`[REDACTED:${category}]`);
    expect(out.text).not.toMatch(
      /hunter2|AKIAIOSFODNN7EXAMPLE|ghp_abc|glpat-abc|xoxb-123|sk_live_abc|npm_abc|wJalrXUtnFEMI|abc\.def\.ghi/,
    );
  });

  it('keeps the rest of the command so it stays searchable', () => {
    const out = r.redact('DB_PASSWORD=hunter2 ./deploy.sh --env prod');
    expect(out.text).toBe('DB_PASSWORD=[REDACTED:secret-variable] ./deploy.sh --env prod');
  });

  it.each([
    'ls -la /tmp',
    'git commit -m "fix token parsing"',
    'cat /home/u/multitool.p',
    'ssh -p 2222 host',
    'grep -r password src/',
  ])('leaves ordinary commands alone: %s', (cmd) => {
    expect(r.redact(cmd)).toEqual({ text: cmd, categories: null });
  });

  it('applies extra patterns and reports invalid ones', () => {
    const problems: string[] = [];
    const x = createRedactor({
      enabled: true,
      extraPatterns: ['corp-[0-9]{6}', '(unclosed'],
      onProblem: (m) => problems.push(m),
    });
    expect(x.redact('login corp-123456').text).toBe('login [REDACTED:custom]');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/invalid pattern/);
  });

  it('does nothing when disabled', () => {
    const off = createRedactor({ enabled: false });
    expect(off.redact('DB_PASSWORD=x').text).toBe('DB_PASSWORD=x');
  });
});
