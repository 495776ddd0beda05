#!/usr/bin/env node
/**
 * The `ssl-orders` bin. Before importing anything that needs Node.js 22 (ky 2, the SDK), it refuses
 * an older runtime with a clear message; it turns on Node's own proxy support when a proxy variable is
 * set; then it runs {@link main} with the real process and sets the exit code.
 *
 * This file must parse and run on old Node versions: plain syntax, only `node:` built-ins imported
 * statically, everything else through `import()` after the check.
 *
 * @module
 */
import { needsProxyRelaunch, relaunchWithEnvProxy } from './proxy.js';

const [major = 0] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(
    `ssl-orders needs Node.js 22 or newer (this is ${process.version}). ` +
      'Install a current Node.js from https://nodejs.org/ or with your version manager (e.g. nvm install 22).\n',
  );
  process.exit(2);
}

if (needsProxyRelaunch(process.env, process.execArgv)) {
  process.exitCode = await relaunchWithEnvProxy();
} else {
  const { main, nodeIo } = await import('./main.js');
  // `ssl-orders list | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await main(process.argv.slice(2), nodeIo());
}
