/**
 * A forwarding HTTP server in front of an emulator that can hold a request at a chosen point, so a
 * test interrupts the CLI at an exact step (before the resend POST left, or after the emulator acted
 * on it) without sleeping. Plain node:http; real sockets.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '../../src/testing/index.js';

/** Where to hold (the first matching request only). */
export type Hold =
  /** Hold the order read (`…/<id>/getObject`): the CLI has not sent anything yet. */
  | 'order-read'
  /** Forward the resend POST (the emulator sends the email), then never answer. */
  | 'after-post';

export interface Gate {
  /** The REST endpoint to give the CLI (`--endpoint` or SL_ENDPOINT_URL). */
  url: string;
  /** Resolves when the held request has arrived (for `after-post`: once the emulator acted on it). */
  reached: Promise<void>;
  close(): Promise<void>;
}

export async function startGate(emulator: Emulator, hold: Hold): Promise<Gate> {
  let reached!: () => void;
  const reachedPromise = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const target = new URL(emulator.origin);
  // Only the first matching request is held: a re-run through the same gate (same host, so the same
  // ledger key) goes through.
  let held = false;
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const isOrderRead =
      req.method === 'GET' &&
      /SoftLayer_Security_Certificate_Request\/\d+(\/getObject)?(\.json)?(\?|$)/.test(path);
    const isPost = req.method === 'POST' && path.includes('/resendEmail');
    if (hold === 'order-read' && isOrderRead && !held) {
      held = true;
      reached();
      return; // never answered; the client's abort closes the socket
    }
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path, headers: req.headers },
      (answer) => {
        if (hold === 'after-post' && isPost && !held) {
          held = true;
          answer.resume();
          answer.on('end', reached);
          return; // the email went out; the answer never comes back
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/rest/v3.1/`,
    reached: reachedPromise,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
