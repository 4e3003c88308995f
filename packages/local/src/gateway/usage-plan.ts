/**
 * A usage plan per API key, as API Gateway enforces it: a token bucket (`burstLimit` tokens,
 * refilled at `rateLimit` per second) answers 429 `Too Many Requests`; a quota per UTC day
 * answers 429 `Limit Exceeded` once spent.
 */
import type { UsagePlanLimits } from '@snapstack/domain/api-settings';

export type { UsagePlanLimits };

export type UsageDecision = 'ok' | 'throttled' | 'quota-exceeded';

interface KeyUsage {
  tokens: number;
  refilledAt: number;
  day: string;
  used: number;
}

export class UsagePlan {
  private readonly usage = new Map<string, KeyUsage>();

  constructor(
    private readonly limits: UsagePlanLimits,
    private readonly now: () => number = Date.now,
  ) {}

  consume(apiKey: string): UsageDecision {
    const now = this.now();
    const day = new Date(now).toISOString().slice(0, 10);
    const usage = this.usage.get(apiKey) ?? { tokens: this.limits.burstLimit, refilledAt: now, day, used: 0 };
    this.usage.set(apiKey, usage);
    if (usage.day !== day) Object.assign(usage, { day, used: 0 });
    usage.tokens = Math.min(
      this.limits.burstLimit,
      usage.tokens + ((now - usage.refilledAt) / 1000) * this.limits.rateLimit,
    );
    usage.refilledAt = now;
    if (usage.used >= this.limits.quota.limit) return 'quota-exceeded';
    if (usage.tokens < 1) return 'throttled';
    usage.tokens -= 1;
    usage.used += 1;
    return 'ok';
  }
}
