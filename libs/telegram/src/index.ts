export {
  MESSAGE_TEXT_MAX, botIdOf, isBotTokenShape, isGroupChat,
  type BotApiEnvelope, type BotApiError, type BotApiErrorParameters, type BotApiMessage, type BotApiOk, type BotApiUser, type BotMethod,
} from './botApi.js';
export type {
  CallMessageView, Enrichment, ExternalBridgeView, ExternalCallView, ExternalDialView, ExternalDirection, ExternalHangupView,
  ExternalStartView, HangupOutcome, InternalBridgeView, InternalCallView, InternalHangupView, InternalRingView, RecipientRole,
} from './texts/callView.js';
export { startText, dialText, bridgeText, hangupText } from './texts/external.js';
export { internalRingText, internalBridgeText, internalHangupText } from './texts/internal.js';
export { renderCallMessage } from './texts/render.js';
export { formatPhone } from './texts/phone.js';
export { formatDuration } from './texts/duration.js';
export { classifyAnswer, metricResult, type BotApiAction, type BotApiAnswer } from './errors/classify.js';
export { answerOfError } from './errors/answerOf.js';
export { TelegramRateLimiter, RateLimitWaitTooLong, type RateLimiterOptions } from './limiter/rateLimiter.js';
export { TELEGRAM_SEND_LIMITS, bucketsFor, type SendLimits } from './limiter/limits.js';
export { BotClient, type BotClientOptions, type BotResult, type CallContext } from './client/botClient.js';
export { DEFAULT_RETRY_POLICY, nextStep, type RetryPolicy } from './client/retryPolicy.js';
export { viewOfCall, extensionsOfCall, STAGE_RANK, type CallStage, type CallViewResult } from './view/viewOfCall.js';
export { messageInputsOf, messageInputsChanged } from './view/messageInputs.js';
export { lastMessageKey, shownKey, syncLockKey, finalDoneKey, CHAT_STATE_TTL_SECONDS } from './view/chatKeys.js';
export { callBackData, readCallBackData, CALLBACK_DATA_MAX_BYTES, type CallBackTarget } from './callBack/callbackData.js';
export {
  CALL_BACK_BUTTON_TEXT, callBackAnswers, callBackKeyboard, callBackNote, keepsButton, offersCallBack,
  type CallBackState, type CallBackStatus, type InlineKeyboard,
} from './callBack/callBackTexts.js';
export { WEBHOOK_SECRET_HEADER, isWebhookSecret, webhookPath, webhookSecretToken } from './callBack/webhookSecret.js';
export { UpdatesClient, type PollResult } from './client/updatesClient.js';
