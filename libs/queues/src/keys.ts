/** Names of our own Redis keys and channels, all under the queue prefix (one Cluster hash tag). */
export const redisKeys = {
  /** Hash: active host Token -> enterprise number. */
  tokens: (prefix: string) => `${prefix}:tokens`,
  /** Pub/sub channel: the token hash was rewritten. */
  tokensChanged: (prefix: string) => `${prefix}:tokens-changed`,
};
