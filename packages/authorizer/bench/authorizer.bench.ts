/**
 * The authorizer: cold import of its deployment-shaped bundle as a ratio to a bare `node -e 0`
 * start measured in the same run (both without NODE_EXTRA_CA_CERTS, which adds ~90 ms to every
 * Node 20 start here), and warm verification throughput for HS256 and RS256 tokens, one
 * verification at a time (one core: jose's WebCrypto calls are awaited one by one).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Bench, type BenchReport, median, timeNode, timingEnv } from '@snapstack/bench-kit';
import { AUTH_ISSUERS_ENV, authorizerIssuers } from '@snapstack/domain/issuers';
import { routes } from '@snapstack/domain/routes';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { staticSecret } from '../src/adapters/shared-secret.js';
import { makeAuthorize } from '../src/use-cases/authorize.js';
import { type IssuerPolicy, makeVerifyBearer } from '../src/use-cases/verify-token.js';

const COLD_RUNS = 15;
const WARM_MS = 1500;
const SECRET = 'bench-secret-bench-secret-bench-secret-0123';

async function verificationsPerSecond(verify: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i += 1) await verify(); // warm: JIT, key import, caches
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < WARM_MS) {
    await verify();
    count += 1;
  }
  return count / ((performance.now() - started) / 1000);
}

export default (async (ctx) => {
  // Deployment shape: the domain layer and the AWS SDK are external, resolved from the
  // package as Lambda resolves them from the layer and the runtime.
  const { outfile } = await ctx.bundleFunction('authorizer');
  const outDir = path.dirname(outfile);
  const baseEnv = timingEnv({ LOG_LEVEL: 'ERROR' });
  const importBundle = [
    '--input-type=module',
    '-e',
    `await import(${JSON.stringify(pathToFileURL(outfile).href)})`,
  ];
  const configs = {
    'SSM secret (AWS default)': {
      ...baseEnv,
      AUTH_JWT_SECRET_PARAMETER: '/snapstack/bench/auth/jwt-secret',
      [AUTH_ISSUERS_ENV]: JSON.stringify(authorizerIssuers()),
    },
    'SSM secret + JWKS (Cognito)': {
      ...baseEnv,
      AUTH_JWT_SECRET_PARAMETER: '/snapstack/bench/auth/jwt-secret',
      [AUTH_ISSUERS_ENV]: JSON.stringify(
        authorizerIssuers({
          issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_bench',
          jwksUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_bench/.well-known/jwks.json',
          clientId: 'bench-client',
        }),
      ),
    },
  };
  // The peer that isolates our own cost: node loading the SSM client the runtime provides, which
  // Powertools Parameters imports statically (esbuild hoists external imports to the top).
  const sdkOnly = ['--input-type=module', '-e', "await import('@aws-sdk/client-ssm')"];
  const sdk: number[] = [];
  const bare: number[] = [];
  const cold: Record<string, number[]> = Object.fromEntries(Object.keys(configs).map((k) => [k, []]));
  for (let i = 0; i < COLD_RUNS; i += 1) {
    // Interleaved, so drift on a shared machine hits both sides alike.
    bare.push(timeNode(['-e', '0'], baseEnv));
    sdk.push(timeNode(sdkOnly, baseEnv, { cwd: outDir }));
    for (const [name, env] of Object.entries(configs)) cold[name]?.push(timeNode(importBundle, env));
  }
  const bareMs = median(bare);
  const sdkMs = median(sdk);
  ctx.log(`bare node: ${bareMs.toFixed(1)} ms (median of ${COLD_RUNS})`);

  // Warm verification, through the same use cases the handler runs.
  const policy = (algorithms: IssuerPolicy['algorithms']): IssuerPolicy => ({
    issuer: 'snapstack',
    audience: 'snapstack-api',
    audienceClaim: 'aud',
    algorithms,
    clockToleranceSeconds: 30,
  });
  const claims = { scope: 'users:write' };
  const hsToken = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench')
    .setIssuer('snapstack')
    .setAudience('snapstack-api')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRET));
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' };
  const rsToken = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
    .setSubject('bench')
    .setIssuer('snapstack')
    .setAudience('snapstack-api')
    .setExpirationTime('1h')
    .sign(privateKey);
  const verifyHs = makeVerifyBearer([{ policy: policy(['HS256']), resolveKey: staticSecret(SECRET) }]);
  // A fetched remote key set behaves as this local one: the key is resolved by kid from memory.
  const verifyRs = makeVerifyBearer([
    { policy: policy(['RS256']), resolveKey: createLocalJWKSet({ keys: [jwk] }) },
  ]);
  const authorizeHs = makeAuthorize(verifyHs, routes);
  const event = {
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc/prod/POST/users',
    headers: { Authorization: `Bearer ${hsToken}` },
  } as never;
  const hs = await verificationsPerSecond(() => verifyHs(`Bearer ${hsToken}`));
  const rs = await verificationsPerSecond(() => verifyRs(`Bearer ${rsToken}`));
  const full = await verificationsPerSecond(() => authorizeHs(event));

  const rows = [
    { measure: 'bare node -e 0', value: bareMs, unit: 'ms (median)' },
    {
      measure: 'node importing @aws-sdk/client-ssm only',
      value: sdkMs,
      unit: `ms (median; ${(sdkMs / bareMs).toFixed(2)}x bare)`,
    },
    ...Object.entries(cold).map(([name, runs]) => ({
      measure: `cold import, ${name}`,
      value: median(runs),
      unit: `ms (median; ${(median(runs) / bareMs).toFixed(2)}x bare)`,
    })),
    { measure: 'HS256 verify', value: hs, unit: 'verifications/s' },
    { measure: 'RS256 verify (2048-bit)', value: rs, unit: 'verifications/s' },
    { measure: 'HS256 verify + policy for all routes', value: full, unit: 'authorizations/s' },
  ];
  const ssmMs = median(cold['SSM secret (AWS default)'] ?? []);
  const ssmRatio = ssmMs / bareMs;
  const overSdk = ssmMs / sdkMs;
  return {
    name: 'authorizer',
    title: 'Authorizer: cold import vs bare node, warm verification throughput (one core)',
    rows,
    targets: [
      { name: 'cold import / bare node (SSM config)', value: ssmRatio, target: 'reported', pass: true },
      {
        name: 'cold import / node + SSM client alone',
        value: overSdk,
        target: '<= 1.5x',
        pass: overSdk <= 1.5,
      },
      { name: 'HS256 verifications/s', value: hs, target: '>= 1000 (< 1 ms each)', pass: hs >= 1000 },
      { name: 'RS256 verifications/s', value: rs, target: '>= 1000 (< 1 ms each)', pass: rs >= 1000 },
    ],
    notes: [
      'cold import: a fresh `node` importing the deployed bundle (handler + jose + Powertools Parameters; the domain layer and the AWS SDK external as in Lambda), NODE_EXTRA_CA_CERTS unset for both sides.',
      'no SSM or JWKS call happens at import: keys are fetched on the first verification and cached.',
    ],
  } satisfies BenchReport;
}) satisfies Bench;
