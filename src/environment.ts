/**
 * Options from the environment and the slcli config file, as IBM Cloud users already have them.
 * Precedence: explicit options > environment > file.
 *
 * @module
 */
import type { Auth } from './auth.js';
import { InvalidArgumentError } from './errors.js';
import type { SslOrdersClientOptions } from './options.js';

/** Where {@link SslOrdersClient.fromEnv} looks; both default to the real ones. */
export interface EnvironmentSource {
  /** Environment variables. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Path of the slcli config file, or `false` to skip it. Default `~/.softlayer`. */
  configFile?: string | false;
}

interface Found {
  auth?: Auth;
  baseUrl?: string;
  /** Seconds as written, and where; converted only when chosen, so a shadowed bad value is harmless. */
  timeout?: { seconds: string; where: string };
  /** Notes on half-set credentials, for the no-credential message. */
  notes: string[];
}

// Node-only modules are fetched at run time so that browser and edge bundles never see them.
interface NodeModules {
  readFileSync(path: string, encoding: 'utf8'): string;
  homedir(): string;
  join(...parts: string[]): string;
}

function nodeModules(): NodeModules | undefined {
  const processLike = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const load = processLike?.getBuiltinModule;
  if (typeof load !== 'function') return undefined;
  const fs = load('node:fs') as { readFileSync: NodeModules['readFileSync'] };
  const os = load('node:os') as { homedir: () => string };
  const path = load('node:path') as { join: (...parts: string[]) => string };
  return { readFileSync: fs.readFileSync, homedir: os.homedir, join: path.join };
}

/** Parses the `[softlayer]` section of an INI file. */
export function parseSlcliConfig(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      inSection = section[1]?.trim().toLowerCase() === 'softlayer';
      continue;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (inSection && pair?.[1] && pair[2] !== undefined) values[pair[1].toLowerCase()] = pair[2].trim();
  }
  return values;
}

function secondsToMs(value: string, where: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidArgumentError(
      'timeout',
      `${where} must be a number of seconds greater than 0, got ${JSON.stringify(value)}`,
    );
  }
  return Math.round(seconds * 1000);
}

// slcli defaults to the XML-RPC endpoint; this SDK speaks REST at the same host.
function restEndpoint(url: string): string {
  return url.replace(/\/xmlrpc\/v3(\.1)?\/?$/, '/rest/v3.1/');
}

function fromVariables(env: Record<string, string | undefined>): Found {
  const found: Found = { notes: [] };
  const pick = (...names: string[]) =>
    names.map((name) => env[name]).find((value) => typeof value === 'string' && value !== '');
  const username = pick('SL_USERNAME', 'SOFTLAYER_USERNAME');
  const apiKey = pick('SL_API_KEY', 'SOFTLAYER_API_KEY');
  const ibmCloudApiKey = pick('IBMCLOUD_API_KEY', 'IC_API_KEY');
  if (username && apiKey)
    found.auth = username === 'apikey' ? { ibmCloudApiKey: apiKey } : { username, apiKey };
  else if (ibmCloudApiKey) found.auth = { ibmCloudApiKey };
  if (!found.auth && (username || apiKey)) {
    found.notes.push(
      `${username ? 'SL_USERNAME' : 'SL_API_KEY'} is set but ${username ? 'SL_API_KEY' : 'SL_USERNAME'} is not`,
    );
  }
  const endpoint = pick('SL_ENDPOINT_URL', 'SOFTLAYER_ENDPOINT_URL');
  if (endpoint) found.baseUrl = restEndpoint(endpoint);
  const timeout = pick('SL_TIMEOUT', 'SOFTLAYER_TIMEOUT');
  if (timeout) found.timeout = { seconds: timeout, where: 'SL_TIMEOUT' };
  return found;
}

function fromFile(path: string, modules: NodeModules): Found | 'missing' {
  let text: string;
  try {
    text = modules.readFileSync(path, 'utf8');
  } catch {
    return 'missing';
  }
  const values = parseSlcliConfig(text);
  const found: Found = { notes: [] };
  const { username, api_key: apiKey, endpoint_url: endpoint, timeout } = values;
  if (username && apiKey)
    found.auth = username === 'apikey' ? { ibmCloudApiKey: apiKey } : { username, apiKey };
  else if (username || apiKey)
    found.notes.push(
      `${path} has ${username ? 'username' : 'api_key'} but no ${username ? 'api_key' : 'username'}`,
    );
  if (endpoint) found.baseUrl = restEndpoint(endpoint);
  if (timeout) found.timeout = { seconds: timeout, where: `timeout in ${path}` };
  return found;
}

/**
 * Merges explicit options over the environment over the slcli file.
 *
 * @throws {@link InvalidArgumentError} when no credential is found anywhere, naming every place searched.
 */
export function loadEnvironmentOptions(
  overrides: Partial<SslOrdersClientOptions>,
  source: EnvironmentSource = {},
): SslOrdersClientOptions {
  if (typeof overrides !== 'object' || overrides === null) {
    throw new InvalidArgumentError('overrides', 'fromEnv overrides must be an options object');
  }
  if (typeof source !== 'object' || source === null) {
    throw new InvalidArgumentError('source', 'fromEnv source must be { env?, configFile? }');
  }
  if (source.env !== undefined && (typeof source.env !== 'object' || source.env === null)) {
    throw new InvalidArgumentError('source.env', 'source.env must be an object of variables');
  }
  if (
    source.configFile !== undefined &&
    source.configFile !== false &&
    typeof source.configFile !== 'string'
  ) {
    throw new InvalidArgumentError('source.configFile', 'source.configFile must be a path or false');
  }
  const processEnv =
    (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const env = source.env ?? processEnv;
  const variables = fromVariables(env);
  const modules = nodeModules();
  let filePath: string | undefined;
  let file: Found | 'missing' = 'missing';
  if (source.configFile !== false && modules) {
    filePath = source.configFile ?? modules.join(modules.homedir(), '.softlayer');
    file = fromFile(filePath, modules);
  }
  const fileFound: Found = file === 'missing' ? { notes: [] } : file;
  const auth = overrides.auth ?? variables.auth ?? fileFound.auth;
  if (!auth) {
    let fileNote: string;
    if (filePath) {
      const state = file === 'missing' ? 'file not found' : 'not set';
      fileNote = `${filePath} ([softlayer] username + api_key: ${state})`;
    } else {
      fileNote =
        source.configFile === false ? 'no config file (configFile: false)' : 'no config file (not on Node)';
    }
    const notes = [...variables.notes, ...fileFound.notes];
    throw new InvalidArgumentError(
      'auth',
      `no SoftLayer credentials found. Looked in: the auth option; SL_USERNAME + SL_API_KEY; SOFTLAYER_USERNAME + SOFTLAYER_API_KEY; IBMCLOUD_API_KEY; IC_API_KEY; ${fileNote}.${notes.length > 0 ? ` Note: ${notes.join('; ')}.` : ''} Set one of them, or run \`slcli setup\`.`,
    );
  }
  const merged: SslOrdersClientOptions = { ...overrides, auth };
  const baseUrl = overrides.baseUrl ?? variables.baseUrl ?? fileFound.baseUrl;
  if (baseUrl !== undefined) merged.baseUrl = baseUrl;
  if (overrides.timeout === undefined) {
    const timeout = variables.timeout ?? fileFound.timeout;
    if (timeout !== undefined) merged.timeout = secondsToMs(timeout.seconds, timeout.where);
  }
  return merged;
}
