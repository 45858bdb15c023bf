/** PostgreSQL NOTIFY channels: triggers on enterprises and on telegram_users fire them on every change. */
export const NOTIFY = {
  enterprisesChanged: 'enterprises_changed',
  telegramUsersChanged: 'telegram_users_changed',
} as const;
