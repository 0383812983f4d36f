// Ends the run with the plain closing line CI reads ("tests: N passed, N failed, N skipped"), after the
// reasons of the test files skipped whole (a client not installed, no embedded PostgreSQL): Jest's own
// reporter prints nothing of a file it skipped, so what such a file said while loading goes here.
const { relative } = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.skipReasons = [];
  }

  onTestResult(_test, result) {
    if (!result.skipped) return;
    for (const entry of result.console ?? []) {
      this.skipReasons.push(`skipped ${relative(this.rootDir, result.testFilePath)}: ${entry.message}`);
    }
  }

  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const reasons = this.skipReasons.map((line) => `${line}\n`).join('');
    process.stdout.write(`\n${reasons}tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
