// Runs independent check commands at once (eslint and prettier in `npm run lint`: each is one busy core for ~20 s,
// and CI has two), prints each one's output whole and in the given order, and exits non-zero when any failed.
//
//   node scripts/run-together.mjs "eslint ." "prettier --check ."
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';

const commands = process.argv.slice(2);
const runs = commands.map(
  (command) =>
    new Promise((resolve) => {
      const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const output = [];
      child.stdout.on('data', (chunk) => output.push(chunk));
      child.stderr.on('data', (chunk) => output.push(chunk));
      child.on('close', (code, signal) => resolve({ command, code: code ?? 1, signal, output: Buffer.concat(output) }));
    }),
);
let failed = 0;
for (const run of runs) {
  const { command, code, signal, output } = await run;
  process.stdout.write(`> ${command}\n`);
  process.stdout.write(output);
  if (code !== 0) {
    failed++;
    console.error(`${command}: failed (${signal ?? `exit code ${code}`})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
