// Entry point of the `novacron` CLI: runs one command and exits with its code.
import { run } from './cli';

process.exitCode = await run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
