/**
 * The local runner's errors: what stops `pnpm dev` from starting for a reason the user can
 * fix. The CLI prints their message as one line, without a stack trace.
 */
export class LocalRunnerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Another live process holds the data directory's lock. */
export class DataDirInUseError extends LocalRunnerError {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `another Snapstack runner (PID ${pid}) is using ${dataDir}; stop it (kill ${pid}) or use another data directory (SNAPSTACK_DATA_DIR=...)`,
    );
  }
}

/** A port the runner was told to listen on is taken. */
export class PortInUseError extends LocalRunnerError {
  constructor(
    readonly port: number,
    /** Which setting chose it, to name the way out. */
    readonly setting: 'port' | 's3Port' | 'oidcPort' | 'deliveryPort',
    options?: ErrorOptions,
  ) {
    const { what, hint } = {
      port: {
        what: 'port',
        hint: `PORT=${port + 1} pnpm dev, or pnpm dev --port ${port + 1} (0 picks a free port)`,
      },
      s3Port: {
        what: 'S3 port',
        hint: `S3_PORT=${port + 1} pnpm dev, or pnpm dev --s3-port 0 (any free port)`,
      },
      oidcPort: {
        what: 'OpenID provider port',
        hint: `OIDC_PORT=${port + 1} pnpm dev, or pnpm dev --oidc-port ${port + 1} (tokens name the port in iss)`,
      },
      deliveryPort: {
        what: 'thumbnail delivery port',
        hint: `DELIVERY_PORT=${port + 1} pnpm dev, or pnpm dev --delivery-port 0 (any free port)`,
      },
    }[setting];
    super(`${what} ${port} is already in use; try ${hint}`, options);
  }
}
