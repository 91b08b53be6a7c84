#!/usr/bin/env node
// `npm start`: builds the web app when web/dist is missing or older than its sources, then runs `arbor serve`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const built = path.join(web, 'dist', 'index.html');

function newestMtime(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

function needsBuild() {
  if (!fs.existsSync(built)) return true;
  const sources = ['src', 'index.html', 'vite.config.ts'].map((p) => newestMtime(path.join(web, p)));
  return Math.max(...sources) > fs.statSync(built).mtimeMs;
}

if (fs.existsSync(path.join(web, 'src')) && needsBuild()) {
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (fs.existsSync(vite)) {
    console.log('Building the web app (web/dist is missing or older than web/src)…');
    const result = spawnSync(
      process.execPath,
      [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    if (result.status !== 0) console.error('The web app did not build; starting the API anyway.');
  } else {
    console.error('Vite is not installed (npm install without --omit=dev builds the web app); starting the API only.');
  }
}

const child = spawn(process.execPath, [path.join(root, 'bin', 'arbor.js'), 'serve', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
