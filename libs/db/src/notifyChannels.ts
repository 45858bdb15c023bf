/** PostgreSQL NOTIFY channels; a trigger on enterprises fires the first on any change. */
export const NOTIFY = {
  enterprisesChanged: 'enterprises_changed',
} as const;
