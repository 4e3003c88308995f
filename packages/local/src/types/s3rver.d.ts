declare module 's3rver' {
  import type { Server } from 'node:http';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  /** The slice of a Koa context the runner's middleware touches. */
  interface S3rverContext {
    method: string;
    request: { headers: Record<string, string | string[] | undefined> };
    req: import('node:stream').Readable;
  }

  /** An S3 event record as s3rver emits it (keys not URL-encoded). */
  interface S3rverRecord {
    eventName: string;
    requestParameters?: { sourceIPAddress?: string };
    s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
  }

  /** The Koa application s3rver is (only what the runner touches). */
  class S3rver {
    constructor(options?: S3rverOptions);
    middleware: ((ctx: S3rverContext, next: () => Promise<void>) => Promise<void>)[];
    httpServer?: Server;
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
    on(event: 'event', listener: (event: { Records?: S3rverRecord[] }) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }
  export default S3rver;
}
