import { describe, expect, it } from 'vitest';
import { UsagePlan } from './usage-plan.js';

const limits = { rateLimit: 2, burstLimit: 3, quota: { limit: 5, period: 'DAY' as const } };

function planAt(startIso: string) {
  let now = Date.parse(startIso);
  const plan = new UsagePlan(limits, () => now);
  return { plan, advance: (ms: number) => (now += ms) };
}

describe('UsagePlan', () => {
  it('admits a burst, throttles the next request, and refills at the rate', () => {
    const { plan, advance } = planAt('2026-11-22T10:00:00Z');
    expect([1, 2, 3, 4].map(() => plan.consume('k'))).toEqual(['ok', 'ok', 'ok', 'throttled']);
    advance(500); // 2 per second: one token back
    expect([plan.consume('k'), plan.consume('k')]).toEqual(['ok', 'throttled']);
  });

  it('spends the daily quota, then answers quota-exceeded until the next UTC day', () => {
    const { plan, advance } = planAt('2026-11-22T23:59:00Z');
    const decisions = [];
    for (let i = 0; i < 6; i += 1) {
      decisions.push(plan.consume('k'));
      advance(10_000);
    }
    expect(decisions).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'quota-exceeded']);
    advance(60_000); // past midnight UTC
    expect(plan.consume('k')).toBe('ok');
  });

  it('keeps keys apart', () => {
    const { plan } = planAt('2026-11-22T10:00:00Z');
    for (let i = 0; i < 3; i += 1) plan.consume('a');
    expect(plan.consume('a')).toBe('throttled');
    expect(plan.consume('b')).toBe('ok');
  });

  it('does not count throttled requests against the quota', () => {
    const { plan, advance } = planAt('2026-11-22T10:00:00Z');
    for (let i = 0; i < 10; i += 1) plan.consume('k'); // 3 admitted, 7 throttled
    advance(1_000); // 2 tokens back
    expect([plan.consume('k'), plan.consume('k'), plan.consume('k')]).toEqual(['ok', 'ok', 'quota-exceeded']);
  });
});
