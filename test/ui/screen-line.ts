/**
 * A one-line terminal for progress-bar tests: applies what a bar writes (text, cursor to column, clear right, clear
 * line, save and restore cursor) and shows the line a person would see, and how many writes it took.
 */
export class ScreenLine {
  readonly columns: number | undefined;
  writes = 0;
  #cells: string[] = [];
  #cursor = 0;
  #saved = 0;

  constructor(columns?: number) {
    this.columns = columns;
  }

  /** The visible text, trailing blanks trimmed. */
  get text(): string {
    return this.#cells.join('').trimEnd();
  }

  write(text: string): boolean {
    this.writes++;
    // eslint-disable-next-line no-control-regex
    for (const token of text.match(/\x1b\[\d*[GK]|\x1b[78]|\r|[^\x1b\r]/g) ?? []) {
      if (token === '\r') this.#cursor = 0;
      else if (token === '\x1b7') this.#saved = this.#cursor;
      else if (token === '\x1b8') this.#cursor = this.#saved;
      else if (token.endsWith('G')) this.#cursor = Number(token.slice(2, -1) || '1') - 1;
      else if (token === '\x1b[2K') this.#cells = [];
      else if (token === '\x1b[K' || token === '\x1b[0K')
        this.#cells.length = Math.min(this.#cells.length, this.#cursor);
      else {
        while (this.#cells.length < this.#cursor) this.#cells.push(' ');
        this.#cells[this.#cursor++] = token;
      }
    }
    return true;
  }
}
