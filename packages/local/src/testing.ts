/**
 * Test support: starts an isolated local runner (in-memory emulators, free port) and offers a
 * small JSON client over real HTTP. Every test file gets its own runner, so tests never share data.
 *
 * @example
 * const app = await startTestRunner();
 * const res = await app.request('POST', '/users', { json: { name: 'Ada', age: 36, email: 'a@b.io' } });
 */
import { createServer, type LocalRunner, type LocalRunnerOptions } from './server.js';

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON (undefined when empty); `any` so assertions can reach into it. */
  // biome-ignore lint/suspicious/noExplicitAny: test responses are asserted on, not trusted
  readonly body: any;
}

export interface TestRunner extends LocalRunner {
  request(
    method: string,
    path: string,
    options?: { json?: unknown; body?: string | Uint8Array; headers?: Record<string, string> },
  ): Promise<TestResponse>;
}

export async function startTestRunner(options: LocalRunnerOptions = {}): Promise<TestRunner> {
  const runner = await createServer({
    port: 0,
    dataDir: undefined,
    watch: false,
    log: () => undefined,
    ...options,
  });
  return {
    ...runner,
    async request(method, path, { json, body, headers = {} } = {}) {
      const res = await fetch(`${runner.url}${path}`, {
        method,
        headers: json !== undefined ? { 'content-type': 'application/json', ...headers } : headers,
        ...(json !== undefined ? { body: JSON.stringify(json) } : body !== undefined ? { body } : {}),
      });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, headers: res.headers, text, body: parsed };
    },
  };
}
