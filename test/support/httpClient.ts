/** Posting to a server under test and reading its JSON answer. */
export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

async function readReply(res: Response): Promise<Reply> {
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { status: res.status, body: { text } };
  }
}

export async function postJson(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return readReply(await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }));
}

export async function getJson(base: string, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return readReply(await fetch(`${base}${path}`, { headers }));
}
