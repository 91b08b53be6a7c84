import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TEST_NOW } from '../helpers/server';

// The CLI on the embedded database. The children never see DATABASE_URL, so these tests run the same in the
// PostgreSQL run of the suite. The three scenarios use their own data folders and run concurrently.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/arbor.js');
const PASSWORD = 'correct horse battery';
const SLOW = 240_000; // generous: these spawn several Node processes, and CI machines get busy

let tmp: string;
const children = new Set<ChildProcess>();

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arbor-cli-'));
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

function childEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ARBOR_DATA_DIR: dataDir,
    ARBOR_NOW: TEST_NOW,
    LOG_LEVEL: 'warn',
    ...extra,
  };
  delete env.DATABASE_URL;
  return env;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `arbor ARGS` with the data folder; resolves when it exits. */
function run(dataDir: string, args: string[], timeoutMs = 120_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv(dataDir) });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`arbor ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

interface Served {
  pid: number;
  request(
    method: string,
    path: string,
    body?: unknown,
    key?: string,
    extra?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** `arbor serve` on a free port; resolves once /healthz answers. */
async function serve(dataDir: string): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: ROOT,
    env: childEnv(dataDir, { PORT: String(port), HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`serve did not answer /healthz in time:\n${output}`);
    }
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid!,
    async request(method, path, body, key, extra) {
      const headers: Record<string, string> = { ...extra };
      if (key) headers.authorization = `Bearer ${key}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${url}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
    },
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      children.delete(child);
      return code;
    },
  };
}

/** A pid no process has (for a lock file left behind by a process that died). */
function deadPid(): number {
  for (let pid = 999_999; ; pid++) {
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
}

const setupArgs = (name: string, email: string) => [
  'setup',
  '--org-name',
  name,
  '--currency',
  'EUR',
  '--email',
  email,
  '--password',
  PASSWORD,
];

describe.concurrent('arbor CLI (embedded database)', () => {
  test(
    '--help lists the commands',
    async () => {
      const help = await run(path.join(tmp, 'help'), ['--help']);
      expect(help.code).toBe(0);
      for (const command of ['serve', 'setup', 'backup', 'restore']) expect(help.stdout).toContain(command);
    },
    SLOW,
  );

  test(
    'setup --json prints {organization, user, api_key}; a second setup refuses unless --add',
    async () => {
      const dataDir = path.join(tmp, 'setup');
      const first = await run(dataDir, [...setupArgs('Acme Embedded', 'Admin@Acme.test'), '--json']);
      expect(first.code, first.stderr).toBe(0);
      const out = JSON.parse(first.stdout);
      expect(Object.keys(out).sort()).toEqual(['api_key', 'organization', 'user']);
      expect(out.organization).toMatchObject({ id: expect.stringMatching(/^org_/), name: 'Acme Embedded' });
      expect(out.user).toMatchObject({ email: 'admin@acme.test', role: 'admin', active: true });
      expect(out.api_key).toMatch(/^\S{20,}$/);

      const again = await run(dataDir, setupArgs('Other', 'b@other.test'));
      expect(again.code).not.toBe(0);
      expect(again.code).not.toBe(3);
      expect(again.stderr).toMatch(/already/i);
      expect(again.stderr).toContain('--add');

      const added = await run(dataDir, [...setupArgs('Other', 'b@other.test'), '--add', '--json']);
      expect(added.code, added.stderr).toBe(0);
      const second = JSON.parse(added.stdout);
      expect(second.organization.id).not.toBe(out.organization.id);
    },
    SLOW,
  );

  test(
    'serve holds the folder (others exit 3), stale locks are taken over, backup and restore round-trip',
    async () => {
      const dataDir = path.join(tmp, 'backup');
      const lockFile = path.join(dataDir, 'arbor.lock');
      const backupFile = path.join(tmp, 'backup.tar.gz');
      fs.mkdirSync(dataDir, { recursive: true });

      // A lock left by a process that died does not keep the server out.
      fs.writeFileSync(lockFile, String(deadPid()));
      let server = await serve(dataDir);
      let apiKey: string;
      try {
        expect(fs.readFileSync(lockFile, 'utf8').trim()).toBe(String(server.pid));
        const setup = await server.request('POST', '/api/v1/setup', {
          org_name: 'Backup GmbH',
          currency: 'EUR',
          email: 'admin@backup.test',
          password: PASSWORD,
        });
        expect(setup.status).toBe(201);
        // The web's first-run setup signs the admin in and makes no API key: the session makes one.
        expect(setup.body.api_key).toBeUndefined();
        const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
        const key = await server.request(
          'POST',
          '/api/v1/api_keys',
          { name: 'Backup test', role: 'admin' },
          undefined,
          {
            cookie,
            'x-csrf-token': setup.body.csrf_token,
          },
        );
        expect(key.status).toBe(201);
        apiKey = key.body.key;
        const before = await server.request(
          'POST',
          '/api/v1/customers',
          { name: 'Before backup', currency: 'EUR' },
          apiKey,
        );
        expect(before.status).toBe(201);

        // While it runs, another command on the folder exits 3 and says why.
        const blocked = await run(dataDir, ['backup', path.join(tmp, 'never.tar.gz')]);
        expect(blocked.code).toBe(3);
        expect(blocked.stderr).toContain('in use by another Arbor process');
        expect(blocked.stderr).toContain(`pid ${server.pid}`);
        expect(fs.existsSync(path.join(tmp, 'never.tar.gz'))).toBe(false);
        expect((await server.request('GET', '/api/v1/customers', undefined, apiKey)).status).toBe(200);
      } finally {
        expect(await server.stop()).toBe(0);
      }
      expect(fs.existsSync(lockFile)).toBe(false);

      const backup = await run(dataDir, ['backup', backupFile]);
      expect(backup.code, backup.stderr).toBe(0);
      expect(fs.statSync(backupFile).size).toBeGreaterThan(1000);

      server = await serve(dataDir);
      try {
        const after = await server.request(
          'POST',
          '/api/v1/customers',
          { name: 'After backup', currency: 'EUR' },
          apiKey,
        );
        expect(after.status).toBe(201);
      } finally {
        expect(await server.stop()).toBe(0);
      }

      const refused = await run(dataDir, ['restore', backupFile]);
      expect(refused.code).not.toBe(0);
      expect(refused.code).not.toBe(3);
      expect(refused.stderr).toContain('--force');

      fs.writeFileSync(lockFile, String(deadPid()));
      const forced = await run(dataDir, ['restore', backupFile, '--force']);
      expect(forced.code, forced.stderr).toBe(0);
      expect(fs.existsSync(lockFile)).toBe(false);

      server = await serve(dataDir);
      try {
        const list = await server.request('GET', '/api/v1/customers', undefined, apiKey);
        expect(list.status).toBe(200);
        expect(list.body.data.map((c: { name: string }) => c.name)).toEqual(['Before backup']);
      } finally {
        expect(await server.stop()).toBe(0);
      }
    },
    SLOW,
  );
});
