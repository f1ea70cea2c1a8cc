import { describe, expect, it } from 'vitest';
import { csvCell } from './export';

describe('csvCell', () => {
  it('writes plain values as they are and empties null and undefined', () => {
    expect(csvCell('git status')).toBe('git status');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('quotes a cell with a comma, quote, CR or LF and doubles its quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('one\ntwo')).toBe('"one\ntwo"');
    expect(csvCell('one\r\ntwo')).toBe('"one\r\ntwo"');
  });

  it('neutralises every formula starter in strings with a leading quote', () => {
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-rf')).toBe("'-rf");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    // a leading CR is neutralised and, being a CR, also quoted
    expect(csvCell('\rx')).toBe('"\'\rx"');
    expect(csvCell('=HYPERLINK("http://x.invalid","y")')).toBe('"\'=HYPERLINK(""http://x.invalid"",""y"")"');
    // only at the start
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('leaves numbers alone (a negative exit code is a value, not a formula)', () => {
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(-0.5)).toBe('-0.5');
  });

  it('writes objects as JSON, quoted when needed', () => {
    expect(csvCell({ a: 1, b: 'x' })).toBe('"{""a"":1,""b"":""x""}"');
    expect(csvCell([1])).toBe('[1]');
  });
});
