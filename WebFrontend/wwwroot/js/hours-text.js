// Wording about a language queue's opening hours, built from GET /api/help/hours.
// Languages and hours are configuration, so every phrase has a generic form for a language we have
// no hand-written text for (e.g. "in Español" until someone adds langIn.es).

import { t, has } from './i18n.js';

/** A per-language phrase such as "in Russian" (langIn.ru), else the generic one with the language's name. */
export function languagePhrase(kind, code, name) {
  const key = `${kind}.${code}`;
  return has(key) ? t(key) : t(kind, { name: name || code });
}

// The server writes midnight as the end of the day ("24:00"); people read it as 00:00.
function clock(time) {
  return time === '24:00' ? '00:00' : time;
}

function zonePhrase(timeZone) {
  const key = `zone.${timeZone}`;
  return has(key) ? t(key) : t('zone', { tz: timeZone });
}

/** "Support in Russian is available from 06:00 to 00:00 Moscow time." */
export function hoursSentence(hours) {
  const langIn = languagePhrase('langIn', hours.language, hours.name);
  if (hours.alwaysOpen || !hours.opens || !hours.closes) return t('hours.closedNow', { langIn });
  return t('hours.times', {
    langIn, opens: clock(hours.opens), closes: clock(hours.closes), zone: zonePhrase(hours.timeZone),
  });
}

/** Whether a customer of this language should be sent to the fallback queue instead. */
export function useFallback(hours) {
  return Boolean(hours && !hours.open && hours.fallback && hours.fallbackOpen);
}

/**
 * The notice for a closed queue: its hours, then what can be done now (chat in the fallback language,
 * or come back later), and the e-mail option where the question allows it.
 */
export function closedNotice(hours, { canEmail = false } = {}) {
  const parts = [hoursSentence(hours)];
  if (useFallback(hours)) {
    parts.push(t('hours.fallbackNow', { fallbackIn: languagePhrase('langIn', hours.fallback, hours.fallbackName) }));
  } else {
    parts.push(t('hours.comeBack'));
  }
  if (canEmail) parts.push(t('hours.orEmail'));
  return parts.join(' ');
}
