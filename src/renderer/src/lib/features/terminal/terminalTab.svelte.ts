/**
 * One terminal tab: an xterm.js screen bound to one pty session in the pty host.
 * Terminal bytes go straight from the event into xterm; only small UI facts (title, status) are
 * Svelte state.
 */
import { untrack } from 'svelte';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { TERMINAL_LIMITS } from '@shared/contract/terminal';
import { api, ApiError } from '../../api';
import { feedback } from './assistantClient';
import { listenSession, prepareTerminalEvents } from './events';
import { insertionText, LineTracker } from './lineTracker';
import { onThemeChange, terminalTheme } from './xtermTheme';

export type TabStatus = 'starting' | 'running' | 'exited' | 'error';

/** What the window does for a tab (hotkeys that act beyond one tab). */
export interface TabHost {
  /** a natural-language request was typed (prefix + Enter) or the hotkey was pressed */
  ask(tab: TerminalTab, text: string): void;
  /** window-level shortcuts; return true when handled */
  shortcut(e: KeyboardEvent): boolean;
}

const FONT_KEY = 'ainl.terminal.fontSize';
export const FONT_MIN = 8;
export const FONT_MAX = 32;
export const FONT_DEFAULT = 13;

export function loadFontSize(): number {
  const v = Number(localStorage.getItem(FONT_KEY));
  return Number.isFinite(v) && v >= FONT_MIN && v <= FONT_MAX ? v : FONT_DEFAULT;
}

let tabCounter = 0;

function describe(err: unknown): string {
  if (err instanceof ApiError) return `${err.message} (${err.problem})`;
  return err instanceof Error ? err.message : String(err);
}

export class TerminalTab {
  readonly key = ++tabCounter;
  title = $state('Terminal');
  status = $state<TabStatus>('starting');
  error = $state<string | null>(null);
  exitCode = $state<number | null>(null);
  hasSelection = $state(false);
  /** true when the Quest Log hook records this tab's commands */
  recorded = $state(false);

  sessionId: string | null = null;
  shell = '';
  private term: Terminal | null = null;
  private fit: FitAddon | null = null;
  private search: SearchAddon | null = null;
  private readonly tracker = new LineTracker();
  private stopListening: (() => void) | null = null;
  private pendingAck = 0;
  private lastSeq = 0;
  private deciding = false;
  private queued: string[] = [];
  private shellTitle = false;
  /** an inserted suggestion waiting to be run, edited or dropped (reported to the assistant) */
  private inserted: { suggestionId: string; command: string } | null = null;

  constructor(
    private readonly host: TabHost,
    private fontSize: number,
    private readonly cwd?: string,
  ) {}

  /** The {@attach} for the element that holds the screen: creates xterm and the session. */
  attach = (el: HTMLElement): (() => void) => untrack(() => this.mount(el));

  private mount(el: HTMLElement): () => void {
    const term = new Terminal({
      fontFamily: getComputedStyle(document.documentElement).getPropertyValue('--mono').trim() || 'monospace',
      fontSize: this.fontSize,
      lineHeight: 1.15,
      cursorBlink: true,
      scrollback: 10_000,
      theme: terminalTheme(),
      allowProposedApi: true,
      macOptionIsMeta: true,
    });
    this.term = term;
    this.fit = new FitAddon();
    this.search = new SearchAddon();
    term.loadAddon(this.fit);
    term.loadAddon(this.search);
    term.loadAddon(
      new WebLinksAddon((event, uri) => {
        if (!/^https?:\/\//i.test(uri)) return;
        event.preventDefault();
        window.open(uri, '_blank', 'noopener,noreferrer');
      }),
    );
    term.open(el);
    this.safeFit();
    term.attachCustomKeyEventHandler((e) => this.onKey(e));
    const disposers: Array<{ dispose(): void } | (() => void)> = [
      term.onData((d) => this.onInput(d)),
      term.onBinary((d) => this.send(d)),
      term.onResize(({ cols, rows }) => this.resizeSession(cols, rows)),
      term.onTitleChange((t) => {
        if (t.trim()) {
          this.title = t.trim().slice(0, 80);
          this.shellTitle = true;
        }
      }),
      term.onSelectionChange(() => (this.hasSelection = term.hasSelection())),
      onThemeChange(() => (term.options.theme = terminalTheme())),
    ];
    const ro = new ResizeObserver(() => this.safeFit());
    ro.observe(el);
    void this.start();
    return () => {
      ro.disconnect();
      for (const d of disposers) (typeof d === 'function' ? d : () => d.dispose())();
      this.close();
      term.dispose();
      this.term = null;
    };
  }

  private safeFit(): void {
    const el = this.term?.element;
    if (!this.fit || !el || el.offsetParent === null) return; // hidden tab: fit when shown
    try {
      this.fit.fit();
    } catch {
      // not laid out yet
    }
  }

  /** Starts (or restarts after exit) the shell session. */
  async start(): Promise<void> {
    const term = this.term;
    if (!term) return;
    this.status = 'starting';
    this.error = null;
    this.exitCode = null;
    this.lastSeq = 0;
    this.pendingAck = 0;
    this.tracker.reset();
    prepareTerminalEvents();
    try {
      const cols = Math.max(TERMINAL_LIMITS.minCols, Math.min(TERMINAL_LIMITS.maxCols, term.cols));
      const rows = Math.max(TERMINAL_LIMITS.minRows, Math.min(TERMINAL_LIMITS.maxRows, term.rows));
      const r = await api.invoke('terminal:create', { cols, rows, ...(this.cwd ? { cwd: this.cwd } : {}) });
      if (!this.term) {
        void api.invoke('terminal:close', { id: r.id }).catch(() => undefined);
        return;
      }
      this.sessionId = r.id;
      this.shell = r.shell;
      this.recorded = r.questlogHook;
      if (!this.shellTitle) this.title = r.shell.split('/').pop() ?? 'shell';
      this.status = 'running';
      this.stopListening = listenSession(r.id, {
        data: (data, seq) => this.onOutput(data, seq),
        exit: (code) => this.onExit(code),
        lost: (reason) => this.onLost(reason),
      });
    } catch (err) {
      this.status = 'error';
      this.error = describe(err);
    }
  }

  private onOutput(data: string, seq: number): void {
    if (seq !== this.lastSeq + 1 && this.lastSeq !== 0)
      console.warn(`terminal ${this.sessionId}: output ${this.lastSeq + 1}…${seq - 1} missing`);
    this.lastSeq = seq;
    const term = this.term;
    if (!term) return;
    term.write(data, () => {
      this.pendingAck += data.length;
      if (this.pendingAck >= TERMINAL_LIMITS.ackBatchChars) this.flushAck();
    });
  }

  private flushAck(): void {
    const id = this.sessionId;
    const chars = this.pendingAck;
    if (!id || chars === 0) return;
    this.pendingAck = 0;
    void api.invoke('terminal:ack', { id, chars }).catch(() => undefined);
  }

  private onExit(code: number): void {
    this.flushAck();
    this.stopListening?.();
    this.stopListening = null;
    this.sessionId = null;
    this.status = 'exited';
    this.exitCode = code;
    this.term?.write(
      `\r\n\x1b[2m[process exited with code ${code} — press Enter to start a new shell]\x1b[0m\r\n`,
    );
  }

  private onLost(reason: string): void {
    this.stopListening = null;
    this.sessionId = null;
    this.status = 'exited';
    this.exitCode = -1;
    this.term?.write(
      `\r\n\x1b[33m[the terminal host stopped (${reason}) — press Enter to start a new shell]\x1b[0m\r\n`,
    );
  }

  private onKey(e: KeyboardEvent): boolean {
    if (e.type !== 'keydown') return true;
    if (e.ctrlKey && !e.altKey && !e.metaKey && (e.code === 'Space' || e.key === ' ')) {
      e.preventDefault();
      const line = this.tracker.current?.trim() ?? '';
      if (line) this.send('\x15'); // take the typed words off the prompt: they become the request
      this.tracker.reset();
      this.host.ask(this, line.replace(/^(\?\?|#)\s*/, ''));
      return false;
    }
    if (e.ctrlKey && e.shiftKey && e.code === 'KeyC') {
      e.preventDefault();
      void this.copy();
      return false;
    }
    if (e.ctrlKey && e.shiftKey && e.code === 'KeyV') {
      e.preventDefault();
      void this.pasteFromClipboard();
      return false;
    }
    if (this.host.shortcut(e)) {
      e.preventDefault();
      return false;
    }
    return true;
  }

  private onInput(data: string): void {
    if (this.status === 'exited') {
      if (data.includes('\r')) void this.start();
      return;
    }
    if (this.deciding) {
      this.queued.push(data);
      return;
    }
    const canIntercept = this.term?.buffer.active.type === 'normal';
    const r = this.tracker.feed(data, canIntercept);
    if (this.inserted) this.reportInserted(r.submitted, r.cancelled || r.request !== null);
    if (r.send) this.send(r.send);
    if (r.request !== null) void this.decide(r.request, r.rest);
  }

  /** A request line ended with Enter: ask the assistant only when the shell itself is reading the line. */
  private async decide(request: string, rest: string): Promise<void> {
    this.deciding = true;
    let atPrompt: boolean;
    try {
      const { sessions } = await api.invoke('terminal:list', {});
      const s = sessions.find((x) => x.id === this.sessionId);
      const shellName = this.shell.split('/').pop() ?? '';
      atPrompt = !!s && (s.process === shellName || s.process === '');
    } catch {
      atPrompt = true;
    }
    if (atPrompt) {
      this.send('\x15'); // clear the typed request from the prompt
      this.host.ask(this, request);
    } else {
      this.send('\r'); // a program (python, read …) is reading: this was its input
    }
    this.deciding = false;
    const q = [rest, ...this.queued].join('');
    this.queued = [];
    if (q) this.onInput(q);
  }

  send(data: string): void {
    const id = this.sessionId;
    if (!id || !data) return;
    for (let i = 0; i < data.length; i += TERMINAL_LIMITS.maxWriteChars / 2) {
      void api
        .invoke('terminal:write', { id, data: data.slice(i, i + TERMINAL_LIMITS.maxWriteChars / 2) })
        .catch((err: unknown) => {
          this.error = describe(err);
        });
    }
  }

  /** Puts a command on the first prompt of this tab once its shell is up (not run). */
  insertWhenReady(command: string): void {
    let tries = 0;
    const poll = (): void => {
      if (this.status === 'running' && this.lastSeq > 0) {
        setTimeout(() => this.insert(command), 150); // let the prompt finish drawing
      } else if (this.status !== 'error' && tries++ < 100) setTimeout(poll, 100);
    };
    poll();
  }

  /** Puts a command on the prompt without running it; with a suggestion id, reports what the user then does. */
  insert(command: string, suggestionId?: string): void {
    if (this.inserted) this.reportInserted([], true);
    const text = insertionText(command, this.term?.modes.bracketedPasteMode ?? false);
    this.send(text);
    this.tracker.appendInserted(text);
    if (suggestionId) this.inserted = { suggestionId, command: text };
    this.focus();
  }

  /** Run as inserted → accepted; run after changes → edited; thrown away → rejected. */
  private reportInserted(submitted: Array<string | null>, dropped: boolean): void {
    const ins = this.inserted;
    if (!ins) return;
    if (submitted.length > 0) {
      const line = submitted[0];
      this.inserted = null;
      if (line === null || line === undefined) feedback(ins.suggestionId, 'edited');
      else if (line.trim() === ins.command.trim()) feedback(ins.suggestionId, 'accepted', line.trim());
      else if (line.trim() === '') feedback(ins.suggestionId, 'rejected');
      else feedback(ins.suggestionId, 'edited', line.trim());
    } else if (dropped) {
      this.inserted = null;
      feedback(ins.suggestionId, 'rejected');
    }
  }

  private resizeSession(cols: number, rows: number): void {
    const id = this.sessionId;
    if (!id) return;
    const c = Math.max(TERMINAL_LIMITS.minCols, Math.min(TERMINAL_LIMITS.maxCols, cols));
    const r = Math.max(TERMINAL_LIMITS.minRows, Math.min(TERMINAL_LIMITS.maxRows, rows));
    void api.invoke('terminal:resize', { id, cols: c, rows: r }).catch(() => undefined);
  }

  /** Called when the tab becomes visible (a hidden tab cannot be measured). */
  shown(): void {
    requestAnimationFrame(() => {
      this.safeFit();
      this.focus();
    });
  }

  focus(): void {
    this.term?.focus();
  }

  async copy(): Promise<boolean> {
    const text = this.term?.getSelection() ?? '';
    if (!text) return false;
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      return false;
    }
  }

  async pasteFromClipboard(): Promise<void> {
    try {
      const text = await navigator.clipboard.readText();
      if (text) this.term?.paste(text);
    } catch (err) {
      this.error = `cannot read the clipboard: ${describe(err)}`;
    }
    this.focus();
  }

  setFontSize(size: number): void {
    this.fontSize = size;
    if (this.term) {
      this.term.options.fontSize = size;
      this.safeFit();
    }
  }

  find(text: string, backwards = false): boolean {
    if (!this.search || !text) return false;
    const opts = {
      caseSensitive: false,
      decorations: { matchOverviewRuler: '#d29922', activeMatchColorOverviewRuler: '#1f6feb' },
    };
    return backwards ? this.search.findPrevious(text, opts) : this.search.findNext(text, opts);
  }

  clearSearch(): void {
    this.search?.clearDecorations();
    this.term?.clearSelection();
  }

  clear(): void {
    this.term?.clear();
  }

  /** The shell's current directory (for the assistant's context). */
  async currentCwd(): Promise<string | undefined> {
    try {
      const { sessions } = await api.invoke('terminal:list', {});
      return sessions.find((s) => s.id === this.sessionId)?.cwd;
    } catch {
      return undefined;
    }
  }

  /** Ends the session (the tab is being closed). */
  close(): void {
    this.stopListening?.();
    this.stopListening = null;
    const id = this.sessionId;
    this.sessionId = null;
    if (id) void api.invoke('terminal:close', { id }).catch(() => undefined);
  }
}

export function saveFontSize(size: number): void {
  localStorage.setItem(FONT_KEY, String(size));
}
