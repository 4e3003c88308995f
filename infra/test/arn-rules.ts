/**
 * IAM's ARN grammar, checked over ARNs as they stand in synthesized Terraform JSON (Terraform
 * templates: `${...}` is a Terraform interpolation, `$${...}` a literal `${...}`, which in an
 * IAM policy is a policy variable such as `${aws:PrincipalAccount}`).
 *
 * `arn:partition:service:region:account:resource` where IAM accepts, in a policy's Resource,
 * NotResource or principal:
 * - partition `aws`, `aws-cn` or `aws-us-gov`;
 * - service a lowercase service prefix;
 * - region empty, `*` or a region name;
 * - account empty, `*` or 12 digits — a policy variable there is `MalformedPolicyDocument`;
 * - a resource part, where policy variables are allowed.
 * Any of the first four may instead be a Terraform reference that resolves to such a value at
 * apply time (`TERRAFORM_FIELD_REFERENCES`). A value that is a Terraform reference as a whole
 * (`${aws_sqs_queue.likes.arn}`, optionally followed by `/path` or `:*`) is an ARN AWS returned,
 * so only what follows it is checked.
 *
 * @example
 * arnProblem('arn:aws:ssm:eu-west-1:$${aws:PrincipalAccount}:parameter/x')
 * // 'account field "$${aws:PrincipalAccount}" is a policy variable: IAM allows 12 digits, "*" or empty'
 */

const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];
const SERVICE = /^[a-z0-9][a-z0-9-]*$/;
/** us-east-1, eu-west-1, us-gov-west-1, cn-north-1, ap-southeast-4, us-isob-east-1, ... */
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const ACCOUNT = /^\d{12}$/;

/**
 * Terraform references that resolve to a valid field value: the data sources that yield the
 * partition, region or account id (`data.aws_arn` parses an ARN locally, no API call).
 */
export const TERRAFORM_FIELD_REFERENCES = {
  partition: [/^\$\{data\.aws_partition\.[\w-]+\.partition\}$/, /^\$\{data\.aws_arn\.[\w-]+\.partition\}$/],
  region: [/^\$\{data\.aws_region\.[\w-]+\.(name|region)\}$/, /^\$\{data\.aws_arn\.[\w-]+\.region\}$/],
  account: [
    /^\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}$/,
    /^\$\{data\.aws_arn\.[\w-]+\.account\}$/,
  ],
} as const;

/** A Terraform reference as a whole value, e.g. `${data.terraform_remote_state.x.outputs.y}`. */
const WHOLE_REFERENCE = /^\$\{(?:data\.)?[a-z][\w-]*\.[\w.-]+\}/;

/** `$${` is a literal `${` in a Terraform template, which IAM reads as a policy variable. */
const POLICY_VARIABLE = /\$\$\{|^\$\{aws:|[^$]\$\{aws:/;

/** Splits on `:` outside `${...}`, so a Terraform reference stays one field. */
export function arnFields(arn: string): string[] {
  const fields: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < arn.length; i++) {
    const c = arn[i]!;
    if (c === '$' && arn[i + 1] === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    if (c === ':' && depth === 0) {
      fields.push(current);
      current = '';
    } else current += c;
  }
  fields.push(current);
  return fields;
}

function fieldProblem(
  name: 'partition' | 'service' | 'region' | 'account',
  value: string,
  allowed: string,
  valid: (v: string) => boolean,
): string | undefined {
  if (valid(value)) return undefined;
  if (name !== 'service' && TERRAFORM_FIELD_REFERENCES[name].some((re) => re.test(value))) return undefined;
  if (POLICY_VARIABLE.test(value))
    return `${name} field "${value}" is a policy variable: IAM allows ${allowed}`;
  return `${name} field "${value}" is not valid: IAM allows ${allowed}`;
}

/** Why IAM would refuse this ARN (as a policy's Resource or principal), or undefined. */
export function arnProblem(arn: string): string | undefined {
  if (arn === '*') return undefined;
  const whole = WHOLE_REFERENCE.exec(arn);
  if (whole) {
    const rest = arn.slice(whole[0].length);
    return rest === '' || rest.startsWith('/') || rest.startsWith(':')
      ? undefined
      : `"${arn}": only a path (/...) or a qualifier (:...) may follow a Terraform reference`;
  }
  const fields = arnFields(arn);
  if (fields[0] !== 'arn' || fields.length < 6) {
    return `"${arn}" is not arn:partition:service:region:account:resource`;
  }
  const [, partition = '', service = '', region = '', account = ''] = fields;
  const resource = fields.slice(5).join(':');
  const problem =
    fieldProblem('partition', partition, PARTITIONS.join(', '), (v) => PARTITIONS.includes(v)) ??
    fieldProblem('service', service, 'a lowercase service prefix', (v) => SERVICE.test(v)) ??
    fieldProblem(
      'region',
      region,
      'a region name, "*" or empty',
      (v) => v === '' || v === '*' || REGION.test(v),
    ) ??
    fieldProblem(
      'account',
      account,
      '12 digits, "*" or empty',
      (v) => v === '' || v === '*' || ACCOUNT.test(v),
    ) ??
    (resource === '' ? 'the resource part is empty' : undefined);
  return problem && `"${arn}": ${problem}`;
}

// biome-ignore lint/suspicious/noExplicitAny: policy documents are untyped JSON.
type Json = any;
const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Every ARN a policy document names: Resource, NotResource, and AWS / Federated principals. */
export function policyArns(doc: Json): string[] {
  return asArray(doc?.Statement).flatMap((st: Json) => {
    const principals = [st?.Principal, st?.NotPrincipal]
      .filter((p) => p && typeof p === 'object')
      .flatMap((p: Json) => [...asArray(p.AWS), ...asArray(p.Federated)]);
    return [...asArray(st?.Resource), ...asArray(st?.NotResource), ...principals].map(String);
  });
}

/**
 * The ARN problems of one policy document given as Terraform writes it: a JSON string (the
 * `policy` of a role policy, bucket or queue policy, an assume-role policy) or an
 * `aws_iam_policy_document` data source's `statement` blocks.
 */
export function policyDocumentProblems(policy: unknown): string[] {
  if (typeof policy === 'string') {
    let doc: Json;
    try {
      doc = JSON.parse(policy);
    } catch {
      return ['policy is not literal JSON, its ARNs cannot be checked'];
    }
    return policyArns(doc).flatMap((arn) => arnProblem(arn) ?? []);
  }
  return asArray((policy as Json)?.statement).flatMap((st: Json) =>
    [
      ...asArray(st?.resources),
      ...asArray(st?.not_resources),
      ...asArray(st?.principals).flatMap((p: Json) => asArray(p?.identifiers)),
    ]
      .map(String)
      .filter((v) => v.startsWith('arn:') || v.startsWith('${') || v === '*')
      .flatMap((arn) => arnProblem(arn) ?? []),
  );
}

const POLICY_ATTRIBUTES = new Set(['policy', 'assume_role_policy']);

/**
 * Every IAM policy in one stack's Terraform JSON, wherever it sits: any resource attribute named
 * `policy` or `assume_role_policy` (role, bucket, queue, topic policies, inline policies), and
 * every `aws_iam_policy_document` data source.
 */
export function stackPolicies(json: Json): { readonly where: string; readonly policy: unknown }[] {
  const found: { where: string; policy: unknown }[] = [];
  const walk = (value: unknown, where: string): void => {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, `${where}[${i}]`);
    } else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (POLICY_ATTRIBUTES.has(key) && typeof v === 'string')
          found.push({ where: `${where}.${key}`, policy: v });
        else walk(v, `${where}.${key}`);
      }
    }
  };
  for (const [type, byName] of Object.entries((json?.resource ?? {}) as Record<string, Json>)) {
    for (const [name, body] of Object.entries(byName as Record<string, Json>)) walk(body, `${type}.${name}`);
  }
  for (const [name, body] of Object.entries(
    (json?.data?.aws_iam_policy_document ?? {}) as Record<string, Json>,
  )) {
    found.push({ where: `data.aws_iam_policy_document.${name}`, policy: body });
  }
  return found;
}

/** ARN problems over every policy of the given stacks, each prefixed with where it is. */
export function arnProblems(stacks: ReadonlyArray<{ name: string; json: Json }>): string[] {
  return stacks.flatMap((s) =>
    stackPolicies(s.json).flatMap(({ where, policy }) =>
      policyDocumentProblems(policy).map((p) => `${s.name}: ${where}: ${p}`),
    ),
  );
}
