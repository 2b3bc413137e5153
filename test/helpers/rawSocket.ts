import { connect, type Socket } from 'node:net';

/** A TCP connection a test drives byte by byte, and what the server sent before closing it. */
export class RawSocket {
  private received = '';
  /** Resolves with everything the server sent once the connection is closed (by either side). */
  readonly closed: Promise<string>;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (this.received += chunk));
    // A reset is one way for a server to close; the test looks at the timing and the bytes.
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.once('close', () => resolve(this.received)));
  }

  /** Connects to 127.0.0.1:`port`, from `localAddress` (another loopback address is another client). */
  static open(port: number, localAddress = '127.0.0.1'): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, localAddress });
      socket.once('connect', () => resolve(new RawSocket(socket)));
      socket.once('error', reject);
    });
  }

  get open(): boolean {
    return !this.socket.destroyed && !this.socket.readableEnded;
  }

  /** Resolves once the server has sent something containing `text`. */
  until(text: string): Promise<string> {
    return new Promise((resolve) => {
      const check = () => {
        if (!this.received.includes(text)) return;
        this.socket.off('data', check);
        resolve(this.received);
      };
      this.socket.on('data', check);
      check();
    });
  }

  write(text: string): void {
    this.socket.write(text);
  }

  close(): void {
    this.socket.destroy();
  }
}
