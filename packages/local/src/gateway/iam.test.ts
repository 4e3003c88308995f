import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from './iam.js';

const API = 'arn:aws:execute-api:us-east-1:000000000000:local/local';
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });

describe('evaluatePolicy', () => {
  it.each([
    [
      'allow by exact ARN',
      doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${API}/GET/users` }),
      'allow',
    ],
    ['allow by wildcard', doc({ Effect: 'Allow', Action: 'execute-api:*', Resource: [`${API}/*`] }), 'allow'],
    [
      'explicit deny beats allow',
      doc(
        { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${API}/*` },
        { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: `${API}/GET/*` },
      ),
      'explicit-deny',
    ],
    [
      'no matching statement',
      doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${API}/POST/users` }),
      'implicit-deny',
    ],
    ['another action', doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), 'implicit-deny'],
    [
      'ARNs are case-sensitive',
      doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${API}/get/users` }),
      'implicit-deny',
    ],
    ['no statements', { Version: '2012-10-17' }, 'implicit-deny'],
  ] as Array<[string, { Statement?: unknown }, string]>)('%s', (_name, policy, expected) => {
    expect(evaluatePolicy(policy, `${API}/GET/users`)).toBe(expected);
  });
});
