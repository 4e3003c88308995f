/**
 * Rooms at human scale: every source file of every workspace package stays under a line budget,
 * and every function under another, so no module or function grows past what one reader holds
 * at once. Tests, benches and generated files are not sources. Functions are found with the
 * TypeScript compiler's own parser (declarations, methods, arrows, function expressions).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const MAX_FILE_LINES = 300;
export const MAX_FUNCTION_LINES = 80;

export interface SizeFinding {
  /** `file` or `file:line name`. */
  readonly where: string;
  readonly lines: number;
  readonly limit: number;
}

/** The `.ts` sources under `dir` (recursively), tests and declaration files left out. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .filter((e) => !/\.(test|bench|d)\.ts$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Files over `MAX_FILE_LINES` and functions over `MAX_FUNCTION_LINES` in one source text. */
export function oversized(fileName: string, text: string): SizeFinding[] {
  const findings: SizeFinding[] = [];
  const fileLines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (fileLines > MAX_FILE_LINES) findings.push({ where: fileName, lines: fileLines, limit: MAX_FILE_LINES });
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = lineOf(node.getStart(source));
      const lines = lineOf(node.getEnd()) - first + 1;
      if (lines > MAX_FUNCTION_LINES)
        findings.push({
          where: `${fileName}:${first} ${functionName(node)}`,
          lines,
          limit: MAX_FUNCTION_LINES,
        });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

function functionName(node: ts.SignatureDeclaration): string {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return '(anonymous)';
}
