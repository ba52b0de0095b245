import type { Socket } from 'node:net';
import { ByteQueue } from '../../core/bytes.ts';
import { WiretightError } from '../../errors.ts';
import { isTimeout } from '../connection.ts';
import { FIRST_BYTES_KEPT, type PlaintextProtocolName, StarttlsRefusedError } from './errors.ts';

/** A cleartext line longer than this is not a protocol any server speaks. */
export const MAX_LINE_BYTES = 8 * 1024;
/** Everything a server may send before TLS starts, greeting and capabilities included. */
export const MAX_DIALOGUE_BYTES = 64 * 1024;

/** Who is talking, for error messages and the refusal's `plaintext` statement. */
export interface ConversationLabel {
  /** The name people know the protocol by: `SMTP`, `PostgreSQL`. */
  readonly name: string;
  readonly plaintext: PlaintextProtocolName;
  /** `host:port`, the start of every message. */
  readonly where: string;
}

/**
 * The cleartext part of one connection, before TLS: bounded reads (a line, a number of
 * bytes, up to a marker) under the dial's deadline. Every way the peer can misbehave
 * ends in a WiretightError: a close, a reset, silence, a line over MAX_LINE_BYTES, more
 * than MAX_DIALOGUE_BYTES in all. `release()` hands the socket back untouched for TLS.
 *
 * It reads with 'readable' and `read()`, not a 'data' listener: once the 'readable'
 * listener is gone the socket is back in its initial mode, so whoever reads it next (a
 * ChunkReader's 'data' listener, node:tls) starts it as if freshly connected.
 */
export class Conversation {
  readonly label: ConversationLabel;
  readonly #socket: Socket;
  readonly #signal: AbortSignal;
  readonly #queue = new ByteQueue();
  /** How far the queue has been searched for a line end, so a dripping peer costs O(n). */
  #searched = 0;
  #received = 0;
  /** The server's first bytes, kept for a refusal's report. */
  #head = new Uint8Array(0);
  #failure: WiretightError | undefined;
  #ended = false;
  #wake: (() => void) | undefined;
  readonly #onReadable = (): void => this.#wake?.();
  readonly #onEnd = (): void => {
    this.#ended = true;
    this.#wake?.();
  };
  readonly #onError = (err: NodeJS.ErrnoException): void => {
    const reset = err.code === 'ECONNRESET' || err.code === 'EPIPE';
    this.#fail(
      new WiretightError(
        reset ? 'WT_ERR_PROBE_RESET' : 'WT_ERR_PROBE_CLOSED',
        `${this.label.where} ${reset ? 'reset the connection' : `failed (${err.code ?? err.message})`} ${this.#during()}`,
        { cause: err },
      ),
    );
  };
  readonly #onAbort = (): void => {
    const reason: unknown = this.#signal.reason;
    this.#fail(
      isTimeout(this.#signal)
        ? new WiretightError(
            'WT_ERR_PROBE_TIMEOUT',
            `${this.label.where} did not finish the ${this.label.name} dialogue before the deadline`,
          )
        : reason instanceof WiretightError
          ? reason
          : new WiretightError('WT_ERR_PROBE_ABORTED', 'cancelled'),
    );
    this.#socket.destroy();
  };

  constructor(socket: Socket, signal: AbortSignal, label: ConversationLabel) {
    this.#socket = socket;
    this.#signal = signal;
    this.label = label;
    socket.on('readable', this.#onReadable);
    socket.on('end', this.#onEnd);
    socket.on('close', this.#onEnd);
    socket.on('error', this.#onError);
    if (signal.aborted) this.#onAbort();
    else signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** The local address, for greetings that name the client (SMTP's EHLO). */
  get localAddress(): string | undefined {
    return this.#socket.localAddress;
  }

  write(data: string | Uint8Array): void {
    if (this.#failure === undefined && !this.#socket.destroyed) {
      this.#socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
    }
  }

  /** The next line without its CR LF (or bare LF), decoded as Latin-1. */
  async readLine(): Promise<string> {
    for (;;) {
      const held = this.#queue.peek(this.#queue.length);
      const at = held.indexOf(0x0a, this.#searched);
      if (at !== -1) {
        if (at > MAX_LINE_BYTES) this.#tooLong();
        this.#searched = 0;
        const line = Buffer.from(this.#queue.take(at + 1)).toString('latin1');
        return line.endsWith('\r\n') ? line.slice(0, -2) : line.slice(0, -1);
      }
      if (held.length > MAX_LINE_BYTES) this.#tooLong();
      this.#searched = held.length;
      await this.#fill();
    }
  }

  /** Exactly `n` bytes (n ≤ MAX_DIALOGUE_BYTES, checked by the caller against its own cap). */
  async readBytes(n: number): Promise<Uint8Array> {
    if (!Number.isInteger(n) || n < 0 || n > MAX_DIALOGUE_BYTES) {
      throw new RangeError(`cannot read ${n} bytes in a STARTTLS dialogue`);
    }
    while (this.#queue.length < n) await this.#fill();
    this.#searched = 0;
    return this.#queue.take(n);
  }

  /**
   * Text up to and including the first of `markers` (Latin-1, case-sensitive), and which
   * one it was, within `maxBytes`. Each new chunk is searched only from where a marker
   * could begin.
   */
  async readThrough(
    markers: readonly string[],
    maxBytes = MAX_DIALOGUE_BYTES,
  ): Promise<{ text: string; marker: string }> {
    const longest = Math.max(...markers.map((m) => m.length));
    let from = 0;
    for (;;) {
      const held = this.#queue.peek(Math.min(this.#queue.length, maxBytes));
      const text = Buffer.from(held).toString('latin1');
      let best: { at: number; marker: string } | undefined;
      for (const marker of markers) {
        const at = text.indexOf(marker, from);
        if (at !== -1 && (best === undefined || at < best.at)) best = { at, marker };
      }
      if (best !== undefined) {
        this.#searched = 0;
        const end = best.at + best.marker.length;
        return { text: Buffer.from(this.#queue.take(end)).toString('latin1'), marker: best.marker };
      }
      if (this.#queue.length >= maxBytes) {
        throw this.violation(`no ${markers.join(' or ')} within ${maxBytes} bytes`);
      }
      from = Math.max(0, text.length - longest + 1);
      await this.#fill();
    }
  }

  /** A refusal to start TLS: what the server said, as the scanner will report it. */
  refused(description: string): StarttlsRefusedError {
    return new StarttlsRefusedError(
      `${this.label.where} ${description}`,
      this.label.plaintext,
      description,
      this.#head,
    );
  }

  /** A server that breaks the protocol before TLS. */
  violation(what: string): WiretightError {
    return new WiretightError(
      'WT_ERR_STARTTLS_PROTOCOL',
      `${this.label.where} broke the ${this.label.name} dialogue: ${what}`,
    );
  }

  /**
   * Hands the socket back for the TLS handshake. Bytes the server sent after agreeing to
   * start TLS and before our ClientHello would be read as cleartext by a naive client
   * (the STARTTLS injection of CVE-2011-0411 and its kin), so they are a violation.
   */
  release(): Socket {
    this.#drain();
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#queue.length > 0) {
      throw this.violation(
        `it sent ${this.#queue.length} byte(s) after agreeing to start TLS, before the ClientHello`,
      );
    }
    this.#detach();
    return this.#socket;
  }

  /** Ends the conversation without TLS: the socket is closed. */
  abandon(): void {
    this.#detach();
    this.#socket.destroy();
  }

  #detach(): void {
    this.#socket.off('readable', this.#onReadable);
    this.#socket.off('end', this.#onEnd);
    this.#socket.off('close', this.#onEnd);
    this.#socket.off('error', this.#onError);
    this.#signal.removeEventListener('abort', this.#onAbort);
  }

  #during(): string {
    return `during the ${this.label.name} dialogue`;
  }

  #tooLong(): never {
    throw this.violation(`a line longer than ${MAX_LINE_BYTES} bytes`);
  }

  #fail(error: WiretightError): void {
    this.#failure ??= error;
    this.#wake?.();
  }

  /** Moves what the socket holds into the queue, within the dialogue's byte cap. */
  #drain(): boolean {
    let got = false;
    for (;;) {
      const chunk = this.#socket.read() as Buffer | null;
      if (chunk === null) return got;
      got = true;
      if (this.#head.length < FIRST_BYTES_KEPT) {
        this.#head = Buffer.concat([this.#head, chunk]).subarray(0, FIRST_BYTES_KEPT);
      }
      this.#received += chunk.length;
      if (this.#received > MAX_DIALOGUE_BYTES) {
        this.#fail(this.violation(`more than ${MAX_DIALOGUE_BYTES} bytes before TLS`));
        this.#socket.destroy();
        return got;
      }
      this.#queue.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
  }

  /** Waits until at least one more byte is queued, or throws how the stream ended. */
  async #fill(): Promise<void> {
    for (;;) {
      if (this.#failure !== undefined) throw this.#failure;
      if (this.#drain()) {
        if (this.#failure !== undefined) throw this.#failure;
        return;
      }
      if (this.#ended) {
        throw new WiretightError(
          'WT_ERR_PROBE_CLOSED',
          `${this.label.where} closed the connection ${this.#during()}`,
        );
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }
}
