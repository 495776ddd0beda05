/** The client every fault-matrix cell uses, against a fresh emulator state. */
import { iamTokenProvider } from '../../../src/index.js';
import type { Emulator } from '../../../src/testing/index.js';
import { type FaultRow, timeoutFor } from './fault-table.js';
import { FAST_RETRY, recordingClient, refusingFetch } from './harness.js';

/** Resets the emulator and builds a client with IAM auth, the row's timeout and fast retries. */
export function matrixClient(emulator: Emulator, closedPort: number, row: FaultRow) {
  emulator.reset();
  const refuser = refusingFetch(closedPort);
  const { client, events } = recordingClient(
    emulator.clientOptions({
      auth: {
        bearerToken: iamTokenProvider({
          apiKey: emulator.credentials.ibmCloudApiKey,
          tokenUrl: emulator.iamTokenUrl,
        }),
      },
      timeout: timeoutFor(row),
      retry: FAST_RETRY,
      fetch: refuser.fetch,
    }),
  );
  const target = { emulator, refuse: (route: string, times: number) => refuser.arm(route, times) };
  return { client, events, refuser, target };
}
