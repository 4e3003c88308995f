/**
 * Request validation at the gateway: one model per JSON Schema a route uses (the domain's
 * schemas, as the handlers validate them too) and the two validators routes pick from.
 */
import { ApiGatewayModel } from '@cdktf/provider-aws/lib/api-gateway-model/index.js';
import { ApiGatewayRequestValidator } from '@cdktf/provider-aws/lib/api-gateway-request-validator/index.js';
import { parameterNames } from '@snapstack/domain/path-template';
import type { RouteDefinition } from '@snapstack/domain/routes';
import type { JsonSchema } from '@snapstack/domain/schemas';
import type { ApiScope } from './types.js';

/** The method arguments that validate a route's request. */
export interface RouteValidation {
  readonly requestModels?: Record<string, string>;
  readonly requestValidatorId?: string;
}

export class RequestValidation {
  private readonly models = new Map<string, ApiGatewayModel>();
  private readonly bodyValidator: ApiGatewayRequestValidator;
  private readonly paramsValidator: ApiGatewayRequestValidator;

  constructor(
    { scope, restApiId }: ApiScope,
    routes: readonly RouteDefinition[],
    schemas: Readonly<Record<string, JsonSchema>>,
  ) {
    const used = new Set<string>(routes.flatMap((r) => (r.requestSchema ? [r.requestSchema] : [])));
    for (const [name, schema] of Object.entries(schemas)) {
      if (!used.has(name)) continue;
      const model = new ApiGatewayModel(scope, `model-${name}`, {
        restApiId,
        name,
        contentType: 'application/json',
        schema: JSON.stringify(schema),
      });
      this.models.set(name, model);
    }
    this.bodyValidator = new ApiGatewayRequestValidator(scope, 'validate-body', {
      restApiId,
      name: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    this.paramsValidator = new ApiGatewayRequestValidator(scope, 'validate-parameters', {
      restApiId,
      name: 'parameters',
      validateRequestParameters: true,
    });
  }

  /** A body schema validates body and parameters; path parameters alone validate parameters. */
  forRoute(route: RouteDefinition): RouteValidation {
    const model = route.requestSchema ? this.models.get(route.requestSchema) : undefined;
    if (model) {
      return {
        requestModels: { 'application/json': model.name },
        requestValidatorId: this.bodyValidator.id,
      };
    }
    return parameterNames(route.path).length > 0 ? { requestValidatorId: this.paramsValidator.id } : {};
  }
}
