/**
 * EventBridge Scheduler, locally: every catalog function with a `schedule` runs once at
 * startup (a runner that was down missed its runs) and then on its period, as an asynchronous
 * invoke (Scheduler invokes Lambda asynchronously), never two runs of one function at once.
 * `SWEEP_INTERVAL_SECONDS` overrides every period locally (e.g. to watch the sweeper work).
 */
import { positiveIntEnv } from '@snapstack/domain/env';
import type { FunctionDefinition } from '@snapstack/domain/functions';

export interface Schedules {
  close(): void;
}

export function startSchedules(options: {
  readonly functions: Readonly<Record<string, FunctionDefinition>>;
  /** Runs the function once; resolves when that run ended (succeeded or failed every attempt). */
  readonly run: (functionId: string) => Promise<void>;
  readonly log: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}): Schedules {
  const env = options.env ?? process.env;
  const override = env.SWEEP_INTERVAL_SECONDS ? positiveIntEnv('SWEEP_INTERVAL_SECONDS', 1, env) : undefined;
  const timers: NodeJS.Timeout[] = [];
  for (const [id, definition] of Object.entries(options.functions)) {
    if (!definition.schedule) continue;
    const periodMs = (override ?? definition.schedule.everyMinutes * 60) * 1000;
    let running = false;
    const tick = () => {
      if (running) return;
      running = true;
      options
        .run(id)
        .catch((error) => options.log(`scheduled run of ${id} failed: ${String(error)}`))
        .finally(() => {
          running = false;
        });
    };
    tick();
    const timer = setInterval(tick, periodMs);
    timer.unref();
    timers.push(timer);
  }
  return {
    close() {
      for (const timer of timers) clearInterval(timer);
    },
  };
}
