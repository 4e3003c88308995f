/**
 * The runner bench's stand-in for a Lambda execution environment, so a cold start is measured on
 * what Lambda loads: each function's zip from the packager unpacked as its task root, the layer
 * zip unpacked as `/opt`, the SDK copy the nodejs22.x runtime provides as `/var/runtime`, all
 * under one temporary root, run by Node 22 (the runtime's major) with NODE_PATH as Lambda sets it.
 *
 * ESM ignores NODE_PATH; Lambda's runtime resolves an ES module handler's bare imports from the
 * function's `node_modules`, then the layer's, then its own. Here the same order comes from
 * where things sit: Node walks up from `<root>/fn/<id>/` through `<root>/fn/node_modules` (a
 * link to the layer's `nodejs/node_modules`) to `<root>/node_modules` (the runtime's SDK).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FunctionDefinition, FunctionId } from '@snapstack/domain/functions';
import { functions } from '@snapstack/domain/functions';
import {
  type Artifacts,
  pinnedVersion,
  stageNativeDependency,
  unzipInto,
} from '@snapstack/packager/artifacts';
import { REPO_ROOT } from '@snapstack/packager/bundle';

/** The Node the bench runs functions with: the nodejs22.x runtime's major, pinned. */
export const LAMBDA_NODE_VERSION = '22.23.3';
/** Outside the repository's tracked files; survives between runs so Node 22 installs once. */
const CACHE_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'snapstack-bench');

export interface LambdaNode {
  readonly path: string;
  readonly version: string;
  /** Set when Node 22 could not be installed and the bench fell back to the current Node. */
  readonly note?: string;
}

/** Node 22 from npm (`node@22` ships the binary), installed once into the cache; else this Node. */
export function lambdaNode(): LambdaNode {
  const prefix = path.join(CACHE_DIR, `node-${LAMBDA_NODE_VERSION}`);
  const binary = path.join(prefix, 'node_modules', 'node', 'bin', 'node');
  try {
    if (!existsSync(binary)) {
      mkdirSync(prefix, { recursive: true });
      writeFileSync(path.join(prefix, 'package.json'), '{"private":true}\n');
      execFileSync(
        'npm',
        ['install', '--no-audit', '--no-fund', '--prefix', prefix, `node@${LAMBDA_NODE_VERSION}`],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    }
    const version = execFileSync(binary, ['-v']).toString().trim();
    return { path: binary, version };
  } catch (error) {
    return {
      path: process.execPath,
      version: process.version,
      note: `Node ${LAMBDA_NODE_VERSION} could not be installed (${(error as Error).message.split('\n')[0]}); measured with ${process.version}`,
    };
  }
}

export interface Sandbox {
  readonly root: string;
  /** A function's task root (Lambda's /var/task) and the NODE_PATH Lambda would give it. */
  stage(id: FunctionId): { taskRoot: string; env: Record<string, string> };
}

/** Unpacks the layer and links the runtime's SDK once; functions are staged on demand. */
export function createSandbox(artifacts: Artifacts, root: string): Sandbox {
  const opt = path.join(root, 'opt');
  unzipInto(artifacts.layer.zipFile, opt);
  const runtimeModules = path.join(root, 'runtime', 'node_modules');
  linkRuntimeSdk(runtimeModules);
  symlinkSync(runtimeModules, path.join(root, 'node_modules'));
  mkdirSync(path.join(root, 'fn'), { recursive: true });
  symlinkSync(path.join(opt, 'nodejs', 'node_modules'), path.join(root, 'fn', 'node_modules'));
  return {
    root,
    stage(id) {
      const taskRoot = path.join(root, 'fn', id);
      if (!existsSync(taskRoot)) {
        unzipInto(artifacts.functions[id].zipFile, taskRoot);
        replaceNativeDependencies(id, taskRoot);
      }
      const nodePath = [
        path.join(opt, 'nodejs', 'node22', 'node_modules'),
        path.join(opt, 'nodejs', 'node_modules'),
        runtimeModules,
        path.dirname(runtimeModules),
        taskRoot,
      ].join(':');
      return { taskRoot, env: { NODE_PATH: nodePath, LAMBDA_TASK_ROOT: taskRoot } };
    },
  };
}

/**
 * The artefact carries native packages for Lambda's linux-arm64; the bench's host may not run
 * them, so the same pinned versions are installed for the host (cached) in their place.
 */
function replaceNativeDependencies(id: FunctionId, taskRoot: string): void {
  const fn: FunctionDefinition = functions[id];
  const host = { os: process.platform, cpu: process.arch, libc: 'glibc' };
  for (const name of fn.nativeDependencies ?? []) {
    const staged = stageNativeDependency(name, pinnedVersion(fn.package, name), CACHE_DIR, host);
    execFileSync('cp', ['-R', `${path.join(staged, 'node_modules')}/.`, path.join(taskRoot, 'node_modules')]);
  }
}

/**
 * The runtime's SDK: every `@aws-sdk/*` package a workspace package depends on, linked from
 * where pnpm installed it (its own dependencies resolve beside it there).
 */
function linkRuntimeSdk(runtimeModules: string): void {
  mkdirSync(path.join(runtimeModules, '@aws-sdk'), { recursive: true });
  const linked = new Set<string>();
  for (const pkg of ['domain', 'users', 'metadata-api', 'thumbnailer', 'authorizer']) {
    const dir = path.join(REPO_ROOT, 'packages', pkg);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const names = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
    const require = createRequire(path.join(dir, 'package.json'));
    for (const name of names.filter((n) => n.startsWith('@aws-sdk/') && !linked.has(n))) {
      const source = realpathSync(path.dirname(require.resolve(`${name}/package.json`)));
      symlinkSync(source, path.join(runtimeModules, name));
      linked.add(name);
    }
  }
}
