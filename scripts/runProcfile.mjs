// Runs every process type of the Procfile (or those named) with prefixed output, like foreman;
// Ctrl-C or SIGTERM stops them all gracefully. Used by the demo; production uses its own supervisor.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const only = process.argv.slice(2);
const entries = readFileSync(new URL('../Procfile', import.meta.url), 'utf8')
  .split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  .map((l) => { const i = l.indexOf(':'); return { name: l.slice(0, i).trim(), cmd: l.slice(i + 1).trim() }; })
  .filter((e) => only.length === 0 || only.includes(e.name));
const colors = [36, 33, 35, 32, 34, 31];
const width = Math.max(...entries.map((e) => e.name.length));
const children = entries.map((e, i) => {
  const child = spawn('sh', ['-c', `exec ${e.cmd}`], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const tag = `\x1b[${colors[i % colors.length]}m${e.name.padEnd(width)} |\x1b[0m `;
  let rest = '';
  const out = (d) => {
    const lines = (rest + d.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) process.stdout.write(tag + line + '\n');
  };
  child.stdout.on('data', out);
  child.stderr.on('data', out);
  child.on('exit', (code, signal) => {
    process.stdout.write(`${tag}exited (${signal ?? code})\n`);
    if (!stopping) stop(code ?? 1);
  });
  return child;
});
let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 12000).unref();
  Promise.all(children.map((c) => c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
