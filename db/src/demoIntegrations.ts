/**
 * The demo enterprise's integrations (pure): every CRM enabled against its stand-in in apps/sandbox
 * (RetailCRM the primary one, so its responsible manager steers smart redirect), and click-to-call
 * through the sandbox AMI; and how they merge into the settings a row already has, so a second seed
 * keeps what an operator set. Checked against libs/configCache's schemas by demoIntegrations.test.ts.
 */

/** Where this run's sandbox is: its HTTP root, the demo's account in each sandbox CRM, and its AMI. */
export interface DemoSandbox {
  /** http://127.0.0.1:<SANDBOX_PORT> */
  baseUrl: string;
  /** The account name in every sandbox CRM: the RetailCRM one is SANDBOX_RETAILCRM_DEMO's "<account>:" (its managers, customers and call buttons). */
  account: string;
  ami: { host: string; port: number; username: string; secret: string };
}

type Settings = Record<string, unknown>;

/** The emulated host's managers (apps/sandbox managerPool: 150–169); U-ON and Bitrix24 know them as users 1–20. */
const EXTENSIONS = Array.from({ length: 20 }, (_, i) => String(150 + i));
const byUserId = (firstId: number): Record<string, string> => Object.fromEntries(EXTENSIONS.map((ext, i) => [String(firstId + i), ext]));

/**
 * RetailCRM user id -> extension: 19, 18, 16 on 150–152 (the old system's own example mapping), 20–36
 * on 153–169 (RetailCRM shows a popup only to a mapped user). The sandbox's demo account has the same
 * users (apps/sandbox/src/crm/demoPeople.ts); click-to-call rings these.
 */
export const DEMO_RETAILCRM_USERS: Record<string, string> = Object.fromEntries(
  EXTENSIONS.map((ext, i) => [String([19, 18, 16][i] ?? 17 + i), ext]),
);

/** Per integration, its address field and the fields that connect to it (address and credentials). */
const CONNECTION: Record<string, { address: string; fields: string[] }> = {
  retailcrm: { address: 'domain', fields: ['domain', 'api_key'] },
  ms: { address: 'phone_api_url', fields: ['phone_api_url', 'api_url', 'integration_code', 'api_token'] },
  uon: { address: 'api_url', fields: ['api_url', 'api_key'] },
  bitrix24: { address: 'webhook_url', fields: ['webhook_url'] },
  ami: { address: 'host', fields: ['host', 'port', 'username', 'secret'] },
};

export function demoIntegrations(s: DemoSandbox): Record<string, Settings> {
  const sb = s.baseUrl.replace(/\/+$/, '');
  const a = s.account;
  // Each sandbox account binds whatever key it sees first.
  return {
    retailcrm: { enabled: true, domain: `${sb}/retailcrm/${a}`, api_key: `demo-${a}-key`, user_extensions: DEMO_RETAILCRM_USERS },
    ms: {
      enabled: true, integration_code: `demo-${a}-phone-key`, api_token: `demo-${a}-json-token`,
      phone_api_url: `${sb}/ms/${a}/api/phone/1.0`, api_url: `${sb}/ms/${a}/api/remap/1.2`,
    },
    uon: { enabled: true, api_key: `demo-${a}-key`, api_url: `${sb}/uon/${a}`, user_extensions: byUserId(1) },
    bitrix24: { enabled: true, webhook_url: `${sb}/b24/${a}/rest/1/demo-${a}-code/`, user_extensions: byUserId(1) },
    ami: { enabled: true, ...s.ami, context: 'inoffice' },
    smart: { primary: 'retailcrm' },
  };
}

function isObject(v: unknown): v is Settings {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether an address names this machine (http://127.0.0.1:8090/…, localhost, or a bare host for the AMI). */
export function isLoopback(address: unknown): boolean {
  if (typeof address !== 'string') return false;
  const host = /^https?:\/\/(\[[^\]]+\]|[^/:]+)/i.exec(address)?.[1] ?? address;
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host.toLowerCase());
}

/**
 * One integration: a field the row holds (not null) is kept, the demo fills in the rest. The
 * connection (address and credentials) goes as one: the row's is kept when its address is somewhere
 * else (an operator's real CRM or PBX); one on this machine is the demo's sandbox and follows this
 * run's ports, and its mappings (user_extensions) get the demo's entries the row lacks.
 */
function mergeOne(type: string, existing: Settings, demo: Settings): Settings {
  const out: Settings = { ...demo };
  const conn = CONNECTION[type];
  const ownConnection = conn !== undefined && existing[conn.address] != null && !isLoopback(existing[conn.address]);
  for (const [k, v] of Object.entries(existing)) {
    if (v === null || v === undefined) continue;
    if (conn?.fields.includes(k) && !ownConnection) continue;
    const d = demo[k];
    out[k] = !ownConnection && isObject(v) && isObject(d) ? { ...d, ...v } : v;
  }
  if (ownConnection) for (const k of conn.fields) if (existing[k] == null) delete out[k];
  return out;
}

/** The row's integrations_config with the demo's integrations merged in (see mergeOne); other keys untouched. */
export function mergeDemoIntegrations(existing: unknown, demo: Record<string, Settings>): Record<string, unknown> {
  const out: Record<string, unknown> = isObject(existing) ? { ...existing } : {};
  for (const [type, settings] of Object.entries(demo)) {
    const have = out[type];
    out[type] = isObject(have) ? mergeOne(type, have, settings) : settings;
  }
  return out;
}
