/**
 * The shutdown request: the first SIGINT/SIGTERM or `lb-dev down` asks for the orderly stop
 * (the first reason wins); a second signal forces, by SIGKILL to every instance tree at once.
 */
export class ShutdownRequest {
  private reasonGiven: string | null = null;
  private wake: () => void = () => {};
  private interrupts = 0;
  /** Settles once a shutdown was asked for. */
  readonly requested: Promise<void> = new Promise((resolve) => {
    this.wake = resolve;
  });
  private readonly onSignal = (signal: NodeJS.Signals) => this.signalled(signal);

  constructor(
    private readonly signals: NodeJS.EventEmitter,
    private readonly say: (text: string) => void,
    private readonly force: () => void,
  ) {}

  get reason(): string | null {
    return this.reasonGiven;
  }

  request(reason: string): void {
    if (this.reasonGiven !== null) return;
    this.reasonGiven = reason;
    this.wake();
  }

  listen(): void {
    this.signals.on('SIGINT', this.onSignal);
    this.signals.on('SIGTERM', this.onSignal);
  }

  close(): void {
    this.signals.off('SIGINT', this.onSignal);
    this.signals.off('SIGTERM', this.onSignal);
  }

  private signalled(signal: NodeJS.Signals): void {
    this.interrupts++;
    if (this.interrupts === 1) {
      this.say(`${signal}: stopping everything (press Ctrl-C again to force)`);
      this.request(signal);
    } else {
      this.say(`${signal} again: killing every instance now`);
      this.force();
    }
  }
}
