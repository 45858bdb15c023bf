/**
 * Names the route parameter whose path segment is not a valid URI escape (`/trace/%ZZ` → `id`).
 * Express only says "Failed to decode param '%ZZ'"; the router's own route paths say which
 * parameter sits at that segment. Pure apart from reading the router's route table.
 */
import type { Router } from 'express';

export interface BadParam { field: string; message: string }

/** Express's error for a parameter it cannot decode: a URIError it marked 400. */
export function isDecodeError(err: unknown): boolean {
  return err instanceof URIError && (err as URIError & { status?: number }).status === 400;
}

const decodes = (segment: string): boolean => {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
};

const segmentsOf = (path: string): string[] => path.replace(/\/+$/, '').split('/');

/** The parameter of `pattern` (an Express route path) holding an undecodable segment of `path`. */
export function paramAt(pattern: string, path: string): string | undefined {
  const want = segmentsOf(pattern);
  const got = segmentsOf(path);
  if (want.length !== got.length) return undefined;
  let found: string | undefined;
  for (let i = 0; i < want.length; i += 1) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) {
      if (found === undefined && !decodes(g)) found = w.slice(1);
    } else if (w.toLowerCase() !== g.toLowerCase()) {
      return undefined;
    }
  }
  return found;
}

/** Route paths of a router, including those of routers it mounts without a path of their own. */
function routePaths(router: Router, depth = 0): string[] {
  const out: string[] = [];
  for (const layer of router.stack) {
    if (layer.route && typeof layer.route.path === 'string') out.push(layer.route.path);
    const inner = (layer.handle as Partial<Router>).stack;
    if (!layer.route && Array.isArray(inner) && depth < 4) out.push(...routePaths(layer.handle as Router, depth + 1));
  }
  return out;
}

/** The bad parameter of a request this router's routes failed to decode; `path` is relative to the router. */
export function badParamOf(router: Router, path: string): BadParam {
  const field = routePaths(router).map((p) => paramAt(p, path)).find((f) => f !== undefined) ?? 'path';
  return { field, message: `${field} is not a valid URI escape (a % must be followed by two hex digits of UTF-8)` };
}
