/** Rejects with whatever `promise` rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  // Outside the try: thrown inside it, this error would be caught and returned as the "rejection".
  throw new Error('expected the promise to reject, but it resolved');
}
