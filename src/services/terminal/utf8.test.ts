import { describe, expect, it } from 'vitest';
import { completeLength, Utf8Splitter } from './utf8';

describe('Utf8Splitter', () => {
  it('reassembles every character whatever the chunk boundaries', () => {
    const text = 'plain aé€😀中 ∑ 𝄞 done\n'.repeat(50);
    const bytes = Buffer.from(text, 'utf8');
    for (const size of [1, 2, 3, 5, 7, 64]) {
      const s = new Utf8Splitter();
      let out = '';
      for (let i = 0; i < bytes.length; i += size) {
        const piece = s.push(bytes.subarray(i, i + size));
        out += piece.toString('utf8');
      }
      expect(s.pending).toBe(0);
      expect(out).toBe(text);
    }
  });

  it('holds back only an incomplete trailing sequence', () => {
    const euro = Buffer.from('€', 'utf8'); // e2 82 ac
    const s = new Utf8Splitter();
    expect(s.push(Buffer.concat([Buffer.from('ab'), euro.subarray(0, 2)])).toString()).toBe('ab');
    expect(s.pending).toBe(2);
    expect(s.push(euro.subarray(2)).toString()).toBe('€');
  });

  it('passes invalid bytes through instead of waiting forever', () => {
    const bad = Buffer.from([0x61, 0xff, 0x80, 0x80, 0x80, 0x80, 0x62]);
    expect(completeLength(bad)).toBe(bad.length);
    const s = new Utf8Splitter();
    expect(s.push(bad).length).toBe(bad.length);
  });

  it('flush returns a truncated character at the end of a stream', () => {
    const s = new Utf8Splitter();
    s.push(Buffer.from([0xf0, 0x9f]));
    expect(s.flush()).toEqual(Buffer.from([0xf0, 0x9f]));
    expect(s.pending).toBe(0);
  });
});
