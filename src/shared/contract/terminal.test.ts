import { describe, expect, it } from 'vitest';
import { naturalLanguageRequest, terminalChannels } from './terminal';

describe('naturalLanguageRequest', () => {
  it('recognises ?? and "# " requests', () => {
    expect(naturalLanguageRequest('?? find files over 1 GB in my home')).toBe(
      'find files over 1 GB in my home',
    );
    expect(naturalLanguageRequest('  # list open ports  ')).toBe('list open ports');
    expect(naturalLanguageRequest('?? disk')).toBe('disk');
  });

  it('leaves shell lines and comments alone', () => {
    for (const line of ['ls -la', '#!/bin/bash', '#comment', '# x', '??', '?? ', 'echo ?? hi', '']) {
      expect(naturalLanguageRequest(line), line).toBeNull();
    }
  });
});

describe('terminal contract', () => {
  it('rejects unknown fields and out-of-range sizes', () => {
    expect(terminalChannels['terminal:create'].request.safeParse({ cols: 80, rows: 24 }).success).toBe(true);
    expect(terminalChannels['terminal:create'].request.safeParse({ cols: 80, rows: 24, x: 1 }).success).toBe(
      false,
    );
    expect(
      terminalChannels['terminal:resize'].request.safeParse({ id: 't1', cols: 1, rows: 24 }).success,
    ).toBe(false);
    expect(terminalChannels['terminal:write'].request.safeParse({ id: 't 1', data: '' }).success).toBe(false);
  });
});
