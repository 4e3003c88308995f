/**
 * Decodes `Content-Encoding: aws-chunked` bodies (the SDKs' and the AWS CLI's streaming,
 * checksummed uploads) back to the object's bytes. s3rver would otherwise store the chunk
 * framing inside the object, so an `aws s3 cp` upload would be corrupt.
 *
 * Frame: `<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n`, ending with a zero-size chunk
 * and optional trailers (`x-amz-checksum-crc32:...\r\n`) and a blank line.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { type HeaderBag, headerValue } from '@snapstack/domain/headers';

export function isAwsChunked(headers: HeaderBag): boolean {
  const encoding = (headerValue(headers, 'content-encoding') ?? '').toLowerCase();
  const sha = headerValue(headers, 'x-amz-content-sha256') ?? '';
  return encoding.split(',').some((e) => e.trim() === 'aws-chunked') || sha.startsWith('STREAMING-');
}

export class AwsChunkedDecoder extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private state: 'header' | 'data' | 'crlf' | 'trailers' = 'header';
  private remaining = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    try {
      this.drain();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    callback(this.state === 'trailers' ? null : new Error('aws-chunked body ended before its last chunk'));
  }

  private drain(): void {
    for (;;) {
      if (this.state === 'header') {
        const eol = this.pending.indexOf('\r\n');
        if (eol === -1) return;
        const header = this.pending.subarray(0, eol).toString('latin1');
        const size = Number.parseInt(header.split(';')[0] ?? '', 16);
        if (!Number.isFinite(size) || size < 0) throw new Error(`malformed aws-chunked header "${header}"`);
        this.pending = this.pending.subarray(eol + 2);
        // A zero-size chunk ends the data; trailers (checksums) follow and are not object bytes.
        if (size === 0) this.state = 'trailers';
        else {
          this.remaining = size;
          this.state = 'data';
        }
      } else if (this.state === 'data') {
        if (this.pending.length === 0) return;
        const take = Math.min(this.remaining, this.pending.length);
        this.push(this.pending.subarray(0, take));
        this.pending = this.pending.subarray(take);
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'crlf';
      } else if (this.state === 'crlf') {
        if (this.pending.length < 2) return;
        this.pending = this.pending.subarray(2);
        this.state = 'header';
      } else {
        this.pending = Buffer.alloc(0);
        return;
      }
    }
  }
}
