// A tiny run-time validator for what a webview sends. A webview is untrusted input (model
// output is rendered in it), so every message is checked against its declared shape before a
// handler sees it. Each schema both validates and gives the TypeScript type (`Infer<S>`).

export class SchemaError extends Error {
  override readonly name = 'SchemaError';
}

export interface Schema<T> {
  /** Returns the value typed, or throws a SchemaError naming the path that is wrong. */
  parse(value: unknown, path?: string): T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

const fail = (path: string, what: string): never => {
  throw new SchemaError(`${path || 'message'} ${what}`);
};

/** A field of the value itself; one inherited from its prototype (`toString`, a polluted key) is absent. */
const own = (v: object, k: string): unknown => (Object.prototype.hasOwnProperty.call(v, k) ? (v as Record<string, unknown>)[k] : undefined);

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export function string(opts: { max?: number; min?: number; pattern?: RegExp } = {}): Schema<string> {
  return {
    parse(v, path = '') {
      if (typeof v !== 'string') return fail(path, `must be a string, got ${kindOf(v)}`);
      if (opts.max !== undefined && v.length > opts.max) return fail(path, `is longer than ${opts.max} characters`);
      if (opts.min !== undefined && v.length < opts.min) return fail(path, `is shorter than ${opts.min} characters`);
      if (opts.pattern && !opts.pattern.test(v)) return fail(path, 'has the wrong format');
      return v;
    },
  };
}

export function number(opts: { min?: number; max?: number; integer?: boolean } = {}): Schema<number> {
  return {
    parse(v, path = '') {
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail(path, `must be a finite number, got ${kindOf(v)}`);
      if (opts.integer && !Number.isInteger(v)) return fail(path, 'must be an integer');
      if (opts.min !== undefined && v < opts.min) return fail(path, `must be >= ${opts.min}`);
      if (opts.max !== undefined && v > opts.max) return fail(path, `must be <= ${opts.max}`);
      return v;
    },
  };
}

export function boolean(): Schema<boolean> {
  return {
    parse(v, path = '') {
      if (typeof v !== 'boolean') return fail(path, `must be true or false, got ${kindOf(v)}`);
      return v;
    },
  };
}

export function literal<const T extends string | number | boolean>(value: T): Schema<T> {
  return {
    parse(v, path = '') {
      if (v !== value) return fail(path, `must be ${JSON.stringify(value)}`);
      return value;
    },
  };
}

export function oneOf<const T extends readonly string[]>(values: T): Schema<T[number]> {
  return {
    parse(v, path = '') {
      if (typeof v !== 'string' || !values.includes(v)) return fail(path, `must be one of ${values.join(', ')}`);
      return v as T[number];
    },
  };
}

export function array<T>(item: Schema<T>, opts: { max?: number } = {}): Schema<T[]> {
  return {
    parse(v, path = '') {
      if (!Array.isArray(v)) return fail(path, `must be an array, got ${kindOf(v)}`);
      if (opts.max !== undefined && v.length > opts.max) return fail(path, `has more than ${opts.max} items`);
      return v.map((x, i) => item.parse(x, `${path}[${i}]`));
    },
  };
}

/** Marks an object field as optional (absent or undefined). */
export interface Optional<T> extends Schema<T | undefined> {
  readonly optional: true;
}

export function optional<T>(inner: Schema<T>): Optional<T> {
  return {
    optional: true,
    parse: (v, path = '') => (v === undefined ? undefined : inner.parse(v, path)),
  };
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> };

/** A plain object with exactly these fields: unknown fields are rejected, not passed on. */
export function object<S extends Shape>(shape: S): Schema<{ [K in keyof ObjectOf<S>]: ObjectOf<S>[K] }> {
  return {
    parse(v, path = '') {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(path, `must be an object, got ${kindOf(v)}`);
      const src = v as object;
      for (const k of Object.keys(src)) if (!Object.prototype.hasOwnProperty.call(shape, k)) fail(path ? `${path}.${k}` : k, 'is not expected');
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(shape)) {
        const x = s.parse(own(src, k), path ? `${path}.${k}` : k);
        if (x !== undefined) out[k] = x;
      }
      return out as never;
    },
  };
}

/** One of several object shapes, told apart by a string field (e.g. `kind`). */
export function union<K extends string, const M extends Record<string, Schema<unknown>>>(
  key: K,
  variants: M,
): Schema<Infer<M[keyof M]>> {
  return {
    parse(v, path = '') {
      const tag = typeof v === 'object' && v !== null ? own(v, key) : undefined;
      if (typeof tag !== 'string' || !Object.prototype.hasOwnProperty.call(variants, tag)) {
        return fail(path ? `${path}.${key}` : key, `must be one of ${Object.keys(variants).join(', ')}`);
      }
      return variants[tag].parse(v, path) as Infer<M[keyof M]>;
    },
  };
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return { parse: (v, path = '') => (v === null ? null : inner.parse(v, path)) };
}

/** No payload: accepts undefined, null or {} and gives undefined. */
export function none(): Schema<void> {
  return {
    parse(v, path = '') {
      if (v === undefined || v === null) return undefined;
      if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) return undefined;
      return fail(path, 'must be empty');
    },
  };
}
