import { createServer, type Server } from 'node:net';
import { LOCAL_REGION } from '@snapstack/domain/aws';
import { PortInUseError } from '../cli/errors.js';

/** Listens on a free loopback port. */
export function listen(server: Server, port = 0): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Fails fast with `PortInUseError` when a fixed port is taken (0, any free port, always passes). */
export async function assertPortFree(port: number, setting: PortInUseError['setting']): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  try {
    await listen(probe, port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new PortInUseError(port, setting, { cause: error });
    throw error;
  } finally {
    if (probe.listening) await new Promise((resolve) => probe.close(resolve));
  }
}

/**
 * SDK settings for the local emulators: never a real AWS endpoint. Path-style addressing, since the
 * emulators serve every bucket on one host; checksums only when an operation requires them, since
 * s3rver would otherwise store the SDK's aws-chunked framing inside the object.
 */
export function localClientConfig(endpoint: string) {
  return {
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
  };
}
