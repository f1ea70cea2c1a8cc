/**
 * A writer for the Prometheus text exposition format 0.0.4: one `# HELP` and `# TYPE` per family,
 * the family's samples together, label values and help text escaped, a family written once even
 * when samples are added from several places.
 */
export type MetricType = 'gauge' | 'counter' | 'untyped';
export type Labels = Record<string, string | number>;

interface Family {
  help: string;
  type: MetricType;
  lines: string[];
  seen: Set<string>;
}

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const NEEDS_ESCAPE = /[\\\n"]/;

export function escapeLabelValue(v: string): string {
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Makes any string a valid metric name part (node_exporter style: other characters become _). */
export function sanitizeName(s: string): string {
  const r = s.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(r) ? `_${r}` : r;
}

export class Exposition {
  private readonly families = new Map<string, Family>();

  /** Declares a family (idempotent) and returns a function adding samples to it. */
  family(name: string, type: MetricType, help: string): (value: number, labels?: Labels) => void {
    let f = this.families.get(name);
    if (!f) {
      if (!NAME_RE.test(name)) throw new Error(`invalid metric name ${name}`);
      this.families.set(name, (f = { help, type, lines: [], seen: new Set() }));
    }
    const fam = f;
    return (value, labels) => {
      if (!Number.isFinite(value) && !Number.isNaN(value) && Math.abs(value) !== Infinity) return;
      let ls = '';
      if (labels) {
        const parts: string[] = [];
        for (const k in labels) {
          if (!LABEL_RE.test(k)) continue;
          parts.push(`${k}="${escapeLabelValue(String(labels[k]))}"`);
        }
        if (parts.length) ls = `{${parts.join(',')}}`;
      }
      // a label set appears once per family (the first value wins)
      if (fam.seen.has(ls)) return;
      fam.seen.add(ls);
      fam.lines.push(`${name}${ls} ${formatValue(value)}`);
    };
  }

  get sampleCount(): number {
    let n = 0;
    for (const f of this.families.values()) n += f.lines.length;
    return n;
  }

  render(): string {
    const out: string[] = [];
    for (const [name, f] of this.families) {
      if (!f.lines.length) continue;
      out.push(`# HELP ${name} ${escapeHelp(f.help)}`, `# TYPE ${name} ${f.type}`, ...f.lines);
    }
    return out.join('\n') + '\n';
  }
}
