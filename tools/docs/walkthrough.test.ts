import { describe, expect, it } from 'vitest';
import { expectedOutputs, firstMissing, walkthroughs } from './walkthrough.js';

describe('walkthroughs', () => {
  it('collects only `bash walkthrough` blocks, grouped by section', () => {
    const markdown = [
      '## One',
      '```bash walkthrough',
      'echo a',
      '```',
      '```bash',
      'echo not run',
      '```',
      '## Two',
      '```bash walkthrough',
      'echo b',
      '```',
      '```sh walkthrough',
      'echo c',
      '```',
    ].join('\n');
    expect(walkthroughs(markdown)).toEqual([
      { section: 'One', script: 'echo a', expected: [] },
      { section: 'Two', script: 'echo b\necho c', expected: [] },
    ]);
  });
});

describe('expectedOutputs', () => {
  it('reads comment lines under a command as output, up to a two-space remark', () => {
    const lines = [
      '# explains the next command',
      'curl a \\',
      '  -d x',
      '# {"message":"accepted"}   (HTTP 202)',
      '# HTTP/1.1 200 OK',
      '',
      '# a remark',
    ];
    expect(expectedOutputs(lines)).toEqual(['{"message":"accepted"}', 'HTTP/1.1 200 OK']);
  });

  it('reads "key":value fragments from a trailing comment', () => {
    expect(expectedOutputs(['curl -s x/users/$ID      # still "likes":1 (one like per person)'])).toEqual([
      '"likes":1',
    ]);
  });
});

describe('firstMissing', () => {
  it('requires the texts in order, with … matching anything', () => {
    const output = '{"id":"42","name":"Ada"}\n{"message":"Forbidden"}';
    expect(firstMissing(output, ['{"id":"…","name":"Ada"}', '{"message":"Forbidden"}'])).toBeUndefined();
    expect(firstMissing(output, ['{"message":"Forbidden"}', '{"id":"…"'])).toBe('{"id":"…"');
    expect(firstMissing(output, ['{"message":"Unauthorized"}'])).toBe('{"message":"Unauthorized"}');
  });
});
