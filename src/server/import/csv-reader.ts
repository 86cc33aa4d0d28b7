/**
 * Streams the rows of a CSV file, whatever encoding Excel saved it in.
 *
 * Excel on a Chinese Windows saves "CSV (逗号分隔)" in GBK, "CSV UTF-8" with
 * a byte-order mark, and "Unicode 文本" as tab-separated UTF-16LE; other
 * tools write UTF-8 without a mark. The encoding is decided on the first
 * bytes that are not ASCII (ASCII reads the same in all of them): a BOM, or
 * whether those bytes are valid UTF-8, else GB18030 (a superset of GBK).
 * A file that changes encoding half-way shows up as U+FFFD characters in
 * the rows after the change, which the importer reports row by row.
 */
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { Transform, type TransformCallback } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import type { RawCell } from './cells.ts';
import { ImportFileError } from './problems.ts';
import { importText as t } from '#server/messages/import.zh-CN.ts';

export type CsvEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface SheetRow {
  /** Row number as Excel shows it: the first line of the file is row 1. */
  row: number;
  cells: RawCell[];
}

/** One record may not exceed this many characters: a runaway quoted field must not eat the memory. */
const MAX_RECORD_CHARS = 1024 * 1024;

/**
 * How far `bytes` (starting on a character boundary) read as UTF-8: whether
 * all of it is valid (a sequence cut off by the end of the chunk counts as
 * valid), and how many multi-byte characters came before the first invalid
 * byte.
 */
export function scanUtf8(bytes: Uint8Array): { valid: boolean; multibyte: number } {
  let multibyte = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    const trail = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (trail < 0) return { valid: false, multibyte };
    for (let k = 1; k <= trail; k++) {
      if (i + k >= bytes.length) return { valid: true, multibyte };
      if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return { valid: false, multibyte };
    }
    multibyte++;
    i += trail + 1;
  }
  return { valid: true, multibyte };
}

/**
 * GBK text almost never forms a run of valid UTF-8 characters; this many
 * before the first invalid byte means a UTF-8 file with a part in another
 * encoding, which is better reported row by row than misread throughout.
 */
const MIXED_UTF8_RUN = 8;

/** Decides the encoding from the first non-ASCII bytes, then decodes everything to text. */
export class SniffingDecoder extends Transform {
  encoding: CsvEncoding | null = null;
  private decoder: iconv.DecoderStream | null = null;
  private head: Buffer | null = null;

  constructor(private readonly onBytes: (n: number) => void = () => undefined) {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.onBytes(chunk.length);
    try {
      this.decode(chunk, false);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (this.decoder === null) this.decode(Buffer.alloc(0), true);
      const rest = this.decoder?.end();
      if (rest) this.push(rest);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  private decode(chunk: Buffer, final: boolean): void {
    if (this.decoder) {
      const text = this.decoder.write(chunk);
      if (text) this.push(text);
      return;
    }
    // A BOM needs up to 3 bytes: keep a tiny first chunk until more arrive.
    const buf = this.head ? Buffer.concat([this.head, chunk]) : chunk;
    this.head = null;
    if (buf.length < 3 && !final) {
      this.head = buf;
      return;
    }
    const bom = bomEncoding(buf);
    if (bom) {
      this.start(bom);
      this.decode(buf, final);
      return;
    }
    const firstHigh = buf.findIndex((b) => b >= 0x80);
    if (firstHigh === -1) {
      // Pure ASCII so far: identical in every candidate encoding.
      if (buf.length > 0) this.push(buf.toString('latin1'));
      if (final) this.start('utf-8');
      return;
    }
    if (firstHigh > 0) this.push(buf.subarray(0, firstHigh).toString('latin1'));
    const rest = buf.subarray(firstHigh);
    const scan = scanUtf8(rest);
    this.start(scan.valid || scan.multibyte >= MIXED_UTF8_RUN ? 'utf-8' : 'gb18030');
    this.decode(rest, final);
  }

  private start(encoding: CsvEncoding): void {
    this.encoding = encoding;
    this.decoder = iconv.getDecoder(encoding, { stripBOM: true });
  }
}

function bomEncoding(buf: Buffer): CsvEncoding | null {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return 'utf-8';
  if (buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
  if (buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
  return null;
}

/** Tab for Excel's "Unicode 文本" and other tab-separated exports, else comma. */
function sniffDelimiter(text: string): ',' | '\t' {
  const firstLine = text.split(/\r?\n/u, 1)[0] ?? '';
  return firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
}

export interface CsvReadOptions {
  /** Called with the number of raw bytes read, as they are read. */
  onBytes?: (n: number) => void;
  signal?: AbortSignal | undefined;
}

/**
 * The rows of a CSV file, one array of cell texts per record. A quoted cell
 * holding line breaks is one row, as in Excel. Throws ImportFileError for a
 * file that is not CSV at all (an unterminated quote, a runaway record).
 */
export async function* readCsvRows(path: string, opts: CsvReadOptions = {}): AsyncGenerator<SheetRow, void, undefined> {
  const file = createReadStream(path, { highWaterMark: 64 * 1024, ...(opts.signal ? { signal: opts.signal } : {}) });
  const decoder = new SniffingDecoder(opts.onBytes);
  file.on('error', (err) => decoder.destroy(err));
  file.pipe(decoder);
  const texts: AsyncIterator<string> = decoder[Symbol.asyncIterator]() as AsyncIterator<string>;

  let first: IteratorResult<string>;
  try {
    first = await texts.next();
  } catch (err) {
    file.destroy();
    throw err;
  }
  if (first.done) return;

  const parser = parse({
    delimiter: decoder.encoding?.startsWith('utf-16') ? '\t' : sniffDelimiter(first.value),
    bom: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARS,
  });

  // Stops the feeding loop when the reader is abandoned part-way (the plan
  // reads only the first rows): a destroyed parser never emits 'drain'.
  const stopFeed = new AbortController();
  const drained = () => once(parser, 'drain', { signal: stopFeed.signal });
  const feed = (async () => {
    if (!parser.write(first.value)) await drained();
    for (;;) {
      const next = await texts.next();
      if (next.done) break;
      if (!parser.write(next.value)) await drained();
    }
    parser.end();
  })().catch((err: unknown) => {
    parser.destroy(err instanceof Error ? err : new Error(String(err)));
  });

  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      yield { row, cells: record };
    }
  } catch (err) {
    throw csvFileError(err, row + 1);
  } finally {
    stopFeed.abort();
    file.destroy();
    decoder.destroy();
    parser.destroy();
    await feed;
  }
}

function csvFileError(err: unknown, row: number): unknown {
  if (err instanceof ImportFileError) return err;
  if (err instanceof CsvError) {
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') return new ImportFileError(t.file.csvQuote(row));
    if (err.code === 'CSV_MAX_RECORD_SIZE') return new ImportFileError(t.file.csvRecordSize(row));
    return new ImportFileError(t.file.csvOther(row, err.code));
  }
  return err;
}
