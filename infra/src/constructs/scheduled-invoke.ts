/**
 * ScheduledInvoke: an EventBridge Scheduler schedule that invokes one function every N
 * minutes, with its own role allowed exactly `lambda:InvokeFunction` on that function's ARN
 * and assumable only by EventBridge Scheduler acting for this schedule.
 *
 * No retries: a failed run is retried by the next one, and two runs of a sweep must not pile up.
 *
 * @example
 * new ScheduledInvoke(this, 'sweep-schedule', { fn: sweeper, everyMinutes: 15 });
 */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule/index.js';
import { Construct } from 'constructs';
import { policyJson, serviceTrustPolicy } from '../iam/policy.js';
import type { NodeFunction } from './node-function.js';

export interface ScheduledInvokeProps {
  readonly fn: NodeFunction;
  /** The schedule's name (also its role's, with `-schedule`). */
  readonly name: string;
  /** The period in whole minutes: `rate(n minutes)`. */
  readonly everyMinutes: number;
  /** The stage's region (the schedule's ARN, in the role's trust condition). */
  readonly region: string;
}

/** EventBridge Scheduler's rate expression: `rate(1 minute)`, `rate(15 minutes)`. */
export function rateExpression(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 1)
    throw new Error(`a schedule period must be whole minutes >= 1, got ${minutes}`);
  return `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`;
}

export class ScheduledInvoke extends Construct {
  public readonly schedule: SchedulerSchedule;
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ScheduledInvokeProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: `${props.name}-schedule`,
      description: `EventBridge Scheduler: invokes ${props.name} only`,
      // Only this schedule may use the role (confused deputy). A literal ARN pattern keeps the
      // policy checkable JSON; the account field is `*`, which IAM's grammar allows.
      assumeRolePolicy: serviceTrustPolicy('scheduler.amazonaws.com', {
        ArnLike: { 'aws:SourceArn': `arn:aws:scheduler:${props.region}:*:schedule/default/${props.name}` },
      }),
    });
    new IamRolePolicy(this, 'policy', {
      name: 'invoke',
      role: this.role.id,
      policy: policyJson([{ actions: ['lambda:InvokeFunction'], resources: [props.fn.arn] }]),
    });
    this.schedule = new SchedulerSchedule(this, 'schedule', {
      name: props.name,
      description: `Invokes ${props.name} every ${props.everyMinutes} minute(s)`,
      scheduleExpression: rateExpression(props.everyMinutes),
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: props.fn.arn,
        roleArn: this.role.arn,
        input: '{}',
        retryPolicy: { maximumRetryAttempts: 0 },
      },
    });
  }
}
