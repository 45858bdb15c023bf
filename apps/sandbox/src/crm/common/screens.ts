/**
 * What each manager of a sandbox CRM account would see, in one shape for every CRM's page: the
 * popups on their screen now, the last ones taken down, and the account's call history.
 */

export interface ScreenPopup {
  /** The call's id in this CRM (MoySklad externalId, Bitrix24 CALL_ID, U-ON notification id). */
  key: string;
  direction: 'in' | 'out';
  phone: string;
  /** The first line: "Incoming call +375…", or a notification's text. */
  title: string;
  /** The customer's name, line, or what else the CRM shows. */
  detail?: string;
  sinceMs: number;
}

export interface ManagerScreen {
  id: string;
  name: string;
  extension: string | null;
  popups: ScreenPopup[];
  /** The last popups taken down on this screen, newest first ("+375… (hidden)"). */
  recent: string[];
}

export interface HistoryRow {
  key: string;
  /** Host time as the CRM stored it. */
  date: string;
  direction: 'in' | 'out';
  phone: string;
  manager: string;
  result: string;
  durationSec?: number;
  recordUrl?: string;
}

export interface AccountScreens {
  account: string;
  managers: ManagerScreen[];
  /** Newest first. */
  history: HistoryRow[];
}
