/**
 * The README's walkthroughs as runnable checks. A fenced block whose info string is
 * `bash walkthrough` (GitHub highlights it as bash and ignores the second word) is run, in order
 * with the other blocks of its section, by one bash process; the outputs the README shows become
 * assertions on what the commands print:
 *
 * - a comment line right under a command (or under another such line) is an expected output line,
 *   up to the first run of two spaces (what follows is a remark): `# {"message":"Forbidden"}`;
 * - `"key":value` fragments in a comment at the end of a command line are expected too:
 *   `curl -s .../users/$ID   # "likes":0`.
 *
 * Expected text must appear in the output in the README's order; `…` stands for anything.
 */

export interface Walkthrough {
  /** The `##` heading the blocks sit under. */
  readonly section: string;
  /** The blocks' bash source, joined in order. */
  readonly script: string;
  /** What the output must contain, in order. */
  readonly expected: readonly string[];
}

const FENCE = /^(\s*)(```+|~~~+)\s*(\S*)\s*(\S*)/;
const FRAGMENT = /"[\w-]+":(?:"[^"]*"|[\w.-]+)/g;

/** Collects the `bash walkthrough` blocks of a Markdown text, grouped by `##` section. */
export function walkthroughs(markdown: string): Walkthrough[] {
  const sections = new Map<string, { script: string[]; expected: string[] }>();
  let section = '';
  let block: string[] | undefined;
  for (const line of markdown.split('\n')) {
    const fence = FENCE.exec(line);
    if (block) {
      if (fence) {
        const entry = sections.get(section) ?? { script: [], expected: [] };
        entry.script.push(block.join('\n'));
        entry.expected.push(...expectedOutputs(block));
        sections.set(section, entry);
        block = undefined;
      } else block.push(line);
      continue;
    }
    if (fence?.[4] === 'walkthrough') block = [];
    else if (line.startsWith('## ')) section = line.slice(3).trim();
  }
  return [...sections].map(([name, { script, expected }]) => ({
    section: name,
    script: script.join('\n'),
    expected,
  }));
}

/** The outputs a block's comments promise, in order. */
export function expectedOutputs(lines: readonly string[]): string[] {
  const expected: string[] = [];
  let afterCommand = false;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.startsWith('#')) {
      if (afterCommand) expected.push(trimmed.replace(/^#\s?/, '').split(/\s{2,}/)[0] ?? '');
      continue;
    }
    afterCommand = trimmed !== '';
    const trailing = /\s#\s(.*)$/.exec(line)?.[1];
    if (trailing && !line.includes("'")) expected.push(...(trailing.match(FRAGMENT) ?? []));
  }
  return expected.filter((text) => text !== '');
}

/** The first expected text that `output` does not contain in order, or undefined when all hold. */
export function firstMissing(output: string, expected: readonly string[]): string | undefined {
  let from = 0;
  for (const text of expected) {
    let at = from;
    for (const piece of text.split('…')) {
      const found = output.indexOf(piece, at);
      if (found < 0) return text;
      at = found + piece.length;
    }
    from = at;
  }
  return undefined;
}
