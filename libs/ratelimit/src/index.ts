export { TokenBuckets, RateLimitWaitTooLong, bucketOf, type Bucket } from './tokenBuckets.js';
