import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../delivery/workspace.js';
import { brokenLinks, parseMarkdown } from './links.js';

describe('parseMarkdown', () => {
  it('slugs headings as GitHub does, outside code blocks', () => {
    const { anchors } = parseMarkdown(
      [
        '# Deploying (infra)',
        '## Auth: tokens, API keys and CORS',
        '```',
        '# not a heading',
        '```',
        '## `pnpm dev` options',
      ].join('\n'),
    );
    expect([...anchors]).toEqual(['deploying-infra', 'auth-tokens-api-keys-and-cors', 'pnpm-dev-options']);
  });

  it('finds inline links but not those in code', () => {
    const { links } = parseMarkdown(
      'See [a](a.md#x) and `[b](b.md)`.\n```\n[c](c.md)\n```\n[d](https://example.com)',
    );
    expect(links.map((link) => link.target)).toEqual(['a.md#x', 'https://example.com']);
  });
});

describe('brokenLinks', () => {
  it('reports a missing file, a missing heading and a link out of the repository', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'links-'));
    writeFileSync(
      path.join(root, 'a.md'),
      '# Title\n[ok](#title) [bad](#nope) [gone](b.md) [out](../x.md) [web](https://x.y)\n',
    );
    expect(brokenLinks(root, ['a.md']).map(({ target, reason }) => `${target}: ${reason}`)).toEqual([
      '#nope: no heading #nope',
      'b.md: no such file',
      '../x.md: points outside the repository',
    ]);
  });
});

describe("the repository's Markdown", () => {
  it('has no broken relative links or anchors', () => {
    const files = execFileSync('git', ['ls-files', '*.md'], { cwd: REPO_ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((file) => file && !file.includes('node_modules'));
    expect(files).toContain('README.md');
    expect(brokenLinks(REPO_ROOT, files)).toEqual([]);
  });
});
