/**
 * DomainLayer: `@snapstack/domain` and its production dependencies as a Lambda Layer version,
 * for nodejs22.x on arm64. The zip (from `@snapstack/packager/artifacts`) holds
 * `nodejs/node_modules/@snapstack/domain` and never `@aws-sdk/*` (the runtime provides it).
 *
 * @example
 * const layer = new DomainLayer(this, 'layer', { layerName: 'snapstack-dev-domain', zipFile });
 * layer.arn // attach to every NodeFunction
 */
import { LambdaLayerVersion } from '@cdktf/provider-aws/lib/lambda-layer-version/index.js';
import { AssetType, Fn, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { LAMBDA_ARCHITECTURE, LAMBDA_RUNTIME } from './node-function.js';

export interface DomainLayerProps {
  readonly layerName: string;
  readonly zipFile: string;
  readonly description?: string;
}

export class DomainLayer extends Construct {
  public readonly layer: LambdaLayerVersion;
  /** Versioned ARN: a new layer version replaces it whenever the zip changes. */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: DomainLayerProps) {
    super(scope, id);
    const asset = new TerraformAsset(this, 'code', { path: props.zipFile, type: AssetType.FILE });
    this.layer = new LambdaLayerVersion(this, 'layer', {
      layerName: props.layerName,
      description:
        props.description ?? 'Snapstack domain package (@snapstack/domain) and its production dependencies',
      filename: asset.path,
      sourceCodeHash: Fn.filebase64sha256(asset.path),
      compatibleRuntimes: [LAMBDA_RUNTIME],
      compatibleArchitectures: [LAMBDA_ARCHITECTURE],
      // Functions still pinned to the old version keep working while a new one rolls out.
      skipDestroy: true,
    });
    this.arn = this.layer.arn;
  }
}
