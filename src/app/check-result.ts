/** One line of `lb-dev doctor`: what was checked, how it went, and what to do about it. Types only. */
export interface CheckResult {
  name: string;
  status: 'ok' | 'warn' | 'fail' | 'skip';
  detail: string;
  fix?: string;
}
