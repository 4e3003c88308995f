import { LambdaLayerVersion } from '@cdktf/provider-aws/lib/lambda-layer-version/index.js';
import { Testing } from 'cdktf';
import { fakeZip } from '../../test/fixtures.js';
import { DomainLayer } from './domain-layer.js';

describe('DomainLayer', () => {
  it('publishes the zip as a nodejs22.x/arm64 layer version that survives replacement', () => {
    const synthesized = Testing.synthScope(
      (scope) =>
        new DomainLayer(scope, 'layer', {
          layerName: 'snapstack-test-domain',
          zipFile: fakeZip('layer.zip'),
        }),
    );
    expect(synthesized).toHaveResourceWithProperties(LambdaLayerVersion, {
      layer_name: 'snapstack-test-domain',
      compatible_runtimes: ['nodejs22.x'],
      compatible_architectures: ['arm64'],
      skip_destroy: true,
    });
    const layer = Object.values(JSON.parse(synthesized).resource.aws_lambda_layer_version)[0] as Record<
      string,
      string
    >;
    expect(layer.filename).toMatch(/^assets\/.+\/layer\.zip$/);
    expect(layer.source_code_hash).toBe(`\${filebase64sha256("${layer.filename}")}`);
  });
});
