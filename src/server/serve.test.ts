import { describe, expect, it } from 'vitest';
import { jsonForHtml } from './serve';

describe('jsonForHtml', () => {
  it('keeps any string from ending the script element or opening markup, and parses back', () => {
    const value = {
      a: '</script><script>alert(1)</script>',
      b: '<!-- x --> & y',
      c: 'line\u2028sep\u2029par',
      d: 'ok',
    };
    const text = jsonForHtml(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
