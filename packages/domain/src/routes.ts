/**
 * The route table: the single source of truth for Snapstack's HTTP API.
 *
 * Infra turns each route into an API Gateway resource + method (+ model, validator,
 * authorizer, integration); the local runner routes and validates with it; handlers are
 * looked up through `functions`. Nothing else spells a path or a schema.
 */
import type { RequestSchemaName } from './schemas.js';
import type { TableId } from './tables.js';

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
  { readonly kind: 'lambda'; readonly function: FunctionId };

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway resource path, with `{param}` segments. */
  readonly path: string;
  readonly auth: RouteAuth;
  /** Validated by the gateway (and the handler) when present. */
  readonly requestSchema?: RequestSchemaName;
  readonly integration: Integration;
}

/** What a function may touch; infra turns this into its IAM policy, action by action. */
export interface FunctionAccess {
  readonly dynamodb?: Partial<Record<TableId, readonly DynamoDbAction[]>>;
}

export type DynamoDbAction =
  | 'GetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'Query'
  | 'Scan'
  | 'BatchGetItem'
  | 'BatchWriteItem';

export interface FunctionDefinition {
  /** Workspace package directory under `packages/`. */
  readonly package: string;
  /** Entry module, relative to the package; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly access: FunctionAccess;
  /**
   * Native packages (e.g. `sharp`) left out of the bundle and shipped beside it, installed for
   * the Lambda platform (linux-arm64, glibc) at the exact version the function's package.json
   * pins. Infra's artefact build (`pnpm artifacts`) reads this; nothing else needs to.
   */
  readonly nativeDependencies?: readonly string[];
}

/** Every Lambda function of Snapstack. */
export const functions = {
  listUsers: {
    package: 'users',
    entry: 'src/handlers/list-users.ts',
    description: 'GET /users: one page of users',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { dynamodb: { users: ['Scan'] } },
  },
  getUser: {
    package: 'users',
    entry: 'src/handlers/get-user.ts',
    description: 'GET /users/{id}',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { dynamodb: { users: ['GetItem'] } },
  },
  createUser: {
    package: 'users',
    entry: 'src/handlers/create-user.ts',
    description: 'POST /users',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { dynamodb: { users: ['PutItem'] } },
  },
  patchUser: {
    package: 'users',
    entry: 'src/handlers/patch-user.ts',
    description: 'PATCH /users/{id}',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { dynamodb: { users: ['UpdateItem'] } },
  },
  deleteUser: {
    package: 'users',
    entry: 'src/handlers/delete-user.ts',
    description: 'DELETE /users/{id}',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { dynamodb: { users: ['DeleteItem'] } },
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionId = keyof typeof functions;

const usersWrite: RouteAuth = { kind: 'jwt', scopes: ['users:write'] };
const apiKey: RouteAuth = { kind: 'apiKey' };

export const routes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/users', auth: apiKey, integration: { kind: 'lambda', function: 'listUsers' } },
  { method: 'GET', path: '/users/{id}', auth: apiKey, integration: { kind: 'lambda', function: 'getUser' } },
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
];

/** API-wide settings that infra applies to the REST API and the local runner mirrors. */
export const apiSettings = {
  /** Bodies of these content types reach functions base64-encoded (`isBase64Encoded`). */
  binaryMediaTypes: [] as readonly string[],
};
