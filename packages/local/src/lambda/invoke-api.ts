/**
 * Lambda's Invoke API (`POST /2015-03-31/functions/{name}/invocations`), so a function can
 * invoke another through the SDK as in AWS (the pending-image sweeper re-drives the thumbnailer
 * this way). `Event` invocations are journalled before the 202 (Lambda's async queue is durable)
 * and handed to the runner's async invoker; `RequestResponse` runs the handler and answers its
 * result; `DryRun` answers 204.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { headerValue } from '@snapstack/domain/headers';
import { listen } from '../emulators/support.js';
import { EventJournal, type JournalEntry } from './event-journal.js';
import type { InvokeOutcome } from './invoke.js';

export interface LambdaTarget {
  /** Queue an asynchronous invoke; `onHandled` removes it from the journal. */
  invokeAsync(
    functionId: string,
    event: unknown,
    options: { receivedAt: number; onHandled: () => void },
  ): void;
  /** Run the function now (lambda/invoke.ts) and return its outcome. */
  invokeSync(functionId: string, event: unknown): Promise<InvokeOutcome>;
}

export interface LambdaEmulator {
  readonly endpoint: string;
  /** Starts delivery of `Event` invokes, the journalled ones first. */
  connect(target: LambdaTarget): void;
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

function sendError(res: ServerResponse, status: number, type: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  res.end(JSON.stringify({ Type: 'User', message }));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startLambda(options: {
  /** Physical function name -> catalog id. */
  readonly functionIds: ReadonlyMap<string, string>;
  /** `<dataDir>/lambda-events`, or undefined to keep nothing. */
  readonly journalDir: string | undefined;
  readonly log: (line: string) => void;
}): Promise<LambdaEmulator> {
  const journal = new EventJournal(options.journalDir, options.log);
  let target: LambdaTarget | undefined;
  const deliver = (entry: JournalEntry) =>
    target?.invokeAsync(entry.functionId, entry.event, {
      receivedAt: entry.receivedAt,
      onHandled: () => journal.remove(entry.id),
    });

  const server = createServer((req, res) => {
    const handle = async () => {
      const match = INVOKE_PATH.exec(new URL(req.url ?? '/', 'http://lambda').pathname);
      if (req.method !== 'POST' || !match)
        return sendError(res, 404, 'UnknownOperationException', 'Unknown operation');
      // A name, or an ARN whose last `function:` segment is the name (qualifiers are not versioned locally).
      const name = decodeURIComponent(match[1]!).split(':function:').pop()!.split(':')[0]!;
      const functionId = options.functionIds.get(name);
      if (!functionId) return sendError(res, 404, 'ResourceNotFoundException', `Function not found: ${name}`);
      const body = await readBody(req);
      let event: unknown;
      try {
        event = body.length > 0 ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        return sendError(
          res,
          400,
          'InvalidRequestContentException',
          'Could not parse request body into json',
        );
      }
      const type = headerValue(req.headers, 'x-amz-invocation-type') ?? 'RequestResponse';
      if (type === 'DryRun') return res.writeHead(204).end();
      if (type === 'Event') {
        deliver(journal.append(functionId, event));
        return res.writeHead(202).end();
      }
      if (type !== 'RequestResponse' || !target)
        return sendError(res, 400, 'InvalidParameterValueException', `Unsupported invocation type ${type}`);
      const outcome = await target.invokeSync(functionId, event);
      if (outcome.ok) {
        res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
        return res.end(JSON.stringify(outcome.result));
      }
      // A function error is still a 200 from the Invoke API: the error is the payload.
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-amz-executed-version': '$LATEST',
        'x-amz-function-error': 'Unhandled',
      });
      res.end(JSON.stringify(outcome.error));
    };
    handle().catch((error) => {
      options.log(`lambda endpoint: ${String(error)}`);
      if (!res.headersSent) sendError(res, 500, 'ServiceException', 'internal error');
      else res.destroy();
    });
  });
  await listen(server);
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    connect(next) {
      target = next;
      for (const entry of journal.entries()) deliver(entry);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
