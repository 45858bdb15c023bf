export { EVENT_TYPES, EVENT_SOURCES, isEventType, type AsteriskEvent, type CallType, type EventSource, type EventType } from './eventTypes.js';
export { eventSchema, requiredFields } from './schemas.js';
export { validateEvent, type FieldError, type ValidationResult } from './validate.js';
export { canonicalJson, eventKey } from './eventKey.js';
export { checkShape, EVENT_SHAPE_LIMITS, type ShapeLimits } from './bodyShape.js';
export { checkStorableText } from './storableText.js';
export { callIds, primaryId, type CallIds } from './callIds.js';
export { ACK_BODY, eventPath, type IngestErrorBody, type IngestErrorCode } from './ingestApi.js';
