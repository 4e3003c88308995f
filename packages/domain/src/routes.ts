/**
 * The route table: the single source of truth for Snapstack's HTTP API. Infra turns each route
 * into an API Gateway resource + method (+ model, validator, authorizer, integration); the local
 * runner routes and validates with it; the authorizer builds its policy from it.
 */

import { type FunctionId, functions } from './functions.js';
import type { LikeMessage } from './likes.js';
import { isGreedy, parameterName, pathSegments } from './path-template.js';
import type { RequestSchemaName } from './schemas.js';
import type { MessageFieldSource, SqsSendMessageIntegration } from './sqs-integration.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route, enforced at the gateway (issue: auth at the edge). */
export type RouteAuth =
  | { readonly kind: 'none' }
  /** A bearer JWT verified by the Lambda authorizer; `scopes` all required when present. */
  | { readonly kind: 'jwt'; readonly scopes?: readonly string[] }
  /** An API key of a usage plan (`x-api-key`). */
  | { readonly kind: 'apiKey' };

export type Integration =
  /** Lambda proxy integration to a function of the catalog. */
  | { readonly kind: 'lambda'; readonly function: FunctionId }
  /** API Gateway service integration: SQS SendMessage with a declared message (see sqs-integration.ts). */
  | SqsSendMessageIntegration;

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway resource path, with `{param}` segments. */
  readonly path: string;
  readonly auth: RouteAuth;
  /** Validated by the gateway (and the handler) when present. */
  readonly requestSchema?: RequestSchemaName;
  readonly integration: Integration;
  /** API Gateway's stage cache for this GET (per path parameters); absent: never cached. */
  readonly cache?: { readonly ttlSeconds: number };
}

const usersWrite: RouteAuth = { kind: 'jwt', scopes: ['users:write'] };
const usersRead: RouteAuth = { kind: 'jwt', scopes: ['users:read'] };
const apiKey: RouteAuth = { kind: 'apiKey' };
const imagesWrite: RouteAuth = { kind: 'jwt', scopes: ['images:write'] };
const imagesRead: RouteAuth = { kind: 'jwt', scopes: ['images:read'] };

/** A like or unlike as the gateway enqueues it: the liked user, the caller, the request. */
const likeIntegration = (action: 'like' | 'unlike'): SqsSendMessageIntegration => ({
  kind: 'sqsSendMessage',
  queue: 'likes',
  message: {
    userId: { from: 'path', name: 'id' },
    likerId: { from: 'authorizer', name: 'principalId' },
    action: { from: 'constant', value: action },
    requestId: { from: 'requestId' },
    at: { from: 'requestTimeEpoch' },
  } satisfies Record<keyof LikeMessage, MessageFieldSource>,
  response: { statusCode: 202, body: { message: 'accepted' } },
});

export const routes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/users', auth: apiKey, integration: { kind: 'lambda', function: 'listUsers' } },
  { method: 'GET', path: '/users/{id}', auth: apiKey, integration: { kind: 'lambda', function: 'getUser' } },
  // The same reads for people signed in to the web app. Usage-plan clients identify by API key,
  // people by sign-in, and API Gateway gives a method exactly one auth: a key in a public web
  // app's config.json would be no secret, so the app reads here with its bearer token. The
  // handlers are the /users ones and answer alike on either path; declared after them, so a
  // user's canonical path (`routeOf`, `Location` headers) stays /users/{id}.
  { method: 'GET', path: '/people', auth: usersRead, integration: { kind: 'lambda', function: 'listUsers' } },
  {
    method: 'GET',
    path: '/people/{id}',
    auth: usersRead,
    integration: { kind: 'lambda', function: 'getUser' },
  },
  {
    method: 'POST',
    path: '/users',
    auth: usersWrite,
    requestSchema: 'CreateUser',
    integration: { kind: 'lambda', function: 'createUser' },
  },
  {
    method: 'PATCH',
    path: '/users/{id}',
    auth: usersWrite,
    requestSchema: 'PatchUser',
    integration: { kind: 'lambda', function: 'patchUser' },
  },
  {
    method: 'DELETE',
    path: '/users/{id}',
    auth: usersWrite,
    integration: { kind: 'lambda', function: 'deleteUser' },
  },
  { method: 'POST', path: '/users/{id}/likes', auth: { kind: 'jwt' }, integration: likeIntegration('like') },
  {
    method: 'DELETE',
    path: '/users/{id}/likes',
    auth: { kind: 'jwt' },
    integration: likeIntegration('unlike'),
  },
  {
    method: 'POST',
    path: '/upload',
    auth: imagesWrite,
    integration: { kind: 'lambda', function: 'uploadImage' },
  },
  {
    method: 'POST',
    path: '/uploads',
    auth: imagesWrite,
    requestSchema: 'CreateUpload',
    integration: { kind: 'lambda', function: 'createUpload' },
  },
  {
    method: 'GET',
    path: '/metadata/{image_id}',
    auth: apiKey,
    integration: { kind: 'lambda', function: 'getMetadata' },
    // Metadata changes when thumbnails finish; a minute of staleness spares the table hot reads.
    cache: { ttlSeconds: 60 },
  },
  {
    method: 'GET',
    path: '/images',
    auth: imagesRead,
    integration: { kind: 'lambda', function: 'listImages' },
  },
  {
    method: 'DELETE',
    path: '/images/{image_id}',
    auth: imagesWrite,
    integration: { kind: 'lambda', function: 'deleteImage' },
  },
  {
    method: 'GET',
    path: '/images/{image_id}/original',
    auth: imagesRead,
    integration: { kind: 'lambda', function: 'getOriginal' },
  },
  {
    method: 'POST',
    path: '/process',
    auth: imagesWrite,
    requestSchema: 'ProcessImage',
    integration: { kind: 'lambda', function: 'processImage' },
  },
];

/**
 * Every OAuth scope the route table requires, sorted: the user pool's resource server offers
 * exactly these, and dev tokens carry them all.
 */
export function routeScopes(): string[] {
  return [...new Set(routes.flatMap((r) => (r.auth.kind === 'jwt' ? (r.auth.scopes ?? []) : [])))].sort();
}

/** The routes whose Lambda proxy integration is a catalog function. */
function routesOf(id: FunctionId): RouteDefinition[] {
  return routes.filter((r) => r.integration.kind === 'lambda' && r.integration.function === id);
}

/** The routes a catalog function serves, as `GET /users/{id}` (empty for non-API functions). */
export function routesServedBy(id: FunctionId): string[] {
  return routesOf(id).map((r) => `${r.method} ${r.path}`);
}

/** A function's deployed description: the routes it serves (from the table), then what it does. */
export function functionSummary(id: FunctionId): string {
  const { description } = functions[id];
  const served = routesServedBy(id);
  return served.length > 0 ? `${served.join(', ')}: ${description}` : description;
}

/**
 * A catalog function's canonical route: the first the table declares with it as the Lambda proxy
 * integration. A function may serve further routes (`getUser` also answers `GET /people/{id}`
 * for signed-in people); links and `Location` headers name the canonical one.
 */
export function routeOf(functionId: FunctionId): RouteDefinition {
  const [route] = routesOf(functionId);
  if (!route) throw new Error(`${functionId} is the integration of no route`);
  return route;
}

/**
 * The path of a function's canonical route with its parameters filled in, percent-encoded as a client
 * would send them (a greedy `{name+}` keeps its slashes): `Location` headers and links come
 * from the route table instead of spelling a path again.
 *
 * @example
 * routePath('getUser', { id: 'a b' }) // '/users/a%20b'
 */
export function routePath(functionId: FunctionId, params: Readonly<Record<string, string>>): string {
  const segments = pathSegments(routeOf(functionId).path).map((segment) => {
    const name = parameterName(segment);
    if (name === undefined) return segment;
    const value = params[name];
    if (value === undefined) throw new Error(`routePath(${functionId}): no value for {${name}}`);
    return isGreedy(segment) ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value);
  });
  return `/${segments.join('/')}`;
}
