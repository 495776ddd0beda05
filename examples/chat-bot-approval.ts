/**
 * A chat-bot approval that outlives a process: the bot asks in a chat channel, a person presses
 * Approve, and the chat service delivers that approval as a webhook, later and to any replica. Here
 * the webhook is delivered twice, to two replicas (two processes) that share one Redis ledger: the
 * approval's id makes exactly one of them send; the other is told the approval was already used.
 *
 * Nothing waits inside a confirm hook: each replica sends with `approvedRecipient` (the address the
 * person approved; the send re-reads the order and refuses if it changed) and `approvalId`.
 *
 * Run: npx tsx examples/chat-bot-approval.ts
 * Env: REDIS_URL (default: a throwaway redis-server on a free port). No credentials: demo emulator.
 *      With SL_USERNAME + SL_API_KEY it runs on your account as a dry run.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DuplicateSendError } from 'softlayer-ssl-orders';
import { RedisSendLedger } from 'softlayer-ssl-orders/redis';
import { connect } from './support/connect.js';
import { exampleRedis } from './support/redis.js';

/** What the chat service posts to the bot's webhook when a person presses Approve. */
interface ApprovalWebhook {
  approvalId: string;
  orderId: number;
  recipient: string;
  approvedBy: string;
}

if (process.argv[2] === 'replica') {
  // A bot replica: handles webhook deliveries with a client whose ledger lives in the shared Redis.
  const sendLedger = new RedisSendLedger({ url: process.env['REDIS_URL']! });
  const { client, live, close } = await connect({ sendLedger });
  process.on('message', async (event: ApprovalWebhook) => {
    let said: string;
    try {
      const result = await client.resendFulfillmentEmail(event.orderId, {
        approvedRecipient: event.recipient,
        approvalId: event.approvalId,
        dryRun: live,
      });
      said = `${result.outcome} to ${result.recipient}`;
    } catch (error) {
      // 'in-flight' while the other replica's send of the same approval runs, 'approval-used' after it.
      if (error instanceof DuplicateSendError)
        said = `not sent: approval ${event.approvalId} is taken (${error.reason})`;
      else said = `failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    }
    process.send!(said, () => {
      void close()
        .then(() => sendLedger.close())
        .then(() => process.disconnect());
    });
  });
  process.send!('ready');
} else {
  const redis = await exampleRedis();
  const { client, close } = await connect();
  try {
    const [order] = (await client.listOrders({ status: 'Approved', limit: 1 })).orders;
    if (!order?.approverEmailAddress) throw new Error('no Approved order to ask about');
    console.log(
      `[#certs] bot: resend the certificate of ${order.commonName} (order ${order.id}) to ${order.approverEmailAddress}? [Approve] [Deny]`,
    );
    // The person approves in the chat; the chat service will call the webhook with this event.
    const approval: ApprovalWebhook = {
      approvalId: randomUUID(),
      orderId: order.id,
      recipient: order.approverEmailAddress,
      approvedBy: 'alice',
    };
    console.log(`[#certs] alice pressed Approve (approval ${approval.approvalId})`);

    // At-least-once delivery: the same webhook reaches two replicas.
    const env = { ...process.env, REDIS_URL: redis.url, ...emulatorEnv(client.baseUrl) };
    const replicas = ['replica-a', 'replica-b'].map((name) => {
      const child = fork(fileURLToPath(import.meta.url), ['replica'], { env, execArgv: process.execArgv });
      // A replica that dies before it answers must fail the run, not leave it waiting.
      const exited = new Promise<never>((_, reject) =>
        child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it answered`))),
      );
      exited.catch(() => undefined);
      const ready = Promise.race([
        new Promise<void>((resolve) => child.once('message', () => resolve())),
        exited,
      ]);
      return { name, child, ready, exited };
    });
    await Promise.all(replicas.map((replica) => replica.ready));
    const answers = await Promise.all(
      replicas.map(({ name, child, exited }) =>
        Promise.race([
          new Promise<string>((resolve, reject) => {
            child.once('message', (said) => resolve(`${name}: ${String(said)}`));
            child.once('error', reject);
            child.send(approval);
          }),
          exited,
        ]),
      ),
    );
    for (const answer of answers) console.log(answer);
    await Promise.all(replicas.map(({ exited }) => exited.catch(() => undefined)));
  } finally {
    await close();
    await redis.close();
  }
}

/** The replicas must reach the same API as this process: pass the emulator's URL on, if one runs. */
function emulatorEnv(baseUrl: string): Record<string, string> {
  return baseUrl.startsWith('https://') ? {} : { SSL_ORDERS_EMULATOR_URL: baseUrl };
}
