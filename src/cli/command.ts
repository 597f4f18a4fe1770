/** The shape of one CLI command (see main.ts). */
export interface Command {
  /** One line for `filmgrain --help`. */
  summary: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}
