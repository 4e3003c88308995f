/**
 * The environment a function gets, derived from the catalog: the one derivation infra deploys
 * and the local runner hands each function, so the two cannot differ.
 *
 * - the stage and the Powertools service name;
 * - the physical name of every table, bucket and SSM parameter its package's `config.ts` reads
 *   (a package's config is one module loaded by each of its handlers, so it is the union over
 *   the package's functions' `access`);
 * - the URLs of queues the code sends to (event source consumers and Lambda destinations need none);
 * - the physical names of the functions it invokes;
 * - the stage's CORS origins for functions that answer API routes (http.ts adds the headers);
 * - the issuer settings for the authorizer;
 * - where thumbnails are served, for functions that return image items.
 *
 * Tuning variables with defaults in code (THUMBNAIL_SIZES, MAX_UPLOAD_BYTES, ...) are not
 * here: a stage sets them only when it changes them, so each default lives once, in its
 * package's config.ts.
 */
import { apiSettings, corsOrigins } from './api-settings.js';
import { type BucketId, buckets } from './buckets.js';
import { CORS_ORIGINS_ENV } from './cors.js';
import { type FunctionDefinition, type FunctionId, functionNameEnvVar, functions } from './functions.js';
import { AUTH_ISSUERS_ENV, authorizerIssuers, type UserPoolEndpoints } from './issuers.js';
import { resourceName } from './naming.js';
import { type ParameterId, parameterName, parameters } from './parameters.js';
import { type QueueId, queues } from './queues.js';
import { routesServedBy } from './routes.js';
import { type TableId, tables } from './tables.js';

/** Physical names (or URLs) of a stage's resources, by domain id. */
export interface ResourceNames {
  readonly tables: Readonly<Record<TableId, string>>;
  readonly buckets: Readonly<Record<BucketId, string>>;
  readonly queueUrls: Readonly<Record<QueueId, string>>;
  /**
   * Where the images bucket's `thumbnails/` are served: a thumbnail's URL is
   * `${imageDeliveryUrl}/${key}` (the stage's CloudFront distribution, or the runner's local one).
   */
  readonly imageDeliveryUrl?: string;
  /** The stage's user pool (Cognito, or the local OpenID provider), when it has one. */
  readonly userPool?: UserPoolEndpoints;
  /** Where the stage serves the web app (its distribution): the first CORS origin (`corsOrigins`). */
  readonly webAppOrigin?: string;
}

/** Carries `ResourceNames.imageDeliveryUrl` to the functions that return image items. */
export const IMAGE_DELIVERY_URL_ENV = 'IMAGE_DELIVERY_URL';

export function functionEnvironment(
  id: FunctionId,
  stage: string,
  names: ResourceNames,
): Record<string, string> {
  const fn: FunctionDefinition = functions[id];
  const siblings = Object.values(functions as Record<string, FunctionDefinition>).filter(
    (f) => f.package === fn.package,
  );
  const used = <K extends string>(pick: (f: FunctionDefinition) => Partial<Record<K, unknown>> | undefined) =>
    [...new Set(siblings.flatMap((f) => Object.keys(pick(f) ?? {}) as K[]))].sort();
  const sentTo = [
    ...new Set(
      siblings.flatMap((f) =>
        Object.entries(f.access.sqs ?? {}).flatMap(([q, actions]) =>
          (actions as readonly string[]).includes('SendMessage') ? [q as QueueId] : [],
        ),
      ),
    ),
  ].sort();
  const callees = [...new Set(siblings.flatMap((f) => Object.keys(f.access.lambda ?? {})))].sort();
  // A function that only reads an index still names the table in its queries.
  const tablesUsed = used<TableId>((f) => ({ ...f.access.dynamodb, ...f.access.dynamodbIndexes }));
  return {
    SNAPSTACK_STAGE: stage,
    POWERTOOLS_SERVICE_NAME: fn.package,
    ...Object.fromEntries(tablesUsed.map((t) => [tables[t].envVar, names.tables[t]])),
    ...Object.fromEntries(
      used<BucketId>((f) => f.access.s3).map((b) => [buckets[b].envVar, names.buckets[b]]),
    ),
    ...Object.fromEntries(
      used<ParameterId>((f) => f.access.ssm).map((p) => [parameters[p].envVar, parameterName(stage, p)]),
    ),
    ...Object.fromEntries(sentTo.map((q) => [queues[q].envVar, names.queueUrls[q]])),
    ...Object.fromEntries(callees.map((callee) => [functionNameEnvVar(callee), resourceName(stage, callee)])),
    ...(names.imageDeliveryUrl !== undefined && tablesUsed.includes('images')
      ? { [IMAGE_DELIVERY_URL_ENV]: names.imageDeliveryUrl }
      : {}),
    ...(routesServedBy(id).length > 0
      ? { [CORS_ORIGINS_ENV]: corsOrigins(stage, names.webAppOrigin).join(',') }
      : {}),
    ...(id === apiSettings.authorizer.function ? authorizerIssuer(names) : {}),
  };
}

/**
 * The issuers the authorizer trusts (packages/domain/src/issuers.ts). The shared secret's value
 * is not here: its SSM parameter's name comes from the authorizer's `access` like any parameter.
 */
function authorizerIssuer(names: ResourceNames): Record<string, string> {
  return { [AUTH_ISSUERS_ENV]: JSON.stringify(authorizerIssuers(names.userPool)) };
}
