/**
 * The IBM Cloud console's Security > SSL > Orders page, as a small app on the SDK: node:http, static
 * HTML, CSS and vanilla JS. A person picks an order, a dialog shows the address the certificate
 * authority will email, and "Resend email" asks this server to send.
 *
 * The approval and the send happen in two different requests, so the server cannot hold a `confirm`
 * hook open while a person decides. It sends with `approvedRecipient`: the address the dialog showed.
 * The SDK re-reads the order and sends only if that is still the order's address, so an address that
 * changed after the dialog opened sends nothing.
 *
 * POSTs carry a CSRF token bound to the session cookie, and the server listens on 127.0.0.1 unless
 * told otherwise: the page can email real people.
 *
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DuplicateSendError,
  type EmailType,
  PreconditionFailedError,
  SendOutcomeUnknownError,
  type SslOrder,
  type SslOrdersClient,
  SslOrdersError,
} from 'softlayer-ssl-orders';

const PUBLIC = new URL('./public/', import.meta.url);
const STATIC: Record<string, string> = {
  '/app.js': 'text/javascript; charset=utf-8',
  '/style.css': 'text/css; charset=utf-8',
};

/** One row of the page's table. */
export interface OrderRow {
  id: number;
  commonName: string | undefined;
  status: string | undefined;
  expirationDate: string | undefined;
  approverEmailAddress: string | undefined;
  /** The email the Send button asks for: the approval email while the CA waits, else the certificate. */
  emailType: EmailType;
}

/** What a resend answers the page; `message` is the outcome in words. */
export interface ResendAnswer {
  outcome: 'sent' | 'already-sent' | 'unknown' | 'address-changed' | 'refused' | 'error';
  message: string;
}

export interface WebConsoleOptions {
  client: SslOrdersClient;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default `0`: a free port. */
  port?: number;
}

export interface WebConsole {
  url: string;
  close(): Promise<void>;
}

function emailTypeOf(order: SslOrder): EmailType {
  return order.status?.name === 'Pending CA Approval' ? 'ApproverEmail' : 'FulfillmentEmail';
}

function toRow(order: SslOrder): OrderRow {
  return {
    id: order.id,
    commonName: order.commonName,
    status: order.status?.name,
    expirationDate: order.expirationDate,
    approverEmailAddress: order.approverEmailAddress,
    emailType: emailTypeOf(order),
  };
}

function minutesAgo(date: Date): string {
  const minutes = Math.max(0, Math.round((Date.now() - date.getTime()) / 60_000));
  return minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
}

/** Turns a send's result or error into words for a person; anything unexpected is an `error`. */
async function resend(client: SslOrdersClient, id: number, recipient: string): Promise<ResendAnswer> {
  const order = await client.getOrder(id);
  const emailType = emailTypeOf(order);
  const send = emailType === 'ApproverEmail' ? client.resendApproverEmail : client.resendFulfillmentEmail;
  try {
    await send.call(client, id, { approvedRecipient: recipient });
    return { outcome: 'sent', message: `Sent: the certificate authority emails ${recipient}.` };
  } catch (error) {
    if (error instanceof DuplicateSendError) {
      if (error.lastOutcome === 'sent') {
        return {
          outcome: 'already-sent',
          message: `Already sent ${minutesAgo(error.lastSentAt)} to ${recipient}; nothing was sent now.`,
        };
      }
      return {
        outcome: 'unknown',
        message: `An earlier send ${minutesAgo(error.lastSentAt)} may or may not have been sent: check with ${recipient} before sending again.`,
      };
    }
    if (error instanceof SendOutcomeUnknownError) {
      return {
        outcome: 'unknown',
        message: `May or may not have been sent: check with ${error.recipient} before sending again.`,
      };
    }
    if (error instanceof PreconditionFailedError) {
      const now = await client.getOrder(id).catch(() => undefined);
      const current = now?.approverEmailAddress;
      if (current !== undefined && current.toLowerCase() !== recipient.toLowerCase()) {
        return {
          outcome: 'address-changed',
          message: `Nothing was sent: the order's address changed to ${current} after the dialog showed ${recipient}. Reload and check it.`,
        };
      }
      return {
        outcome: 'refused',
        message: `Refused for this status (${error.status ?? 'none'}): nothing was sent.`,
      };
    }
    throw error;
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) {
    text += chunk;
    if (text.length > 10_000) throw new Error('body too large');
  }
  return JSON.parse(text);
}

function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * Starts the page's server. Resolves once it listens; `close()` stops it (the client is the caller's).
 */
export async function startWebConsole(options: WebConsoleOptions): Promise<WebConsole> {
  const { client } = options;
  // Tokens are an HMAC of the session id, so the server keeps no session table.
  const secret = randomBytes(32);
  const tokenFor = (session: string) => createHmac('sha256', secret).update(session).digest('base64url');
  const html = await readFile(new URL('index.html', PUBLIC), 'utf8');
  let origin = '';

  const validCsrf = (request: IncomingMessage): boolean => {
    const session = cookie(request, 'sid');
    const token = request.headers['x-csrf-token'];
    if (!session || typeof token !== 'string') return false;
    if (request.headers.origin !== undefined && request.headers.origin !== origin) return false;
    const expected = Buffer.from(tokenFor(session));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const { pathname } = new URL(request.url ?? '/', origin);
    if (request.method === 'GET' && pathname === '/') {
      const session = randomBytes(18).toString('base64url');
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'set-cookie': `sid=${session}; HttpOnly; SameSite=Strict; Path=/`,
        'content-security-policy': "default-src 'self'",
        'cache-control': 'no-store',
      });
      response.end(html.replace('{{csrf}}', tokenFor(session)));
      return;
    }
    if (pathname === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    const type = STATIC[pathname];
    if (request.method === 'GET' && type) {
      response.writeHead(200, { 'content-type': type });
      response.end(await readFile(new URL(pathname.slice(1), PUBLIC)));
      return;
    }
    if (request.method === 'GET' && pathname === '/api/orders') {
      const orders: OrderRow[] = [];
      for await (const order of client.iterateOrders()) orders.push(toRow(order));
      json(response, 200, { orders });
      return;
    }
    const match = /^\/api\/orders\/(\d{1,16})\/resend$/.exec(pathname);
    if (request.method === 'POST' && match) {
      if (!validCsrf(request)) {
        json(response, 403, { outcome: 'error', message: 'Missing or wrong CSRF token: reload the page.' });
        return;
      }
      const body = (await readJson(request)) as { recipient?: unknown };
      if (typeof body.recipient !== 'string' || body.recipient === '') {
        json(response, 400, { outcome: 'error', message: 'recipient is required' });
        return;
      }
      json(response, 200, await resend(client, Number(match[1]), body.recipient));
      return;
    }
    json(response, 404, { outcome: 'error', message: `no route ${request.method} ${pathname}` });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // SDK errors are secret-free by contract; anything else is reported by name only.
      const message =
        error instanceof SslOrdersError ? error.message : `${error instanceof Error ? error.name : 'error'}`;
      if (!response.headersSent) json(response, 500, { outcome: 'error', message });
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  origin = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  return {
    url: `${origin}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
