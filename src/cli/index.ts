#!/usr/bin/env node
/**
 * The `ssl-orders` bin: runs {@link main} with the real process and sets the exit code.
 *
 * @module
 */
import { main, nodeIo } from './main.js';

// `ssl-orders list | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), nodeIo());
