import type {
  DetailResponse,
  EventsResponse,
  QuestCommand,
  SearchRequest,
  StatsResponse,
} from '@shared/contract/questlog';
import { api } from '../../api';
import { describeError } from '../../problems';
import { download, toCsv, toJsonLines } from './exportRows';

export const PERIODS = [
  { id: 'any', label: 'Any time', ms: 0 },
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;
export type PeriodId = (typeof PERIODS)[number]['id'];
export type Mode = 'fulltext' | 'prefix' | 'fuzzy' | 'regex';
export type Shell = '' | 'bash' | 'zsh' | 'fish' | 'import';

const PAGE = 50;

/** The Quest Log browser: filters, paged search, detail, events, stats and export. */
export class QuestLogBrowser {
  query = $state('');
  mode = $state<Mode>('fulltext');
  period = $state<PeriodId>('any');
  failed = $state(false);
  cwd = $state('');
  shell = $state<Shell>('');
  page = $state(0);

  items = $state.raw<QuestCommand[]>([]);
  total = $state(0);
  totalCapped = $state(false);
  tookMs = $state(0);
  loading = $state(true);
  error = $state<string | null>(null);

  selectedId = $state<number | null>(null);
  detail = $state.raw<DetailResponse | null>(null);
  detailError = $state<string | null>(null);
  detailLoading = $state(false);

  stats = $state.raw<StatsResponse | null>(null);
  statsError = $state<string | null>(null);

  events = $state.raw<EventsResponse | null>(null);
  eventsQuery = $state('');
  eventsSeverity = $state<'' | 'info' | 'warning' | 'error' | 'critical'>('');
  eventsError = $state<string | null>(null);

  exporting = $state<string | null>(null);
  exportError = $state<string | null>(null);

  readonly pageSize = PAGE;
  pages = $derived(Math.max(1, Math.ceil(this.total / PAGE)));

  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  filter(): SearchRequest {
    const since = PERIODS.find((p) => p.id === this.period)?.ms ?? 0;
    return {
      ...(this.query.trim() ? { query: this.query.trim(), mode: this.mode } : {}),
      ...(since ? { since: Date.now() - since } : {}),
      ...(this.failed ? { failed: true } : {}),
      ...(this.cwd.trim() ? { cwd: this.cwd.trim(), cwdTree: true } : {}),
      ...(this.shell ? { shell: this.shell } : {}),
    };
  }

  /** Search-as-you-type: debounced; an older answer never overwrites a newer one. */
  changed(): void {
    this.page = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.search(), 140);
  }

  async search(): Promise<void> {
    const mine = ++this.seq;
    this.loading = true;
    try {
      const res = await api.invoke('questlog:search', {
        ...this.filter(),
        limit: PAGE,
        offset: this.page * PAGE,
      });
      if (mine !== this.seq) return;
      this.items = res.items;
      this.total = res.total;
      this.totalCapped = res.totalCapped;
      this.tookMs = res.tookMs;
      this.error = null;
    } catch (err) {
      if (mine !== this.seq) return;
      this.items = [];
      this.total = 0;
      this.error = describeError(err, 'The Quest Log');
    } finally {
      if (mine === this.seq) this.loading = false;
    }
  }

  goPage(p: number): void {
    this.page = Math.max(0, Math.min(this.pages - 1, p));
    void this.search();
  }

  async select(id: number | null): Promise<void> {
    this.selectedId = id;
    this.detail = null;
    this.detailError = null;
    if (id === null) return;
    this.detailLoading = true;
    try {
      const d = await api.invoke('questlog:detail', { id });
      if (this.selectedId === id) this.detail = d;
    } catch (err) {
      if (this.selectedId === id) this.detailError = describeError(err, 'This command');
    } finally {
      if (this.selectedId === id) this.detailLoading = false;
    }
  }

  async loadStats(): Promise<void> {
    try {
      const since = PERIODS.find((p) => p.id === this.period)?.ms ?? 0;
      this.stats = await api.invoke('questlog:stats', {
        top: 10,
        ...(since ? { since: Date.now() - since } : {}),
      });
      this.statsError = null;
    } catch (err) {
      this.statsError = describeError(err, 'The Quest Log');
    }
  }

  async loadEvents(): Promise<void> {
    try {
      this.events = await api.invoke('questlog:events', {
        limit: 100,
        ...(this.eventsQuery.trim() ? { query: this.eventsQuery.trim() } : {}),
        ...(this.eventsSeverity ? { minSeverity: this.eventsSeverity } : {}),
      });
      this.eventsError = null;
    } catch (err) {
      this.eventsError = describeError(err, 'The Quest Log');
    }
  }

  /** Downloads every match of the current filter (up to 100 000 rows). */
  async export(format: 'jsonl' | 'csv'): Promise<void> {
    this.exportError = null;
    const rows: QuestCommand[] = [];
    try {
      for (let offset = 0; offset < 100_000; offset += 1000) {
        this.exporting = `Exporting… ${rows.length} rows`;
        const res = await api.invoke('questlog:search', {
          ...this.filter(),
          limit: 1000,
          offset,
          order: 'oldest',
        });
        rows.push(...res.items);
        if (res.items.length < 1000) break;
      }
      const stamp = new Date(Date.now()).toISOString().slice(0, 10); // eslint-disable-line svelte/prefer-svelte-reactivity
      if (format === 'csv') download(`questlog-${stamp}.csv`, toCsv(rows), 'text/csv');
      else download(`questlog-${stamp}.jsonl`, toJsonLines(rows), 'application/x-ndjson');
    } catch (err) {
      this.exportError = `Export failed: ${describeError(err, 'The Quest Log')}`;
    } finally {
      this.exporting = null;
    }
  }

  start(): () => void {
    void this.search();
    return api.on('questlog:appended', (e) => {
      if (e.commands > 0 && this.page === 0) void this.search();
      if (e.events > 0 && this.events) void this.loadEvents();
    });
  }
}
