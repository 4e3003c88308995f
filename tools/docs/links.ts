import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import GithubSlugger from 'github-slugger';

/** A relative link in a Markdown file whose target file or heading does not exist. */
export interface BrokenLink {
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly reason: string;
}

interface Parsed {
  readonly anchors: ReadonlySet<string>;
  readonly links: readonly { line: number; target: string }[];
}

const FENCE = /^\s*(```|~~~)/;
const HEADING = /^#{1,6}\s+(.*?)\s*#*\s*$/;
// [text](target "title") — the target stops at whitespace or the closing parenthesis.
const LINK = /\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;

/** Headings (as GitHub slugs them) and inline links of a Markdown text, code blocks excluded. */
export function parseMarkdown(text: string): Parsed {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  const links: { line: number; target: string }[] = [];
  let inFence = false;
  text.split('\n').forEach((raw, index) => {
    if (FENCE.test(raw)) inFence = !inFence;
    if (inFence) return;
    const line = raw.replace(/`[^`]*`/g, (code) => (HEADING.test(raw) ? code.slice(1, -1) : ''));
    const heading = HEADING.exec(line);
    if (heading?.[1]) anchors.add(slugger.slug(heading[1]));
    for (const match of line.matchAll(LINK)) links.push({ line: index + 1, target: match[1] ?? '' });
  });
  return { anchors, links };
}

/** Checks every relative link (file and `#anchor`) of the given Markdown files under `root`. */
export function brokenLinks(root: string, files: readonly string[]): BrokenLink[] {
  const cache = new Map<string, Parsed>();
  const parsed = (file: string) => {
    let result = cache.get(file);
    if (!result) {
      result = parseMarkdown(readFileSync(path.join(root, file), 'utf8'));
      cache.set(file, result);
    }
    return result;
  };
  const broken: BrokenLink[] = [];
  for (const file of files) {
    for (const { line, target } of parsed(file).links) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto: — not ours to check
      const [pathPart = '', anchor] = target.split('#', 2);
      const resolved = pathPart ? path.normalize(path.join(path.dirname(file), pathPart)) : file;
      const report = (reason: string) => broken.push({ file, line, target, reason });
      if (resolved.startsWith('..')) report('points outside the repository');
      else if (!existsSync(path.join(root, resolved))) report('no such file');
      else if (anchor && resolved.endsWith('.md') && !parsed(resolved).anchors.has(anchor.toLowerCase())) {
        report(`no heading #${anchor}`);
      }
    }
  }
  return broken;
}
