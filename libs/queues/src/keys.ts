/** Names of our own Redis keys and channels, all under the queue prefix (one Cluster hash tag). */
export const redisKeys = {
  /** Hash: active host Token -> enterprise number. */
  tokens: (prefix: string) => `${prefix}:tokens`,
  /**
   * String: when the workers last published the token set (and its size). Its absence means "not
   * published" (a fresh prefix, a Redis that lost its keys), which is not the same as an empty set.
   */
  tokensPublished: (prefix: string) => `${prefix}:tokens:published`,
  /** Pub/sub channel: the token hash was rewritten. */
  tokensChanged: (prefix: string) => `${prefix}:tokens-changed`,
  /** Hash: "<enterprise>|<integration>" -> a misconfiguration retries cannot fix (JSON; misconfig.ts). */
  misconfig: (prefix: string) => `${prefix}:misconfig`,
};
