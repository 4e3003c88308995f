/**
 * Request and entity schemas, in JSON Schema draft-04 because API Gateway models speak only
 * draft-04. The same objects become API Gateway models (infra), validate requests in the
 * local runner's gateway and, again, in the handlers, and are the types: `FromSchema` derives
 * each TypeScript type from its `as const` schema (user.ts, image.ts), so a shape is written once.
 *
 * API Gateway ignores `format`, so e-mail is checked with a `pattern`.
 */
export type JsonSchema = {
  readonly $schema?: string;
  readonly title?: string;
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly minProperties?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly pattern?: string;
  readonly enum?: readonly unknown[];
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
};

/** The image formats Snapstack accepts, by their media type (`image.ts` re-exports them). */
export const IMAGE_CONTENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/avif',
  'image/tiff',
] as const;

export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number];

const DRAFT_04 = 'http://json-schema.org/draft-04/schema#';

/** Local part, one `@`, a dotted domain with a 2+ letter TLD; no spaces. */
export const EMAIL_PATTERN =
  "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.[A-Za-z]{2,}$";

/**
 * The largest integer every consumer of a number reads exactly: JS (and DynamoDB's document
 * client, which refuses to marshal a larger one) stops at 2^53 - 1. A count or size with no
 * smaller domain bound gets this one, so no integer a model admits fails after it.
 */
export const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/** Ages a user may have: adults, and no one older than people get. */
export const USER_AGE_LIMITS = { minimum: 18, maximum: 150 } as const;

const userFields = {
  name: { type: 'string', minLength: 1, maxLength: 100 },
  age: { type: 'integer', ...USER_AGE_LIMITS },
  email: { type: 'string', maxLength: 254, pattern: EMAIL_PATTERN },
} as const satisfies Record<string, JsonSchema>;

export const createUserSchema = {
  $schema: DRAFT_04,
  title: 'CreateUser',
  type: 'object',
  properties: userFields,
  required: ['name', 'age', 'email'],
  additionalProperties: false,
} as const satisfies JsonSchema;

/**
 * A user as stored and as returned by the API: the type `User` derives from it. Not a request
 * model (infra emits `requestSchemas` only).
 */
export const userSchema = {
  $schema: DRAFT_04,
  title: 'User',
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1 },
    ...userFields,
    /** Distinct people who currently like this user. Written only by the likes worker. */
    likes: { type: 'integer', minimum: 0, maximum: MAX_SAFE_INTEGER },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    /** The authorizer's `sub` of whoever created the user, when the route is authenticated. */
    createdBy: { type: 'string' },
  },
  required: ['id', 'name', 'age', 'email', 'likes', 'createdAt'],
  additionalProperties: false,
} as const satisfies JsonSchema;

export const patchUserSchema = {
  $schema: DRAFT_04,
  title: 'PatchUser',
  type: 'object',
  properties: userFields,
  minProperties: 1,
  additionalProperties: false,
} as const satisfies JsonSchema;

/** Thumbnail bounding boxes a caller may ask for (pixels). */
export const THUMBNAIL_SIZE_LIMITS = { minimum: 16, maximum: 2048 } as const;

export const processImageSchema = {
  $schema: DRAFT_04,
  title: 'ProcessImage',
  type: 'object',
  properties: {
    image_id: { type: 'string', minLength: 1, maxLength: 1000 },
    sizes: {
      type: 'array',
      items: { type: 'integer', ...THUMBNAIL_SIZE_LIMITS },
      minItems: 1,
      maxItems: 8,
      uniqueItems: true,
    },
  },
  required: ['image_id'],
  additionalProperties: false,
} as const satisfies JsonSchema;

export const createUploadSchema = {
  $schema: DRAFT_04,
  title: 'CreateUpload',
  type: 'object',
  properties: {
    contentType: { type: 'string', enum: IMAGE_CONTENT_TYPES },
    // The configured upload limit (413 above it) is not known to the model; this bound is.
    bytes: { type: 'integer', minimum: 1, maximum: MAX_SAFE_INTEGER },
  },
  required: ['contentType'],
  additionalProperties: false,
} as const satisfies JsonSchema;

/**
 * Every request model by name. Route definitions refer to these names; infra emits one
 * API Gateway model per entry.
 */
export const requestSchemas = {
  CreateUser: createUserSchema,
  PatchUser: patchUserSchema,
  ProcessImage: processImageSchema,
  CreateUpload: createUploadSchema,
} as const satisfies Record<string, JsonSchema>;

export type RequestSchemaName = keyof typeof requestSchemas;
