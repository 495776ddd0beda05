/**
 * The emulated SoftLayer services and methods.
 *
 * @module
 */
import { compileFilter, FilterError, runFilter } from './filter.js';
import { applyMask, MaskError, type MaskNode, type MaskType, type Obj, parseMask } from './mask.js';
import {
  ACCOUNT_TYPE,
  accountObject,
  ORDER_TYPE,
  resolveOrderPath,
  resolveStatusPath,
  STATUS_TYPE,
  statusOf,
} from './model.js';
import { accessDenied, notFound, SL, SoftLayerError } from './respond.js';
import type { EmulatorState } from './state.js';
import type { EmailType, RouteName, SeedOrder } from './types.js';

/** Everything a method needs about its call. */
export interface CallContext {
  readonly state: EmulatorState;
  readonly id: number | null;
  readonly parameters: readonly unknown[];
  readonly query: Readonly<Record<string, string>>;
  readonly requestId: number;
}

/** A method's result: the JSON value, and the total for list methods (the `SoftLayer-Total-Items` header). */
export interface MethodResult {
  readonly body: unknown;
  readonly totalItems?: number;
}

/** One emulated method. */
export interface MethodSpec {
  readonly route: RouteName;
  /** Needs an id in the path (an `InitParameters` header in SLDN terms). */
  readonly instance: boolean;
  run(ctx: CallContext): MethodResult;
}

// Mask errors carry the real exception classes (see mask.ts); no source shows their HTTP status, so
// 500, like the API's other exceptions, is a guess. A malformed filter keeps 500 + Public (a choice).
function maskFailure(error: unknown): unknown {
  if (!(error instanceof MaskError)) return error;
  return new SoftLayerError(500, error.message, error.kind === 'parse' ? SL.parser : SL.objectMask);
}

function mask(ctx: CallContext): MaskNode | null {
  try {
    return parseMask(ctx.query['objectMask']);
  } catch (error) {
    throw maskFailure(error);
  }
}

function masked(source: object, ctx: CallContext, type: MaskType): Record<string, unknown> {
  const node = mask(ctx);
  try {
    return applyMask(source, node, type);
  } catch (error) {
    throw maskFailure(error);
  }
}

function maskedList(items: readonly object[], ctx: CallContext, type: MaskType): Record<string, unknown>[] {
  const node = mask(ctx);
  try {
    return items.map((item) => applyMask(item, node, type));
  } catch (error) {
    throw maskFailure(error);
  }
}

/** Parses `resultLimit=<offset>,<limit>` or `resultLimit=<limit>`. */
function resultLimit(ctx: CallContext): { offset: number; limit: number } | null {
  const raw = ctx.query['resultLimit'];
  if (raw === undefined || raw.trim() === '') return null;
  const parts = raw.split(',').map((p) => p.trim());
  const numbers = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
  if (parts.length > 2 || numbers.some(Number.isNaN)) {
    throw new SoftLayerError(500, `Invalid resultLimit: ${JSON.stringify(raw)}`);
  }
  return numbers.length === 1
    ? { offset: 0, limit: numbers[0]! }
    : { offset: numbers[0]!, limit: numbers[1]! };
}

// SLDN does not list resultLimit for getSslCertificateRequests; honouring it is a guess.
function page<T>(items: readonly T[], ctx: CallContext): readonly T[] {
  const limit = resultLimit(ctx);
  return limit ? items.slice(limit.offset, limit.offset + limit.limit) : items;
}

function filterText(ctx: CallContext): string {
  return ctx.query['objectFilter'] ?? '';
}

function filtered<T>(items: readonly T[], ctx: CallContext, resolve: Parameters<typeof compileFilter<T>>[1]) {
  try {
    return runFilter(items, compileFilter(filterText(ctx), resolve, { timeZone: ctx.state.filterTimeZone }));
  } catch (error) {
    if (error instanceof FilterError) throw new SoftLayerError(500, error.message);
    throw error;
  }
}

function ownOrder(ctx: CallContext): SeedOrder {
  const id = ctx.id!;
  const order = ctx.state.getOrder(id);
  // Another account's order is reported exactly like a missing one, so ids do not leak across accounts.
  if (!order || order.accountId !== ctx.state.accountId) throw notFound(id);
  return order;
}

function parameter(ctx: CallContext, index: number, name: string, method: string): unknown {
  if (ctx.parameters.length <= index) {
    throw new SoftLayerError(
      500,
      `${method} expects ${index + 1} parameter(s) (${name}) in a POST body {"parameters":[...]}`,
    );
  }
  return ctx.parameters[index];
}

function getSslCertificateRequests(ctx: CallContext): MethodResult {
  const raw = parameter(ctx, 0, 'accountId', 'getSslCertificateRequests');
  // slcli sends integers as JSON strings, so both forms are accepted.
  const accountId =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw)
        ? Number(raw)
        : Number.NaN;
  if (!Number.isSafeInteger(accountId)) {
    throw new SoftLayerError(500, `Invalid value for parameter accountId: ${JSON.stringify(raw)}`);
  }
  if (accountId !== ctx.state.accountId) throw accessDenied();
  const state = ctx.state;
  const { maxPageSize, ignoreOffset, ignoreResultLimit, ignoreFilter } = state.paging;
  const all = ignoreFilter
    ? state.accountOrders()
    : state.cachedList(filterText(ctx), () => filtered(state.accountOrders(), ctx, resolveOrderPath));
  const asked = ignoreResultLimit ? null : resultLimit(ctx);
  const offset = ignoreOffset ? 0 : (asked?.offset ?? 0);
  const size = Math.min(asked?.limit ?? all.length, maxPageSize ?? all.length);
  const body = maskedList(all.slice(offset, offset + size), ctx, ORDER_TYPE);
  return { body, totalItems: all.length };
}

const EMAIL_TYPES: readonly EmailType[] = ['ApproverEmail', 'FulfillmentEmail'];

// Which statuses allow which email is the emulator's choice: the CA only sends a certificate once it
// approved the order, and only asks for approval while it is pending. The real API's checks are UNVERIFIED.
const ALLOWED_STATUSES: Record<EmailType, readonly string[]> = {
  FulfillmentEmail: ['Approved', 'Complete'],
  ApproverEmail: ['Pending CA Approval'],
};

function resendEmail(ctx: CallContext): MethodResult {
  const order = ownOrder(ctx);
  const raw = parameter(ctx, 0, 'emailType', 'resendEmail');
  const emailType = EMAIL_TYPES.find((t) => t === raw);
  if (!emailType) {
    throw new SoftLayerError(
      500,
      `Invalid email type ${JSON.stringify(raw)}. Valid values are ApproverEmail and FulfillmentEmail.`,
    );
  }
  const statusName = statusOf(order)?.name ?? 'Unknown';
  if (!ALLOWED_STATUSES[emailType].includes(statusName)) {
    // The real answer is UNVERIFIED: `resendInWrongStatus` picks an error (default), `false`, or a send.
    const answer = ctx.state.resendInWrongStatus;
    if (answer === 'false') return { body: false };
    if (answer === 'error') {
      throw new SoftLayerError(
        500,
        `Unable to resend the ${emailType}: SSL certificate request ${order.id} has status '${statusName}'.`,
      );
    }
  }
  ctx.state.log.email(order, emailType, ctx.requestId);
  return { body: true };
}

function relation(name: 'account' | 'order' | 'orderItem') {
  return (ctx: CallContext): MethodResult => {
    const rel = ORDER_TYPE.relations[name]!;
    const value = rel.resolve(ownOrder(ctx) as unknown as Obj) as Obj;
    return { body: masked(value, ctx, rel.type) };
  };
}

/** Services by name, then methods by name. */
export const SERVICES: Readonly<Record<string, Readonly<Record<string, MethodSpec>>>> = {
  SoftLayer_Account: {
    getObject: {
      route: 'account',
      instance: false,
      run(ctx) {
        if (ctx.id !== null && ctx.id !== ctx.state.accountId) throw accessDenied();
        return { body: masked(accountObject(ctx.state.accountId), ctx, ACCOUNT_TYPE) };
      },
    },
  },
  SoftLayer_Security_Certificate_Request: {
    getSslCertificateRequests: { route: 'list', instance: false, run: getSslCertificateRequests },
    getObject: {
      route: 'get',
      instance: true,
      run: (ctx) => ({ body: masked(ownOrder(ctx), ctx, ORDER_TYPE) }),
    },
    getStatus: {
      route: 'get',
      instance: true,
      run(ctx) {
        const status = statusOf(ownOrder(ctx));
        return { body: status ? masked(status, ctx, STATUS_TYPE) : null };
      },
    },
    getAccount: { route: 'get', instance: true, run: relation('account') },
    getOrder: { route: 'get', instance: true, run: relation('order') },
    getOrderItem: { route: 'get', instance: true, run: relation('orderItem') },
    resendEmail: { route: 'resend', instance: true, run: resendEmail },
  },
  SoftLayer_Security_Certificate_Request_Status: {
    getSslRequestStatuses: {
      route: 'statuses',
      instance: false,
      run(ctx) {
        const all = filtered(ctx.state.statuses, ctx, resolveStatusPath);
        return {
          body: maskedList(page(all, ctx), ctx, STATUS_TYPE),
          totalItems: all.length,
        };
      },
    },
    getObject: {
      route: 'statuses',
      instance: true,
      run(ctx) {
        const status = ctx.state.statuses.find((s) => s.id === ctx.id);
        if (!status) throw notFound(ctx.id!);
        return { body: masked(status, ctx, STATUS_TYPE) };
      },
    },
  },
};
