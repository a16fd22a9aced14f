#!/usr/bin/env node
// Entry of `npm create rivulet-plugin <name>` (the create-rivulet-plugin bin).
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
