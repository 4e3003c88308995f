/**
 * The project commands a workflow runs, as the argv their CLI would receive: every `run:` line
 * that calls a root package.json script (`pnpm synth`, `pnpm run deploy ...`) or a project
 * script (`node --import tsx tools/delivery/affected.ts ...`), with the workflow's `${{ ... }}`
 * expressions replaced by given values, `$VARS` from the step, job and workflow `env:`, and the
 * line split the way a shell splits it (shell-quote). Tests feed the argv to each CLI's own
 * parser, so a workflow and a CLI cannot disagree unnoticed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as shellParse } from 'shell-quote';
import { parse as parseYaml } from 'yaml';

export interface WorkflowCommand {
  readonly where: string;
  /** The line as written in the workflow. */
  readonly line: string;
  /** Repository-relative path of the TypeScript entry point the command runs. */
  readonly script: string;
  /** What the script sees as `process.argv.slice(2)`. */
  readonly argv: readonly string[];
}

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly env?: Record<string, unknown>;
}
interface Workflow {
  readonly env?: Record<string, unknown>;
  readonly jobs?: Record<string, { readonly env?: Record<string, unknown>; readonly steps?: Step[] }>;
}

/**
 * Stands in for an expression or variable without a value. Lines that run no project command may
 * use anything; a project command's argv containing it is an error, never silently empty.
 */
const MISSING = (what: string) => `⟪missing ${what}⟫`;
const MISSING_RE = /⟪missing (.*?)⟫/;

/** `${{ expr }}` → its value from `values` (keyed by the trimmed expression text). */
export function expandExpressions(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(
    /\$\{\{\s*(.*?)\s*\}\}/g,
    (_, expr: string) => values[expr] ?? MISSING(`\${{ ${expr} }}`),
  );
}

type Token = ReturnType<typeof shellParse>[number];
const isWord = (t: Token): t is string => typeof t === 'string';

/** The simple commands of one shell line: words between operators (`;`, `&&`, `||`, `|`, ...). */
function simpleCommands(tokens: readonly Token[]): string[][] {
  const commands: string[][] = [[]];
  for (const token of tokens) {
    if (isWord(token)) commands[commands.length - 1]!.push(token);
    else if ('op' in token && !['<', '>', '>>', '>&', '<&', '2>'].includes(String(token.op)))
      commands.push([]);
    else if ('comment' in token) break;
  }
  return commands.filter((words) => words.length > 0);
}

const NODE_OPTIONS_WITH_VALUE = new Set(['--import', '--require', '-r', '--conditions', '-C', '--loader']);

/** `node [options] <file>.ts args` → the file and its args; anything else → undefined. */
function nodeScript(words: readonly string[]): { script: string; args: string[] } | undefined {
  if (words[0] !== 'node') return undefined;
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (NODE_OPTIONS_WITH_VALUE.has(word)) i++;
    else if (!word.startsWith('-')) {
      return word.endsWith('.ts') ? { script: path.normalize(word), args: words.slice(i + 1) } : undefined;
    }
  }
  return undefined;
}

/**
 * `pnpm [run] <script> args` → the last simple command of that package.json script, with the
 * args appended (what pnpm does); `pnpm exec`, `pnpm turbo`, ... are not scripts.
 */
function pnpmScript(
  words: readonly string[],
  scripts: Readonly<Record<string, string>>,
): string[] | undefined {
  if (words[0] !== 'pnpm') return undefined;
  const rest = words.slice(1).filter((w, i) => !(i === 0 && (w === '-s' || w === '--silent')));
  const [first, ...afterFirst] = rest;
  const [name, ...args] = first === 'run' ? afterFirst : rest;
  if (!name || name.startsWith('-') || !(name in scripts)) return undefined;
  const commands = simpleCommands(shellParse(scripts[name]!));
  const last = commands[commands.length - 1];
  return last ? [...last, ...args] : undefined;
}

/**
 * @param values the workflow's `${{ ... }}` expressions (trimmed text) and their representative values
 * @param runnerEnv variables the runner sets (`GITHUB_OUTPUT`, ...)
 */
export function workflowCommands(
  root: string,
  file: string,
  values: Readonly<Record<string, string>>,
  runnerEnv: Readonly<Record<string, string>> = {},
): WorkflowCommand[] {
  const workflow = parseYaml(readFileSync(path.join(root, file), 'utf8')) as Workflow;
  const scripts = (
    JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  const found: WorkflowCommand[] = [];
  for (const [jobId, job] of Object.entries(workflow.jobs ?? {})) {
    for (const [index, step] of (job.steps ?? []).entries()) {
      if (!step.run) continue;
      const where = `${file} job ${jobId} step ${step.name ?? index + 1}`;
      const env = { ...runnerEnv, ...workflow.env, ...job.env, ...step.env } as Record<string, unknown>;
      const lookup = (key: string): string =>
        key in env ? expandExpressions(String(env[key]), values) : MISSING(`$${key}`);
      for (const line of step.run.split('\n')) {
        const expanded = expandExpressions(line, values);
        for (const words of simpleCommands(shellParse(expanded, lookup))) {
          const viaPnpm = pnpmScript(words, scripts);
          const target = nodeScript(viaPnpm ?? words);
          if (!target) continue;
          const missing = target.args.map((arg) => MISSING_RE.exec(arg)?.[1]).find(Boolean);
          if (missing) throw new Error(`${where}: no value for ${missing} in: ${line.trim()}`);
          found.push({ where, line: line.trim(), script: target.script, argv: target.args });
        }
      }
    }
  }
  return found;
}
