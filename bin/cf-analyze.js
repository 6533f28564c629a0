#!/usr/bin/env node
import { main } from '../dist/src/cli.js';

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error) => {
    // An internal error: print enough to file a bug, never a raw dump of evidence.
    process.stderr.write(`cf-analyze: internal error (please report): ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
