/** Reads the environment once into a typed, validated object; the first bad variable is named in the error. */
import { ConfigError, vars, type VarSpec } from './spec.js';

type DefinedOrOptional<S> = S extends VarSpec<infer T> ? (S['defaultValue'] extends string ? T : T | undefined) : never;

export type Config = { readonly [K in keyof typeof vars]: DefinedOrOptional<(typeof vars)[K]> };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(vars) as [string, VarSpec<unknown>][]) {
    const raw = env[spec.name];
    const value = raw === undefined || raw === '' ? spec.defaultValue : raw;
    if (value === undefined) {
      out[key] = undefined;
      continue;
    }
    try {
      out[key] = spec.parse(value);
    } catch (err) {
      throw new ConfigError(spec.name, (err as Error).message);
    }
  }
  return out as Config;
}

