/** Node's `util.inspect` hook, by its registered name, so that browsers never load `node:util`. */
export const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
