/**
 * The slice of the Reflect metadata API that @peculiar/x509's dependency injection (tsyringe) calls:
 * defineMetadata, getOwnMetadata and getMetadata (which walks the prototype chain). x509 refuses
 * to load without it; no polyfill package is in the install, and this much is all it reads.
 */

type MetadataKey = unknown;
type Target = object;

interface ReflectMetadata {
  defineMetadata(key: MetadataKey, value: unknown, target: Target, property?: string | symbol): void;
  getOwnMetadata(key: MetadataKey, target: Target, property?: string | symbol): unknown;
  getMetadata(key: MetadataKey, target: Target, property?: string | symbol): unknown;
}

const store = new WeakMap<Target, Map<string | symbol, Map<MetadataKey, unknown>>>();

function own(target: Target, property: string | symbol = '', create = false) {
  let byProperty = store.get(target);
  if (!byProperty && create) store.set(target, (byProperty = new Map()));
  let entries = byProperty?.get(property);
  if (!entries && create && byProperty) byProperty.set(property, (entries = new Map()));
  return entries;
}

const metadata: ReflectMetadata = {
  defineMetadata(key, value, target, property) {
    own(target, property, true)!.set(key, value);
  },
  getOwnMetadata(key, target, property) {
    return own(target, property)?.get(key);
  },
  getMetadata(key, target, property) {
    for (let at: Target | null = target; at; at = Object.getPrototypeOf(at) as Target | null) {
      const entries = own(at, property);
      if (entries?.has(key)) return entries.get(key);
    }
    return undefined;
  },
};

/** Adds the metadata functions to `Reflect` where no polyfill has yet. */
export function installReflectMetadata(): void {
  const reflect = Reflect as unknown as Partial<ReflectMetadata>;
  if (typeof reflect.getMetadata === 'function') return;
  Object.assign(Reflect, metadata);
}
