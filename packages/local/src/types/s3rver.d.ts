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

  /** The Koa application s3rver is (only what the runner touches). */
  class S3rver {
    constructor(options?: S3rverOptions);
    middleware: ((ctx: any, next: () => Promise<void>) => Promise<void>)[];
    httpServer?: Server;
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
    on(event: 'event', listener: (event: { Records: any[] }) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }
  export default S3rver;
}
