// CI's closing line: adds the reliability battery's counts to `npm test`'s summary line, so
// the last line of a CI run says "ci: N passed, N failed, N skipped" for everything.
import { existsSync, readFileSync } from 'node:fs';

const [npmTestLog, reliabilityReport] = process.argv.slice(2);
const m = /summary: (\d+) passed, (\d+) failed, (\d+) skipped/.exec(
  existsSync(npmTestLog) ? readFileSync(npmTestLog, 'utf8') : '',
);
let [passed, failed, skipped] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 1, 0];
if (reliabilityReport && existsSync(reliabilityReport)) {
  const r = JSON.parse(readFileSync(reliabilityReport, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
} else if (reliabilityReport) {
  failed += 1;
}
console.log(`ci: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);
