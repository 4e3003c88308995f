import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, readWorkspace } from '../delivery/workspace.js';
import { MAX_FILE_LINES, MAX_FUNCTION_LINES, oversized, sourceFiles } from './size.js';

const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join('\n');

describe('size limits', () => {
  it('flag a file over the line budget', () => {
    const text = `${Array.from({ length: MAX_FILE_LINES + 1 }, (_, i) => `export const a${i} = ${i};`).join('\n')}\n`;
    expect(oversized('big.ts', text)).toEqual([
      { where: 'big.ts', lines: MAX_FILE_LINES + 1, limit: MAX_FILE_LINES },
    ]);
    expect(oversized('ok.ts', text.split('\n').slice(1).join('\n'))).toEqual([]);
  });

  it('flag every kind of function over its budget, by name and line', () => {
    const long = body(MAX_FUNCTION_LINES - 1); // with the opening and closing lines: one too many
    const text = [
      `export function declared() {\n${long}\n}`,
      `export const arrow = () => {\n${long}\n};`,
      `export class Thing {\n  constructor() {\n${long}\n  }\n  method() {\n${long}\n  }\n}`,
      `export function fits() {\n${body(MAX_FUNCTION_LINES - 2)}\n}`,
    ].join('\n');
    const found = oversized('f.ts', text).filter((f) => f.limit === MAX_FUNCTION_LINES);
    expect(found.map((f) => f.where.replace(/^f\.ts:\d+ /, ''))).toEqual([
      'declared',
      'arrow',
      'constructor',
      'method',
    ]);
    expect(found.every((f) => f.lines === MAX_FUNCTION_LINES + 1)).toBe(true);
  });
});

describe('the workspace', () => {
  it(`keeps every source file under ${MAX_FILE_LINES} lines and every function under ${MAX_FUNCTION_LINES}`, () => {
    const dirs = [
      ...readWorkspace().map((p) => path.join(REPO_ROOT, p.dir, 'src')),
      path.join(REPO_ROOT, 'tools'),
    ];
    const findings = dirs
      .filter((dir) => existsSync(dir))
      .flatMap((dir) => sourceFiles(dir))
      .filter((file) => !file.includes(`${path.sep}node_modules${path.sep}`))
      .flatMap((file) => oversized(path.relative(REPO_ROOT, file), readFileSync(file, 'utf8')));
    expect(findings.map((f) => `${f.where}: ${f.lines} lines (limit ${f.limit})`)).toEqual([]);
  });
});
