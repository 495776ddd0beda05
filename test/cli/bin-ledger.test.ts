/**
 * The real bin in child processes, for what only a real process shows: the default file ledger (its
 * place and mode), a Redis ledger closed at exit, demo and --emulator leaving the user's ledger alone,
 * Ctrl-C as a real SIGINT, the Node version check on the machine's old Node, and proxies.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { type Emulator, startEmulator } from '../../src/testing/index.js';
import { startRedisServer } from '../helpers/redis-server.js';
import { collect, ROOT, runPiped, spawnCli } from './child.js';
import { startGate } from './gate.js';
import { emulatorEnv, firstIn, resendPosts, tempDir } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

/** Credentials and endpoint through the environment, as a user (or cron) has them. */
function endpointEnv(url = emulator.url): Record<string, string> {
  const { SSL_ORDERS_LEDGER: _ledger, ...credentials } = emulatorEnv(emulator);
  return { ...credentials, SL_ENDPOINT_URL: url };
}

const NOBODY = 65534;

/** Runs the bin as the unprivileged user `nobody` (util-linux setpriv). */
function runAsNobody(args: readonly string[], env: Record<string, string>) {
  const child = spawnCli(args, env, 'setpriv', [
    `--reuid=${NOBODY}`,
    `--regid=${NOBODY}`,
    '--clear-groups',
    join(ROOT, 'node_modules/.bin/node'),
  ]);
  child.stdin.end();
  return collect(child);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

// Child processes start slowly on a loaded machine; the generous timeout is for that, not for the CLI.
describe('the bin and its ledger', { timeout: 60_000 }, () => {
  it('uses the default file ledger under XDG_STATE_HOME, mode 0600; a second run is refused (exit 6)', async () => {
    const state = tempDir();
    const order = firstIn(emulator, 'Approved');
    const env = { ...endpointEnv(), XDG_STATE_HOME: state };
    const first = await runPiped(['resend', String(order.id), '--yes'], env);
    expect(first.stderr).not.toContain('ssl-orders:');
    expect(first.code).toBe(EXIT.ok);
    const ledger = join(state, 'softlayer-ssl-orders', 'ledger.json');
    expect(existsSync(ledger)).toBe(true);
    expect(statSync(ledger).mode & 0o777).toBe(0o600);
    const second = await runPiped(['resend', String(order.id), '--yes'], env);
    expect(second.code).toBe(EXIT.alreadySent);
    expect(second.stderr).toContain(`was already sent to ${order.approverEmailAddress}`);
    expect(emulator.outbox).toHaveLength(1);
  });

  it('demo and --emulator never write the default ledger', async () => {
    const state = tempDir();
    const demo = await runPiped(['demo'], { XDG_STATE_HOME: state });
    expect(demo.code).toBe(EXIT.ok);
    const resend = await runPiped(['resend', '--emulator', '4471877', '--yes', '--any-status'], {
      XDG_STATE_HOME: state,
    });
    expect(resend.stderr).toContain('Using an embedded emulator');
    expect(filesUnder(state)).toEqual([]);
  });

  it('--ledger redis://… shares the guard through Redis and the process exits by itself', async () => {
    const redis = await startRedisServer();
    try {
      const order = firstIn(emulator, 'Approved');
      const env = endpointEnv();
      const first = await runPiped(['resend', String(order.id), '--yes', '--ledger', redis.url], env);
      expect(first.code).toBe(EXIT.ok);
      const viaEnv = await runPiped(['resend', String(order.id), '--yes'], {
        ...env,
        SSL_ORDERS_LEDGER: redis.url,
      });
      expect(viaEnv.code).toBe(EXIT.alreadySent);
      const history = await runPiped(['history', '--json', '--ledger', redis.url], {});
      expect(JSON.parse(history.stdout)).toEqual([
        expect.objectContaining({
          orderId: order.id,
          outcome: 'sent',
          recipient: order.approverEmailAddress,
        }),
      ]);
      expect(emulator.outbox).toHaveLength(1);
    } finally {
      await redis.stop();
    }
  });

  it("root's cron job and a person's shell share one ledger through the same --ledger path", async () => {
    // The person is `nobody` here; the ledger lives in a directory the person owns, as in docs/cli.md.
    if (process.getuid?.() !== 0) {
      throw new Error('this test switches users with setpriv: run the suite as root (CI does)');
    }
    const home = tempDir();
    chownSync(home, NOBODY, NOBODY);
    const ledger = join(home, 'ledger.json');
    const [first, second] = [firstIn(emulator, 'Approved'), firstIn(emulator, 'Complete')];
    const env = endpointEnv();
    const asRoot = await runPiped(['resend', String(first.id), '--yes', '--ledger', ledger], env);
    expect(asRoot.code).toBe(EXIT.ok);
    expect(statSync(ledger).uid).toBe(NOBODY);
    expect(statSync(ledger).mode & 0o777).toBe(0o600);
    const personRefused = await runAsNobody(['resend', String(first.id), '--yes', '--ledger', ledger], env);
    expect(personRefused.code).toBe(EXIT.alreadySent);
    const personSends = await runAsNobody(['resend', String(second.id), '--yes', '--ledger', ledger], env);
    expect(personSends.code).toBe(EXIT.ok);
    const rootRefused = await runPiped(['resend', String(second.id), '--yes', '--ledger', ledger], env);
    expect(rootRefused.code).toBe(EXIT.alreadySent);
    expect(emulator.outbox.map((entry) => entry.orderId)).toEqual([first.id, second.id]);
  });

  it('a ledger path that is a directory: a typed error naming the path, no request', async () => {
    const dir = tempDir();
    const order = firstIn(emulator, 'Approved');
    const run = await runPiped(['resend', String(order.id), '--yes', '--ledger', dir], endpointEnv());
    expect(run.code).not.toBe(EXIT.ok);
    expect(run.stderr).toContain(dir);
    expect(run.stderr).toMatch(/^ssl-orders: \w+Error: /);
    expect(resendPosts(emulator)).toBe(0);
  });
});

describe('Ctrl-C as a real SIGINT', { timeout: 60_000 }, () => {
  it('before the request left: exit 130, "nothing was sent"', async () => {
    const order = firstIn(emulator, 'Approved');
    const gate = await startGate(emulator, 'order-read');
    try {
      const child = spawnCli(['resend', String(order.id), '--yes'], {
        ...endpointEnv(gate.url),
        XDG_STATE_HOME: tempDir(),
      });
      const done = collect(child);
      child.stdin.end();
      await gate.reached;
      child.kill('SIGINT');
      const run = await done;
      expect(run.code).toBe(EXIT.interrupted);
      expect(run.stderr).toContain(`nothing was sent for order ${order.id}`);
      expect(resendPosts(emulator)).toBe(0);
    } finally {
      await gate.close();
    }
  });

  it('after the request left: exit 4 naming the order and recipient; the re-run is refused (exit 7)', async () => {
    const order = firstIn(emulator, 'Approved');
    const gate = await startGate(emulator, 'after-post');
    const env = { ...endpointEnv(gate.url), XDG_STATE_HOME: tempDir() };
    try {
      const child = spawnCli(['resend', String(order.id), '--yes'], env);
      const done = collect(child);
      child.stdin.end();
      await gate.reached;
      child.kill('SIGINT');
      const run = await done;
      expect(run.code).toBe(EXIT.unknown);
      expect(run.stderr).toContain(
        `order ${order.id} may or may not have been sent to ${order.approverEmailAddress}`,
      );
      const rerun = await runPiped(['resend', String(order.id), '--yes'], env);
      expect(rerun.code).toBe(EXIT.earlierUnknown);
      expect(emulator.outbox).toHaveLength(1);
    } finally {
      await gate.close();
    }
  });
});

/** Node versions older than 22 installed outside node_modules (Debian's /usr/bin/node is 20). */
function oldNode(): string {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (!existsSync(candidate)) continue;
    const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
    if (Number(version.slice(1).split('.')[0]) < 22) return candidate;
  }
  throw new Error(
    'this test needs a Node.js older than 22 at /usr/bin/node or /usr/local/bin/node: ' +
      'apt-get install -y nodejs (Debian 13 ships Node 20)',
  );
}

describe('the Node version check', { timeout: 60_000 }, () => {
  it.each([['list'], ['--version'], ['resend', '12', '--yes']])(
    'on Node < 22, %j says so and exits 2 before loading anything else',
    async (...args: string[]) => {
      const node = oldNode();
      const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
      const child = spawnCli(args, {}, node);
      child.stdin.end();
      const run = await collect(child);
      expect(run.code).toBe(EXIT.usage);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        new RegExp(
          `^ssl-orders needs Node\\.js 22 or newer \\(this is ${version.replaceAll('.', '\\.')}\\)\\.`,
        ),
      );
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    },
  );
});

interface Proxy {
  url: string;
  /** Every request line the proxy saw: `CONNECT host:port` or `GET http://…`. */
  seen: string[];
  close(): Promise<void>;
}

/** A forward proxy on loopback: CONNECT tunnels and absolute-form requests, each one recorded. */
async function startProxy(): Promise<Proxy> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: target.pathname + target.search,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host = '', port = ''] = (req.url ?? '').split(':');
    if (host.endsWith('.invalid')) {
      // RFC 6761: never resolves; answer at once instead of waiting for DNS.
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('proxies', { timeout: 60_000 }, () => {
  it.each(['HTTP_PROXY', 'http_proxy'])('%s: every request goes through the proxy', async (variable) => {
    const proxy = await startProxy();
    try {
      const run = await runPiped(['list', '--json'], { ...endpointEnv(), [variable]: proxy.url });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(EXIT.ok);
      expect((JSON.parse(run.stdout) as unknown[]).length).toBe(emulator.orders.length);
      const host = new URL(emulator.url).host;
      expect(proxy.seen.length).toBeGreaterThan(0);
      for (const line of proxy.seen)
        expect(line).toMatch(new RegExp(`^(CONNECT ${host}|\\w+ http://${host}/)`));
      expect(emulator.requests.length).toBeGreaterThanOrEqual(proxy.seen.length);
    } finally {
      await proxy.close();
    }
  });

  it.each(['HTTPS_PROXY', 'https_proxy'])(
    '%s: an https endpoint is reached through a CONNECT tunnel',
    async (variable) => {
      // No TLS server is needed to see it: the proxy records the tunnel request, then refuses it.
      const proxy = await startProxy();
      try {
        const host = 'api.softlayer.invalid';
        const run = await runPiped(['show', '4471877'], {
          ...endpointEnv(`https://${host}/rest/v3.1/`),
          [variable]: proxy.url,
        });
        expect(run.code).toBe(EXIT.failed);
        expect(proxy.seen.length).toBeGreaterThan(0);
        for (const line of proxy.seen) expect(line).toBe(`CONNECT ${host}:443`);
      } finally {
        await proxy.close();
      }
    },
  );

  it('NO_PROXY keeps a host off the proxy', async () => {
    const proxy = await startProxy();
    try {
      const run = await runPiped(['list', '--json'], {
        ...endpointEnv(),
        HTTP_PROXY: proxy.url,
        NO_PROXY: '127.0.0.1',
      });
      expect(run.code).toBe(EXIT.ok);
      expect(proxy.seen).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});
