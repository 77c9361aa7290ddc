// Retries a hub call the server answered "unavailable" (a silo restarting): the call is repeated as it
// was, so a message keeps its id and is stored once. Any other refusal is the answer and is not retried.

import { errorCode } from './transcript.js';

const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000]; // ~15 s: a restarted silo serves again within ~5 s

export async function retryWhileUnavailable(call) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (errorCode(e) !== 'unavailable' || attempt >= RETRY_DELAYS_MS.length) throw e;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
    }
  }
}
