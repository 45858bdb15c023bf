/** The RetailCRM admin UI (/retailcrm-admin/): built from the gateway's config, database, Redis and config cache. */
import { randomBytes } from 'node:crypto';
import type { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Config } from '@callpipe/config';
import type { ConfigCache } from '@callpipe/config-cache';
import type { Database } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import { AdminCrm } from './crmCalls.js';
import { retailcrmAdminRouter } from './routes.js';
import { AdminSessions } from './session.js';
import { AdminStore } from './store.js';

export { ADMIN_PATH as RETAILCRM_ADMIN_PATH } from './moduleSpec.js';

export type RetailcrmAdminConfig = Pick<Config, 'queuePrefix' | 'adminUser' | 'adminPassword' | 'publicBaseUrl' | 'retailcrmModuleCode'
  | 'retailcrmAdminSecret' | 'retailcrmAdminLinkDays' | 'retailcrmAdminSessionMinutes' | 'crmTimeoutMs' | 'crmLimiterMaxWaitMs'>;

export function retailcrmAdmin(c: RetailcrmAdminConfig, io: { db: Kysely<Database>; redis: Redis; cache: ConfigCache; log: Logger }): Router {
  const log = io.log.child({ part: 'retailcrm-admin' });
  if (!c.retailcrmAdminSecret) log.warn('RETAILCRM_ADMIN_SECRET not set: admin links are signed with a random key of this process and stop working when it restarts');
  const key = c.retailcrmAdminSecret ? new TextEncoder().encode(c.retailcrmAdminSecret) : new Uint8Array(randomBytes(32));
  const store = new AdminStore(io.db, io.cache);
  return retailcrmAdminRouter({
    store,
    crm: new AdminCrm({ redis: io.redis, prefix: c.queuePrefix, db: io.db, timeoutMs: c.crmTimeoutMs, limiterMaxWaitMs: c.crmLimiterMaxWaitMs, log }),
    sessions: new AdminSessions({ key, secureCookie: c.publicBaseUrl.startsWith('https:'), sessionMinutes: c.retailcrmAdminSessionMinutes }, store),
    key,
    publicBaseUrl: c.publicBaseUrl,
    moduleCode: c.retailcrmModuleCode,
    linkDays: c.retailcrmAdminLinkDays,
    adminUser: c.adminUser,
    adminPassword: c.adminPassword,
    log,
  });
}
