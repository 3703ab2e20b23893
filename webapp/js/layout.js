// How a room's messages are laid out: which start a new day, which continue their author's run,
// each author's colour, and the parts of a text that mention someone. Pure, for node's tests.

/** Messages by one author closer together than this are one group. */
export const GROUP_MILLIS = 5 * 60 * 1000;

/**
 * @param {{author: string, integration?: boolean, sentAt: string}[]} messages in order
 * @param {(date: Date) => string} dayOf the day a time falls on, as the page's reader counts days
 * @returns for each message, {day: the day if it starts one (else null), continued: whether it
 *   continues the previous message's group}
 */
export function arrange(messages, dayOf) {
  let previous = null;
  return messages.map((message) => {
    const at = new Date(message.sentAt);
    const day = dayOf(at);
    const newDay = previous === null || previous.day !== day;
    const continued =
      !newDay &&
      previous.author === message.author &&
      Boolean(previous.integration) === Boolean(message.integration) &&
      at - previous.at < GROUP_MILLIS;
    previous = { day, author: message.author, integration: message.integration, at };
    return { day: newDay ? day : null, continued };
  });
}

/** A hue (0 to 359) that stays the same for a name, so each author keeps a colour. */
export function hueOf(name) {
  let hash = 0;
  for (const char of name) {
    hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  }
  return hash % 360;
}

const MENTION = /(^|[^\p{L}\p{N}_.@-])@([\p{L}\p{N}\p{M}_][\p{L}\p{N}\p{M}_.-]{0,31})/gu;

/**
 * Splits a text into plain parts and mentions (@nick), in order; a mention's nick is without its
 * trailing dots and dashes, which stay plain text, as the server reads mentions.
 * @returns [{text}] and [{mention: nick, text: '@nick'}] whose texts, joined, are the whole text
 */
export function mentionParts(text) {
  const parts = [];
  let start = 0;
  for (const match of text.matchAll(MENTION)) {
    const nick = match[2].replace(/[.-]+$/, '');
    const at = match.index + match[1].length;
    if (at > start) {
      parts.push({ text: text.slice(start, at) });
    }
    parts.push({ mention: nick, text: `@${nick}` });
    start = at + 1 + nick.length;
  }
  if (start < text.length) {
    parts.push({ text: text.slice(start) });
  }
  return parts;
}

/** Whether {@code nick} is one of the message's mentions (letter case aside). */
export function mentions(message, nick) {
  if (!nick) {
    return false;
  }
  const wanted = nick.toLocaleLowerCase();
  return (message.mentions ?? []).some((named) => named.toLocaleLowerCase() === wanted);
}
