/**
 * An enterprise's AMI settings (integrations_config.ami): where its Asterisk listens and the manager
 * account to log in with, plus the dialplan context click-to-call originates in. Read defensively:
 * the schema in libs/configCache checked them already, this only picks the fields.
 */
export interface AmiSettings {
  host: string;
  port: number;
  username: string;
  secret: string;
  /** Dialplan context of the Local channels (the old system's `inoffice`). */
  context: string;
}

export const DEFAULT_AMI_PORT = 5038;
export const DEFAULT_AMI_CONTEXT = 'inoffice';

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** The AMI settings of an enterprise's integration configs, or null when it has none usable (absent, disabled, half filled). */
export function amiSettingsOf(configs: Record<string, Record<string, unknown>>): AmiSettings | null {
  const ami = configs.ami;
  if (!ami || ami.enabled === false) return null;
  const host = str(ami.host);
  const username = str(ami.username);
  const secret = str(ami.secret);
  if (!host || !username || !secret) return null;
  const port = typeof ami.port === 'number' ? ami.port : typeof ami.port === 'string' && /^\d+$/.test(ami.port) ? Number(ami.port) : DEFAULT_AMI_PORT;
  return { host, port, username, secret, context: str(ami.context) ?? DEFAULT_AMI_CONTEXT };
}

/** The settings as they may appear in a log line, a response or a trace: everything but the secret. */
export function describeSettings(s: AmiSettings): Omit<AmiSettings, 'secret'> & { secret: '[masked]' } {
  return { host: s.host, port: s.port, username: s.username, secret: '[masked]', context: s.context };
}
