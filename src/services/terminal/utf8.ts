/**
 * Keeps UTF-8 characters whole across chunk boundaries: a pty read can end in the middle of a
 * multi-byte character, and decoding each chunk on its own would turn both halves into U+FFFD.
 */
export class Utf8Splitter {
  private tail: Buffer = Buffer.alloc(0);

  /** Returns the bytes that form whole characters; keeps an incomplete trailing character. */
  push(chunk: Buffer): Buffer {
    const buf = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    const cut = completeLength(buf);
    this.tail = cut < buf.length ? Buffer.from(buf.subarray(cut)) : Buffer.alloc(0);
    return cut === buf.length ? buf : buf.subarray(0, cut);
  }

  /** Whatever is left (an incomplete character at the very end of the stream). */
  flush(): Buffer {
    const t = this.tail;
    this.tail = Buffer.alloc(0);
    return t;
  }

  get pending(): number {
    return this.tail.length;
  }
}

/** Expected length of a sequence from its lead byte; 1 for ASCII and for invalid lead bytes. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xf0 && lead <= 0xf7) return 4;
  if (lead >= 0xe0) return lead <= 0xef ? 3 : 1;
  if (lead >= 0xc0) return 2;
  return 1;
}

/**
 * The length of the longest prefix of `buf` (scanning at most `limit` bytes) that does not end
 * inside a multi-byte character. Invalid bytes count as whole characters (the decoder shows them
 * as U+FFFD), so the result only ever holds back a genuinely incomplete sequence of ≤ 3 bytes.
 */
export function completeLength(buf: Uint8Array, limit = buf.length): number {
  const end = Math.min(limit, buf.length);
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const b = buf[i] as number;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = sequenceLength(b);
    return i + need > end ? i : end;
  }
  return end;
}
