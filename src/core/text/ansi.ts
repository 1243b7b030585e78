/**
 * ANSI escape sequences in app output: readiness patterns and log files want plain text,
 * while a terminal may keep the colours. Pure.
 */

// One alternation, tried left to right:
//  - OSC (title, hyperlinks): ESC ] ... terminated by BEL or ESC \
//  - CSI (colours, cursor moves): ESC [ or the 8-bit 0x9B, parameters, intermediates, final byte
//  - charset selection: ESC ( B and friends
//  - any other two-byte escape: ESC followed by one byte in @..Z, \, ], ^, _ or 7/8/=/> (keypad, save/restore)
const ANSI_PATTERN = /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b[()#*+][0-9A-Za-z]|\u001b[@-Z\\^_78=>]/g;

/** `text` without ANSI escape sequences (colours, cursor movement, titles, hyperlinks). */
export function stripAnsi(text: string): string {
  // Fast path: most log lines have no escape at all.
  if (!text.includes('\u001b') && !text.includes('\u009b')) return text;
  return text.replace(ANSI_PATTERN, '');
}

/** True when `text` contains at least one escape character. */
export function hasAnsi(text: string): boolean {
  return text.includes('\u001b') || text.includes('\u009b');
}
