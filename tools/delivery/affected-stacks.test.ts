import { describe, expect, it } from 'vitest';
import { affectedStacks } from './affected-stacks.js';

const today = ['@snapstack/domain', '@snapstack/users', '@snapstack/local', '@snapstack/infra'];
const later = [...today, '@snapstack/authorizer', '@snapstack/metadata-api', '@snapstack/thumbnailer'];

describe('affectedStacks', () => {
  it.each([
    { changed: ['@snapstack/users'], present: today, deploy: ['service-users'], manual: [] },
    { changed: ['@snapstack/local'], present: today, deploy: [], manual: [] },
    { changed: [], present: today, deploy: [], manual: [] },
    {
      changed: ['@snapstack/domain', '@snapstack/users'],
      present: today,
      deploy: ['stateful', 'service-users', 'api', 'web'],
      manual: [],
    },
    {
      changed: ['@snapstack/infra'],
      present: later,
      deploy: [
        'stateful',
        'service-authorizer',
        'service-metadata-api',
        'service-thumbnailer',
        'service-users',
        'api',
        'web',
      ],
      manual: ['bootstrap'],
    },
    { changed: ['@snapstack/web'], present: later, deploy: ['web'], manual: [] },
    {
      changed: ['@snapstack/thumbnailer', '@snapstack/users'],
      present: later,
      deploy: ['service-thumbnailer', 'service-users'],
      manual: [],
    },
  ])('deploys $deploy when $changed change', ({ changed, present, deploy, manual }) => {
    expect(affectedStacks(changed, present)).toEqual({ deploy, manual });
  });

  it('only counts services that exist in the workspace when everything is affected', () => {
    expect(affectedStacks(['@snapstack/domain'], today).deploy).toEqual([
      'stateful',
      'service-users',
      'api',
      'web',
    ]);
  });

  it('refuses a package without delivery configuration instead of deploying nothing', () => {
    expect(() => affectedStacks(['@snapstack/mystery'], today)).toThrow(/no delivery configuration/);
  });
});
