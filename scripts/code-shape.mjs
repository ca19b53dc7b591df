#!/usr/bin/env node
// The shape of src/: files directly in src/, the longest files and the longest
// function bodies (lines), measured with the TypeScript compiler API.
//
//   npm run shape            the figures, the 10 longest of each
//   npm run shape -- --max-function 100 --max-file 400   exit 1 past a limit
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src');
const args = process.argv.slice(2);
const limit = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : Infinity;
};
const maxFunction = limit('--max-function');
const maxFile = limit('--max-file');

const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (/\.c?ts$/.test(name)) files.push(full);
  }
})(src);

const lineOf = (sf, pos) => sf.getLineAndCharacterOfPosition(pos).line;
const fileLengths = [];
const functions = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  fileLengths.push({ file: relative(root, file), lines: text.split('\n').length });
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const lines = lineOf(sf, node.body.getEnd()) - lineOf(sf, node.body.getStart(sf)) + 1;
      const name = node.name?.getText(sf) ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(sf) : '(anonymous)');
      functions.push({ where: `${relative(root, file)}:${lineOf(sf, node.getStart(sf)) + 1}`, name, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

const top = readdirSync(src).filter((n) => statSync(join(src, n)).isFile());
fileLengths.sort((a, b) => b.lines - a.lines);
functions.sort((a, b) => b.lines - a.lines);
console.log(`files directly in src/: ${top.length} (${top.join(', ')})`);
console.log(`longest files:`);
for (const f of fileLengths.slice(0, 10)) console.log(`  ${String(f.lines).padStart(5)}  ${f.file}`);
console.log(`longest function bodies:`);
for (const f of functions.slice(0, 10)) console.log(`  ${String(f.lines).padStart(5)}  ${f.name}  ${f.where}`);
const over = [...fileLengths.filter((f) => f.lines > maxFile), ...functions.filter((f) => f.lines > maxFunction)];
if (over.length > 0) {
  console.error(`shape: ${over.length} past the limits (--max-function ${maxFunction}, --max-file ${maxFile})`);
  process.exit(1);
}
