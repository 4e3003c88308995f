/**
 * Loads the real handler modules, bundled by esbuild from the same entry files infra
 * deploys, and reloads one when any source file it was built from changes.
 *
 * Workspace packages (`@snapstack/*`) are bundled from source so an edit to the domain layer
 * reloads too; every other package stays external and is loaded by Node from the package's
 * own node_modules, as Lambda loads it from the bundle's directory.
 *
 * Each function runs against its own environment object: esbuild's `define` replaces
 * `process.env` in the bundled code (the handler's package and the domain layer) with a
 * constant of the bundle, so functions of different packages never see each other's settings
 * and the runner's own `process.env` is never written. Third-party externals still read the
 * real `process.env`; what they need (SDK region, endpoint, credentials; Powertools' service
 * name and log level) is passed to them explicitly from the function's environment
 * (domain aws.ts `awsClientConfig`, logger.ts `createLogger`).
 */
import { type FSWatcher, mkdirSync, rmSync, watch } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import type { HandlerSource, LambdaHandler } from './invoke.js';

export interface HostedFunction {
  readonly id: string;
  /** Absolute path of the package the function ships from; bundles land here so externals resolve. */
  readonly packageDir: string;
  /** Absolute path of the entry module. */
  readonly entry: string;
  readonly exportName?: string;
  /** The function's own environment (lambda/environment.ts); without one it reads `process.env`. */
  readonly environment?: Readonly<Record<string, string>>;
}

/** The bundle-local constant that stands in for `process.env` in a function's code. */
const FUNCTION_ENV = '__snapstackFunctionEnv';

/**
 * Where a bundle finds its environment object while it is first evaluated: handed over in
 * memory, never written into the bundle file (it holds the dev JWT secret and the shell's
 * variables). The bundle keeps its reference; the entry is removed once the import settled.
 */
const REGISTRY_KEY = 'snapstack.functionEnvironments';
const REGISTRY = Symbol.for(REGISTRY_KEY);
type Registry = Map<string, Readonly<Record<string, string>>>;
const holder = globalThis as { [REGISTRY]?: Registry };
holder[REGISTRY] ??= new Map();
const registry: Registry = holder[REGISTRY];

interface Loaded {
  readonly handler: LambdaHandler;
  readonly inputs: ReadonlySet<string>;
}

/**
 * Keeps third-party packages external, but pinned to the file they resolve to from the
 * importing package: pnpm installs strictly, so `@aws-lambda-powertools/logger` imported by
 * the domain layer resolves from the domain package — as it does from the layer in Lambda.
 */
const externalThirdParty: Plugin = {
  name: 'external-third-party',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('@snapstack/') || args.pluginData === 'resolving') return undefined;
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      if (resolved.errors.length > 0 || !resolved.path) return { path: args.path, external: true };
      return { path: pathToFileURL(resolved.path).href, external: true };
    });
  },
};

/**
 * Module-wide, not per host: a URL Node has imported once is never re-read, so a per-host
 * counter would hand a second runner in the same process the first one's module (and the
 * configuration it read at its cold start).
 */
let generation = 0;

export class FunctionHost implements HandlerSource {
  private readonly loaded = new Map<string, Promise<Loaded>>();
  private readonly functions = new Map<string, HostedFunction>();
  private watcher: FSWatcher | undefined;

  constructor(
    functions: readonly HostedFunction[],
    private readonly onReload: (id: string) => void = () => undefined,
  ) {
    for (const fn of functions) this.functions.set(fn.id, fn);
  }

  async handler(id: string): Promise<LambdaHandler> {
    let loading = this.loaded.get(id);
    if (!loading) {
      loading = this.load(id);
      this.loaded.set(id, loading);
      loading.catch(() => this.loaded.delete(id)); // a broken build is retried on the next call
    }
    return (await loading).handler;
  }

  /** Builds every function now, so the first request does not pay for it. */
  async warmAll(): Promise<void> {
    await Promise.all([...this.functions.keys()].map((id) => this.handler(id)));
  }

  /** Watches the given source roots; a change drops every function built from that file. */
  watch(roots: readonly string[]): void {
    const watchers = roots.map((root) =>
      watch(root, { recursive: true }, (_event, file) => {
        if (!file) return;
        this.invalidate(path.resolve(root, file.toString()));
      }),
    );
    this.watcher = {
      close: () => {
        for (const w of watchers) w.close();
      },
    } as FSWatcher;
  }

  invalidate(changedFile: string): void {
    for (const [id, loading] of this.loaded) {
      loading.then(
        (loaded) => {
          if (loaded.inputs.has(changedFile) && this.loaded.get(id) === loading) {
            this.loaded.delete(id);
            this.onReload(id);
          }
        },
        () => undefined,
      );
    }
  }

  close(): void {
    this.watcher?.close();
  }

  private async load(id: string): Promise<Loaded> {
    const fn = this.functions.get(id);
    if (!fn) throw new Error(`no function "${id}" is registered`);
    const outDir = path.join(fn.packageDir, '.snapstack', 'local');
    mkdirSync(outDir, { recursive: true });
    // One file per build: runners in parallel test workers (or `pnpm dev` beside a test run) must
    // never import a bundle another process is halfway through writing.
    const buildNumber = ++generation;
    const outfile = path.join(outDir, `${id}-${process.pid}-${buildNumber}.mjs`);
    const result = await build({
      entryPoints: [fn.entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['@snapstack/source'],
      sourcemap: 'inline',
      metafile: true,
      logLevel: 'silent',
      plugins: [externalThirdParty],
      ...(fn.environment
        ? {
            define: { 'process.env': FUNCTION_ENV },
            banner: {
              js: `const ${FUNCTION_ENV} = { ...globalThis[Symbol.for(${JSON.stringify(REGISTRY_KEY)})].get(${JSON.stringify(outfile)}) };`,
            },
          }
        : {}),
    });
    const inputs = new Set(Object.keys(result.metafile.inputs).map((p) => path.resolve(p)));
    // A query string gives the new build its own module record; Node never re-reads a URL.
    const url = `${pathToFileURL(outfile).href}?v=${buildNumber}`;
    let mod: Record<string, unknown>;
    if (fn.environment) registry.set(outfile, fn.environment);
    try {
      mod = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
    } finally {
      registry.delete(outfile);
      rmSync(outfile, { force: true }); // loaded (or failed); the module lives on in memory
    }
    const handler = mod[fn.exportName ?? 'handler'];
    if (typeof handler !== 'function')
      throw new Error(`${fn.entry} does not export "${fn.exportName ?? 'handler'}"`);
    return { handler: handler as LambdaHandler, inputs };
  }
}
