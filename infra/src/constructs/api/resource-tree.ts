/**
 * The API's resource tree: one `aws_api_gateway_resource` per path prefix of any route, made on
 * first use. Also the construct-id spelling of a path (`slug`) every part names its resources by.
 */
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource/index.js';
import { isGreedy, parameterName, pathSegments } from '@snapstack/domain/path-template';
import type { ApiScope } from './types.js';

/** `/users/{id}/likes` -> `users_id_likes`, `/` -> `root`: a construct id, never a path. */
export function slug(path: string): string {
  const parts = pathSegments(path).map((segment) => {
    const name = parameterName(segment);
    if (name === undefined) return segment;
    return isGreedy(segment) ? `${name}+` : name;
  });
  return parts.length === 0 ? 'root' : parts.join('_');
}

export class ResourceTree {
  private readonly ids: Map<string, string>;

  constructor(
    private readonly api: ApiScope,
    rootResourceId: string,
  ) {
    this.ids = new Map([['/', rootResourceId]]);
  }

  /** The resource id of a path, creating it and its missing ancestors. */
  idOf(path: string): string {
    const known = this.ids.get(path);
    if (known) return known;
    const segments = pathSegments(path);
    const parentPath = `/${segments.slice(0, -1).join('/')}`;
    const resource = new ApiGatewayResource(this.api.scope, `resource-${slug(path)}`, {
      restApiId: this.api.restApiId,
      parentId: this.idOf(parentPath),
      pathPart: segments.at(-1)!,
    });
    this.ids.set(path, resource.id);
    return resource.id;
  }
}
