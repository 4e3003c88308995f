/**
 * The API paths the app calls. The route table (packages/domain/src/routes.ts) is their source
 * of truth, but importing it would ship the whole function catalog to the browser; a test
 * (test/api-routes.test.ts) instead makes every call of `createApi` and proves each request is a
 * route of the table, with the method and the auth that route requires.
 */
const id = (value: string) => encodeURIComponent(value);

export const paths = {
  images: () => '/images',
  image: (imageId: string) => `/images/${id(imageId)}`,
  original: (imageId: string) => `/images/${id(imageId)}/original`,
  uploads: () => '/uploads',
  /** The users reads for signed-in people (bearer token); `/users` is the API-key clients' path. */
  people: () => '/people',
  person: (userId: string) => `/people/${id(userId)}`,
  likes: (userId: string) => `/users/${id(userId)}/likes`,
} as const;
