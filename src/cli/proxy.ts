/**
 * Proxies, the way slcli users have them: `HTTPS_PROXY` / `https_proxy` / `HTTP_PROXY` / `http_proxy`
 * and `NO_PROXY`. Node's fetch ignores them unless the process starts with `NODE_USE_ENV_PROXY=1`
 * (or `--use-env-proxy`), which Node 22.21+ supports; it cannot be switched on once the process runs
 * (Node 22 has no `http.setGlobalProxyFromEnv`). So when a proxy variable is set and the user has not
 * decided about `NODE_USE_ENV_PROXY`, the bin runs itself once more with it set. The alternative, a
 * proxying undici dispatcher, would add the `undici` package (≈ 1.5 MB) to the CLI for what the
 * runtime already does; the relaunch costs one extra process start, and only behind a proxy.
 *
 * The relaunch inherits stdio, so prompts and the terminal work as before. Ctrl-C reaches both
 * processes (the terminal signals its whole foreground process group): the parent ignores it and lets
 * the child handle it, then exits with the child's code. SIGTERM and SIGHUP sent to the parent alone
 * are passed on.
 *
 * This file is imported by the bin before the Node version check has passed: plain syntax, `node:`
 * built-ins only.
 *
 * @module
 */
import { spawn } from 'node:child_process';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/** Whether the bin must run itself again with Node's environment proxy support turned on. */
export function needsProxyRelaunch(env: NodeJS.ProcessEnv, execArgv: readonly string[]): boolean {
  const proxied = PROXY_VARIABLES.some((name) => (env[name] ?? '').trim() !== '');
  return proxied && env['NODE_USE_ENV_PROXY'] === undefined && !execArgv.includes('--use-env-proxy');
}

/** Runs this bin again with `NODE_USE_ENV_PROXY=1`; resolves its exit code. */
export function relaunchWithEnvProxy(): Promise<number> {
  const args = [
    ...process.execArgv,
    // Node 22 warns that its EnvHttpProxyAgent is experimental; the user did not ask for it by name.
    '--disable-warning=UNDICI-EHPA',
    ...process.argv.slice(1),
  ];
  const child = spawn(process.execPath, args, {
    stdio: 'inherit',
    env: { ...process.env, NODE_USE_ENV_PROXY: '1' },
  });
  const ignore = () => {};
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onTerm = forward('SIGTERM');
  const onHup = forward('SIGHUP');
  process.on('SIGINT', ignore);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  return new Promise((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`ssl-orders: could not start with proxy support: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onHup);
      const signals: Record<string, number> = { SIGINT: 2, SIGHUP: 1, SIGKILL: 9, SIGTERM: 15 };
      resolve(code ?? 128 + (signals[signal ?? ''] ?? 1));
    });
  });
}
