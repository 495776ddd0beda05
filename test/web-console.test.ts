/**
 * The web console example (examples/web-console) in a real browser: Debian's chromium, headless,
 * driven by playwright-core. Every wait is on the page's own state (a selector), never a sleep.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../examples/web-console/browser.js';
import { startWebConsole, type WebConsole } from '../examples/web-console/server.js';
import { SslOrdersClient } from '../src/index.js';
import { type Emulator, startEmulator } from '../src/testing/index.js';

let emulator: Emulator;
let web: WebConsole;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
let shots: string;

beforeAll(async () => {
  emulator = await startEmulator();
  const client = new SslOrdersClient({ ...emulator.clientOptions(), sendCooldown: 60 * 60_000 });
  web = await startWebConsole({ client });
  browser = await launchChromium();
  page = await browser.context.newPage();
  shots = await mkdtemp(join(tmpdir(), 'web-console-shots-'));
  await page.goto(web.url);
  await page.waitForSelector('body[data-loaded="true"]');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await emulator?.close();
});

function ownOrders() {
  return emulator.orders.filter((order) => order.accountId === emulator.accountId);
}

function approvedOrders() {
  return ownOrders().filter((order) => order.status?.name === 'Approved');
}

async function openDialog(orderId: number): Promise<void> {
  await page.click(`tr[data-order-id="${orderId}"] button.send`);
  await page.waitForSelector('#resend-dialog[open]');
}

async function resendAndWait(): Promise<{ outcome: string; text: string }> {
  const previous = await page.evaluate(() => document.querySelector('#outcome')?.textContent ?? '');
  await page.keyboard.press('Enter');
  await page.waitForFunction((before) => {
    const element = document.querySelector<HTMLElement>('#outcome');
    return element && element.dataset['outcome'] !== 'pending' && element.textContent !== before;
  }, previous);
  return page.evaluate(() => {
    const element = document.querySelector<HTMLElement>('#outcome')!;
    return { outcome: element.dataset['outcome'] ?? '', text: element.textContent ?? '' };
  });
}

describe('the web console in headless chromium', () => {
  it("lists exactly the emulator's orders of the account, with their approver addresses", async () => {
    const rows = await page.$$eval('#orders tbody tr', (trs) =>
      trs.map((tr) => ({
        id: Number((tr as HTMLElement).dataset['orderId']),
        cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
      })),
    );
    const expected = ownOrders();
    expect(rows.map((row) => row.id).sort((a, b) => a - b)).toEqual(
      expected.map((order) => order.id).sort((a, b) => a - b),
    );
    for (const order of expected) {
      const row = rows.find((candidate) => candidate.id === order.id)!;
      expect(row.cells[1]).toBe(order.commonName);
      expect(row.cells[4]).toBe(order.approverEmailAddress);
    }
    await page.screenshot({ path: join(shots, 'table.png') });
  });

  it('sorts by expiration, and the header says which way', async () => {
    const expirations = () =>
      page.$$eval('#orders tbody tr td:nth-child(4)', (tds) =>
        tds.map((td) => td.textContent ?? '').filter((text) => text !== '—'),
      );
    const ascending = await expirations();
    expect(ascending.length).toBeGreaterThan(1);
    expect(ascending).toEqual([...ascending].sort());
    await page.click('#sort-expiration');
    await page.waitForSelector('th[aria-sort="descending"]');
    expect(await expirations()).toEqual([...ascending].reverse());
    await page.click('#sort-expiration');
    await page.waitForSelector('th[aria-sort="ascending"]');
  });

  it("the dialog shows the order's approver address, focuses Resend, and Esc cancels without sending", async () => {
    const order = approvedOrders()[0]!;
    await openDialog(order.id);
    expect(await page.textContent('#dialog-recipient')).toBe(order.approverEmailAddress);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('dialog-resend');
    await page.screenshot({ path: join(shots, 'dialog.png') });
    await page.keyboard.press('Escape');
    await page.waitForSelector('#resend-dialog:not([open])', { state: 'attached' });
    expect(emulator.outbox).toHaveLength(0);
    expect(emulator.count({ route: 'resend' })).toBe(0);
  });

  it('Resend sends one email; a second Resend says it was already sent', async () => {
    const order = approvedOrders()[0]!;
    await openDialog(order.id);
    const first = await resendAndWait();
    expect(first.outcome).toBe('sent');
    expect(first.text).toContain(order.approverEmailAddress);
    expect(emulator.outbox).toHaveLength(1);
    expect(emulator.outbox[0]).toMatchObject({ orderId: order.id, recipient: order.approverEmailAddress });

    await openDialog(order.id);
    const second = await resendAndWait();
    expect(second.outcome).toBe('already-sent');
    expect(second.text).toMatch(/already sent \d+ minutes? ago/i);
    expect(emulator.outbox).toHaveLength(1);
    expect(emulator.count({ route: 'resend', method: 'POST' })).toBe(1);
  });

  it("says 'may or may not have been sent' when the POST's answer is lost", async () => {
    const order = approvedOrders()[1]!;
    const fault = emulator.inject({ route: 'resend', kind: 'reset-after' });
    await openDialog(order.id);
    const answer = await resendAndWait();
    expect(fault.hits).toBe(1);
    expect(answer.outcome).toBe('unknown');
    expect(answer.text).toMatch(/may or may not have been sent/i);
    await page.screenshot({ path: join(shots, 'unknown.png') });
  });

  it('sends nothing, and says so, when the address changed between the dialog and the click', async () => {
    const order = approvedOrders()[2]!;
    const before = emulator.count({ route: 'resend', method: 'POST' });
    await openDialog(order.id);
    emulator.addOrders({ ...order, approverEmailAddress: 'new-admin@example.net' });
    const answer = await resendAndWait();
    expect(answer.outcome).toBe('address-changed');
    expect(answer.text).toContain('new-admin@example.net');
    expect(answer.text).toContain(order.approverEmailAddress);
    expect(emulator.count({ route: 'resend', method: 'POST' })).toBe(before);
  });

  it('refuses a Canceled order, in words, and sends nothing', async () => {
    const order = ownOrders().find((candidate) => candidate.status?.name === 'Canceled')!;
    const before = emulator.count({ route: 'resend', method: 'POST' });
    await openDialog(order.id);
    const answer = await resendAndWait();
    expect(answer.outcome).toBe('refused');
    expect(answer.text).toContain('Canceled');
    expect(emulator.count({ route: 'resend', method: 'POST' })).toBe(before);
  });

  it('refuses a POST without the CSRF token', async () => {
    const order = approvedOrders()[3]!;
    const status = await page.evaluate(async (id) => {
      const response = await fetch(`/api/orders/${id}/resend`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ recipient: 'x@example.com' }),
      });
      return response.status;
    }, order.id);
    expect(status).toBe(403);
  });
});
