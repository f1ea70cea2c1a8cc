import { naturalLanguageRequest } from '@shared/contract/terminal';

export interface FeedResult {
  /** what to forward to the pty now */
  send: string;
  /** a natural-language request typed on this line (its Enter was held back), or null */
  request: string | null;
  /** input after the held-back Enter (forwarded once the request is decided) */
  rest: string;
  /** lines submitted with Enter in this input (null: the line was not known) */
  submitted: Array<string | null>;
  /** the line was thrown away (Ctrl+C, Ctrl+U) */
  cancelled: boolean;
}

const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

/**
 * Follows what the user types on the current shell line, as far as it can be known from the
 * keystrokes alone: printable text, backspace, Ctrl+W/U/C and Enter. Anything that moves the
 * cursor or lets the shell rewrite the line (arrows, history, Tab completion) makes the line
 * "unknown" until the next Enter, and an unknown line is never taken for a request.
 */
export class LineTracker {
  private line = '';
  private known = true;

  /** The current line if it is known, else null. */
  get current(): string | null {
    return this.known ? this.line : null;
  }

  reset(): void {
    this.line = '';
    this.known = true;
  }

  /** Text the app put on the prompt itself (an inserted command). */
  appendInserted(text: string): void {
    if (text.includes('\n') || text.includes('\x1b')) this.known = false;
    else this.line += text;
  }

  /** Feeds keyboard data; holds back an Enter that ends a natural-language line. */
  feed(data: string, intercept: boolean): FeedResult {
    const submitted: Array<string | null> = [];
    let cancelled = false;
    let i = 0;
    while (i < data.length) {
      if (data.startsWith(PASTE_START, i)) {
        i += PASTE_START.length;
        continue;
      }
      if (data.startsWith(PASTE_END, i)) {
        i += PASTE_END.length;
        continue;
      }
      const ch = data[i] as string;
      const code = ch.charCodeAt(0);
      if (ch === '\r' || ch === '\n') {
        const request = intercept && this.known ? naturalLanguageRequest(this.line) : null;
        if (!request) submitted.push(this.known ? this.line : null);
        this.reset();
        if (request)
          return { send: data.slice(0, i), request, rest: data.slice(i + 1), submitted, cancelled };
      } else if (code === 0x7f || code === 0x08) {
        this.line = this.line.slice(0, -1);
      } else if (code === 0x03 || code === 0x15) {
        this.reset(); // Ctrl+C, Ctrl+U: the line is empty again
        cancelled = true;
      } else if (code === 0x17) {
        this.line = this.line.replace(/\S+\s*$/, ''); // Ctrl+W
      } else if (code === 0x1b) {
        this.known = false; // escape sequence: cursor keys, history, Alt+…
        // eslint-disable-next-line no-control-regex -- terminal escape sequences are control characters
        const m = /^\x1b(\[[0-9;?]*[ -/]*[@-~]|O.|.)?/.exec(data.slice(i));
        i += m ? m[0].length : 1;
        continue;
      } else if (code < 0x20) {
        this.known = false; // Tab completion, Ctrl+R, Ctrl+A …
      } else {
        this.line += ch;
      }
      i++;
    }
    return { send: data, request: null, rest: '', submitted, cancelled };
  }
}

/**
 * Text safe to place on the prompt without running it: no control characters; several lines go in
 * as a bracketed paste (the shell then shows them without executing), or joined with spaces when
 * the shell has not enabled bracketed paste.
 */
export function insertionText(command: string, bracketedPaste: boolean): string {
  const lines = command
    .replace(/\r\n?/g, '\n')
    .split('\n')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .map((l) => l.replace(/[\x00-\x08\x0b-\x1f\x7f\x9b]/g, '').replace(/\t/g, ' '));
  while (lines.length > 1 && lines[lines.length - 1]?.trim() === '') lines.pop();
  if (lines.length === 1) return lines[0] ?? '';
  return bracketedPaste
    ? `${PASTE_START}${lines.join('\n')}${PASTE_END}`
    : lines.map((l) => l.trim()).join(' ');
}
