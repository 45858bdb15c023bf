/** For the CRM adapter tests: the CrmRequestError a promise rejects with (anything else fails the test). */
import { CrmRequestError } from '@callpipe/crm';

export async function rejection(p: Promise<unknown>): Promise<CrmRequestError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CrmRequestError) return err;
    throw err;
  }
  throw new Error('expected a CrmRequestError');
}
