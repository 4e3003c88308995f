import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { COMMANDS, parseCli, stackParts, USAGE } from './cli.js';
import { INFRA_DIR } from './stacks/snapstack-stack.js';

describe('parseCli', () => {
  it('takes --stack repeated and as a comma list, and returns the stacks in dependency order', () => {
    expect(
      parseCli(['deploy', '--stage', 'dev', '--stack', 'api,stateful', '--stack', 'service-users']),
    ).toEqual({
      kind: 'run',
      command: 'deploy',
      stages: ['dev'],
      stacks: ['stateful', 'service-users', 'api'],
      local: false,
      autoApprove: false,
      migrateState: false,
    });
    expect(stackParts()[0]).toBe('bootstrap');
    expect(stackParts().at(-1)).toBe('web');
  });

  it('synthesizes every stage without --stage; the other commands need one', () => {
    expect(parseCli(['synth'])).toMatchObject({ kind: 'run', stages: ['dev', 'staging', 'prod'] });
    expect(parseCli(['plan'])).toEqual({ kind: 'error', message: 'plan needs --stage (dev, staging, prod)' });
    expect(parseCli(['destroy', '--stage', 'prod', '--local', '--auto-approve'])).toMatchObject({
      kind: 'run',
      command: 'destroy',
      stages: ['prod'],
      local: true,
      autoApprove: true,
    });
  });

  it.each(COMMANDS)('answers --help and -h for %s', (command) => {
    expect(parseCli([command, '--help'])).toEqual({ kind: 'help' });
    expect(parseCli([command, '-h', '--stage', 'nowhere'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['deploy', '--stage', 'dev', '--stacks', 'api'], /^Unknown option '--stacks'$/],
    [['deploy', '--stage', 'dev', '--stack'], /argument missing/],
    [['deploy', '--stage', 'qa'], /unknown stage "qa"/],
    [
      ['deploy', '--stage', 'dev', '--stack', 'users'],
      /unknown stack "users" \(stacks: bootstrap, stateful, service-users/,
    ],
    [['deploy', '--stage', 'dev', '--stack', 'api,'], /empty --stack value/],
    [['synth', '--stack', 'api'], /--stack is for plan, deploy, destroy, not synth/],
    [['plan', '--stage', 'dev', '--auto-approve'], /--auto-approve is for deploy, destroy/],
    [['destroy', '--stage', 'dev', '--migrate-state'], /--migrate-state is for deploy/],
    [['apply', '--stage', 'dev'], /unknown command "apply"/],
    [[], /no command/],
    [['deploy', 'dev'], /unexpected argument "dev"/],
  ])('refuses %j', (argv, message) => {
    expect(parseCli(argv)).toEqual({ kind: 'error', message: expect.stringMatching(message) });
  });
});

describe('the CLI process', () => {
  // Exactly how package.json runs it; a bad line fails before anything is built or synthesized.
  const cli = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ['--conditions=@snapstack/source', '--import', 'tsx', path.join(INFRA_DIR, 'src/cli.ts'), ...args],
      {
        cwd: INFRA_DIR,
        encoding: 'utf8',
      },
    );

  it('prints the usage on --help and exits 0', () => {
    const result = cli('deploy', '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${USAGE}\n`);
  });

  it('prints what is wrong and the usage to stderr on an unknown option, and exits 2 without a stack trace', () => {
    const result = cli('deploy', '--stage', 'dev', '--stacks', 'api');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`Unknown option '--stacks'\n${USAGE}\n`);
  });
});
