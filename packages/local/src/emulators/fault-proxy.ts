/**
 * A fault-injecting HTTP proxy in front of a local DynamoDB endpoint, for tests that must show
 * what happens when a write fails (or the process dies) between two writes. Production code is
 * untouched: the handlers simply talk to this endpoint. A call the `fault` function picks is
 * answered with a non-retryable DynamoDB error and never reaches the emulator.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { headerValue } from '@snapstack/domain/headers';
import { listen } from './support.js';

export interface DynamoDbCall {
  /** `PutItem`, `UpdateItem`, `Query`, ... */
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

/** Returns true to fail this call. */
export type DynamoDbFault = (call: DynamoDbCall) => boolean;

export async function startFaultProxy(target: string, fault: DynamoDbFault) {
  const upstream = new URL(target);
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const operation = headerValue(req.headers, 'x-amz-target')?.split('.').pop() ?? '';
    let input: Record<string, unknown> = {};
    try {
      input = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      // not JSON: forward as is
    }
    if (fault({ operation, input })) {
      const payload = JSON.stringify({
        __type: 'com.amazon.coral.validate#ValidationException',
        message: `injected fault: ${operation} failed`,
      });
      res.writeHead(400, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(payload),
      });
      res.end(payload);
      return;
    }
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 500, up.headers);
        up.pipe(res);
      },
    );
    forward.on('error', (error) => res.destroy(error));
    forward.end(body);
  });
  await listen(server);
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
