// The Orders page: a table sorted by expiration, and a dialog that shows where the email goes.
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const tbody = document.querySelector('#orders tbody');
const sortHeader = document.querySelector('#sort-expiration').closest('th');
const dialog = document.querySelector('#resend-dialog');
const outcome = document.querySelector('#outcome');
let orders = [];
let ascending = true;
let selected;

const EMAIL_NAMES = { FulfillmentEmail: 'certificate email', ApproverEmail: 'approval email' };

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  return td;
}

function render() {
  const sorted = [...orders].sort((a, b) => {
    // Orders without an expiration (pending, canceled) go last either way, as in the console.
    if (!a.expirationDate || !b.expirationDate)
      return a.expirationDate ? -1 : b.expirationDate ? 1 : a.id - b.id;
    const order = Date.parse(a.expirationDate) - Date.parse(b.expirationDate);
    return ascending ? order : -order;
  });
  tbody.replaceChildren(
    ...sorted.map((order) => {
      const row = document.createElement('tr');
      row.dataset.orderId = String(order.id);
      const send = document.createElement('button');
      send.type = 'button';
      send.className = 'send';
      send.textContent = 'Send';
      send.setAttribute('aria-label', `Send the ${EMAIL_NAMES[order.emailType]} of order ${order.id}`);
      send.disabled = !order.approverEmailAddress;
      send.addEventListener('click', () => open(order));
      const action = document.createElement('td');
      action.append(send);
      row.append(
        cell(String(order.id)),
        cell(order.commonName),
        cell(order.status),
        cell(order.expirationDate ? order.expirationDate.slice(0, 10) : '—'),
        cell(order.approverEmailAddress),
        action,
      );
      return row;
    }),
  );
  sortHeader.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
  sortHeader.querySelector('span').textContent = ascending ? '▲' : '▼';
}

function show(kind, message) {
  outcome.hidden = false;
  outcome.dataset.outcome = kind;
  outcome.textContent = message;
}

function open(order) {
  selected = order;
  document.querySelector('#dialog-email').textContent = EMAIL_NAMES[order.emailType];
  document.querySelector('#dialog-common-name').textContent = order.commonName ?? '';
  document.querySelector('#dialog-order').textContent = String(order.id);
  document.querySelector('#dialog-recipient').textContent = order.approverEmailAddress;
  dialog.returnValue = '';
  dialog.showModal();
  document.querySelector('#dialog-resend').focus();
}

async function resend(order) {
  show('pending', `Sending the ${EMAIL_NAMES[order.emailType]} of order ${order.id}…`);
  try {
    const response = await fetch(`/api/orders/${order.id}/resend`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      // The address this page showed: the server sends only while it is still the order's address.
      body: JSON.stringify({ recipient: order.approverEmailAddress }),
    });
    const answer = await response.json();
    show(answer.outcome, answer.message);
  } catch {
    show(
      'unknown',
      'No answer from the server: the email may or may not have been sent. Check before sending again.',
    );
  }
}

dialog.addEventListener('close', () => {
  // Esc fires "cancel" then "close" with an empty returnValue: only the Resend button sends.
  if (dialog.returnValue === 'resend' && selected) void resend(selected);
  selected = undefined;
});

document.querySelector('#sort-expiration').addEventListener('click', () => {
  ascending = !ascending;
  render();
});

async function load() {
  const response = await fetch('/api/orders');
  const body = await response.json();
  if (!response.ok) {
    show('error', body.message ?? `Could not load the orders (HTTP ${response.status}).`);
    return;
  }
  orders = body.orders;
  render();
  document.body.dataset.loaded = 'true';
}

void load();
