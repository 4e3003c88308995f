/**
 * What a change affects: the changed files between two commits mapped to workspace packages, their
 * dependents, the vitest projects to run and the stacks to deploy. CI, the deploy workflow and
 * contributors (`pnpm exec tsx tools/delivery/affected.ts --base origin/main`) all use this one
 * answer.
 *
 * Files outside every package are conservative: docs and Markdown affect nothing, delivery config
 * (.github/, tools/delivery/, .changeset/config.json) affects only the `tools` checks, anything else (lockfile,
 * tsconfig.base.json, turbo.json, vitest.config.ts, ...) affects every package. Turbo's own
 * `--affected` ignores such root files, which is why the mapping is done here and handed to turbo
 * as `--filter` flags.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { affectedStacks } from './affected-stacks.js';
import { runWhenMain } from './command.js';
import { REPO_ROOT, readWorkspace, type WorkspacePackage, withDependents } from './workspace.js';

/** The vitest project under tools/ (delivery checks, bench, bundler). */
export const TOOLS_PROJECT = 'tools';

export type FileClass =
  | { readonly kind: 'package'; readonly name: string }
  | { readonly kind: 'inert' }
  | { readonly kind: 'delivery' }
  | { readonly kind: 'global' };

export interface Affected {
  /** True when every package is affected (root change, or no usable base commit). */
  readonly all: boolean;
  readonly packages: readonly string[];
  /** `vitest --project` names: affected packages that have tests, plus `tools`. */
  readonly vitestProjects: readonly string[];
  readonly stacks: readonly string[];
  readonly manualStacks: readonly string[];
}

export function classifyFile(file: string, workspace: readonly WorkspacePackage[]): FileClass {
  const owner = workspace
    .filter((pkg) => file.startsWith(`${pkg.dir}/`))
    .sort((a, b) => b.dir.length - a.dir.length)[0];
  if (owner) return { kind: 'package', name: owner.name };
  if (file.startsWith('docs/') || (!file.includes('/') && file.endsWith('.md'))) return { kind: 'inert' };
  if (file.startsWith('.changeset/') && file.endsWith('.md')) return { kind: 'inert' };
  if (
    file.startsWith('.github/') ||
    file.startsWith('tools/delivery/') ||
    file === '.changeset/config.json'
  ) {
    return { kind: 'delivery' };
  }
  return { kind: 'global' };
}

function hasVitestProject(root: string, dir: string): boolean {
  return ['vitest.config.ts', 'vitest.config.mts', 'vitest.config.js', 'vitest.config.mjs'].some((file) =>
    existsSync(path.join(root, dir, file)),
  );
}

/** @param changedFiles repository-relative paths, or `'all'` when there is no base to diff against */
export function computeAffected(
  changedFiles: readonly string[] | 'all',
  workspace: readonly WorkspacePackage[],
  root: string = REPO_ROOT,
): Affected {
  const direct = new Set<string>();
  let all = changedFiles === 'all';
  let delivery = false;
  for (const file of changedFiles === 'all' ? [] : changedFiles) {
    const cls = classifyFile(file, workspace);
    if (cls.kind === 'package') direct.add(cls.name);
    else if (cls.kind === 'global') all = true;
    else if (cls.kind === 'delivery') delivery = true;
  }
  const affected = all ? new Set(workspace.map((pkg) => pkg.name)) : withDependents(workspace, direct);
  const packages = workspace.filter((pkg) => affected.has(pkg.name));
  const vitestProjects = packages.filter((pkg) => hasVitestProject(root, pkg.dir)).map((pkg) => pkg.name);
  if (packages.length > 0 || delivery) vitestProjects.push(TOOLS_PROJECT);
  const stacks = affectedStacks(
    packages.map((pkg) => pkg.name),
    workspace.map((pkg) => pkg.name),
  );
  return {
    all,
    packages: packages.map((pkg) => pkg.name),
    vitestProjects,
    stacks: stacks.deploy,
    manualStacks: stacks.manual,
  };
}

/** Changed files between `base` and `head`, or `'all'` when `base` is absent or not a known commit. */
export function changedFilesSince(
  base: string | undefined,
  head = 'HEAD',
  cwd = REPO_ROOT,
): string[] | 'all' {
  if (!base || /^0+$/.test(base)) return 'all';
  try {
    execFileSync('git', ['cat-file', '-e', `${base}^{commit}`], { cwd, stdio: 'ignore' });
  } catch {
    return 'all';
  }
  const out = execFileSync('git', ['diff', '--name-only', '--no-renames', `${base}...${head}`], {
    cwd,
    encoding: 'utf8',
  });
  return out.split('\n').filter((line) => line !== '');
}

/**
 * Key/value lines for `$GITHUB_OUTPUT`, each value on one line. `lint-args` narrows biome to the
 * changed files (lint findings depend only on the file and the config, so no dependents are
 * needed); after a root change (biome.json among them) or without a base it lints everything.
 */
export function githubOutputs(result: Affected, base?: string): Record<string, string> {
  return {
    'lint-args': result.all || !base ? '' : `--changed --since=${base} --no-errors-on-unmatched`,
    all: String(result.all),
    any: String(result.vitestProjects.length > 0),
    packages: JSON.stringify(result.packages),
    'turbo-filters': result.packages.map((name) => `--filter=${name}`).join(' '),
    'vitest-args': result.vitestProjects.map((name) => `--project=${name}`).join(' '),
    stacks: result.stacks.join(','),
    'manual-stacks': result.manualStacks.join(','),
    synth: String(result.stacks.length > 0),
  };
}

/** Appends step outputs when running in GitHub Actions; a no-op elsewhere. */
export function appendGithubOutputs(outputs: Record<string, string>): void {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by the GitHub Actions runner, not a turbo input
  const file = process.env.GITHUB_OUTPUT;
  if (!file) return;
  appendFileSync(
    file,
    Object.entries(outputs)
      .map(([key, value]) => `${key}=${value}\n`)
      .join(''),
  );
}

export const AFFECTED_USAGE = 'usage: affected.ts [--base <ref>] [--head <ref>] [--all]';

export type AffectedArgs =
  | { readonly kind: 'run'; readonly base?: string; readonly head: string; readonly all: boolean }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

/** Parses the command line (without node and the script); pure, for the workflow tests. */
export function parseAffectedArgs(argv: readonly string[]): AffectedArgs {
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        base: { type: 'string' },
        head: { type: 'string', default: 'HEAD' },
        all: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) return { kind: 'help' };
    return { kind: 'run', head: values.head, all: values.all, ...(values.base ? { base: values.base } : {}) };
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
}

runWhenMain(import.meta.filename, parseAffectedArgs, AFFECTED_USAGE, (options) => {
  const files = options.all ? 'all' : changedFilesSince(options.base, options.head);
  const result = computeAffected(files, readWorkspace());
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  appendGithubOutputs(githubOutputs(result, options.all ? undefined : options.base));
});
