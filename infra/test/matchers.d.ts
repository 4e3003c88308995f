import 'vitest';

type TerraformConstructor = { readonly tfResourceType: string };

declare module 'vitest' {
  interface Assertion<T> {
    toHaveResource(resourceConstructor: TerraformConstructor): T;
    toHaveResourceWithProperties(
      resourceConstructor: TerraformConstructor,
      properties: Record<string, unknown>,
    ): T;
    toHaveDataSource(dataSourceConstructor: TerraformConstructor): T;
    toHaveDataSourceWithProperties(
      dataSourceConstructor: TerraformConstructor,
      properties: Record<string, unknown>,
    ): T;
    toHaveProvider(providerConstructor: TerraformConstructor): T;
    toHaveProviderWithProperties(
      providerConstructor: TerraformConstructor,
      properties: Record<string, unknown>,
    ): T;
    toBeValidTerraform(): T;
  }
}
