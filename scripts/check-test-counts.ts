/**
 * Reads Vitest JSON reports (one per project) and fails loudly when a project
 * ran no test, or when a test was skipped or left as todo: a green run must
 * mean every test ran. Prints one closing line "N passed, N failed".
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface VitestJson {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success: boolean;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('check-test-counts: no report files given');
  process.exit(1);
}

let passed = 0;
let failed = 0;
const problems: string[] = [];
for (const file of files) {
  const r = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
  const project = basename(file, '.json');
  console.log(`  ${project.padEnd(16)} ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  if (r.numTotalTests === 0) problems.push(`${project}: ran zero tests`);
  if (r.numPendingTests + r.numTodoTests > 0) problems.push(`${project}: ${r.numPendingTests + r.numTodoTests} test(s) skipped or todo`);
  if (!r.success) problems.push(`${project}: did not succeed`);
}
for (const p of problems) console.error(`FAIL ${p}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(problems.length > 0 || failed > 0 ? 1 : 0);
