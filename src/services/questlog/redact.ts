/**
 * Secret redaction for command lines and event messages. Secrets are replaced by
 * `[REDACTED:<category>]` before anything is stored, so the command stays visible and searchable
 * while the secret never reaches the disk (atuin drops such commands silently; users asked for
 * redaction instead).
 */

interface Rule {
  category: string;
  re: RegExp;
  /** Capture group holding the secret; 0 = the whole match. */
  group: number;
}

const r = (category: string, source: string, group = 0, flags = 'g'): Rule => ({
  category,
  re: new RegExp(source, flags),
  group,
});

/** The built-in rules: atuin's categories plus the common "password on the command line" shapes. */
export const BUILTIN_RULES: readonly Rule[] = [
  r('aws-key', '\\b(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[0-9A-Z]{16}\\b'),
  r(
    'github-token',
    '\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}|gh1_[A-Za-z0-9_]{20,255})',
  ),
  r('gitlab-token', '\\bglpat-[A-Za-z0-9_-]{20,}'),
  r('slack-token', '\\bxox[abposr]-[A-Za-z0-9-]{10,}'),
  r('slack-webhook', 'https://hooks\\.slack\\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+'),
  r('stripe-key', '\\b[sr]k_(?:test|live)_[A-Za-z0-9]{24,}'),
  r('netlify-token', '\\bnf[pcoub]_[A-Za-z0-9_-]{36,}'),
  r('npm-token', '\\bnpm_[A-Za-z0-9]{36,}'),
  r('pulumi-token', '\\bpul-[a-f0-9]{40}\\b'),
  r('openai-key', '\\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}'),
  r('google-api-key', '\\bAIza[0-9A-Za-z_-]{35}\\b'),
  r('jwt', '\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}'),
  r('private-key', '-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)'),
  // user:password@ in URLs
  r('url-password', '\\b[a-z][a-z0-9+.-]*://[^\\s:/@[]+:([^\\s@/]+)@', 1, 'gi'),
  // Authorization headers
  r(
    'auth-header',
    '(?:authorization|x-api-key|api-key|private-token)\\s*:\\s*(?:bearer\\s+|basic\\s+|token\\s+)?([^\\s\'"]+)',
    1,
    'gi',
  ),
  // cloud secret variables and NAME_TOKEN=..., NAME_PASSWORD=..., NAME_SECRET=..., NAME_KEY=...
  r(
    'secret-variable',
    '\\b[A-Za-z_][A-Za-z0-9_]*(?:PASSWORD|PASSWD|PASS|SECRET|TOKEN|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)[A-Za-z0-9_]*=(\'[^\']*\'|"[^"]*"|[^\\s;&|]+)',
    1,
    'gi',
  ),
  r(
    'secret-variable',
    '\\b(?:AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AZURE_[A-Z0-9_]*KEY|GOOGLE_SERVICE_ACCOUNT_KEY)=(\\S+)',
    1,
  ),
  // --password=x, --password x, --token x, --api-key x, --secret x
  r(
    'password-option',
    '(?:^|\\s)--?(?:password|passwd|pass|token|api-?key|secret|client-secret|auth-token|access-token)(?:=|\\s+)(\'[^\']*\'|"[^"]*"|[^\\s;&|]+)',
    1,
    'gi',
  ),
  // mysql -pSECRET, sshpass -p SECRET
  r('password-option', '\\b(?:mysql|mysqldump|mariadb|mysqladmin)\\b[^;&|\\n]*?\\s-p([^\\s;&|]+)', 1),
  r('password-option', '\\bsshpass\\s+-p\\s*(\\S+)', 1),
  // curl -u user:password
  r('password-option', '\\bcurl\\b[^;&|\\n]*?\\s(?:-u|--user)\\s+[^\\s:]+:(\\S+)', 1),
];

/**
 * One cheap test before the rules: every built-in rule needs one of these substrings, so most
 * commands (no match) cost a single regex scan.
 */
const MAYBE_SECRET =
  /A3T|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|gh[pousr1]_|github_pat_|glpat-|xox[abposr]-|hooks\.slack|[sr]k_(?:test|live)_|nf[pcoub]_|npm_|pul-|sk-|AIza|eyJ|-----BEGIN|:\/\/[^\s/]*:[^\s]*@|auth|api-?key|private-token|pass|secret|token|key=|_key|credential|mysql|mariadb|sshpass|curl/i;

export interface Redactor {
  /** Returns the redacted text and the sorted, comma-joined categories (null when nothing matched). */
  redact(text: string): { text: string; categories: string | null };
}

export interface RedactorOptions {
  enabled: boolean;
  extraPatterns?: string[];
  /** Invalid extra patterns are reported here and skipped. */
  onProblem?: (message: string) => void;
}

export function createRedactor(opts: RedactorOptions): Redactor {
  if (!opts.enabled) return { redact: (text) => ({ text, categories: null }) };
  const rules: Rule[] = [...BUILTIN_RULES];
  const custom = (opts.extraPatterns ?? []).length > 0;
  for (const p of opts.extraPatterns ?? []) {
    try {
      rules.push({ category: 'custom', re: new RegExp(p, 'g'), group: 0 });
    } catch (err) {
      opts.onProblem?.(
        `questlog.redactPatterns: invalid pattern ${JSON.stringify(p)}: ${(err as Error).message}`,
      );
    }
  }
  return {
    redact(text) {
      if (!custom && !MAYBE_SECRET.test(text)) return { text, categories: null };
      let out = text;
      const found = new Set<string>();
      for (const rule of rules) {
        rule.re.lastIndex = 0;
        if (!rule.re.test(out)) continue;
        rule.re.lastIndex = 0;
        out = out.replace(rule.re, (...args: unknown[]) => {
          const whole = args[0] as string;
          const secret = rule.group === 0 ? whole : (args[rule.group] as string | undefined);
          if (!secret || secret.startsWith('[REDACTED:')) return whole;
          found.add(rule.category);
          const mark = `[REDACTED:${rule.category}]`;
          if (rule.group === 0) return mark;
          const at = whole.lastIndexOf(secret);
          return whole.slice(0, at) + mark + whole.slice(at + secret.length);
        });
      }
      return { text: out, categories: found.size ? [...found].sort().join(',') : null };
    },
  };
}
