/**
 * SoftLayer object masks: parsing and application.
 *
 * Forms accepted: `mask[id,status[id,name]]`, dotted paths inside brackets (`mask[id,status.name]`), the
 * old dotted form (`mask.status.name`), `filteredMask[...]`, typed nodes (`mask(SoftLayer_X)[...]`, the
 * type is ignored), a bare list (`id,commonName`), items separated by `;` (`id;commonName`, the form of
 * SLDN's REST article) and `mask[]` (= no mask).
 *
 * Errors follow the real API: a malformed mask is `SoftLayer_Exception_Common_Parser` with "Error on line
 * 1 at column N: …" (softlayer-python PR #345), an unknown property `SoftLayer_Exception_WebService_ObjectMask`
 * with "Property 'x' not valid for 'Type'." (softlayer-python #1088).
 *
 * @module
 */

/** A parsed mask level: the properties named at this level, each with its own sub-mask. */
export type MaskNode = ReadonlyMap<string, MaskNode>;

/** A malformed mask (`parse`) or a property the type does not have (`property`). */
export class MaskError extends Error {
  override readonly name = 'MaskError';
  constructor(
    readonly kind: 'parse' | 'property',
    message: string,
  ) {
    super(message);
  }
}

/** The parser's message, in the real API's words; `column` is 1-based. */
function parseError(column: number, message: string): MaskError {
  return new MaskError('parse', `Error on line 1 at column ${column}: ${message}`);
}

type Token = { kind: 'name'; value: string; at: number } | { kind: 'punct'; value: string; at: number };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const re = /(\s*)(?:([A-Za-z_][A-Za-z0-9_]*)|([[\],;.()]))/y;
  let at = 0;
  while (at < input.length) {
    if (/^\s*$/.test(input.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(input);
    if (!m) {
      const column = at + (/^\s*/.exec(input.slice(at))?.[0].length ?? 0) + 1;
      throw parseError(column, `Unexpected character '${input.charAt(column - 1)}'`);
    }
    const start = at + m[1]!.length;
    if (m[2] !== undefined) tokens.push({ kind: 'name', value: m[2], at: start });
    // ';' separates items like ',' does.
    else tokens.push({ kind: 'punct', value: m[3] === ';' ? ',' : m[3]!, at: start });
    at = re.lastIndex;
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly input: string,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  /** Fails at the current token: "Expected PROPERTY, got ']'" (the end of the mask reads as `EOF`, a guess). */
  private fail(expected: string): never {
    const t = this.peek();
    throw parseError(
      t ? t.at + 1 : this.input.length + 1,
      `Expected ${expected}, got '${t ? t.value : 'EOF'}'`,
    );
  }

  private isPunct(value: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.value === value;
  }

  private expectPunct(value: string): void {
    if (!this.isPunct(value)) this.fail(`'${value}'`);
    this.pos++;
  }

  private name(): string {
    const t = this.peek();
    if (t?.kind !== 'name') this.fail('PROPERTY');
    this.pos++;
    return t.value;
  }

  private typeSpec(): void {
    if (this.isPunct('(')) {
      this.pos++;
      this.name();
      this.expectPunct(')');
    }
  }

  root(): Map<string, Mutable> {
    const first = this.peek();
    const wrapped =
      first?.kind === 'name' &&
      (first.value === 'mask' || first.value === 'filteredMask') &&
      this.tokens[this.pos + 1]?.kind === 'punct';
    const out: Mutable = new Map();
    if (wrapped) {
      this.pos++;
      this.typeSpec();
      if (this.isPunct('[')) {
        this.pos++;
        if (!this.isPunct(']')) this.list(out);
        this.expectPunct(']');
      } else if (this.isPunct('.')) {
        this.pos++;
        this.item(out);
      } else {
        this.fail("'[' or '.'");
      }
    } else if (this.tokens.length > 0) {
      this.list(out);
    }
    if (this.pos < this.tokens.length) this.fail("',' or EOF");
    return out;
  }

  private list(into: Mutable): void {
    this.item(into);
    while (this.isPunct(',')) {
      this.pos++;
      this.item(into);
    }
  }

  private item(into: Mutable): void {
    const key = this.name();
    this.typeSpec();
    let child = into.get(key);
    if (!child) {
      child = new Map();
      into.set(key, child);
    }
    if (this.isPunct('.')) {
      this.pos++;
      this.item(child);
    } else if (this.isPunct('[')) {
      this.pos++;
      if (!this.isPunct(']')) this.list(child);
      this.expectPunct(']');
    }
  }
}

type Mutable = Map<string, Mutable>;

/**
 * Parses an object mask. Returns `null` for "no mask" (absent, blank or `mask[]`).
 *
 * @throws {MaskError} when the mask is malformed.
 * @example
 * ```ts
 * parseMask('mask[id,status.name]'); // Map { id → Map{}, status → Map { name → Map{} } }
 * ```
 */
export function parseMask(input: string | null | undefined): MaskNode | null {
  if (input === null || input === undefined || input.trim() === '') return null;
  const root = new Parser(tokenize(input), input).root();
  return root.size === 0 ? null : root;
}

/** A plain object as the mask sees it. */
export type Obj = Readonly<Record<string, unknown>>;

/**
 * Describes a SoftLayer datatype to {@link applyMask}: its local properties (in output order) and its
 * relational properties with a resolver each. A `strict` type rejects unknown property names, as the
 * real API does ("Property 'x' not valid for 'Type'."); the stubbed types are lenient.
 */
export interface MaskType {
  readonly name: string;
  readonly locals: readonly string[];
  readonly relations: Readonly<Record<string, { readonly type: MaskType; resolve(source: Obj): unknown }>>;
  readonly strict: boolean;
}

function project(source: Obj, node: MaskNode | null, type: MaskType): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (node) {
    for (const key of node.keys()) {
      if (type.strict && !type.locals.includes(key) && !Object.hasOwn(type.relations, key)) {
        throw new MaskError('property', `Property '${key}' not valid for '${type.name}'.`);
      }
    }
  }
  const namedLocals = node ? type.locals.filter((l) => node.has(l)) : [];
  const locals = namedLocals.length > 0 ? namedLocals : type.locals;
  for (const key of locals) {
    const value = source[key];
    if (value !== undefined) out[key] = value;
  }
  if (node) {
    for (const [key, child] of node) {
      const relation = type.relations[key];
      if (!relation) continue;
      const value = relation.resolve(source);
      if (value === undefined || value === null) continue;
      const childNode = child.size === 0 ? null : child;
      out[key] = Array.isArray(value)
        ? value.map((v: Obj) => project(v, childNode, relation.type))
        : project(value as Obj, childNode, relation.type);
    }
  }
  return out;
}

/**
 * Applies a parsed mask to an object: named locals only (all locals if none is named), relations only
 * when named.
 *
 * @throws {MaskError} when a strict type does not have a named property.
 * @example
 * ```ts
 * applyMask(order, parseMask('mask[id,status[name]]'), ORDER_TYPE); // { id, status: { name } }
 * ```
 */
export function applyMask(source: object, mask: MaskNode | null, type: MaskType): Record<string, unknown> {
  return project(source as Obj, mask, type);
}
