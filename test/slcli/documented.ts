/**
 * The request grammar SLDN documents (REST article, object masks, object filters, result limits), as
 * one check that both slcli's requests and the SDK's must pass. The SDK's requests are held to the
 * same rules as a real client's, so the emulator cannot drift towards whatever the SDK sends.
 */
import { parseMask } from '../../src/testing/mask.js';
import type { RecordedRequest } from '../../src/testing/types.js';

const PATH =
  /^\/rest\/v3(?:\.1)?\/SoftLayer_[A-Za-z_]+(?:\/\d+)?(?:\/[A-Za-z]+(?:\/[A-Za-z0-9_]+)*)?(?:\.json)?$/;
const QUERY_KEYS = new Set(['objectMask', 'objectFilter', 'resultLimit']);
// SLDN object-filters article, plus the options-form operations softlayer-python uses.
const OPERATORS = ['!*=', '!^=', '!$=', '*=', '^=', '$=', '_=', '!=', '>=', '<=', '!~', '~', '>', '<', '='];
const KEYWORDS = new Set([
  'in',
  'not in',
  'and',
  'or',
  'orderby',
  'is null',
  'not null',
  'betweendate',
  'greaterthandate',
  'lessthandate',
  'isdate',
]);
const OPTION_NAMES = new Set(['data', 'sort', 'sortOrder', 'startDate', 'endDate', 'date']);

function filterProblems(node: unknown, path: string, out: string[]): void {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    out.push(`objectFilter ${path}: expected an object`);
    return;
  }
  const record = node as Record<string, unknown>;
  if (!('operation' in record)) {
    for (const [key, child] of Object.entries(record)) filterProblems(child, `${path}.${key}`, out);
    return;
  }
  const operation = record['operation'];
  if (typeof operation === 'string') {
    const text = operation.trim();
    const keyword = KEYWORDS.has(text.toLowerCase());
    const operator = OPERATORS.find((op) => text.startsWith(op));
    // A bare value is the implicit '='; an operator must be followed by a space and a value.
    if (!keyword && operator !== undefined && !new RegExp(`^${escapeRegExp(operator)} \\S`).test(text)) {
      out.push(`objectFilter ${path}: operator ${operator} needs "op value", got ${JSON.stringify(text)}`);
    }
  } else if (typeof operation !== 'number') {
    out.push(`objectFilter ${path}: operation must be a string or a number`);
  }
  const options = record['options'];
  if (options !== undefined) {
    if (!Array.isArray(options)) out.push(`objectFilter ${path}: options must be an array`);
    else {
      for (const option of options as Array<Record<string, unknown>>) {
        if (!OPTION_NAMES.has(String(option?.['name'])) || !Array.isArray(option?.['value'])) {
          out.push(`objectFilter ${path}: undocumented option ${JSON.stringify(option)}`);
        }
      }
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Everything in a recorded request that SLDN's documented REST grammar does not allow. */
export function undocumented(request: RecordedRequest): string[] {
  const out: string[] = [];
  if (!PATH.test(request.path)) out.push(`path ${request.path}`);
  for (const [key, value] of Object.entries(request.query)) {
    if (!QUERY_KEYS.has(key)) out.push(`query parameter ${key}`);
    if (key === 'resultLimit' && !/^\d+(,\d+)?$/.test(value)) out.push(`resultLimit ${value}`);
    if (key === 'objectMask') {
      try {
        parseMask(value);
      } catch (error) {
        out.push(`objectMask ${value}: ${(error as Error).message}`);
      }
    }
    if (key === 'objectFilter') {
      try {
        filterProblems(JSON.parse(value), '', out);
      } catch (error) {
        out.push(`objectFilter is not JSON: ${(error as Error).message}`);
      }
    }
  }
  if (request.body !== '') {
    if (request.method !== 'POST') out.push(`a body with ${request.method}`);
    try {
      const body = JSON.parse(request.body) as unknown;
      const keys = typeof body === 'object' && body !== null ? Object.keys(body) : [];
      if (keys.join() !== 'parameters' || !Array.isArray((body as { parameters: unknown }).parameters)) {
        out.push(`body ${request.body}: expected {"parameters":[...]}`);
      }
    } catch {
      out.push('body is not JSON');
    }
  }
  if (!['GET', 'POST'].includes(request.method)) out.push(`method ${request.method}`);
  return out;
}
