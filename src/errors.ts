/**
 * The few ways a run can end early. Each maps to one exit code in `main`, and each message is one line
 * written for the person at the terminal: it names the flag or field and says what is accepted.
 */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** The command line, a preset or a prompt asked for something we do not accept. Exit 2. */
export class UsageError extends CliError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 2, options);
  }
}

/** Something went wrong while doing what was asked (rendering, moving files). Exit 1. */
export class GenerationError extends CliError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 1, options);
  }
}

/** The user pressed Ctrl-C or declined the confirmation. Exit 130, like a shell does for SIGINT. */
export class CancelledError extends CliError {
  constructor(message = 'cancelled', options?: ErrorOptions) {
    super(message, 130, options);
  }
}

/**
 * A value that failed validation. Validators throw it without knowing where the value came from; the
 * caller prefixes the source (`--origins`, `preset field "origins"`) so one message serves all three.
 */
export class InvalidValue extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidValue';
  }
}
