/**
 * Cuts a socket's byte stream into lines, holding at most maxLineBytes of an unfinished line.
 * Unlike the log splitter (which cuts a long line and goes on), a request line over the limit
 * is a protocol violation: the framer reports it and the server closes the connection.
 */
export interface LineFramer {
  /** Complete lines in `chunk` (UTF-8, without `\n`/`\r\n`), and whether the limit was passed. */
  push(chunk: Buffer): { lines: string[]; tooLong: boolean };
}

export function lineFramer(maxLineBytes: number): LineFramer {
  let partial: Buffer[] = [];
  let partialBytes = 0;
  return {
    push(chunk) {
      const lines: string[] = [];
      let start = 0;
      for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
        if (partialBytes + newline - start > maxLineBytes) return { lines, tooLong: true };
        const whole = Buffer.concat([...partial, chunk.subarray(start, newline)]);
        partial = [];
        partialBytes = 0;
        const end = whole.length > 0 && whole[whole.length - 1] === 0x0d ? whole.length - 1 : whole.length;
        lines.push(whole.toString('utf8', 0, end));
        start = newline + 1;
      }
      if (start < chunk.length) {
        if (partialBytes + chunk.length - start > maxLineBytes) return { lines, tooLong: true };
        // Copy: the socket may reuse its chunk buffer.
        partial.push(Buffer.from(chunk.subarray(start)));
        partialBytes += chunk.length - start;
      }
      return { lines, tooLong: false };
    },
  };
}
