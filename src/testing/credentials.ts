/**
 * Credential types and the emulator's default credentials.
 *
 * @module
 */

/**
 * A classic SoftLayer user with its classic API key (HTTP Basic `username:apiKey`).
 *
 * @example
 * ```ts
 * const user: ClassicUser = { username: 'SL1234567_jane', apiKey: 'a'.repeat(64) };
 * ```
 */
export interface ClassicUser {
  /** The SoftLayer username, e.g. `SL1234567_jane`. */
  username: string;
  /** The user's classic API key. */
  apiKey: string;
}

/**
 * Credentials the emulator accepts.
 *
 * @example
 * ```ts
 * const credentials: EmulatorCredentials = {
 *   users: [{ username: 'SL1234567_jane', apiKey: 'k'.repeat(64) }],
 *   ibmCloudApiKeys: ['my-ibm-cloud-key'],
 * };
 * ```
 */
export interface EmulatorCredentials {
  /** Classic users accepted over HTTP Basic. */
  users?: ClassicUser[];
  /** IBM Cloud API keys accepted by the emulated IAM token endpoint. */
  ibmCloudApiKeys?: string[];
}

/**
 * Credentials resolved for an emulator: the accepted ones, plus the first classic user and the first IBM
 * Cloud API key flattened out so that a test can build a client in one line (empty strings when none are
 * configured).
 *
 * @example
 * ```ts
 * const { username, apiKey } = emulator.credentials;
 * const auth = { username, apiKey };
 * ```
 */
export interface ResolvedCredentials {
  /** Every accepted classic user. */
  readonly users: readonly Readonly<ClassicUser>[];
  /** Every accepted IBM Cloud API key. */
  readonly ibmCloudApiKeys: readonly string[];
  /** The first classic user's username (`''` when none). */
  readonly username: string;
  /** The first classic user's API key (`''` when none). */
  readonly apiKey: string;
  /** The first IBM Cloud API key (`''` when none). */
  readonly ibmCloudApiKey: string;
}

/**
 * The default credentials of a new emulator: classic user `SL1234567_demo` with a 64-character-style demo
 * key, and the IBM Cloud API key `demo-ibmcloud-api-key`.
 *
 * @example
 * ```ts
 * const basic = btoa(`${DEFAULT_CREDENTIALS.username}:${DEFAULT_CREDENTIALS.apiKey}`);
 * ```
 */
export const DEFAULT_CREDENTIALS: ResolvedCredentials = Object.freeze({
  users: Object.freeze([
    Object.freeze({
      username: 'SL1234567_demo',
      apiKey: 'demo-classic-api-key-0000000000000000000000000000000000000000000000',
    }),
  ]),
  ibmCloudApiKeys: Object.freeze(['demo-ibmcloud-api-key']),
  username: 'SL1234567_demo',
  apiKey: 'demo-classic-api-key-0000000000000000000000000000000000000000000000',
  ibmCloudApiKey: 'demo-ibmcloud-api-key',
});

/** The credentials a state accepts: the given ones, or the defaults. */
export function resolveCredentials(options: EmulatorCredentials | undefined): ResolvedCredentials {
  if (!options) return DEFAULT_CREDENTIALS;
  const users = Object.freeze((options.users ?? []).map((u) => Object.freeze({ ...u })));
  const ibmCloudApiKeys = Object.freeze([...(options.ibmCloudApiKeys ?? [])]);
  return Object.freeze({
    users,
    ibmCloudApiKeys,
    username: users[0]?.username ?? '',
    apiKey: users[0]?.apiKey ?? '',
    ibmCloudApiKey: ibmCloudApiKeys[0] ?? '',
  });
}

/**
 * Client options for this emulator, shaped like `SslOrdersClientOptions` (described structurally: the
 * emulator imports nothing of the SDK). Classic credentials of the default user.
 *
 * @example
 * ```ts
 * const options: EmulatorClientOptions = emulator.clientOptions();
 * options.auth.username; // 'SL1234567_demo'
 * ```
 */
export interface EmulatorClientOptions {
  /** `emulator.url`: the emulator's REST base URL (loopback HTTP, which the SDK allows). */
  baseUrl: string;
  /** The first classic user and its API key. */
  auth: {
    /** The classic user name, e.g. `SL1234567_demo`. */
    username: string;
    /** That user's classic API key. */
    apiKey: string;
  };
  /** The emulator's account, so the client skips the account lookup. */
  accountId: number;
}
